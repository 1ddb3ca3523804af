"""Recognise running headers, footers and page numbers by position and repetition across pages."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import regex

from extract.model import Line, Page

_MARGIN = 0.1  # the top and bottom tenth of a page hold the running furniture
_DIGITS = regex.compile(r"\d+")
_PAGE_NUMBER = regex.compile(r"^(?:sida\s*)?\d{1,4}(?:\s*(?:\(|/|av)\s*\d{1,4}\)?)?$", regex.IGNORECASE)


def _key(line: Line) -> str:
    return _DIGITS.sub("#", " ".join(line.text.split())).casefold()


def _margin_lines(page: Page) -> list[Line]:
    top, bottom = page.height * _MARGIN, page.height * (1 - _MARGIN)
    return [ln for ln in page.lines if ln.bbox[3] <= top or ln.bbox[1] >= bottom]


def _page_value(line: Line) -> int | None:
    """The number a line holds when it looks like a page number ('12', 'Sida 3 av 30')."""
    text = line.text.strip()
    return int(_DIGITS.search(text)[0]) if _PAGE_NUMBER.match(text) else None


def _page_number_slot(line: Line, page: Page, value: int) -> tuple[str, int] | None:
    """('top' or 'bottom', value − page number) for a number (`value`, see _page_value) that could be
    this page's number: a bare number in a margin with no text further out on that side (a table
    row's number has the running footer or header beyond it)."""
    tolerance = 0.5 * (line.y1 - line.y0)
    if line.y1 <= page.height * _MARGIN:
        outermost = min(other.bbox[3] for other in page.lines) >= line.y1 - tolerance
        return ("top", value - page.number) if outermost else None
    outermost = max(other.bbox[1] for other in page.lines) <= line.y0 + tolerance
    return ("bottom", value - page.number) if outermost else None


def mark_furniture(pages: tuple[Page, ...]) -> tuple[Page, ...]:
    """Flag running headers and footers (margin lines that repeat on at least half the pages) and page
    numbers as furniture. A bare number is a page number only where numbers run in step with the pages
    in the same outermost place, so that a score printed at the top or foot of a page is never taken for
    one; a table header repeated at the top of pages is not running furniture either: it is printed
    inside pages too, where a running header never is."""
    margins = [_margin_lines(page) for page in pages]
    # Each margin line read once: the number it holds as a page number, else its key as a header.
    values = [[_page_value(ln) for ln in lines] for lines in margins]
    keys = [
        [_key(ln) if value is None else None for ln, value in zip(lines, page_values, strict=True)]
        for lines, page_values in zip(margins, values, strict=True)
    ]
    slots = [
        [
            None if value is None else _page_number_slot(ln, page, value)
            for ln, value in zip(lines, vs, strict=True)
        ]
        for page, lines, vs in zip(pages, margins, values, strict=True)
    ]
    threshold = max(2, math.ceil(0.5 * len(pages)))
    repeated = Counter(key for page_keys in keys for key in set(page_keys) - {None})
    candidates = {key for key, n in repeated.items() if n >= threshold}
    inside = _counted_inside(pages, margins, candidates)
    running = {key for key in candidates if inside[key] < 2}
    numbered = Counter(slot for page_slots in slots for slot in set(page_slots) - {None})
    numbering = next((slot for slot, n in numbered.most_common(1) if n >= threshold), None)

    marked = []
    for page, lines, page_keys, page_slots in zip(pages, margins, keys, slots, strict=True):
        flagged = {
            id(ln)
            for ln, key, slot in zip(lines, page_keys, page_slots, strict=True)
            if (key in running if key is not None else numbering is not None and slot == numbering)
        }
        if flagged:
            kept = tuple(ln._replace(furniture=True) if id(ln) in flagged else ln for ln in page.lines)
            page = replace(page, lines=kept)
        marked.append(page)
    return tuple(marked)


def _counted_inside(pages: tuple[Page, ...], margins: list[list[Line]], keys: set[str]) -> Counter[str]:
    """On how many pages each of `keys` is printed away from the margins. Only lines that start like
    one of them are keyed: the others cannot be one (most lines of a report)."""
    starts = {key[:1] for key in keys}
    counted: Counter[str] = Counter()
    for page, lines in zip(pages, margins, strict=True):
        edge = {id(ln) for ln in lines}
        found = {
            key
            for ln in page.lines
            if id(ln) not in edge and _start(ln.text) in starts and (key := _key(ln)) in keys
        }
        counted.update(found)
    return counted


def _start(text: str) -> str:
    """The first character of a line's key (see _key), without making the key."""
    first = text[:1]
    return "#" if first.isdecimal() else first.casefold()[:1]
