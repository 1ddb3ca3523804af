"""Text hygiene: wrapped lines joined, bullets dropped, hyphens kept where they belong."""

from __future__ import annotations

from collections.abc import Iterable

from parsers import patterns

# The line-end patterns match the last few characters of what is joined so far ("samt -" at most, its
# spaces single): they are searched there only, not through the whole paragraph again at every line,
# and only after a line that ends in one of the characters they end in (most lines end in a letter).
_END = 16
_JOINING_ENDS = frozenset("-\u2010\u2011\u2013/")


def strip_bullet(text: str, dashes: bool = False) -> str:
    """Drop a leading bullet glyph (typographic or a Symbol/Wingdings private-use glyph), and a
    leading dash where `dashes` says the list is marked with them."""
    text = patterns.LEADING_BULLET.sub("", text).strip()
    return patterns.LEADING_DASH.sub("", text) if dashes else text


def join_wrapped(parts: Iterable[tuple[str, bool]]) -> str:
    """Join the wrapped lines of one paragraph or cell.

    Each part is (text, ends_with_space). A line that ends in a hyphen with no space after it
    continues the same word ("steg-för-steg-" + "anvisningar"), unless the next word is a
    conjunction: then the hyphen suspends a compound ("ekonomi- och") and the space stays. A dash
    after a conjunction starts the second half of such a compound ("och –" + "akademier"); any other
    dash set apart is punctuation and keeps its spaces.
    """
    out = ""
    pending_space = False
    for raw, ends_with_space in parts:
        text = " ".join(raw.split())
        if not text:
            continue
        if out:
            glue = " "
            if not pending_space and (
                (out[-1] in _JOINING_ENDS and _joins(out, text)) or patterns.LEADING_CLOSER.match(text)
            ):
                glue = ""
            out += glue + text
        else:
            out = text
        pending_space = ends_with_space
    return out


def _joins(out: str, text: str) -> bool:
    """Whether the line end of `out` (a hyphen or a slash) joins it to `text` without a space."""
    end = max(0, len(out) - _END)
    return bool(
        (patterns.LINE_END_HYPHEN.search(out, end) and not patterns.CONJUNCTION.match(text))
        or patterns.SUSPENDED_SECOND_HALF.search(out, end)
        or patterns.LINE_END_SLASH.search(out, end)
    )
