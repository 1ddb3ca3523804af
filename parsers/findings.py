"""Strengths and improvement suggestions: the two-column *Styrkor | Förbättringsmöjligheter* table.

Columns come from geometry (the drawn border between them, else the header words' positions), never
from the wording. Rows come from the drawn row borders; a cell (or a column without borders) is split
into its items by what all findings tables of the report show: a gap wider than between wrapped lines, a
line that ended although the next word would have fitted, a bullet or a leading dash. A table continued
on the next page or in the next column (with or without its header repeated) is one table, and an item
cut by the break is one item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise, takewhile
from statistics import median

from extract.model import Document, Line, Page, Word
from parsers import patterns
from parsers.layout import (
    is_heading,
    near_page_end,
    on_baselines,
    origin,
    prose_line_gap,
    row_borders,
    rows_of,
    table_bottom,
    vertical_divider,
)
from parsers.model import AreaHeading, Finding, FindingsTable, Region
from parsers.text import join_wrapped, strip_bullet
from parsers.words import Vocabulary, broken, monospaced

KINDS = ("strength", "improvement")
_WRAPPED_GAP = 0.3  # of a line's height: wrapped lines sit at most this far apart


@dataclass(frozen=True, slots=True)
class _Columns:
    left: float  # where the strengths column starts
    divider: float  # where the improvements column starts

    def moved(self, dx: float) -> _Columns:
        return _Columns(self.left + dx, self.divider + dx)


@dataclass(frozen=True, slots=True)
class _Piece:
    """The part of one table on one page, its lines sorted into the two columns."""

    page: int
    region: Region
    by_column: dict[str, list[Line]]
    borders: list[float]  # drawn row borders; empty where the table has none
    open_end: bool  # ran to the page's end: the table may continue on the next page
    columns: _Columns
    origin: float  # where its frame's text starts


@dataclass(frozen=True, slots=True)
class _Context:
    wrapping: _Wrapping
    vocabulary: Vocabulary


@dataclass(frozen=True, slots=True)
class _Wrapping:
    """How text wraps in the findings tables of one report (they share one template): the widest line
    of each column, and the smallest gap between lines, that is between lines wrapped inside one cell."""

    widths: dict[str, float]
    line_gap: float | None
    space: float | None  # the width of a space between words, as set

    def width(self, kind: str) -> float | None:
        """The text width of a column; where a column never shows it, the other's (usually equal)."""
        return self.widths.get(kind, max(self.widths.values(), default=None))


def parse_findings(
    doc: Document, headings: tuple[AreaHeading, ...], body: float, vocabulary: Vocabulary
) -> tuple[FindingsTable, ...]:
    """Every area's findings, in printed order; tables continued over pages are joined."""
    pieces: list[tuple[int, _Piece]] = []
    previous: _Piece | None = None
    for page in doc.frames:
        found = _pieces_on_page(page, body, previous)
        for piece in found:
            area = _area_at(headings, piece.region.frame, piece.region.top)
            if area is not None:
                pieces.append((area, piece))
        previous = found[-1] if found else None
    wrapping = _wrapping([piece for _, piece in pieces], lambda: prose_line_gap(doc, body))
    context = _Context(wrapping, vocabulary)
    tables: dict[int, list[_Piece]] = {}
    for area, piece in pieces:
        tables.setdefault(area, []).append(piece)
    return tuple(_table(area, parts, context) for area, parts in sorted(tables.items()))


