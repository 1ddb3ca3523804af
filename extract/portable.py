"""Pages as builtin values (nested tuples of str, float and bool) and back: how pages read in another
process cross over. Pickle takes named tuples and dataclasses one Python call at a time (30 ms for
half a report); builtin tuples go through its C code, and the whole trip costs a third of that."""

from __future__ import annotations

from itertools import repeat

from extract.model import Line, Page, Rule, Span, Word

Portable = tuple[tuple, ...]  # one tuple per page: see to_builtins

_new = tuple.__new__  # a named tuple from the tuple of its fields, without its Python __new__


def to_builtins(pages: tuple[Page, ...]) -> Portable:
    """Pages as read (whole pages, not frames) as builtin values."""
    return tuple([_page(page) for page in pages])


def _page(page: Page) -> tuple:
    lines = tuple(
        [
            (ln.text, ln.bbox, tuple(map(tuple, ln.spans)), tuple(map(tuple, ln.words)), *ln[4:])
            for ln in page.lines
        ]
    )
    rules = tuple([(r.x0, r.y0, r.x1, r.y1) for r in page.rules])
    return page.number, page.width, page.height, lines, rules


def from_builtins(values: Portable) -> tuple[Page, ...]:
    """The pages that to_builtins was given, equal to them."""
    return tuple(
        [
            Page(
                number,
                width,
                height,
                tuple([_line(*line) for line in lines]),
                tuple([Rule(*r) for r in rules]),
            )
            for number, width, height, lines, rules in values
        ]
    )


def _line(text: str, bbox: tuple, spans: tuple, words: tuple, *flags: bool) -> Line:
    spans = tuple(map(_new, repeat(Span), spans))
    return _new(Line, (text, bbox, spans, tuple(map(_new, repeat(Word), words)), *flags))
