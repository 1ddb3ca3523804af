"""MuPDF prints its errors and warnings on standard output, where they break `show --json` (and
say nothing useful in an ingest log): they are silenced and collected, and their gist is kept with
the file's result instead."""

from __future__ import annotations

import pymupdf

_SHOWN = 3


def quiet() -> None:
    """Stop MuPDF printing, and forget what earlier files made it say."""
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    pymupdf.TOOLS.reset_mupdf_warnings()


def gist() -> str | None:
    """The first few distinct messages since quiet(), or None when MuPDF said nothing."""
    lines = list(dict.fromkeys(ln for ln in pymupdf.TOOLS.mupdf_warnings().splitlines() if ln.strip()))
    if not lines:
        return None
    more = f" (and {len(lines) - _SHOWN} more)" if len(lines) > _SHOWN else ""
    return "; ".join(lines[:_SHOWN]) + more


def has_images(data: bytes) -> bool:
    """Whether any page shows an image (a scan), for a PDF that has no text."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return any(page.get_images() for page in doc)
