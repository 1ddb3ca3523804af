"""MuPDF prints its errors and warnings on standard output, where they break `show --json` (and
say nothing useful in an ingest log): they are silenced and collected, and their gist is kept with
the file's result instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pymupdf

T = TypeVar("T")
_SHOWN = 3
_heard: list[str] = []  # what MuPDF said in forked copies of this process since quiet()


def quiet() -> None:
    """Stop MuPDF printing, and forget what earlier files made it say."""
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    pymupdf.TOOLS.reset_mupdf_warnings()
    _heard.clear()


def saying(work: Callable[[], T]) -> tuple[T, str]:
    """In a forked copy of this process: the value of `work`, and what MuPDF said while it ran."""
    pymupdf.TOOLS.reset_mupdf_warnings()
    value = work()
    return value, pymupdf.TOOLS.mupdf_warnings()


def heard(said: str) -> None:
    """Keep what MuPDF said in a forked copy (see saying) with what it says here."""
    _heard.append(said)


def gist() -> str | None:
    """The first few distinct messages since quiet(), or None when MuPDF said nothing (those said in
    forked copies last)."""
    said = "\n".join([pymupdf.TOOLS.mupdf_warnings(), *_heard])
    lines = list(dict.fromkeys(ln for ln in said.splitlines() if ln.strip()))
    if not lines:
        return None
    more = f" (and {len(lines) - _SHOWN} more)" if len(lines) > _SHOWN else ""
    return "; ".join(lines[:_SHOWN]) + more


def has_images(data: bytes) -> bool:
    """Whether any page shows an image (a scan), for a PDF that has no text."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return any(page.get_images() for page in doc)
