"""Layout facts the parsers share: the body font size, heading style, words grouped into rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import pairwise
from operator import itemgetter
from statistics import median

from extract.model import Document, Line, Page, Rule, Word
from parsers import patterns


def body_size(doc: Document) -> float:
    """The font size of running text: the size that carries the most characters (counted by the
    span's size, a report has a handful, and then summed by size to the tenth of a point)."""
    exact: Counter[float] = Counter()
    for page in doc.pages:
        for line in page.body:
            for span in line.spans:
                exact[span.size] += len(span.text.strip())
    sizes: Counter[float] = Counter()
    for size, count in exact.items():
        sizes[round(size, 1)] += count
    return sizes.most_common(1)[0][0] if sizes else 0.0


def prose_line_gap(doc: Document, body: float) -> float | None:
    """The usual white space between two wrapped lines of running text: consecutive lines of the body
    size `body` that start at one x and follow closely (paragraph breaks and headings are wider)."""
    gaps = [
        b.y0 - a.y1
        for page in doc.frames
        for a, b in pairwise(page.body)
        if abs(a.x0 - b.x0) < 1 and b.y0 - a.y1 < 0.5 * (a.y1 - a.y0) and a.size == b.size == body
    ]
    return median(gaps) if gaps else None


def is_heading(line: Line, body: float) -> bool:
    """A heading is set larger than body text, or bold at body size, and is not a bare number."""
    size = line.size
    if size <= body * 1.05 or not (size > body * 1.25 or line.bold):  # most lines: no pattern to match
        return False
    return not (patterns.INTEGER.match(line.text) or patterns.BULLET.match(line.text))


def wraps(above: Line, below: Line, like: Line) -> bool:
    """Whether `below` continues `above` as one wrapped heading or title set like `like`: directly
    below it, both in its size and weight and at its left edge."""
    close = below.y0 - above.y1 < 0.6 * (like.y1 - like.y0)
    same = all(
        ln.size == like.size and ln.bold == like.bold and abs(ln.x0 - like.x0) < 2 for ln in (above, below)
    )
    return close and same


def body_lines(doc: Document) -> Iterator[tuple[Page, Line]]:
    """Every content line of the document in reading order."""
    for page in doc.pages:
        for line in page.body:
            yield page, line


def on_baselines(lines: list[Line]) -> list[Line]:
    """Lines of one column that share a baseline read as one (a hanging bullet or dash and its text)."""
    merged: list[Line] = []
    for line in sorted(lines, key=lambda ln: (ln.y_mid, ln.x0)):
        last = merged[-1] if merged else None
        if last is not None and abs(last.y_mid - line.y_mid) < 0.3 * (line.y1 - line.y0):
            box = (last.x0, min(last.y0, line.y0), max(last.x1, line.x1), max(last.y1, line.y1))
            merged[-1] = last._replace(
                text=f"{last.text} {line.text}",
                bbox=box,
                spans=last.spans + line.spans,
                words=last.words + line.words,
                ends_with_space=line.ends_with_space,
            )
        else:
            merged.append(line)
    return merged


def rows_of(words: Iterable[Word], tolerance: float = 3.0) -> list[list[Word]]:
    """Group words into visual rows (same baseline within tolerance), each sorted left to right."""
    rows: list[list[tuple[float, Word]]] = []
    first = 0.0  # the middle of the current row's first word
    # A table page has hundreds of words: each one's middle and left edge are read once.
    placed = [((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0], w) for w in words]
    for mid, x, word in sorted(placed, key=itemgetter(0, 1)):
        if rows and abs(first - mid) <= tolerance:
            rows[-1].append((x, word))
        else:
            rows.append([(x, word)])
            first = mid
    return [[word for _, word in sorted(row, key=itemgetter(0))] for row in rows]


def row_text(words: Iterable[Word]) -> str:
    return " ".join(w.text for w in words)


def origin(page: Page) -> float:
    """Where the text of a page or frame starts: a table continued in another column is moved by the
    difference of the two origins."""
    return page.clip[0] if page.clip else 0.0


def near_page_end(page: Page, y: float) -> bool:
    """Whether no body text lies below `y` on the page: a table ending there may continue overleaf."""
    return not any(ln.y0 > y for ln in page.body)


def table_bottom(page: Page, top: float, x0: float, x1: float) -> float | None:
    """Where a ruled table that starts at `top` ends: the lowest end of its vertical borders, followed
    down where a producer draws them cell by cell (a header band, then the body)."""
    verticals = sorted(
        (r for r in page.rules if not r.horizontal and x0 - 20 <= r.x0 <= x1 + 20), key=lambda r: r.y0
    )
    bottom = max((r.y1 for r in verticals if top - 25 <= r.y0 <= top + 5), default=None)
    if bottom is None:
        return None
    for rule in verticals:
        if bottom - 25 < rule.y0 <= bottom + 2:
            bottom = max(bottom, rule.y1)
    return bottom


def row_borders(page: Page, top: float, bottom: float, x0: float, x1: float) -> list[float]:
    """The y of horizontal borders that cross the column span between top and bottom."""
    ys = sorted(
        r.y0 for r in page.rules if r.horizontal and top < r.y0 < bottom and r.x0 <= x0 + 5 and r.x1 >= x1 - 5
    )
    merged: list[float] = []
    for y in ys:
        if not merged or y - merged[-1] > 1.0:
            merged.append(y)
    return merged


def vertical_divider(
    rules: Iterable[Rule], top: float, bottom: float, left: float, right: float
) -> float | None:
    """The x of a vertical border between two columns, where the producer drew one."""
    xs = [r.x0 for r in rules if not r.horizontal and left < r.x0 < right and r.y0 <= bottom and r.y1 >= top]
    return min(xs, key=lambda x: abs(x - (left + right) / 2)) if xs else None
