"""Recognise running headers, footers and page numbers by position and repetition across pages."""

from __future__ import annotations

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


def mark_furniture(pages: tuple[Page, ...]) -> tuple[Page, ...]:
    """Flag margin lines that repeat on several pages, and bare page numbers, as furniture."""
    seen = Counter()
    for page in pages:
        seen.update({_key(line) for line in page.lines if _in_margin(line, page)})
    threshold = max(2, int(0.3 * len(pages)))

    def is_furniture(line: Line, page: Page) -> bool:
        if not _in_margin(line, page):
            return False
        return seen[_key(line)] >= threshold or bool(_PAGE_NUMBER.match(line.text))

    return tuple(
        replace(
            page,
            lines=tuple(replace(ln, furniture=True) if is_furniture(ln, page) else ln for ln in page.lines),
        )
        for page in pages
    )
