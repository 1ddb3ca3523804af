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


def _in_margin(line: Line, page: Page) -> bool:
    return line.y1 <= page.height * _MARGIN or line.y0 >= page.height * (1 - _MARGIN)


def _page_value(line: Line) -> int | None:
    """The number a line holds when it looks like a page number ('12', 'Sida 3 av 30')."""
    text = line.text.strip()
    return int(_DIGITS.search(text)[0]) if _PAGE_NUMBER.match(text) else None


def mark_furniture(pages: tuple[Page, ...]) -> tuple[Page, ...]:
    """Flag running headers and footers (margin lines that repeat on at least half the pages) and page
    numbers as furniture. A bare number is a page number only where it runs in step with the pages, so
    that a score printed at the top of a page is never mistaken for one; a table header repeated at the
    top of a few pages is not running furniture either."""
    margins = [[ln for ln in page.lines if _in_margin(ln, page)] for page in pages]
    threshold = max(2, math.ceil(0.5 * len(pages)))
    seen = Counter(key for lines in margins for key in {_key(ln) for ln in lines if _page_value(ln) is None})
    offsets = Counter(
        offset
        for page, lines in zip(pages, margins, strict=True)
        for offset in {v - page.number for v in map(_page_value, lines) if v is not None}
    )
    offset = next((o for o, n in offsets.most_common(1) if n >= threshold), None)

    def is_furniture(line: Line, page: Page) -> bool:
        if not _in_margin(line, page):
            return False
        value = _page_value(line)
        if value is not None:
            return value - page.number == offset
        return seen[_key(line)] >= threshold

    return tuple(
        replace(
            page,
            lines=tuple(replace(ln, furniture=True) if is_furniture(ln, page) else ln for ln in page.lines),
        )
        for page in pages
    )
