"""What an ingest says while it runs. On a terminal: a progress bar (files done, pages/s, time left)
with the files that were skipped or failed printed above it; elsewhere (a log, a pipe) one plain line
per file, which scripts and logs can read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Column
from rich.text import Text

from kommunkompassen.pipeline import INGESTED, FileResult
from kommunkompassen.styles import STATUS_STYLE
from kommunkompassen.terminal import safe

OnResult = Callable[[int, int, FileResult], None]
_NAME = Column(width=32, no_wrap=True, overflow="ellipsis")  # the file just read


def _line(i: int, n: int, result: FileResult) -> str:
    """'[3/25] name.pdf skipped: reason', as rich markup with the name and reason escaped."""
    reason = f": {safe(result.reason)}" if result.reason else ""
    status = f"[{STATUS_STYLE[result.status]}]{result.status}[/]"
    return f"[{i}/{n}] {safe(result.source_file)} {status}{reason}"


class _PagesPerSecond(ProgressColumn):
    """Report pages read per second since the start (files differ too much in size for files/s)."""

    def render(self, task: Task) -> Text:
        elapsed = (task.finished_time if task.finished else task.elapsed) or 0.0
        pages = task.fields["pages"]
        rate = f"{pages / elapsed:.0f}" if elapsed > 0 and pages else "–"
        return Text(f"{rate} pages/s", style="progress.data.speed")


def _pages(result: FileResult) -> int:
    reports = result.tables.get("reports") or [{}]
    return reports[0].get("pages") or 0


@contextmanager
def ingest_progress(console: Console) -> Iterator[OnResult]:
    """The `on_result` callback of an ingest that reports to `console`; on a terminal the bar is
    stopped (and the cursor given back) however the ingest ends, Ctrl-C included."""
    if not console.is_terminal:
        yield lambda i, n, result: console.print(_line(i, n, result))
        return
    columns = (
        TextColumn("{task.description}", table_column=_NAME),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        _PagesPerSecond(),
        TimeRemainingColumn(),
    )
    with Progress(
        *columns, console=console, refresh_per_second=4, redirect_stdout=False, redirect_stderr=False
    ) as bar:
        task = bar.add_task("listing files", total=None, pages=0)

        def advance(i: int, n: int, result: FileResult) -> None:
            if result.status != INGESTED:
                bar.console.print(_line(i, n, result))
            pages = bar.tasks[task].fields["pages"] + _pages(result)
            bar.update(task, completed=i, total=n, pages=pages, description=safe(result.source_file))

        yield advance
