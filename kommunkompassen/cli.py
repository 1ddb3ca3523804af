"""The `kommunkompassen` command: ingest PDFs, show one report, summarize a dataset, chart it."""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from kommunkompassen.arguments import parser
from kommunkompassen.errors import (
    BUSY,
    FAULT,
    FILES_FAILED,
    INTERRUPTED,
    OK,
    TERMINATED,
    USAGE,
    Fault,
    Terminated,
    why,
)
from kommunkompassen.imports import refused
from kommunkompassen.outdir import OutRefused
from kommunkompassen.parse_pool import parse_workers
from kommunkompassen.pipeline import FAILED, INGESTED, DatasetBusy, Summary, ingest, read_one
from kommunkompassen.terminal import safe

if TYPE_CHECKING:
    from rich.console import Console

    from kommunkompassen.api import Dataset
    from kommunkompassen.isolation import Workers

_STATUS: dict[type[Exception], int] = {OutRefused: USAGE, DatasetBusy: BUSY, Fault: FAULT}


def _consoles() -> tuple[Console, Console]:
    from rich.console import Console  # not before an ingest has started its first worker: see _run

    return Console(highlight=False, soft_wrap=True), Console(stderr=True, highlight=False, soft_wrap=True)


def _ingest(args: argparse.Namespace) -> int:
    problem = _ingest_usage(args)
    if problem is not None:
        return _error(problem, USAGE)
    try:
        summary = _run(args)
    except (OutRefused, DatasetBusy, Fault) as exc:
        return _error(safe(exc), _STATUS[type(exc)])
    except (KeyboardInterrupt, Terminated) as exc:
        what = "interrupted" if isinstance(exc, KeyboardInterrupt) else "terminated"
        status = INTERRUPTED if isinstance(exc, KeyboardInterrupt) else TERMINATED
        return _error(f"{what}; the dataset in {safe(args.out)} was left as it was", status)
    out, _ = _consoles()
    out.print(safe(summary.line(args.out)))
    return FILES_FAILED if summary.count(FAILED) else OK


def _ingest_usage(args: argparse.Namespace) -> str | None:
    """What is wrong with the arguments of an ingest, as rich markup; None when nothing is."""
    if not args.raw.is_dir():
        return f"raw folder {safe(args.raw)} does not exist or is not a folder"
    if args.jobs < 1:
        return "--jobs must be at least 1"
    if not (math.isfinite(args.timeout) and args.timeout > 0):
        return "--timeout must be a finite number of seconds, more than 0"
    return None


def _run(args: argparse.Namespace) -> Summary:
    """The ingest, its first worker started before this process loads rich and Arrow (or earlier, by
    command.run), so that the worker's start and its import of the parsers overlap those loads.
    Only one: a run needs one unless every file is cached, and more, before the files are known,
    would compete for the cores with the first; the others start with their files."""
    with args.workers or parse_workers(args.jobs, args.timeout) as workers:
        workers.start(1)
        from kommunkompassen.progress import ingest_progress

        _, err = _consoles()
        with refused(*_kept_out(args.alone)), ingest_progress(err) as on_result:
            return ingest(
                args.raw, args.out, on_result=on_result, use_cache=not args.no_cache, workers=workers
            )


def _kept_out(alone: bool) -> tuple[str, ...]:
    """What the ingest process keeps from loading (see kommunkompassen.imports): pandas; and numpy
    where the process is the command's own. pyarrow loads numpy (0.13 s, and 10-20 ms more at exit)
    though the ingest never uses it, but a pyarrow loaded without numpy stays so for the life of the
    process, where pandas would crash it: not a state to leave to a caller that goes on."""
    return ("pandas", "numpy") if alone else ("pandas",)


def _error(message: str, status: int) -> int:
    """Say `message` (rich markup) as the command's one-line error; returns `status`."""
    _, err = _consoles()
    err.print(f"[red]error:[/] {message}")
    return status


def _show(args: argparse.Namespace) -> int:
    from kommunkompassen.views import print_report, report_json

    out, err = _consoles()
    if not args.file.is_file():
        err.print(f"[red]error:[/] {safe(args.file)} does not exist or is not a file")
        return USAGE
    try:
        result = read_one(args.file)
    except Fault as exc:
        err.print(f"[red]error:[/] {safe(exc)}")
        return FAULT
    if args.json:
        print(report_json(result))
    else:
        print_report(out, result)
    if result.status != INGESTED:
        err.print(f"{safe(result.source_file)}: [red]{result.status}[/]: {safe(result.reason)}")
        return FILES_FAILED
    return OK


