"""The overview tables of *Översikt av poängfördelning*: `N. <area> | Uppnått | Max` per area.

Read by column positions: the header words *Uppnått* and *Max* fix the number columns, a row starts
where the name column begins with a sub-area code, and a number belongs to the row beside it. A table
cut by a page break, with its header repeated or not, is merged back into one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import regex

from extract.model import Document, Page, Word
from parsers import patterns
from parsers.layout import is_heading, origin, row_text, rows_of, wraps
from parsers.model import OverviewTable, Region, ScoreRow
from parsers.text import join_wrapped
from parsers.words import Vocabulary, broken, monospaced

_TOTAL_LABEL = ("summa", "totalt", "total", "totalpoäng")


@dataclass(frozen=True, slots=True)
class _Header:
    area_number: int
    name: str
    name_words: tuple[Word, ...]  # the label's words, "4." included
    achieved: Word
    max: Word
    top: float
    bottom: float
    origin: float  # where its frame's text starts

    def moved_to(self, page: Page, top: float) -> _Header:
        """The header as it would stand at `top` of another frame, its columns moved with the text."""
        dx = origin(page) - self.origin

        def move(word: Word) -> Word:
            x0, y0, x1, y1 = word.bbox
            return Word(word.text, (x0 + dx, y0, x1 + dx, y1))

        moved = {"achieved": move(self.achieved), "max": move(self.max), "origin": origin(page)}
        return replace(self, name_words=(), top=top, bottom=top, **moved)


@dataclass(slots=True)
class _Row:
    code: str | None  # None for the total row
    name_parts: list[tuple[str, bool, list[Word]]]  # a line's name text, whether it ends in a space, words
    top: float
    bottom: float
    numbers: dict[str, int | None] = field(default_factory=dict)

    def name(self, edge: tuple[float, float] | None, vocabulary: Vocabulary, mono: bool) -> str:
        """The name joined over its lines; a word broken at a line's end is joined again."""
        parts: list[tuple[str, bool]] = []
        previous: list[Word] = []
        for text, ends, words in self.name_parts:
            ending = parts[-1][0] if parts else ""
            if edge and previous and words and broken(previous[-1], words[0], edge, vocabulary, mono, ending):
                parts[-1] = (parts[-1][0] + text, ends)
            else:
                parts.append((text, ends))
            previous = words
        return join_wrapped(parts)


def parse_overview(doc: Document, body: float, vocabulary: Vocabulary) -> tuple[OverviewTable, ...]:
    """All overview tables of the document, in order, continued tables merged."""
    pieces: list[OverviewTable] = []
    open_header: _Header | None = None  # the table that reached a page's end without its total row
    for page in doc.frames:
        headers = _headers(page, open_header)
        if open_header is not None:
            limit = headers[0].top if headers else page.height
            continued = _continuation(page, open_header, limit, body, vocabulary)
            if continued is not None:
                pieces.append(continued)
            elif headers or page.body:
                open_header = None
        for i, header in enumerate(headers):
            limit = headers[i + 1].top if i + 1 < len(headers) else page.height
            pieces.append(_read_table(page, header, limit, body, vocabulary))
            open_header = header
        if pieces and pieces[-1].total is not None:
            open_header = None
    return _merge(pieces)


def _continuation(
    page: Page, header: _Header, limit: float, body: float, vocabulary: Vocabulary
) -> OverviewTable | None:
    """Rows at the top of a page that continue the previous page's table without repeating its header:
    the page's first line is a sub-area row of the same area, or numbers alone (the total row)."""
    first = next((ln for ln in page.body if ln.words and ln.y_mid < limit), None)
    if first is None or is_heading(first, body):
        return None
    code = patterns.SUBAREA_CODE.match(first.text)
    starts_row = code is not None and int(code["area"]) == header.area_number
    if not (starts_row or all(patterns.INTEGER.match(w.text) for w in first.words)):
        return None
    return _read_table(page, header.moved_to(page, first.y0 - 1), limit, body, vocabulary)


