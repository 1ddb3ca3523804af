"""The `kommunkompassen` command: ingest PDFs, show one report, summarize a dataset, chart it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console

from kommunkompassen.outdir import OutRefused
from kommunkompassen.pipeline import (
    DEFAULT_TIMEOUT,
    FAILED,
    INGESTED,
    DatasetBusy,
    FileResult,
    ingest,
    read_one,
)
from kommunkompassen.styles import STATUS_STYLE

_DATASET = Path("data/parquet")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kommunkompassen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("ingest", help="read every *.pdf in RAW and write the Parquet dataset to OUT")
    run.add_argument(
        "--raw", type=Path, default=Path("data/raw"), help="folder of report PDFs (default data/raw)"
    )
    run.add_argument("--out", type=Path, default=_DATASET, help="dataset folder (default data/parquet)")
    run.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="parallel worker processes (default: the number of cores)",
    )
    run.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds one file may take before it is stopped and failed (default {DEFAULT_TIMEOUT:g})",
    )
    run.add_argument(
        "--no-cache", action="store_true", help="parse every file again, ignoring cached results"
    )
    run.set_defaults(handler=_ingest)

    show = sub.add_parser("show", help="parse one PDF and print what the dataset would hold; writes nothing")
    show.add_argument("file", type=Path, help="a report PDF")
    show.add_argument("--json", action="store_true", help="print JSON instead of tables")
    show.set_defaults(handler=_show)

    summary = sub.add_parser("summary", help="the reports in a dataset, their totals, and the checks")
    summary.add_argument("--out", type=Path, default=_DATASET, help="dataset folder (default data/parquet)")
    summary.add_argument("--json", action="store_true", help="print JSON instead of tables")
    summary.set_defaults(handler=_summary)

    plot = sub.add_parser("plot", help="write a PNG chart of a municipality's scores")
    plot.add_argument(
        "chart",
        choices=("compare", "history"),
        help="compare: area scores against the mean of the other reports of the same framework revision; "
        "history: area scores over the municipality's evaluations",
    )
    plot.add_argument("municipality", help="name ('Nacka', 'Nacka kommun') or kommunkod ('0182')")
    plot.add_argument("--year", type=int, help="evaluation year for compare (default: the latest)")
    plot.add_argument("--out", type=Path, default=_DATASET, help="dataset folder (default data/parquet)")
    plot.add_argument(
        "-o", "--output", type=Path, help="PNG file to write (default <municipality>-<chart>.png)"
    )
    plot.set_defaults(handler=_plot)
    return parser


def _consoles() -> tuple[Console, Console]:
    return Console(highlight=False, soft_wrap=True), Console(stderr=True, highlight=False, soft_wrap=True)


def _ingest(args: argparse.Namespace) -> int:
    out, err = _consoles()
    if not args.raw.is_dir():
        err.print(f"[red]error:[/] raw folder {args.raw} does not exist or is not a folder")
        return 2
    if args.jobs < 1:
        err.print("[red]error:[/] --jobs must be at least 1")
        return 2
    if args.timeout <= 0:
        err.print("[red]error:[/] --timeout must be more than 0 seconds")
        return 2

    def progress(i: int, n: int, result: FileResult) -> None:
        reason = f": {result.reason}" if result.reason else ""
        err.print(f"[{i}/{n}] {result.source_file} [{STATUS_STYLE[result.status]}]{result.status}[/]{reason}")

    try:
        summary = ingest(
            args.raw,
            args.out,
            args.jobs,
            on_result=progress,
            seconds=args.timeout,
            use_cache=not args.no_cache,
        )
    except DatasetBusy as exc:
        err.print(f"[red]error:[/] {exc}")
        return 1
    except OutRefused as exc:
        err.print(f"[red]error:[/] {exc}")
        return 2
    out.print(summary.line(args.out))
    return 1 if summary.count(FAILED) else 0


def _show(args: argparse.Namespace) -> int:
    from kommunkompassen.views import print_report, report_json

    out, err = _consoles()
    if not args.file.is_file():
        err.print(f"[red]error:[/] {args.file} does not exist or is not a file")
        return 2
    result = read_one(args.file)
    if args.json:
        print(report_json(result))
    elif result.status == INGESTED:
        print_report(out, result)
    if result.status != INGESTED:
        err.print(f"{result.source_file}: [red]{result.status}[/]: {result.reason}")
        return 1
    return 0


def _summary(args: argparse.Namespace) -> int:
    from kommunkompassen.api import load
    from kommunkompassen.views import print_summary, summary_json

    out, err = _consoles()
    try:
        dataset = load(args.out)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/] {exc}")
        return 2
    if args.json:
        print(summary_json(dataset))
    else:
        print_summary(out, dataset)
    return 0


def _plot(args: argparse.Namespace) -> int:
    from kommunkompassen.api import load
    from kommunkompassen.charts import compare_chart, history_chart, save_png

    out, err = _consoles()
    if args.year is not None and args.chart == "history":
        err.print("[red]error:[/] --year is for compare; history shows every year")
        return 2
    try:
        dataset = load(args.out)
        if args.chart == "compare":
            figure = compare_chart(dataset, args.municipality, args.year)
        else:
            figure = history_chart(dataset, args.municipality)
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"[red]error:[/] {exc}")
        return 2
    slug = "-".join(args.municipality.casefold().split())
    path = args.output or Path(f"{slug}-{args.chart}.png")
    try:
        save_png(figure, path)
    except OSError as exc:
        err.print(f"[red]error:[/] cannot write {path}: {exc.strerror}")
        return 1
    out.print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:  # piped into `head`, which stopped reading: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
