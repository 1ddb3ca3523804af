"""Area headings ("Område N <name>") and the score box under each (*Rubriker | Poäng*)."""

from __future__ import annotations

from extract.model import Document, Line, Page
from parsers import patterns
from parsers.layout import is_heading, row_text, rows_of, table_bottom, wraps
from parsers.model import AreaHeading, ContentsEntry, Region, ScoreBox
from parsers.text import join_wrapped, strip_bullet


def parse_area_headings(doc: Document, body: float) -> tuple[AreaHeading, ...]:
    """The first heading-styled "Område N" of each area (not a table of contents' entry), its name
    joined over wrapped lines, without the score older reports print after it."""
    found: dict[int, AreaHeading] = {}
    for page in doc.frames:
        if not patterns.AREA_HEADING_LINE.search(page.body_text):
            continue
        lines = page.body
        for i, line in enumerate(lines):
            match = patterns.AREA_HEADING.match(line.text)
            if not match or not is_heading(line, body) or int(match["number"]) in found:
                continue
            parts = [(match["name"], line.ends_with_space), *_heading_continuation(lines, i)]
            name = join_wrapped(parts)
            if patterns.CONTENTS_ENTRY.search(name):
                continue
            number = int(match["number"])
            score = patterns.HEADING_SCORE.search(name)
            name = patterns.HEADING_SCORE.sub("", name)
            found[number] = AreaHeading(
                number, name, page.number, page.index, line.y0, int(score["score"]) if score else None
            )
    return tuple(found[n] for n in sorted(found))


def parse_contents(doc: Document) -> tuple[ContentsEntry, ...]:
    """The areas' lines of a table of contents that print a score, first one per area."""
    found: dict[int, ContentsEntry] = {}
    for page in doc.frames:
        if not patterns.AREA_HEADING_LINE.search(page.body_text):
            continue
        for line in page.body:
            match = patterns.AREA_HEADING.match(line.text)
            if not match or not patterns.CONTENTS_ENTRY.search(line.text):
                continue
            score = patterns.CONTENTS_SCORE.search(line.text)
            number = int(match["number"])
            if score and number not in found:
                found[number] = ContentsEntry(number, int(score["score"]), page.number)
    return tuple(found[n] for n in sorted(found))


def _heading_continuation(lines: tuple[Line, ...], i: int) -> list[tuple[str, bool]]:
    """Lines that continue a wrapped heading: same style, directly below."""
    head, parts = lines[i], []
    prev = head
    for nxt in lines[i + 1 :]:
        if not wraps(prev, nxt, head):
            break
        parts.append((nxt.text, nxt.ends_with_space))
        prev = nxt
    return parts


def parse_score_boxes(doc: Document, headings: tuple[AreaHeading, ...], body: float) -> tuple[ScoreBox, ...]:
    """The score box that follows each area heading, where there is one."""
    frames = doc.frames
    boxes = []
    for heading in headings:
        for index in (heading.frame, heading.frame + 1):
            page = frames[index] if index < len(frames) else None
            box = page and _box_on_page(page, heading, body, same_page=index == heading.frame)
            if box:
                boxes.append(box)
                break
    return tuple(boxes)


def _box_on_page(page: Page, heading: AreaHeading, body: float, same_page: bool) -> ScoreBox | None:
    lines = page.body
    start = _index_after_heading(lines, heading) if same_page else 0
    if start is None:
        return None
    # The box header is the first row below the heading: a bold label and "Poäng".
    candidates = [w for ln in lines[start : start + 4] for w in ln.words]
    header_row = next(
        (row for row in rows_of(candidates) if any(patterns.SCORE_HEADER.match(w.text) for w in row)), None
    )
    if header_row is None:
        return None
    score_word = next(w for w in header_row if patterns.SCORE_HEADER.match(w.text))
    label = row_text(w for w in header_row if w is not score_word)
    header = (label, score_word.text) if label else (score_word.text,)
    top = min(w.bbox[1] for w in header_row)
    bottom_rule = table_bottom(page, top, header_row[0].bbox[0], score_word.bbox[2])
    boundary = score_word.bbox[0] - 6
    header_bottom = max(w.bbox[3] for w in header_row)
    items: list[list[tuple[str, bool]]] = []
    score: int | None = None
    bulleted = dashes = False
    bottom = header_bottom
    for line in lines:
        if line.y_mid <= header_bottom:
            continue
        if bottom_rule is not None and line.y_mid > bottom_rule:
            break
        if line.x0 < boundary and bottom_rule is None and (is_heading(line, body) or line.x1 > boundary):
            break
        bottom = max(bottom, line.y1)
        if line.x0 >= boundary:
            if score is None and patterns.INTEGER.match(line.text):
                score = int(line.text)
            continue
        if patterns.BULLET.match(line.text):
            bulleted = True
            items.append([])
            continue
        dashes = dashes or (not items and bool(patterns.LEADING_DASH.match(line.text)))
        text = strip_bullet(line.text, dashes)
        has_glyph = text != line.text.strip()
        bulleted = bulleted or has_glyph
        if has_glyph or not bulleted or not items:
            items.append([])
        items[-1].append((text, line.ends_with_space))
    names = tuple(t for t in (join_wrapped(parts) for parts in items) if t)
    region = Region(page.index, top, bottom if bottom_rule is None else max(bottom, bottom_rule))
    return ScoreBox(heading.number, header, names, score, page.number, region)


def _index_after_heading(lines: tuple[Line, ...], heading: AreaHeading) -> int | None:
    for i, line in enumerate(lines):
        match = patterns.AREA_HEADING.match(line.text)
        if match and int(match["number"]) == heading.number:
            return i + 1
    return None
