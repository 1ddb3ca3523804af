"""Orchestration: every PDF in RAW becomes a `files` row, and its report rows when it is a report."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from extract import ExtractError, read_document
from kommunkompassen import __version__
from normalize.rows import report_rows
from normalize.schema import SCHEMAS, empty_tables, to_arrow
from normalize.writer import write_dataset
from parsers import IncompleteReport, NotAReport, parse_report

INGESTED, SKIPPED, FAILED = "ingested", "skipped", "failed"


@dataclass(frozen=True, slots=True)
class FileResult:
    source_file: str
    report_id: str | None
    status: str
    reason: str | None
    tables: dict[str, list[dict]] = field(default_factory=dict)


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
    """Extract, parse and normalize one PDF; every outcome is a FileResult, never an exception."""
    try:
        doc = read_document(data)
        if doc.pages and doc.text_chars == 0:
            return FileResult(source_file, report_id, FAILED, "no text layer; the PDF is a scanned image")
        report = parse_report(doc)
    except ExtractError as exc:
        return FileResult(source_file, report_id, FAILED, str(exc))
    except NotAReport as exc:
        return FileResult(source_file, report_id, SKIPPED, str(exc))
    except IncompleteReport as exc:
        return FileResult(source_file, report_id, FAILED, str(exc))
    return FileResult(source_file, report_id, INGESTED, None, report_rows(report, report_id, source_file))


def _parse_path(path: Path, report_id: str) -> FileResult:
    return parse_file(path.name, path.read_bytes(), report_id)


def _hash(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _results(paths: list[Path], jobs: int) -> Iterator[FileResult]:
    """Results in file-name order; duplicates are recognised by content before anything is parsed."""
    first_of: dict[str, str] = {}
    todo: list[tuple[Path, str]] = []
    plan: list[FileResult | int] = []
    for path in paths:
        try:
            digest = _hash(path)
        except OSError as exc:
            plan.append(FileResult(path.name, None, FAILED, f"cannot read: {exc.strerror}"))
            continue
        if digest in first_of:
            plan.append(FileResult(path.name, digest, SKIPPED, f"duplicate of {first_of[digest]}"))
            continue
        first_of[digest] = path.name
        plan.append(len(todo))
        todo.append((path, digest))
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
            parsed = pool.map(_parse_path, *zip(*todo, strict=True), chunksize=1)
            yield from _in_plan_order(plan, parsed)
    else:
        yield from _in_plan_order(plan, (_parse_path(p, d) for p, d in todo))


def _in_plan_order(plan: list[FileResult | int], parsed: Iterator[FileResult]) -> Iterator[FileResult]:
    for item in plan:
        yield next(parsed) if isinstance(item, int) else item


def ingest(
    raw: Path,
    out: Path,
    jobs: int | None = None,
    on_result: Callable[[int, int, FileResult], None] | None = None,
) -> Summary:
    """Read every *.pdf in RAW and replace the dataset in OUT with what they hold."""
    started = time.perf_counter()
    paths = sorted(p for p in raw.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")
    tables = empty_tables()
    results: list[FileResult] = []
    for i, result in enumerate(_results(paths, jobs or os.cpu_count() or 1), start=1):
        results.append(result)
        for name, rows in result.tables.items():
            tables[name].extend(rows)
        tables["files"].append(
            {
                "source_file": result.source_file,
                "report_id": result.report_id,
                "status": result.status,
                "reason": result.reason,
            }
        )
        if on_result:
            on_result(i, len(paths), result)
    metadata = {
        "kommunkompassen.version": __version__,
        "kommunkompassen.written_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_dataset({name: to_arrow(name, tables[name]) for name in SCHEMAS}, out, metadata)
    return Summary(tuple(results), time.perf_counter() - started)