def _headers(page: Page, open_header: _Header | None = None) -> list[_Header]:
    """The header rows of overview tables on the page. A header that names only its columns belongs to
    the area titled above it, or whose sub-area codes follow it, or (repeated after a break, before any
    row) to the table still open from the page before."""
    if not patterns.ACHIEVED_ANYWHERE.search(page.body_text):
        return []
    words = [w for line in page.body for w in line.words]
    found: list[_Header] = []
    for row in rows_of(words):
        achieved = next((w for w in row if patterns.ACHIEVED_HEADER.match(w.text)), None)
        if achieved is None:
            continue
        maximum = next(
            (w for w in row if w.bbox[0] > achieved.bbox[2] and patterns.MAX_HEADER.match(w.text)), None
        )
        label_words = tuple(w for w in row if w.bbox[2] <= achieved.bbox[0])
        top = min(w.bbox[1] for w in row)
        bottom = max(w.bbox[3] for w in row)
        if maximum is None:
            continue
        label = (
            patterns.OVERVIEW_AREA.match(row_text(label_words))
            or _title_above(page, top)
            or _code_below(page, bottom)
        )
        if label is not None:
            number, name = int(label["number"]), (label["name"] or "").strip()
        elif open_header is not None and not found:
            number, name = open_header.area_number, open_header.name
        else:
            continue
        found.append(_Header(number, name, label_words, achieved, maximum, top, bottom, origin(page)))
    return found


def _code_below(page: Page, bottom: float) -> regex.Match | None:
    """The area of a table with neither a name in its header nor a title above it: the number of the
    sub-area code that starts its first row ("5.1 …" is area 5; its name is then not known)."""
    first = next((ln for ln in page.body if ln.y0 >= bottom - 1), None)
    code = patterns.SUBAREA_CODE.match(first.text) if first else None
    return patterns.OVERVIEW_AREA.match(f"{code['area']}.") if code else None


def _title_above(page: Page, top: float) -> regex.Match | None:
    """The area of a table whose header row names only its columns ("Delområde | Uppnått | Max"): the
    title printed right above it ("Område 1 Offentlighet och demokrati", "1. Offentlighet …")."""
    above = sorted((ln for ln in page.body if ln.y1 <= top + 1), key=lambda ln: ln.y1)
    if not above or top - above[-1].y1 > 2.5 * (above[-1].y1 - above[-1].y0):
        return None
    title = [above.pop()]
    while above and wraps(above[-1], title[0], title[-1]):  # a title wrapped over lines of one style
        title.insert(0, above.pop())
    text = patterns.HEADING_SCORE.sub("", join_wrapped((ln.text, ln.ends_with_space) for ln in title))
    return patterns.AREA_HEADING.match(text) or patterns.OVERVIEW_AREA.match(text)


def _name_column_end(page: Page, header: _Header) -> float:
    """Where the name column ends: the border drawn before *Uppnått*, else just left of the word."""
    left = header.achieved.bbox[0]
    borders = [
        r.x0
        for r in page.rules
        if not r.horizontal and left - 100 < r.x0 <= left + 1 and r.y0 <= header.bottom and r.y1 >= header.top
    ]
    return max(borders, default=left - 6)


