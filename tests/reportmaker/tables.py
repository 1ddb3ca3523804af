"""Tables drawn into frames: rows of positioned lines, a header row repeated (or not) when the table
continues in the next frame, rules, fills, and rows that may be split across a frame break (a findings
cell holding many items). Score boxes, findings tables, overview tables and fact tables all use this."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportmaker.canvas import BLACK, WHITE, Canvas, Frame

# Line height and header height relative to the table's type size (12.5 and 15 pt at 10.5 pt).
LEADING = 12.5 / 10.5
HEADER = 15 / 10.5


@dataclass(frozen=True)
class Cell:
    """One line of text in a row: `dy` below the row's top, starting at `x`."""

    dy: float
    x: float
    text: str
    size: float
    bold: bool = False
    unicode: bool = False  # a glyph outside Latin-1 (a bullet, an en dash): see Canvas.text

    @property
    def bottom(self) -> float:
        return self.dy + self.size * LEADING


@dataclass
class Row:
    """A table row as the lines it prints. `need` is the room it must find before it starts (when more
    than its height); a `splittable` row may continue in the next frame between two of its lines."""

    cells: list[Cell]
    height: float
    need: float | None = None
    splittable: bool = False

    def split(self, room: float) -> tuple[Row, Row] | None:
        """The lines that fit `room` and the rest (moved up to the row's top), or None when none fit."""
        pad = self.height - max((c.bottom for c in self.cells), default=0.0)
        head = [c for c in self.cells if c.bottom + pad <= room]
        tail = [c for c in self.cells if c.bottom + pad > room]
        if not head or not tail:
            return None
        cut = min(c.dy for c in tail)
        moved = [replace(c, dy=c.dy - cut) for c in tail]
        return (
            Row(head, max(c.bottom for c in head) + pad),
            Row(moved, self.height - cut, splittable=True),
        )


@dataclass
class Table:
    """Column borders `edges` (x, left to right), an optional header row and the body rows, laid out in
    `frame`; a part drawn in another frame (the next column) is moved with it."""

    frame: Frame
    edges: list[float]
    header: Row | None
    rows: list[Row]
    start: float = 60.0  # the room a table needs before it starts in a frame
    after: float = 14.0  # space below the table
    body_fills: bool = True  # whether the zebra fill applies (not to a one-row score box)


def draw_table(c: Canvas, table: Table) -> None:
    """Draw `table` at the cursor, continuing in the next frame (header repeated when the spec says so)
    when a row does not fit; a splittable row is cut between two lines."""
    c.ensure(table.start)
    top = _begin(c, table, first=True)
    for i, row in enumerate(table.rows):
        part = row
        while not c.fits(part.need or part.height):
            pieces = part.split(c.frame.bottom - c.y) if part.splittable else None
            if pieces:
                _draw_row(c, table, pieces[0], i)
                part = pieces[1]
            elif _just_started(c, top, table):
                break  # taller than a whole frame: drawn where it is, overflowing
            _end(c, table, top)
            c.next_frame()
            top = _begin(c, table, first=False)
        _draw_row(c, table, part, i)
    _end(c, table, top)
    c.y += table.after


def _just_started(c: Canvas, top: float, table: Table) -> bool:
    """Whether the table's part in this frame has no body row yet (so moving on would not help)."""
    header = table.header.height if table.header and c.spec.repeat_headers else 0.0
    return top <= c.frame.top + 0.01 and c.y <= c.frame.top + header + 0.01


def _begin(c: Canvas, table: Table, first: bool) -> float:
    """Start a part of the table in the current frame; returns its top."""
    top = c.y
    _hrule(c, table, top - 2)
    if table.header is not None and (first or c.spec.repeat_headers):
        _draw_row(c, table, table.header, -1)
    return top


def _end(c: Canvas, table: Table, top: float) -> None:
    """Close a part of the table: its vertical borders."""
    if c.spec.ruled:
        for x in table.edges:
            c.rule(x + _dx(c, table), top - 2, x + _dx(c, table), c.y - 2)


def _dx(c: Canvas, table: Table) -> float:
    """How far the current frame lies right of the one the table was laid out in."""
    return c.frame.x0 - table.frame.x0


def _draw_row(c: Canvas, table: Table, row: Row, index: int) -> None:
    """Fill (header or zebra), text, and the rule under the row. `index` -1 is the header row."""
    header = index < 0
    fill = c.spec.header_fill if header else c.spec.zebra_fill if index % 2 and table.body_fills else None
    dx = _dx(c, table)
    if fill is not None:
        c.fill((table.edges[0] + dx, c.y - 2, table.edges[-1] + dx, c.y + row.height - 2), fill)
    colour = WHITE if header and c.spec.header_fill is not None else BLACK
    for cell in row.cells:
        c.text(
            cell.x + dx, cell.text, cell.size, cell.bold, y=c.y + cell.dy, colour=colour, unicode=cell.unicode
        )
    c.y += row.height
    _hrule(c, table, c.y - 2)


def _hrule(c: Canvas, table: Table, y: float) -> None:
    if c.spec.ruled:
        c.rule(table.edges[0] + _dx(c, table), y, table.edges[-1] + _dx(c, table), y)


def header_row(c: Canvas, cells: list[tuple[float, float, str]]) -> Row:
    """A bold header row: (x, width, text) per column, each wrapped to its width (the first line of
    every cell on the same baseline) and shrunk when a single word is wider than its column."""
    size = c.spec.table_size
    lines = []
    for x, width, text in cells:
        fitted = min(c.fit_size(word, width, size) for word in text.split()) if text else size
        wrapped = c.wrap(text, width, fitted, bold=True)
        lines += [Cell(j * size * LEADING, x, line, fitted, True) for j, line in enumerate(wrapped)]
    depth = max((cell.dy for cell in lines), default=0.0)
    return Row(lines, size * HEADER + depth)


def text_lines(x: float, lines: list[str], size: float, dy: float = 0.0) -> list[Cell]:
    return [Cell(dy + j * size * LEADING, x, line, size) for j, line in enumerate(lines)]
