"""Strengths and improvement suggestions: the two-column *Styrkor | Förbättringsmöjligheter* table.

Columns come from geometry (the drawn border between them, else the header words' positions), never
from the wording. A cell is one item; bullets inside a cell split it into several. Rows come from the
drawn row borders, else from the vertical gaps between cells. A table continued on the next page (with
or without its header repeated) is one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise, takewhile
from statistics import median

from extract.model import Document, Line, Page, Word
from parsers import patterns
from parsers.layout import is_heading, near_page_end, row_borders, rows_of, table_bottom, vertical_divider
from parsers.model import AreaHeading, Finding, FindingsTable, Region
from parsers.text import join_wrapped, strip_bullet

KINDS = ("strength", "improvement")


@dataclass(frozen=True, slots=True)
class _Columns:
    left: float  # where the strengths column starts
    divider: float  # where the improvements column starts


@dataclass(frozen=True, slots=True)
class _Piece:
    """The part of one table on one page, its lines sorted into the two columns."""

    page: int
    region: Region
    by_column: dict[str, list[Line]]
    borders: list[float]  # drawn row borders; empty where the table has none
    open_end: bool  # ran to the page's end: the table may continue on the next page
    columns: _Columns


@dataclass(frozen=True, slots=True)
class _Wrapping:
    """How text wraps in the findings tables of one report (they share one template): the widest line
    of a column, and the smallest gap between lines, that is between lines wrapped inside one cell."""

    width: float | None
    line_gap: float | None


def parse_findings(
    doc: Document, headings: tuple[AreaHeading, ...], body: float
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
    wrapping = _wrapping([piece for _, piece in pieces])
    tables: dict[int, list[_Piece]] = {}
    for area, piece in pieces:
        tables.setdefault(area, []).append(piece)
    return tuple(_table(area, parts, wrapping) for area, parts in sorted(tables.items()))


def _wrapping(pieces: list[_Piece]) -> _Wrapping:
    """Wrapping evidence from every table of the report, so that a table of short items is read with
    what the others show (the two columns of these tables are equally wide)."""
    widths, gaps = [], []
    for piece in pieces:
        for lines in piece.by_column.values():
            worded = [ln for ln in lines if ln.words]
            if worded:
                left = min(ln.x0 for ln in worded)
                widths.append(max(ln.words[-1].bbox[2] for ln in worded) - left)
            gaps.extend(b.y0 - a.y1 for a, b in pairwise(lines))
    return _Wrapping(max(widths, default=None), min(gaps, default=None))


def _area_at(headings: tuple[AreaHeading, ...], frame: int, y: float) -> int | None:
    """The area whose heading comes last before (frame, y)."""
    before = [h for h in headings if (h.frame, h.top) <= (frame, y)]
    return before[-1].number if before else None


def _table(area: int, parts: list[_Piece], wrapping: _Wrapping) -> FindingsTable:
    counters = dict.fromkeys(KINDS, 0)
    findings: list[Finding] = []
    for part in parts:
        for kind, items in _cells(part, wrapping):
            for text in items:
                counters[kind] += 1
                findings.append(Finding(area, kind, counters[kind], text, part.page))
    order = {kind: i for i, kind in enumerate(KINDS)}
    findings.sort(key=lambda f: (order[f.kind], f.position))
    return FindingsTable(area, tuple(findings), tuple(p.region for p in parts))


def _pieces_on_page(page: Page, body: float, previous: _Piece | None) -> list[_Piece]:
    lines = page.body
    pieces: list[_Piece] = []
    headers = _headers(lines)
    # A table that ran to the previous page's end lends its columns to what continues it.
    if previous is not None and previous.open_end and lines:
        first_header_top = headers[0][0] if headers else page.height
        continued = _continuation(page, lines, previous.columns, first_header_top, body)
        if continued is not None:
            pieces.append(continued)
    for top, bottom, strengths, improvements in headers:
        columns = _columns(page, top, strengths, improvements)
        pieces.append(_read(page, lines, columns, (top, bottom), body))
    return pieces


def _headers(lines: tuple[Line, ...]) -> list[tuple[float, float, Word, Word]]:
    if not any(patterns.STRENGTHS_ANYWHERE.search(line.text) for line in lines):
        return []
    found = []
    for row in rows_of(w for ln in lines for w in ln.words):
        strengths = next((w for w in row if patterns.STRENGTHS_HEADER.match(w.text)), None)
        improvements = next((w for w in row if patterns.IMPROVEMENTS_HEADER.match(w.text)), None)
        if strengths and improvements and strengths.bbox[2] < improvements.bbox[0]:
            top = min(w.bbox[1] for w in row)
            found.append((top, max(w.bbox[3] for w in row), strengths, improvements))
    return found


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
    return _Piece(page.number, region, _by_column(content, columns), borders, open_end, columns)


def _ends_table(line: Line, columns: _Columns, body: float) -> bool:
    """Running text or a heading after the table: it starts in the left column and crosses the divider."""
    if is_heading(line, body):
        return True
    return line.x0 < columns.divider - 2 and line.x1 > columns.divider + 2


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
    starts = {round(ln.x0) for ln in head[:4]}
    if not all(abs(x - columns.left) < 15 or abs(x - columns.divider) < 15 for x in starts):
        return None
    top = head[0].y0 - 1
    return _read(page, lines, columns, (top, top), body)


def _by_column(content: list[Line], columns: _Columns) -> dict[str, list[Line]]:
    by_column: dict[str, list[Line]] = {kind: [] for kind in KINDS}
    for line in content:
        by_column["strength" if line.x0 < columns.divider - 2 else "improvement"].append(line)
    return by_column


def _cells(piece: _Piece, wrapping: _Wrapping) -> tuple[tuple[str, list[str]], ...]:
    """Cells in reading order (row by row, strengths before improvements), each with its items."""
    rows: dict[tuple[int, int], tuple[str, list[Line]]] = {}
    for col, kind in enumerate(KINDS):
        lines = piece.by_column[kind]
        right = min(ln.x0 for ln in lines) + wrapping.width if lines and wrapping.width else None
        for row, cell in enumerate(_split_rows(lines, piece.borders, right, wrapping.line_gap)):
            rows[(row, col)] = (kind, cell)
    out = []
    for key in sorted(rows):
        kind, cell = rows[key]
        items = _items(cell)
        if items:
            out.append((kind, items))
    return tuple(out)


def _split_rows(
    lines: list[Line], borders: list[float], right: float | None, line_gap: float | None
) -> list[list[Line]]:
    """Cells of one column: between drawn row borders, else where the layout shows a new item.

    Without borders a line starts a new cell when the gap above it is clearly wider than the gap between
    wrapped lines, or when its first word would have fitted on the line before (so that line did not
    wrap: its item had ended).
    """
    if not lines:
        return []
    if borders:
        cells: dict[int, list[Line]] = {}
        for line in lines:
            cells.setdefault(sum(b < line.y_mid for b in borders), []).append(line)
        return [cells.get(i, []) for i in range(len(borders) + 1)]
    height = median(ln.y1 - ln.y0 for ln in lines)
    threshold = (line_gap if line_gap is not None else 0.0) + max(2.0, 0.2 * height)
    cells = [[lines[0]]]
    for above, line in pairwise(lines):
        if line.y0 - above.y1 > threshold or _would_fit(above, line, right):
            cells.append([])
        cells[-1].append(line)
    return cells


def _would_fit(above: Line, line: Line, right: float | None) -> bool:
    if right is None or not line.words or not above.words or patterns.BULLET.match(above.text):
        return False
    first = line.words[0]
    space = max(line.size * 0.3, 1.0)
    return above.words[-1].bbox[2] + space + (first.bbox[2] - first.bbox[0]) < right


def _items(cell: list[Line]) -> list[str]:
    """The items of a cell: one, or one per bullet where the cell is a bulleted list."""
    items: list[list[tuple[str, bool]]] = []
    for line in cell:
        if patterns.BULLET.match(line.text):
            items.append([])
            continue
        text = strip_bullet(line.text)
        if not items or text != line.text.strip():
            items.append([])
        items[-1].append((text, line.ends_with_space))
    return [t for t in (join_wrapped(parts) for parts in items) if t]