def _load(args: argparse.Namespace, err: Console) -> Dataset | int:
    """The dataset in --out (or found, see api.find_dataset), or the exit status after saying why it
    cannot be read."""
    from kommunkompassen.api import DEFAULT_DATASET, DatasetError, find_dataset, load

    folder = args.out or DEFAULT_DATASET  # what the error names if the search itself cannot read
    try:
        folder = args.out or find_dataset()
        return load(folder)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/] {safe(exc)}")
        return USAGE
    except DatasetError as exc:
        err.print(f"[red]error:[/] {safe(exc)}")
        return FAULT
    except OSError as exc:
        err.print(f"[red]error:[/] cannot read the dataset in {safe(folder)}: {why(exc)}")
        return FAULT


def _summary(args: argparse.Namespace) -> int:
    from kommunkompassen.views import print_summary, summary_json

    out, err = _consoles()
    dataset = _load(args, err)
    if isinstance(dataset, int):
        return dataset
    if args.json:
        print(summary_json(dataset))
    else:
        print_summary(out, dataset)
    return OK


def _plot(args: argparse.Namespace) -> int:
    from kommunkompassen.charts import (
        ChartFormatError,
        chart_format,
        compare_chart,
        history_chart,
        save_chart,
    )

    out, err = _consoles()
    if args.year is not None and args.chart == "history":
        err.print("[red]error:[/] --year is for compare; history shows every year")
        return USAGE
    if args.chart == "compare" and len(args.report or []) > 1:
        err.print("[red]error:[/] compare takes one --report; history takes one per year")
        return USAGE
    slug = "-".join(args.municipality.casefold().split())
    path = args.output or Path(f"{slug}-{args.chart}.png")
    try:
        chart_format(path)
    except ChartFormatError as exc:
        err.print(f"[red]error:[/] {safe(exc)}")
        return USAGE
    dataset = _load(args, err)
    if isinstance(dataset, int):
        return dataset
    try:
        if args.chart == "compare":
            figure = compare_chart(
                dataset, args.municipality, args.year, args.report[0] if args.report else None
            )
        else:
            figure = history_chart(dataset, args.municipality, args.report)
    except ValueError as exc:
        err.print(f"[red]error:[/] {safe(exc)}")
        return USAGE
    status = _write(err, path, partial(save_chart, figure, path), ChartFormatError)
    if status == OK:
        out.print(f"wrote {safe(path)}")
    return status


def _export(args: argparse.Namespace) -> int:
    from kommunkompassen.export import TABLES, ExportRefused, export

    out, err = _consoles()
    dataset = _load(args, err)
    if isinstance(dataset, int):
        return dataset
    status = _write(err, args.output, partial(export, dataset, args.format, args.output), ExportRefused)
    if status == OK:
        what = "sheets" if args.format == "xlsx" else "CSV files"
        out.print(f"wrote {safe(args.output)} ({len(TABLES)} {what})")
    return status


def _write(err: Console, path: Path, write: Callable[[], None], refused: type[Exception]) -> int:
    """Run `write`: OK, or the exit status after saying in one line why it was refused or failed."""
    try:
        write()
    except refused as exc:
        err.print(f"[red]error:[/] {safe(exc)}")
        return USAGE
    except OSError as exc:
        err.print(f"[red]error:[/] cannot write {safe(path)}: {why(exc)}")
        return FAULT
    return OK


def _terminate(_signum: int, _frame: object) -> None:
    raise Terminated


def main(argv: list[str] | None = None, *, alone: bool = False) -> int:
    """The command; `alone` when the process ends with it (see command.run)."""
    return dispatch(parser().parse_args(argv), alone=alone)


def dispatch(args: argparse.Namespace, *, alone: bool = False, workers: Workers | None = None) -> int:
    """The command of the arguments read; `workers` already started for an ingest (see command.run)."""
    args.alone, args.workers = alone, workers
    previous = signal.signal(signal.SIGTERM, _terminate)  # clean up on SIGTERM as on Ctrl-C
    try:
        return _HANDLERS[args.command](args)
    except BrokenPipeError:  # piped into `head`, which stopped reading: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return FILES_FAILED
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return INTERRUPTED
    except Terminated:
        print("error: terminated", file=sys.stderr)
        return TERMINATED
    finally:
        signal.signal(signal.SIGTERM, previous)


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "ingest": _ingest,
    "show": _show,
    "summary": _summary,
    "plot": _plot,
    "export": _export,
}


if __name__ == "__main__":  # python -m kommunkompassen.cli, as before the script moved to command.run
    from kommunkompassen.command import run

    sys.exit(run())
