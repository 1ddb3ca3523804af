"""Reading order: a page set in text columns becomes one frame per column, read in order.

A frame is a `Page` holding the lines and rules of one column of one horizontal band, so every later
stage reads a two-column page as a run of one-column pages and a table continued in the next column
as a table continued overleaf. Columns are found from the gutter: an x-range in the middle of the page
that the text of the page does not cross. A table set in two columns (strengths beside improvements)
has such a gap too, so the decision is taken for all pages of one size together: they are set in
columns when most of their pages of text show the same gutter, as running text dominates every report.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise

from extract.model import BBox, Line, Page, Rule, reading_order

_MIN_LINES = 6  # fewer body lines say nothing about a page's columns
_CENTRE = 0.25  # a gutter lies in the middle half of the text's width
_CROSSING = 0.08  # at most this share of a page's characters may cross its gutter (spanning headings)
_SIDE = 0.2  # each column holds at least this share of the page's characters
_MIN_GUTTER = 6.0  # points of white space between two columns
_MAJORITY = 0.5  # the share of text pages that must show a gutter for the document to be in columns
_NEAR = 15.0  # points a page's gutter may lie from the document's usual one
_ALIGNED = 6.0  # points after the gutter within which the right column's lines start


def _weight(line: Line) -> int:
    return len(line.text)


def gutter(page: Page, near: float | None = None) -> tuple[float, float] | None:
    """The empty x-range between two text columns of the page, or None for one column: the widest of
    its candidates (see `_candidates`); `near`, the document's usual gutter, keeps a page to it where
    a table leaves a wider gap elsewhere."""
    return max(_candidates(page, near), key=lambda r: r[1] - r[0], default=None)


def _candidates(page: Page, near: float | None = None) -> list[tuple[float, float]]:
    """The x-ranges that could be the page's gutter. A sweep over the lines' x-extents gives, for every
    x, the characters of the lines that cross it; a candidate lies in the middle of the page where
    (almost) nothing crosses, narrowed to where nothing but lines spanning it (a wide heading) is
    printed, so that the numbers of a table set next to it stay in their column, with enough text on
    either side."""
    lines = [ln for ln in page.body if ln.bbox[2] > ln.bbox[0]]
    if len(lines) < _MIN_LINES:
        return []
    weights = [_weight(ln) for ln in lines]
    total = sum(weights)
    left, right = min([ln.bbox[0] for ln in lines]), max([ln.bbox[2] for ln in lines])
    lo, hi = left + _CENTRE * (right - left), right - _CENTRE * (right - left)
    # Lines across the whole middle cross every candidate: on most pages (one column) they are too
    # many for any, and the sweep is not needed. (Every page is asked this: read off the rectangles.)
    across = [w for ln, w in zip(lines, weights, strict=True) if ln.bbox[0] <= lo and ln.bbox[2] >= hi]
    if sum(across) > _CROSSING * total:
        return []
    found: list[tuple[float, float]] = []
    for qa, qb in _ranges(lines, lambda crossing: crossing <= _CROSSING * total, right):
        if not (qb > lo and qa < hi and _near(qa, qb, near)):
            continue
        columns = [ln for ln in lines if not (ln.x0 < qa + 1 and ln.x1 > qb - 1)]
        for a, b in _ranges(columns, lambda crossing: crossing == 0, right):
            a, b = max(a, qa), min(b, qb)
            mid = (a + b) / 2
            if b - a < _MIN_GUTTER or not _near(a, b, near) or not lo < mid < hi:
                continue
            on_left = sum(_weight(ln) for ln in lines if ln.x1 <= mid)
            on_right = sum(_weight(ln) for ln in lines if ln.x0 >= mid)
            # a column's text starts where the gutter ends (a table's numbers beside a gap do not)
            aligned = sum(_weight(ln) for ln in lines if b - 1 <= ln.x0 <= b + _ALIGNED)
            if min(on_left, on_right) >= _SIDE * total and aligned >= _SIDE / 2 * total:
                found.append((a, b))
    return found


def _usual(pages: list[Page]) -> tuple[float | None, int]:
    """Where the gutter of most pages is, and on how many: the x that the most pages have a candidate
    gutter at (a gap inside a table differs from page to page; the gutter between columns does not)."""
    events: list[tuple[float, int]] = []
    for page in pages:
        for a, b in _merged(_candidates(page)):
            events += [(a, 1), (b, -1)]
    best, at, covering = 0, None, 0
    for (x, delta), (nxt, _) in pairwise([*sorted(events), (math.inf, 0)]):
        covering += delta
        if covering > best and nxt > x:
            best, at = covering, (x + nxt) / 2  # covered ranges end before the final sentinel
    return at, best


def _merged(ranges: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping ranges as one, so that a page counts once for any x."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _near(a: float, b: float, x: float | None) -> bool:
    """Whether the range (a, b) lies at x (give or take), or x is not known."""
    return x is None or a - _NEAR <= x <= b + _NEAR


def _ranges(lines: list[Line], wanted: Callable[[int], bool], right: float) -> list[tuple[float, float]]:
    """The x-ranges where the characters of the lines crossing x satisfy `wanted`."""
    events = sorted([(ln.x0, _weight(ln)) for ln in lines] + [(ln.x1, -_weight(ln)) for ln in lines])
    found: list[tuple[float, float]] = []
    start: float | None = None
    crossing = 0
    for (x, delta), (nxt, _) in pairwise([*events, (right, 0)]):
        crossing += delta
        if nxt <= x:
            continue
        if wanted(crossing):
            start = x if start is None else start
        elif start is not None:
            found.append((start, x))
            start = None
    if start is not None:
        found.append((start, right))
    return found


def in_reading_order(pages: tuple[Page, ...]) -> tuple[Page, ...]:
    """The frames of the document in reading order, each numbered by its position (`index`)."""
    gutters = _gutters(pages)
    columned = any(g is not None for g in gutters)
    margin = min((ln.x0 for page in pages for ln in page.body), default=0.0) if columned else 0.0
    frames: list[Page] = []
    for page, found in zip(pages, gutters, strict=True):
        frames.extend(_frames(page, found, margin) if found is not None else [page])
    # A page read whole (no clip yet) gets its clip with its index: one copy of each page, not two.
    return tuple(
        replace(frame, index=i, clip=_whole(frame, margin) if frame.clip is None else frame.clip)
        for i, frame in enumerate(frames)
    )


def _gutters(pages: tuple[Page, ...]) -> list[tuple[float, float] | None]:
    """Each page's gutter, or None. Pages of one size (a landscape page among portrait ones has its
    columns elsewhere) are set in columns when most of their pages of text show the same gutter, or
    have text on one side of it only; their gutters are then shared where they agree."""
    sizes: dict[tuple[int, int], list[int]] = {}
    for i, page in enumerate(pages):
        sizes.setdefault((round(page.width), round(page.height)), []).append(i)
    gutters: list[tuple[float, float] | None] = [None] * len(pages)
    for members in sizes.values():
        usual, count = _usual([pages[i] for i in members])
        if usual is None:
            continue
        beside = [_beside(pages[i], usual) for i in members]
        texts = [len(pages[i].body) >= _MIN_LINES for i in members]
        if count + sum(b is not None and t for b, t in zip(beside, texts, strict=True)) <= _MAJORITY * sum(
            texts
        ):
            continue  # too few pages can have columns: no need to look closer
        own = [gutter(pages[i], usual) or b for i, b in zip(members, beside, strict=True)]
        if sum(g is not None and t for g, t in zip(own, texts, strict=True)) > _MAJORITY * sum(texts):
            for i, g in zip(members, _shared(own), strict=True):
                gutters[i] = g
    return gutters


def _shared(gutters: list[tuple[float, float] | None]) -> list[tuple[float, float] | None]:
    """The document's gutter where pages agree: from the furthest any left column's text reaches to
    where the right column's text starts. Ragged lines leave a page's own gutter wider on one side,
    and the middle of the gutter is where a table's border beside it is told to its column."""
    real = [g for g in gutters if g is not None and g[1] > g[0]]
    if not real:
        return gutters
    left, right = max(a for a, _ in real), min(b for _, b in real)
    if left >= right:
        return gutters
    return [(left, right) if g is not None and g[0] <= right and g[1] >= left else g for g in gutters]