def _read_table(
    page: Page, header: _Header, limit: float, body: float, vocabulary: Vocabulary
) -> OverviewTable:
    boundary = _name_column_end(page, header)
    lines = [ln for ln in page.body if header.bottom - 1 < ln.y_mid < limit]
    rows: list[_Row] = []
    name_extra: list[tuple[str, bool, list[Word]]] = []
    numbers: list[Word] = []
    last_bottom = header.bottom
    for line in lines:
        wrapped_name = not rows and line.y0 - last_bottom < 0.6 * (line.y1 - line.y0)
        if (is_heading(line, body) and not wrapped_name) or line.y0 - last_bottom > 3 * max(
            line.y1 - line.y0, 1
        ):
            break
        name_words = [w for w in line.words if w.x_mid < boundary]
        value_words = [w for w in line.words if w.x_mid >= boundary]
        if any(not patterns.INTEGER.match(w.text) and w.text not in "–-" for w in value_words):
            break  # running text across the columns: the table has ended
        numbers.extend(value_words)
        last_bottom = line.y1
        if not name_words:
            continue
        text = " ".join(w.text for w in name_words)
        ends = line.ends_with_space if name_words[-1] is line.words[-1] else True
        code = patterns.SUBAREA_CODE.match(text)
        if code and int(code["area"]) == header.area_number:
            part = (code["name"], ends, name_words)
            rows.append(_Row(f"{code['area']}.{code['sub']}", [part], line.y0, line.y1))
        elif text.casefold().rstrip(":") in _TOTAL_LABEL:
            rows.append(_Row(None, [], line.y0, line.y1))
        elif rows:
            rows[-1].name_parts.append((text, ends, name_words))
            rows[-1].bottom = max(rows[-1].bottom, line.y1)
        else:
            name_extra.append((text, ends, name_words))
    total = _assign_numbers(rows, numbers, header)
    label = _Row(None, [(header.name, True, list(header.name_words)), *name_extra], header.top, header.bottom)
    edge = _name_edge([words for row in [label, *rows] for _, _, words in row.name_parts])
    mono = any(monospaced(span.font) for line in lines[:1] for span in line.spans[:1])
    name = label.name(edge, vocabulary, mono)
    score_rows = tuple(
        ScoreRow(
            r.code,
            r.name(edge, vocabulary, mono),
            r.numbers.get("achieved"),
            r.numbers.get("max"),
            page.number,
        )
        for r in rows
        if r.code is not None
    )
    total_row = next((r for r in rows if r.code is None), total)
    total_score = (
        ScoreRow(
            str(header.area_number),
            name,
            total_row.numbers.get("achieved"),
            total_row.numbers.get("max"),
            page.number,
        )
        if total_row is not None and total_row.numbers
        else None
    )
    region = Region(page.index, header.top, last_bottom)
    return OverviewTable(header.area_number, name, score_rows, total_score, page.number, (region,))


def _name_edge(lines: list[list[Word]]) -> tuple[float, float] | None:
    """Where the name column's text ends and how wide it is, as its lines of several words show."""
    wrapped = [words for words in lines if len(words) > 1]
    if not wrapped:
        return None
    left = min(words[0].bbox[0] for words in lines if words)
    right = max(words[-1].bbox[2] for words in wrapped)
    return right, right - left


def _assign_numbers(rows: list[_Row], numbers: list[Word], header: _Header) -> _Row | None:
    """Put each number into the row beside it; numbers below every row form the unlabeled total row."""
    total: _Row | None = None
    for word in sorted(numbers, key=lambda w: (w.y_mid, w.bbox[0])):
        column = (
            "achieved"
            if abs(word.x_mid - header.achieved.x_mid) <= abs(word.x_mid - header.max.x_mid)
            else "max"
        )
        row = next((r for r in rows if r.top - 2 <= word.y_mid <= r.bottom + 2), None)
        if row is None and (not rows or word.y_mid > rows[-1].bottom):
            if total is None:
                total = _Row(None, [], word.bbox[1], word.bbox[3])
            row = total
        if row is not None and column not in row.numbers:
            row.numbers[column] = int(word.text) if patterns.INTEGER.match(word.text) else None
    return total


def _merge(pieces: list[OverviewTable]) -> tuple[OverviewTable, ...]:
    merged: list[OverviewTable] = []
    for piece in pieces:
        if merged and merged[-1].area_number == piece.area_number:
            prev = merged[-1]
            merged[-1] = OverviewTable(
                prev.area_number,
                prev.name,
                prev.rows + piece.rows,
                replace(piece.total, name=prev.name) if piece.total else prev.total,
                prev.page,
                prev.regions + piece.regions,
            )
        else:
            merged.append(piece)
    return tuple(merged)
