"""Orchestration: every PDF in RAW becomes a `files` row, and its report rows when it is a report."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from extract import Document, ExtractError, read_document
from kommunkompassen import __version__, inventory, mupdf
from kommunkompassen.cache import ResultCache
from kommunkompassen.errors import Fault, fault, why
from kommunkompassen.evaluations import Evaluations
from kommunkompassen.inventory import Unreadable, file_name
from kommunkompassen.isolation import Outcome, isolated_map
from kommunkompassen.locking import exclusive
from kommunkompassen.outdir import claim, remove_leftovers
from normalize.checks import Check
from normalize.rows import report_rows
from normalize.schema import RUN_KEY, SCHEMAS, TAXONOMY_KEY, VERSION_KEY, WRITTEN_KEY
from normalize.taxonomy import taxonomy, taxonomy_tables
from normalize.validate import schema_problem
from normalize.writer import DatasetWriter
from parsers import IncompleteReport, NeedsDetail, NotAReport, Report, needs_detail, parse_report

INGESTED, SKIPPED, FAILED = "ingested", "skipped", "failed"
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY = 2 * 2**30


class DatasetBusy(Exception):
    """Another ingest holds the lock on the same output folder."""


@dataclass(frozen=True, slots=True)
class FileResult:
    source_file: str
    report_id: str | None
    status: str
    reason: str | None
    tables: dict[str, list[dict]] = field(default_factory=dict)
    partial: dict[str, list[dict]] = field(default_factory=dict)  # what a failed report showed; never written


@dataclass(frozen=True, slots=True)
class Summary:
    results: tuple[FileResult, ...]
    seconds: float

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    def line(self, out: Path) -> str:
        return (
            f"{len(self.results)} files: {self.count(INGESTED)} ingested, {self.count(SKIPPED)} skipped, "
            f"{self.count(FAILED)} failed -> {out} ({self.seconds:.1f} s)"
        )


def parse_file(source_file: str, data: bytes, report_id: str) -> FileResult:
    """Extract, parse and normalize one PDF; every outcome is a FileResult, never an exception.
    What MuPDF says about a damaged file it could still read becomes a warning in `checks`."""
    mupdf.quiet()
    result = _parse_bytes(source_file, data, report_id)
    said = mupdf.gist()
    if said is None or result.status != INGESTED:
        return result
    warning = Check(None, "pdf-damaged", f"The PDF is damaged; MuPDF reported: {said}").row(report_id)
    return replace(result, tables={**result.tables, "checks": [*result.tables["checks"], warning]})


def _parse_bytes(source_file: str, data: bytes, report_id: str) -> FileResult:
    try:
        doc = read_document(data, detail=needs_detail)
        if doc.text_chars == 0:
            return FileResult(source_file, report_id, FAILED, _no_text(data, len(doc.pages)))
        report = _parse_in_detail(data, doc)
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


def _parse_in_detail(data: bytes, doc: Document) -> Report:
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
            doc = read_document(data, detail=needs_detail, also=also)


def _parse_path(path: Path, report_id: str, size: int) -> FileResult:
    """In a worker: read the file (as big as it was when listed) and parse it."""
    try:
        data = inventory.read(path, size)
    except (Unreadable, OSError) as exc:
        reason = str(exc) if isinstance(exc, Unreadable) else f"cannot read the file: {why(exc)}"
        return FileResult(file_name(path), report_id, FAILED, reason)
    return parse_file(file_name(path), data, report_id)


def _identify(path: Path) -> tuple[str, int] | FileResult:
    """The report id and size of a regular file, or the failed result of anything else. Too few
    file descriptors is a Fault of the run, not of the file."""
    try:
        size = inventory.regular_size(path)
        return inventory.digest(path, size), size
    except Unreadable as exc:
        return FileResult(file_name(path), None, FAILED, str(exc))
    except OSError as exc:
        raise Fault(f"cannot read {path}: {why(exc)}") from exc


def _settle(path: Path, digest: str, outcome: Outcome) -> FileResult:
    if outcome.problem is not None:
        return FileResult(file_name(path), digest, FAILED, outcome.problem)
    return _storable(outcome.value)


def _storable(result: FileResult) -> FileResult:
    """The result, or its file failed (and none of its rows kept: a report is in the dataset whole or
    not at all) when a value does not fit its column, so that one file cannot stop the run."""
    problem = schema_problem(result.tables)
    if problem is None:
        return result
    reason = f"a value does not fit the dataset: {problem}"
    return FileResult(result.source_file, result.report_id, FAILED, reason)


def read_one(path: Path, seconds: float = DEFAULT_TIMEOUT) -> FileResult:
    """One file parsed as an ingest would (same worker isolation and limits), with nothing written."""
    identity = _identify(path)
    if isinstance(identity, FileResult):
        return identity
    outcomes = isolated_map(_parse_path, [(path, *identity)], 1, seconds, DEFAULT_MEMORY)
    return _settle(path, identity[0], next(outcomes))


@dataclass(frozen=True, slots=True)
class Limits:
    jobs: int
    seconds: float = DEFAULT_TIMEOUT
    memory: int | None = DEFAULT_MEMORY


def _results(paths: list[Path], limits: Limits, cache: ResultCache | None) -> Iterator[FileResult]:
    """Results in file-name order; duplicates and cached files are settled before anything is parsed."""
    first_of: dict[str, str] = {}
    todo: list[tuple[Path, str, int]] = []
    plan: list[FileResult | int] = []
    for path in paths:
        identity = _identify(path)
        if isinstance(identity, FileResult):
            plan.append(identity)
            continue
        digest = identity[0]
        if digest in first_of:
            plan.append(FileResult(file_name(path), digest, SKIPPED, f"duplicate of {first_of[digest]}"))
            continue
        first_of[digest] = file_name(path)
        cached = _cached(cache, digest) if cache else None
        if cached is not None:
            plan.append(_storable(_renamed(cached, file_name(path))))
            continue
        plan.append(len(todo))
        todo.append((path, *identity))
    outcomes = isolated_map(_parse_path, todo, limits.jobs, limits.seconds, limits.memory)
    for item in plan:
        if isinstance(item, FileResult):
            yield item
            continue
        path, digest, _ = todo[item]
        outcome = next(outcomes)
        result = _settle(path, digest, outcome)
        if cache and outcome.problem is None:  # a time or memory limit may be this machine's, not the file's
            cache.put(digest, asdict(result))
        yield result


def _cached(cache: ResultCache, digest: str) -> FileResult | None:
    """The cached result, or None also when the entry is of another shape (written by other code)."""
    entry = cache.get(digest)
    try:
        return FileResult(**entry) if entry is not None else None
    except TypeError:
        return None


def _renamed(result: FileResult, source_file: str) -> FileResult:
    """A cached result for bytes that now carry another file name."""
    tables = {
        name: [{**row, "source_file": source_file} if "source_file" in row else row for row in rows]
        for name, rows in result.tables.items()
    }
    return replace(result, source_file=source_file, tables=tables)


@contextmanager
def _locked(out: Path, private: Path) -> Iterator[None]:
    """One ingest at a time per output folder; a second one stops at once with a clear message."""
    lock_path = private / "lock"
    with ExitStack() as held:
        with fault(f"cannot open the lock file {lock_path}"):  # only the opening: not the run inside
            locked = held.enter_context(exclusive(lock_path))
        if not locked:
            raise DatasetBusy(
                f"another ingest is writing to {out} (lock {lock_path}); try again when it has finished"
            )
        yield


def _files_row(result: FileResult) -> dict:
    return {
        "source_file": result.source_file,
        "report_id": result.report_id,
        "status": result.status,
        "reason": result.reason,
    }


def ingest(
    raw: Path,
    out: Path,
    jobs: int | None = None,
    on_result: Callable[[int, int, FileResult], None] | None = None,
    *,
    seconds: float = DEFAULT_TIMEOUT,
    memory: int | None = DEFAULT_MEMORY,
    use_cache: bool = True,
) -> Summary:
    """Read every *.pdf in RAW and replace the dataset in OUT with what they hold; raise OutRefused
    when OUT holds anything but a dataset of this tool (see outdir)."""
    started = time.perf_counter()
    limits = Limits(jobs or os.cpu_count() or 1, seconds, memory)
    metadata = {
        VERSION_KEY: __version__,
        TAXONOMY_KEY: taxonomy().version,
        WRITTEN_KEY: datetime.now(UTC).isoformat(timespec="seconds"),
        RUN_KEY: uuid.uuid4().hex,
    }
    with fault(f"cannot write to the dataset folder {out}"):
        private = claim(raw, out)
    cache = ResultCache(private / "cache", read=use_cache)
    with _locked(out, private), fault(f"cannot write the dataset in {out}"):
        remove_leftovers(out, private)
        with DatasetWriter(out, private / f"run-{metadata[RUN_KEY]}", SCHEMAS, metadata) as dataset:
            results = _write_all(raw, dataset, limits, cache, on_result)
            _write_taxonomy(dataset)
            dataset.commit()
        if cache:
            cache.prune()
    return Summary(results, time.perf_counter() - started)


def _write_taxonomy(dataset: DatasetWriter) -> None:
    """The taxonomy tables, checked against their schemas like every report's rows."""
    tables = taxonomy_tables()
    problem = schema_problem(tables)
    if problem is not None:
        raise Fault(f"the taxonomy in normalize/data does not fit the dataset: {problem}")
    for name, rows in tables.items():
        dataset.add(name, rows)