def _wrapping(pieces: list[_Piece], prose_gap: Callable[[], float | None]) -> _Wrapping:
    """Wrapping evidence from every table of the report, so that a table of short items is read with
    what the others show (the two columns of these tables are equally wide). Where no gap is as tight
    as between wrapped lines (no item wraps), the running text's (`prose_gap()`) stands in for it."""
    widths: dict[str, float] = {}
    gaps: list[float] = []
    heights: list[float] = []
    spaces: list[float] = []
    for piece in pieces:
        for kind, lines in piece.by_column.items():
            worded = [(ln, _text_words(ln)) for ln in lines if ln.words]
            spaces.extend(b.bbox[0] - a.bbox[2] for ln, _ in worded for a, b in pairwise(ln.words))
            # A lone word (after its bullet, if any) may overflow its cell: lines of several tell the width.
            wrapped = [ln for ln, text in worded if len(text) > 1]
            if wrapped:
                left = min(text[0].bbox[0] for _, text in worded if text)
                width = max(ln.words[-1].bbox[2] for ln in wrapped) - left
                widths[kind] = max(widths.get(kind, width), width)
            gaps.extend(b.y0 - a.y1 for a, b in pairwise(lines))
            heights.extend(ln.y1 - ln.y0 for ln in lines)
    line_gap = min(gaps, default=None)
    if line_gap is None or line_gap > _WRAPPED_GAP * median(heights):
        prose = prose_gap()
        line_gap = prose if line_gap is None or (prose is not None and prose < line_gap) else line_gap
    return _Wrapping(widths, line_gap, median(spaces) if spaces else None)


def _text_words(line: Line) -> list[Word]:
    """The words of a line after its bullet or dash, if any: where the item's text is set."""
    return [w for w in line.words if not patterns.BULLET.match(w.text)]


def _area_at(headings: tuple[AreaHeading, ...], frame: int, y: float) -> int | None:
    """The area whose heading comes last before (frame, y)."""
    before = [h for h in headings if (h.frame, h.top) <= (frame, y)]
    return before[-1].number if before else None


@dataclass(slots=True)
class _Paragraph:
    """One paragraph of a column: an item, or several where bullets set them apart."""

    page: int
    lines: list[Line]
    rights: list[float | None]  # where each line's column ends, as far as the report shows
    width: float | None  # the column's text width
    space: float | None

    def extend(self, other: _Paragraph) -> None:
        """Continue with the lines of a part after a break (in another column, perhaps)."""
        self.lines.extend(other.lines)
        self.rights.extend(other.rights)


def _table(area: int, parts: list[_Piece], context: _Context) -> FindingsTable:
    columns: dict[str, list[_Paragraph]] = {kind: [] for kind in KINDS}
    previous: _Piece | None = None
    for part in parts:
        for kind, column in columns.items():
            found = _column(part, kind, context.wrapping)
            cut = found and column and previous is not None and previous.open_end
            if cut and _cut(column[-1], found[0].lines[0]):  # an item cut by the break is one item
                column[-1].extend(found.pop(0))
            column.extend(found)
        previous = part
    findings = [
        Finding(area, kind, position, text, page)
        for kind, column in columns.items()
        for position, (page, text) in enumerate(
            ((p.page, text) for p in column for text in _items(p, context)), start=1
        )
    ]
    return FindingsTable(area, tuple(findings), tuple(p.region for p in parts))


def _column(piece: _Piece, kind: str, wrapping: _Wrapping) -> list[_Paragraph]:
    """A column's paragraphs in one piece of a table: cells between drawn row borders, each split
    into the paragraphs it holds."""
    lines = piece.by_column[kind]
    width = wrapping.width(kind)
    lefts = [words[0].bbox[0] for words in map(_text_words, lines) if words]
    right = min(lefts) + width if lefts and width else None
    return [
        _Paragraph(piece.page, paragraph, [right] * len(paragraph), width, wrapping.space)
        for cell in _split_rows(lines, piece.borders)
        for paragraph in _paragraphs(cell, right, wrapping)
    ]


def _cut(paragraph: _Paragraph, first: Line) -> bool:
    """Whether `first`, at the top of a table's next part, continues the paragraph before the break:
    the paragraph's last line was full (it wrapped) and `first` does not start an item (no bullet,
    no capital letter)."""
    text = first.text.lstrip()
    if not text or strip_bullet(text, dashes=True) != text or text[0].isupper():
        return False
    last, right = paragraph.lines[-1], paragraph.rights[-1]
    return right is not None and not _would_fit(last, first, right, paragraph.space)


def _pieces_on_page(page: Page, body: float, previous: _Piece | None) -> list[_Piece]:
    lines = page.body
    pieces: list[_Piece] = []
    headers = _headers(page)
    # A table that ran to the previous page's end lends its columns to what continues it.
    if previous is not None and previous.open_end and lines:
        first_header_top = headers[0][0] if headers else page.height
        columns = previous.columns.moved(origin(page) - previous.origin)
        continued = _continuation(page, lines, columns, first_header_top, body)
        if continued is not None:
            pieces.append(continued)
    for top, bottom, strengths, improvements in headers:
        columns = _columns(page, top, strengths, improvements)
        pieces.append(_read(page, lines, columns, (top, bottom), body))
    return pieces