def _whole(page: Page, margin: float) -> BBox:
    """The clip of a page read as one frame; `margin` is where the document's text starts."""
    return (margin, 0.0, page.width, page.height)


def _beside(page: Page, x: float) -> tuple[float, float] | None:
    """A page of a document in columns with text in one column only (a table, the end of a chapter)
    still has the document's gutter at `x` when (almost) none of its text crosses it."""
    body = page.body
    crossing = sum(_weight(ln) for ln in body if ln.x0 < x < ln.x1)
    return (x, x) if body and crossing <= _CROSSING * sum(_weight(ln) for ln in body) else None


def _frames(page: Page, found: tuple[float, float], margin: float) -> list[Page]:
    """Bands from top to bottom: lines that cross the gutter (a wide heading or table) make a band
    of their own; between them the left column is read before the right one. The left column's
    text starts at the document's `margin`, the right column's where the gutter ends."""
    a, b = found
    mid = (a + b) / 2
    body = sorted(page.body, key=lambda ln: ln.y0)
    spanning = [ln for ln in body if _spans(ln, a, b)]
    bands = _spanning_bands(spanning)
    left_edge, right_edge = margin, b
    sides = _rule_sides(page.rules, mid)
    frames: list[Page] = []
    top = 0.0
    for band_top, band_bottom in [*bands, (page.height, page.height)]:
        inside = [ln for ln in body if top <= ln.y_mid < band_top and not _spans(ln, a, b)]
        left = [ln for ln in inside if ln.x_mid < mid]
        frames.append(_frame(page, left, (left_edge, top, mid, band_top), sides, {"left", "both"}))
        right = [ln for ln in inside if ln.x_mid >= mid]
        clip = (right_edge, top, page.width, band_top)
        frames.append(_frame(page, right, clip, sides, {"right", "both"}))
        wide = [ln for ln in body if band_top <= ln.y_mid < band_bottom]
        clip = (left_edge, band_top, page.width, band_bottom)
        frames.append(_frame(page, wide, clip, sides, {"left", "right", "both"}))
        top = band_bottom
    kept = [f for f in frames if f.lines]
    furniture = tuple(ln for ln in page.lines if ln.furniture)
    if not kept:
        return [page]
    kept[0] = replace(kept[0], lines=furniture + kept[0].lines)
    return kept


