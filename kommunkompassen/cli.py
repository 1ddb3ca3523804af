"""The `kommunkompassen` command."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console

from kommunkompassen.pipeline import DEFAULT_TIMEOUT, FAILED, DatasetBusy, FileResult, ingest

_STYLE = {"ingested": "green", "skipped": "yellow", "failed": "red"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kommunkompassen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("ingest", help="read every *.pdf in RAW and write the Parquet dataset to OUT")
    run.add_argument(
        "--raw", type=Path, default=Path("data/raw"), help="folder of report PDFs (default data/raw)"
    )
    run.add_argument(
        "--out", type=Path, default=Path("data/parquet"), help="dataset folder (default data/parquet)"
    )
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if not args.raw.is_dir():
        err.print(f"[red]error:[/] raw folder {args.raw} does not exist or is not a folder")
        return 2
    if args.jobs < 1:
        err.print("[red]error:[/] --jobs must be at least 1")
        return 2
    if args.timeout <= 0:
        err.print("[red]error:[/] --timeout must be more than 0 seconds")
        return 2

    def show(i: int, n: int, result: FileResult) -> None:
        reason = f": {result.reason}" if result.reason else ""
        err.print(f"[{i}/{n}] {result.source_file} [{_STYLE[result.status]}]{result.status}[/]{reason}")

    try:
        summary = ingest(
            args.raw, args.out, args.jobs, on_result=show, seconds=args.timeout, use_cache=not args.no_cache
        )
    except DatasetBusy as exc:
        err.print(f"[red]error:[/] {exc}")
        return 1
    Console(highlight=False, soft_wrap=True).print(summary.line(args.out))
    return 1 if summary.count(FAILED) else 0


if __name__ == "__main__":
    sys.exit(main())
