"""Orchestration: every PDF in RAW becomes a `files` row, and its report rows when it is a report.

The ingest process itself never parses (workers do, see kommunkompassen.parsing) and loads Arrow,
for checking and writing the rows, only after it has started the workers, where it is first needed:
so the one load overlaps the other, and a run of one file starts in about half the time.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kommunkompassen import __version__, inventory
from kommunkompassen.cache import ResultCache
from kommunkompassen.errors import Fault, fault, why
from kommunkompassen.evaluations import Evaluations
from kommunkompassen.inventory import Unreadable, file_name
from kommunkompassen.isolation import Outcome, Workers, isolated_map
from kommunkompassen.locking import exclusive
from kommunkompassen.outdir import claim, remove_leftovers
from kommunkompassen.parse_pool import DEFAULT_MEMORY, DEFAULT_TIMEOUT, parse_task, parse_workers
from kommunkompassen.results import FAILED, INGESTED, SKIPPED, FileResult
from normalize.tables import RUN_KEY, TAXONOMY_KEY, VERSION_KEY, WRITTEN_KEY
from normalize.taxonomy import taxonomy, taxonomy_tables

if TYPE_CHECKING:
    from normalize.writer import DatasetWriter

__all__ = [
    "FAILED",
    "INGESTED",
    "SKIPPED",
    "DatasetBusy",
    "FileResult",
    "Summary",
    "ingest",
    "read_one",
]


class DatasetBusy(Exception):
    """Another ingest holds the lock on the same output folder."""


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
    from normalize.validate import schema_problem  # Arrow: see the module's docstring

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
    outcomes = isolated_map(parse_task, [(path, *identity, None)], 1, seconds, DEFAULT_MEMORY)
    return _settle(path, identity[0], next(outcomes))


@dataclass(frozen=True, slots=True)
class Limits:
    jobs: int
    seconds: float = DEFAULT_TIMEOUT
    memory: int | None = DEFAULT_MEMORY


Plan = list[FileResult | int]  # per file in RAW: its result, or its index among the files to parse
Todo = list[tuple[Path, str, int]]  # the files to parse: path, report id, size


def _plan(paths: list[Path], cache: ResultCache) -> tuple[Plan, Todo]:
    """What becomes of each file without parsing it (not a regular file, a duplicate, cached), and
    the files left to parse."""
    first_of: dict[str, str] = {}
    todo: Todo = []
    plan: Plan = []
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
        cached = _cached(cache, digest)
        if cached is not None:
            plan.append(_renamed(cached, file_name(path)))
            continue
        plan.append(len(todo))
        todo.append((path, *identity))
    return plan, todo


def _settled(plan: Plan, todo: Todo, outcomes: Iterator[Outcome]) -> Iterator[FileResult]:
    """Every file's result in file-name order, each checked against the schema."""
    for item in plan:
        if isinstance(item, FileResult):
            yield _storable(item)
            continue
        path, digest, _ = todo[item]
        yield _settle(path, digest, next(outcomes))


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
    workers: Workers | None = None,
) -> Summary:
    """Read every *.pdf in RAW and replace the dataset in OUT with what they hold; raise OutRefused
    when OUT holds anything but a dataset of this tool (see outdir). `workers` (see parse_workers),
    when given, parse instead of workers of `jobs`, `seconds` and `memory`, and are stopped at the end."""
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
        with fault(f"cannot read the raw folder {raw}"):
            paths = inventory.pdf_paths(raw)
        plan, todo = _plan(paths, cache)
        with workers or parse_workers(limits.jobs, limits.seconds, limits.memory) as parsers:
            shared = 2 * len(todo) <= parsers.jobs  # a core for each file's worker, and one more
            tasks = [(*task, cache.writer, shared) for task in todo]
            outcomes = parsers.map(tasks)  # the workers start on the first files now
            from normalize.schema import SCHEMAS  # Arrow: see the module's docstring
            from normalize.writer import DatasetWriter

            with DatasetWriter(out, private / f"run-{metadata[RUN_KEY]}", SCHEMAS, metadata) as dataset:
                results = _write_all(_settled(plan, todo, outcomes), len(paths), dataset, on_result)
                _write_taxonomy(dataset)
                dataset.commit()
        cache.prune()
    return Summary(results, time.perf_counter() - started)


def _write_taxonomy(dataset: DatasetWriter) -> None:
    """The taxonomy tables, checked against their schemas like every report's rows."""
    from normalize.validate import schema_problem  # Arrow: see the module's docstring

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
    settled: Iterator[FileResult],
    files: int,
    dataset: DatasetWriter,
    on_result: Callable[[int, int, FileResult], None] | None,
) -> tuple[FileResult, ...]:
    """Every file's rows into the dataset, as the results come; their results without the rows."""
    results: list[FileResult] = []
    evaluations = Evaluations()
    for i, result in enumerate(settled, start=1):
        result = _once(result, evaluations, dataset)
        for name, rows in result.tables.items():
            dataset.add(name, rows)
        dataset.add("files", [_files_row(result)])
        results.append(replace(result, tables={}, partial={}))  # the rows are on disk; keep memory flat
        if on_result:
            on_result(i, files, result)
    return tuple(results)