def _headers(page: Page) -> list[tuple[float, float, Word, Word]]:
    if not patterns.STRENGTHS_ANYWHERE.search(page.body_text):
        return []
    found = []
    words = [w for ln in page.body for w in ln.words]
    for row in rows_of(words):
        strengths = next((w for w in row if patterns.STRENGTHS_HEADER.match(w.text)), None)
        if strengths is None:
            continue
        improvements = next((w for w in row if _improvements_header(w.text)), None)
        if improvements and strengths.bbox[2] < improvements.bbox[0]:
            top = min(w.bbox[1] for w in row)
            bottom = max(w.bbox[3] for w in row)
            if not patterns.IMPROVEMENTS_HEADER.match(improvements.text):  # the rest on the next line
                bottom = max([bottom] + [w.bbox[3] for w in words if _just_below(improvements, w)])
            found.append((top, bottom, strengths, improvements))
    return found


def _improvements_header(text: str) -> bool:
    """The improvements column's header, also when a narrow cell broke it ("Förbättringsmöjlighete")."""
    if patterns.IMPROVEMENTS_HEADER.match(text):
        return True
    start = text.rstrip("-\u00ad\u2010").casefold()  # hyphenated over two lines: "Förbättrings-"
    return len(start) >= 12 and any(form.startswith(start) for form in patterns.IMPROVEMENTS_FORMS)


def _just_below(word: Word, other: Word) -> bool:
    """Whether `other` starts the line right below `word`, where the rest of a broken word goes."""
    height = word.bbox[3] - word.bbox[1]
    return abs(other.bbox[0] - word.bbox[0]) < 3 and 0 < other.bbox[1] - word.bbox[1] < 1.6 * height


def _columns(page: Page, top: float, strengths: Word, improvements: Word) -> _Columns:
    """Column edges from the drawn border between the columns, else from the header words."""
    drawn = vertical_divider(page.rules, top, top + 5, strengths.bbox[2], improvements.bbox[0] + 1)
    divider = drawn if drawn is not None else improvements.bbox[0] - 3
    return _Columns(strengths.bbox[0] - (improvements.bbox[0] - divider) - 3, divider)


def _read(
    page: Page,
    lines: tuple[Line, ...],
    columns: _Columns,
    header: tuple[float, float],
    body: float,
) -> _Piece:
    top, header_bottom = header
    bottom_rule = table_bottom(page, top, columns.left, columns.divider + 1)
    content: list[Line] = []
    open_end = True
    for line in lines:
        if line.y_mid <= header_bottom:
            continue
        if bottom_rule is not None:
            if line.y_mid > bottom_rule:
                open_end = False
                break
        elif _ends_table(line, columns, body):
            open_end = False
            break
        content.append(line)
    if bottom_rule is not None and open_end:
        open_end = bottom_rule >= max((ln.y1 for ln in content), default=0) and near_page_end(
            page, bottom_rule
        )
    bottom = max([ln.y1 for ln in content] + [bottom_rule or header_bottom])
    borders = row_borders(page, header_bottom, bottom + 1, columns.left + 5, columns.divider + 5)
    region = Region(page.index, top, bottom)
    by_column = _by_column(content, columns)
    return _Piece(page.number, region, by_column, borders, open_end, columns, origin(page))


def _ends_table(line: Line, columns: _Columns, body: float) -> bool:
    """Running text or a heading after the table: it starts in the left column and crosses the divider
    (a single word wider than its cell may overflow into the next one without ending the table)."""
    if is_heading(line, body):
        return True
    crosses = line.x0 < columns.divider - 2 and line.x1 > columns.divider + 2
    return crosses and len(strip_bullet(line.text, dashes=True).split()) > 1


