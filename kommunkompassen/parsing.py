"""What a worker does with one file: extract, parse and normalize it into a FileResult.

Only workers import this module (and with it PyMuPDF and the parsers): the ingest process itself
never parses, so it starts its workers before it loads Arrow for writing, and both loads overlap.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from extract import Document, Elsewhere, ExtractError, read_document
from kommunkompassen import forked, inventory, mupdf
from kommunkompassen.cache import CacheWriter
from kommunkompassen.errors import why
from kommunkompassen.inventory import Unreadable, file_name
from kommunkompassen.results import FAILED, INGESTED, SKIPPED, FileResult
from normalize.checks import Check
from normalize.rows import report_rows
from parsers import IncompleteReport, NeedsDetail, NotAReport, Report, needs_detail, parse_report

T = TypeVar("T")


def parse_file(source_file: str, data: bytes, report_id: str, shared: bool = False) -> FileResult:
    """Extract, parse and normalize one PDF; every outcome is a FileResult, never an exception.
    What MuPDF says about a damaged file it could still read becomes a warning in `checks`.
    `shared`: a core is free for this file, and its last pages are read in a forked copy of this
    process where one can be made (see forked)."""
    mupdf.quiet()
    elsewhere = _elsewhere if shared and forked.available() else None
    with _collector_paused():
        result = _parse_bytes(source_file, data, report_id, elsewhere)
    said = mupdf.gist()
    if said is None or result.status != INGESTED:
        return result
    warning = Check(None, "pdf-damaged", f"The PDF is damaged; MuPDF reported: {said}").row(report_id)
    return replace(result, tables={**result.tables, "checks": [*result.tables["checks"], warning]})


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a file is parsed, then as it was: a report makes
    hundreds of thousands of short-lived values, none in a cycle (reference counting frees them), and
    the collections they set off walked them for nothing (3 % of a parse's instructions)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _elsewhere(work: Callable[[], T]) -> Callable[[], T | None]:
    """`work` started in a forked copy of this process; what MuPDF says there is kept as if said here."""
    later = forked.elsewhere(partial(mupdf.saying, work))

    def value() -> T | None:
        done = later()
        if done is None:
            return None
        mupdf.heard(done[1])
        return done[0]

    return value


def _parse_bytes(source_file: str, data: bytes, report_id: str, elsewhere: Elsewhere | None) -> FileResult:
    try:
        doc = read_document(data, detail=needs_detail, elsewhere=elsewhere)
        if not doc.has_text:
            return FileResult(source_file, report_id, FAILED, _no_text(data, len(doc.pages)))
        report = _parse_in_detail(data, doc, elsewhere)
        tables = report_rows(report, report_id, source_file)
    except ExtractError as exc:
        return FileResult(source_file, report_id, FAILED, str(exc))
    except NotAReport as exc:
        return FileResult(source_file, report_id, SKIPPED, str(exc))
    except IncompleteReport as exc:
        partial = report_rows(exc.partial, report_id, source_file) if exc.partial else {}
        return FileResult(source_file, report_id, FAILED, str(exc), partial=partial)
    except MemoryError:
        raise
    except Exception as exc:  # a bug must cost one file, not the batch; the reason says it was ours
        return FileResult(source_file, report_id, FAILED, f"internal error while parsing: {exc!r}")
    return FileResult(source_file, report_id, INGESTED, None, tables)


def _no_text(data: bytes, pages: int) -> str:
    """Why a PDF without text cannot be read: a scan, or blank pages."""
    if mupdf.has_images(data):
        return "no text layer; the PDF is a scanned image"
    return f"no text on any page and no images: {pages} blank page{'' if pages == 1 else 's'}"


def _parse_in_detail(data: bytes, doc: Document, elsewhere: Elsewhere | None) -> Report:
    """Parse, reading the PDF again with more pages in detail for as long as the parser asks (only
    where a table continues on a page without its header: rare, and at most once per such page)."""
    also: frozenset[int] = frozenset()
    while True:
        try:
            return parse_report(doc)
        except NeedsDetail as exc:
            if exc.pages <= also:
                raise
            also |= exc.pages
            doc = read_document(data, detail=needs_detail, also=also, elsewhere=elsewhere)


def parse_path(
    path: Path, report_id: str, size: int, cache: CacheWriter | None, shared: bool = False
) -> FileResult:
    """Read the file (as big as it was when listed), parse it, and store the result in the cache
    (here, in the worker, so that the ingest process only writes tables). A file that could not be
    read is not cached: what it is about (gone, unreadable) may be mended before the next run."""
    try:
        data = inventory.read(path, size)
    except (Unreadable, OSError) as exc:
        reason = str(exc) if isinstance(exc, Unreadable) else f"cannot read the file: {why(exc)}"
        return FileResult(file_name(path), report_id, FAILED, reason)
    result = parse_file(file_name(path), data, report_id, shared)
    if cache is not None:
        cache.put(report_id, result.as_dict())
    return result
