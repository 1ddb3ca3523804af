"""The command's arguments, read before anything else is loaded (see command): the standard library
only."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from kommunkompassen import __version__
from kommunkompassen.parse_pool import DEFAULT_TIMEOUT

_DATASET = Path("data/parquet")
_FOUND = "dataset folder (default: data/parquet here or in the nearest folder above that has one)"
_DESCRIPTION = "The `kommunkompassen` command: ingest PDFs, show one report, summarize a dataset, chart it."


def parser() -> argparse.ArgumentParser:
    """The command's arguments; `command` names the subcommand."""
    parser = argparse.ArgumentParser(prog="kommunkompassen", description=_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    run.set_defaults(command="ingest")

    show = sub.add_parser("show", help="parse one PDF and print what the dataset would hold; writes nothing")
    show.add_argument("file", type=Path, help="a report PDF")
    show.add_argument("--json", action="store_true", help="print JSON instead of tables")
    show.set_defaults(command="show")

    summary = sub.add_parser("summary", help="the reports in a dataset, their totals, and the checks")
    summary.add_argument("--out", type=Path, help=_FOUND)
    summary.add_argument("--json", action="store_true", help="print JSON instead of tables")
    summary.set_defaults(command="summary")

    plot = sub.add_parser("plot", help="write a chart of a municipality's scores (PNG, SVG or PDF)")
    plot.add_argument(
        "chart",
        choices=("compare", "history"),
        help="compare: area scores against the mean of the other reports of the same framework revision; "
        "history: area scores over the municipality's evaluations",
    )
    plot.add_argument(
        "municipality", help="name ('Nacka', 'Nacka kommun', 'Nynashamn') or kommunkod ('0182')"
    )
    plot.add_argument("--year", type=int, help="evaluation year for compare (default: the latest)")
    plot.add_argument(
        "--report",
        metavar="REPORT_ID",
        action="append",
        help="the start of a report_id, to choose among reports of one year (see `summary`); "
        "history takes one per year that has several",
    )
    plot.add_argument("--out", type=Path, help=_FOUND)
    plot.add_argument(
        "-o",
        "--output",
        type=Path,
        help="file to write, *.png, *.svg or *.pdf (default <municipality>-<chart>.png)",
    )
    plot.set_defaults(command="plot")

    export = sub.add_parser(
        "export",
        help="write the dataset as an Excel workbook or CSV files, plus areas_wide (areas side by side)",
    )
    export.add_argument(
        "--format",
        required=True,
        choices=("xlsx", "csv"),
        help="xlsx: one workbook, a sheet per table; csv: a folder, a file per table",
    )
    export.add_argument("--out", type=Path, help=_FOUND)
    export.add_argument(
        "-o", "--output", type=Path, required=True, help="the workbook (*.xlsx) or the folder of CSV files"
    )
    export.set_defaults(command="export")
    return parser