def _once(result: FileResult, evaluations: Evaluations, dataset: DatasetWriter) -> FileResult:
    """The result, skipped when its evaluation is in the dataset already; the checks of evaluations
    that disagree go straight into the dataset (see evaluations)."""
    if result.status != INGESTED:
        return result
    skipped, checks = evaluations.settle(result.source_file, result.report_id, result.tables)
    dataset.add("checks", checks)
    return result if skipped is None else FileResult(result.source_file, result.report_id, SKIPPED, skipped)


def _write_all(
    raw: Path,
    dataset: DatasetWriter,
    limits: Limits,
    cache: ResultCache | None,
    on_result: Callable[[int, int, FileResult], None] | None,
) -> tuple[FileResult, ...]:
    """Every file's rows into the dataset, as the results come; their results without the rows."""
    with fault(f"cannot read the raw folder {raw}"):
        paths = inventory.pdf_paths(raw)
    results: list[FileResult] = []
    evaluations = Evaluations()
    for i, result in enumerate(_results(paths, limits, cache), start=1):
        result = _once(result, evaluations, dataset)
        for name, rows in result.tables.items():
            dataset.add(name, rows)
        dataset.add("files", [_files_row(result)])
        results.append(replace(result, tables={}, partial={}))  # the rows are on disk; keep memory flat
        if on_result:
            on_result(i, len(paths), result)
    return tuple(results)