def _spans(line: Line, a: float, b: float) -> bool:
    """Whether a line is set across the gutter (a, b): words on both sides of it. A single word too
    wide for its cell that runs into the gutter, or beyond, stays in its column."""
    if not line.x0 < (a + b) / 2 < line.x1:
        return False
    if not line.words:
        return True
    return any(w.bbox[2] <= a + 2 for w in line.words) and any(w.bbox[0] >= b - 2 for w in line.words)


def _spanning_bands(spanning: list[Line]) -> list[tuple[float, float]]:
    """The y-ranges held by lines that cross the gutter, touching ranges merged."""
    bands: list[tuple[float, float]] = []
    for line in spanning:
        if bands and line.y0 <= bands[-1][1] + 0.5 * (line.y1 - line.y0):
            bands[-1] = (bands[-1][0], max(bands[-1][1], line.y1))
        else:
            bands.append((line.y0, line.y1))
    return bands


def _rule_sides(rules: tuple[Rule, ...], mid: float) -> dict[Rule, str]:
    """Which column each rule belongs to: 'left', 'right' or 'both' (a rule across the page). A
    table's border stands a little outside its column's text, so a vertical rule in the gutter goes
    with the horizontal rules that meet it, and a horizontal rule with the side that holds most of it."""
    sides: dict[Rule, str] = {}
    horizontals = [r for r in rules if r.horizontal]
    for rule in horizontals:
        on_left, on_right = mid - rule.x0, rule.x1 - mid
        sides[rule] = "both" if min(on_left, on_right) > 20 else "left" if on_left > on_right else "right"
    for rule in rules:
        if not rule.horizontal:
            sides[rule] = next(
                (sides[h] for h in horizontals if _meets(h, rule) and sides[h] != "both"),
                "left" if rule.x0 < mid else "right",
            )
    return sides


def _meets(horizontal: Rule, vertical: Rule) -> bool:
    """Whether a horizontal rule ends at a vertical one, at its top or its foot."""
    at_end = min(abs(horizontal.x0 - vertical.x0), abs(horizontal.x1 - vertical.x0)) < 2
    return at_end and min(abs(horizontal.y0 - vertical.y0), abs(horizontal.y0 - vertical.y1)) < 2


def _frame(page: Page, lines: list[Line], clip: BBox, sides: dict[Rule, str], wanted: set[str]) -> Page:
    """A frame of `lines` with the rules of its column (`wanted` sides) within its band."""
    _, y0, _, y1 = clip
    rules = tuple(r for r in page.rules if sides[r] in wanted and r.y1 >= y0 - 4 and r.y0 <= y1 + 4)
    ordered = tuple(sorted(lines, key=reading_order))
    return replace(page, lines=ordered, rules=rules, clip=clip)
