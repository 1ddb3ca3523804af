"""Text from files (names, reasons, report text) made safe for the terminal: rich markup is escaped,
so '[draft]' prints as itself and '[/]' cannot raise, and control characters are shown as escapes,
so no escape sequence in a file name reaches the terminal."""

from __future__ import annotations

import unicodedata


def _visible(char: str) -> str:
    if unicodedata.category(char) == "Cc" and char != "\t":
        return char.encode("unicode_escape").decode("ascii")
    return char


def safe(text: object) -> str:
    """`text` as literal, printable rich markup."""
    from rich.markup import escape  # here: the ingest command loads rich after its first worker starts

    return escape("".join(_visible(c) for c in str(text)))