def _continuation(
    page: Page,
    lines: tuple[Line, ...],
    columns: _Columns,
    limit: float,
    body: float,
) -> _Piece | None:
    """Rows at the top of a page that continue the previous page's table without a repeated header."""
    head = list(takewhile(lambda ln: ln.y0 < limit and not _ends_table(ln, columns, body), lines))
    if not head:
        return None
    # Each column's first line starts near its column's left edge (after a hanging bullet, at most).
    edges = {"strength": columns.left, "improvement": columns.divider}
    reach = max(15.0, 0.25 * (columns.divider - columns.left))
    by_column = _by_column(head, columns)
    if not all(-15 < ln.x0 - edges[kind] < reach for kind, lines in by_column.items() for ln in lines[:1]):
        return None
    top = head[0].y0 - 1
    return _read(page, lines, columns, (top, top), body)


def _by_column(content: list[Line], columns: _Columns) -> dict[str, list[Line]]:
    by_column: dict[str, list[Line]] = {kind: [] for kind in KINDS}
    for line in content:
        by_column["strength" if line.x0 < columns.divider - 2 else "improvement"].append(line)
    return {kind: on_baselines(lines) for kind, lines in by_column.items()}


def _split_rows(lines: list[Line], borders: list[float]) -> list[list[Line]]:
    """The cells of one column between drawn row borders (one cell where none are drawn)."""
    if not borders:
        return [lines] if lines else []
    cells: dict[int, list[Line]] = {}
    for line in lines:
        cells.setdefault(sum(b < line.y_mid for b in borders), []).append(line)
    return [cells[i] for i in sorted(cells)]


def _paragraphs(lines: list[Line], right: float | None, wrapping: _Wrapping) -> list[list[Line]]:
    """A cell's items: one cell may hold one item or several, set as paragraphs.

    A line starts a new paragraph when the gap above it is clearly wider than the gap between wrapped
    lines, or when its first word would have fitted on the line before (so that line did not wrap:
    its item had ended).
    """
    if not lines:
        return []
    height = median(ln.y1 - ln.y0 for ln in lines)
    threshold = (wrapping.line_gap if wrapping.line_gap is not None else 0.0) + max(2.0, 0.2 * height)
    paragraphs = [[lines[0]]]
    for above, line in pairwise(lines):
        if line.y0 - above.y1 > threshold or _would_fit(above, line, right, wrapping.space):
            paragraphs.append([])
        paragraphs[-1].append(line)
    return paragraphs


def _would_fit(above: Line, line: Line, right: float | None, space: float | None) -> bool:
    """Whether the first word of `line` would have fitted at the end of the line above it."""
    if right is None or not line.words or not above.words or patterns.BULLET.match(above.text):
        return False
    first = line.words[0]
    space = space if space is not None else max(line.size * 0.3, 1.0)
    return above.words[-1].bbox[2] + space + (first.bbox[2] - first.bbox[0]) < right


def _items(paragraph: _Paragraph, context: _Context) -> list[str]:
    """The items of a paragraph: one, or one per bullet where it is a bulleted list."""
    items: list[list[tuple[str, bool]]] = []
    previous: tuple[Line, float | None] | None = None
    dashes = bool(patterns.LEADING_DASH.match(paragraph.lines[0].text))
    for line, right in zip(paragraph.lines, paragraph.rights, strict=True):
        if patterns.BULLET.match(line.text):
            items.append([])
            previous = None
            continue
        text = strip_bullet(line.text, dashes)
        if not items or text != line.text.strip():
            items.append([])
        elif previous is not None and _broken(previous, line, paragraph.width, context, items[-1][-1][0]):
            text = items[-1].pop()[0] + text
        items[-1].append((text, line.ends_with_space))
        previous = (line, right)
    return [t for t in (join_wrapped(parts) for parts in items) if t]


def _broken(
    above: tuple[Line, float | None], line: Line, width: float | None, context: _Context, ending: str
) -> bool:
    """Whether the last word of the line above (with where its column ends; its text ends in
    `ending`) and the first of `line` are one word broken in two."""
    (last, right) = above
    if right is None or width is None or not last.words or not line.words:
        return False
    mono = bool(line.spans) and monospaced(line.spans[0].font)
    return broken(last.words[-1], line.words[0], (right, width), context.vocabulary, mono, ending)
