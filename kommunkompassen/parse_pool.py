"""The worker processes that parse an ingest's files (see isolation), and the task they are given.
Light on purpose (isolation and the standard library): the command starts its first worker before
it loads anything else (see command), so that the worker imports the parsers while the command
loads its own modules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kommunkompassen.isolation import Workers

if TYPE_CHECKING:
    from kommunkompassen.cache import CacheWriter
    from kommunkompassen.results import FileResult

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY = 2 * 2**30


def parse_task(
    path: Path, report_id: str, size: int, cache: CacheWriter | None, shared: bool = False
) -> FileResult:
    """In a worker: the file parsed (see kommunkompassen.parsing, imported only there)."""
    from kommunkompassen.parsing import parse_path

    return parse_path(path, report_id, size, cache, shared)


def parse_workers(
    jobs: int, seconds: float = DEFAULT_TIMEOUT, memory: int | None = DEFAULT_MEMORY
) -> Workers:
    """The workers of an ingest, for a caller that starts them (Workers.start) before it loads what
    it needs itself and hands them to ingest(): each imports the parsers as it starts."""
    return Workers(parse_task, jobs, seconds, memory, warm="kommunkompassen.parsing")
