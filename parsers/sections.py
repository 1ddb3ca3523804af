"""Sections: the report's headings by level, each with its running text.

Levels come from type size relative to the "Område N" headings: larger is a chapter (1), the same size
is level 2 (an area, or a heading of that rank outside the areas), smaller headings are level 3.
Table content, running headers/footers and page numbers are never section text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.model import Document, Line
from parsers import patterns
from parsers.layout import is_heading
from parsers.model import Region, Section
from parsers.text import join_wrapped, strip_bullet

_TITLE_PAGE_MAX_LINES = 12


@dataclass(slots=True)
class _Row:
    """Lines on one baseline (a bullet and its text, a list number and its item) read as one."""

    page: int
    frame: int
    lines: list[Line]
    heading: bool  # every line is set as a heading (asked of each row several times)

    @property
    def text(self) -> str:
        lines = self.lines
        return lines[0].text if len(lines) == 1 else " ".join([ln.text for ln in lines])

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def last(self) -> Line:
        return self.lines[-1]


@dataclass(slots=True)
class _Open:
    level: int
    heading: str
    area: int | None
    page_start: int
    page_end: int
    paragraphs: list[list[tuple[str, bool]]] = field(default_factory=list)


def parse_sections(doc: Document, tables: list[Region], body: float) -> tuple[Section, ...]:
    """Every heading after the title page with the running text under it."""
    rows = _rows(doc, tables, body)
    area_size = _area_heading_size(rows)
    sections: list[_Open] = []
    area: int | None = None
    previous: _Row | None = None
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.heading:
            block = [row]
            while i + 1 < len(rows) and _continues_heading(block[-1], rows[i + 1]):
                i += 1
                block.append(rows[i])
            level = _level(row.first.size, area_size)
            text = join_wrapped((r.text, r.last.ends_with_space) for r in block)
            match = patterns.AREA_HEADING.match(text)
            if level == 1 or (level == 2 and not match):
                area = None
            if level == 2 and match:
                area = int(match["number"])
            sections.append(_Open(level, text, area, row.page, block[-1].page))
            previous = None
        elif sections:
            _add_text(sections[-1], row, previous)
            previous = row
        i += 1
    return tuple(
        Section(
            s.level,
            s.heading,
            s.area,
            s.page_start,
            s.page_end,
            "\n\n".join(p for p in (join_wrapped(parts) for parts in s.paragraphs) if p),
        )
        for s in sections
    )


def _rows(doc: Document, tables: list[Region], body: float) -> list[_Row]:
    """Content lines outside tables, those on one baseline merged; the title page is not a section."""
    rows: list[_Row] = []
    for page in doc.frames:
        lines = page.body
        if page.number == 1 and len(lines) <= _TITLE_PAGE_MAX_LINES:
            continue
        index = page.index
        here = [t for t in tables if t.frame == index]
        for line in lines:
            y = line.y_mid
            if here and any(t.holds(index, y) for t in here):
                continue
            last = rows[-1] if rows else None
            heading = is_heading(line, body)
            if last and last.frame == index and abs(last.last.y_mid - y) < 2:
                last.lines.append(line)
                last.heading = last.heading and heading
            else:
                rows.append(_Row(page.number, index, [line], heading))
    return rows


def _continues_heading(prev: _Row, nxt: _Row) -> bool:
    a, b = prev.first, nxt.first
    return (
        nxt.frame == prev.frame
        and nxt.heading
        and b.size == a.size
        and abs(b.x0 - a.x0) < 2
        and b.y0 - a.y1 < 0.6 * (a.y1 - a.y0)
        and not patterns.AREA_HEADING.match(nxt.text)
    )


def _area_heading_size(rows: list[_Row]) -> float | None:
    sizes = [r.first.size for r in rows if r.heading and patterns.AREA_HEADING.match(r.text)]
    return max(set(sizes), key=sizes.count) if sizes else None


def _level(size: float, area_size: float | None) -> int:
    if area_size is None:
        return 1
    if size > area_size + 0.5:
        return 1
    return 2 if size >= area_size - 0.5 else 3


def _add_text(section: _Open, row: _Row, previous: _Row | None) -> None:
    """Append a row to the section's last paragraph, or start a paragraph where the layout breaks.

    List items (a bullet or a number set apart from the text) are paragraphs of their own.
    """
    section.page_end = row.page
    whole = row.text
    if patterns.BULLET.match(whole):  # a bullet alone: its item follows on the next row
        section.paragraphs.append([])
        return
    lines = row.lines
    marker = lines[0].text if len(lines) > 1 else ""  # "" matches neither a bullet nor a number
    if marker and patterns.BULLET.match(marker):
        text, item = " ".join([ln.text for ln in lines[1:]]), True
    else:
        text = strip_bullet(whole)
        item = text != whole.strip() or bool(marker and patterns.LIST_NUMBER.match(marker))
    paragraphs = section.paragraphs
    if item or previous is None or not paragraphs or _breaks(previous, row):
        paragraphs.append([])
    paragraphs[-1].append((text, lines[-1].ends_with_space))


def _breaks(previous: _Row, row: _Row) -> bool:
    """A paragraph ends at a wider vertical gap, or at a page break after a short last line."""
    _, above_top, above_right, above_bottom = previous.lines[-1].bbox
    if row.frame != previous.frame:
        right = row.lines[-1].bbox[2]
        return above_right < 0.8 * max(above_right, right, 1) or previous.text.endswith(":")
    return row.lines[0].bbox[1] - above_bottom > 0.5 * (above_bottom - above_top)
