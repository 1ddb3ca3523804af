"""Terminal views (rich tables) and their JSON twins for `show` and `summary`."""

from __future__ import annotations

import json
from collections import Counter
from itertools import zip_longest
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from kommunkompassen.api import Dataset
from kommunkompassen.evaluations import SHORT_ID
from kommunkompassen.pipeline import INGESTED, FileResult
from kommunkompassen.styles import SEVERITY_STYLE, STATUS_STYLE
from kommunkompassen.terminal import safe
from normalize.schema import TAXONOMY_KEY, VERSION_KEY, WRITTEN_KEY


def _text(value: Any) -> str:
    return (
        "" if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else str(value)
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _checks_table(rows: list[dict], label: dict[str, str] | None = None) -> Table:
    table = Table(title="Checks", title_justify="left", show_lines=False)
    if label is not None:
        table.add_column("report")
    for column in ("area", "severity", "code", "message"):
        table.add_column(column, overflow="fold")
    for row in rows:
        severity = row["severity"]
        cells = [
            _text(row["area_number"]),
            f"[{SEVERITY_STYLE.get(severity, 'white')}]{severity}[/]",
            safe(row["code"]),
            safe(row["message"]),
        ]
        table.add_row(*([safe(label[row["report_id"]])] if label is not None else []), *cells)
    return table


def _scores_table(rows: list[dict]) -> Table:
    table = Table(title="Scores", title_justify="left")
    table.add_column("code")
    table.add_column("name", overflow="fold")
    for column in ("achieved", "max", "page"):
        table.add_column(column, justify="right")
    for row in rows:
        area = row["level"] == "area"
        name = safe(row["name"]) if area else f"  {safe(row['name'])}"
        style = "bold" if area else None
        cells = (safe(row["code"]), name, _text(row["achieved"]), _text(row["max"]), _text(row["page"]))
        table.add_row(*cells, style=style)
    return table


def _findings_tables(rows: list[dict], area_names: dict[int, str]) -> list[Table]:
    """One two-column table per area, laid out like the report's Styrkor | Förbättringsmöjligheter."""
    tables = []
    for area in sorted({row["area_number"] for row in rows}):
        strengths = [r["text"] for r in rows if r["area_number"] == area and r["kind"] == "strength"]
        improvements = [r["text"] for r in rows if r["area_number"] == area and r["kind"] == "improvement"]
        title = f"Område {area}: {safe(area_names.get(area, ''))}".rstrip(": ")
        table = Table(title=title, title_justify="left", show_lines=True)
        table.add_column(f"Styrkor ({len(strengths)})", ratio=1, overflow="fold")
        table.add_column(f"Förbättringsmöjligheter ({len(improvements)})", ratio=1, overflow="fold")
        for strength, improvement in zip_longest(strengths, improvements, fillvalue=""):
            table.add_row(safe(strength), safe(improvement))
        tables.append(table)
    return tables


def print_report(console: Console, result: FileResult) -> None:
    """The parsed report as the ingest would store it: header, scores, findings per area, checks. For a
    report that failed, what was read before it failed (the reason names what is missing)."""
    tables = result.tables if result.status == INGESTED else result.partial
    if not tables:
        return
    if result.status != INGESTED:
        console.print(f"[red]not ingested[/] ({safe(result.reason)}); what was read:")
    report = tables["reports"][0]
    console.print(f"[bold]{safe(report['title'])}[/] ({safe(result.source_file)})")
    console.print(
        f"{safe(report['municipality'])} {report['year']}, {report['pages']} pages, "
        f"Kommunkompassen revision {report['framework_revision'] or 'not recognised'}, "
        f"total {report['total_achieved']} of {report['total_max']}"
    )
    console.print(_scores_table(tables["scores"]))
    names = {r["area_number"]: r["name"] for r in tables["scores"] if r["level"] == "area"}
    for table in _findings_tables(tables["findings"], names):
        console.print(table)
    checks = tables["checks"]
    if checks:
        console.print(_checks_table(checks))
    sections = len(tables["sections"])
    console.print(
        f"{_count(len(checks), 'check')}, {_count(sections, 'section')} (their text: --json); nothing written"
    )


def report_json(result: FileResult) -> str:
    """Everything `show` knows about one file, as the dataset would hold it."""
    tables = {name: rows for name, rows in result.tables.items() if name != "reports"}
    reports = result.tables.get("reports") or [None]
    document = {
        "source_file": result.source_file,
        "report_id": result.report_id,
        "status": result.status,
        "reason": result.reason,
        "report": reports[0],
        **tables,
    }
    if result.partial:
        document["read"] = result.partial  # what a report that failed showed before it failed
    return json.dumps(document, ensure_ascii=False, indent=2)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows with Python values and None for missing ones, ready for JSON."""
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def _report_rows(dataset: Dataset) -> pd.DataFrame:
    reports = dataset.reports.sort_values(["municipality", "year"], ignore_index=True)
    checks = dataset.checks
    for severity in ("error", "warning"):  # per report; also right for a dataset without reports
        per_report = checks.loc[checks.severity == severity, "report_id"].value_counts()
        reports[f"{severity}s"] = reports.report_id.map(per_report).fillna(0).astype("Int32")
    columns = ["municipality", "year", "framework_revision", "kommunkod", "total_achieved", "total_max"]
    return reports[["report_id", "source_file", *columns, "errors", "warnings"]]


def summary_json(dataset: Dataset) -> str:
    """The dataset's reports with totals and check counts, its checks, and every file's status."""
    document = {
        "metadata": dataset.metadata,
        "reports": _records(_report_rows(dataset)),
        "checks": _records(dataset.checks),
        "files": _records(dataset.files),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def print_summary(console: Console, dataset: Dataset) -> None:
    """Reports and their totals, the checks, and the files that were not ingested."""
    reports = _report_rows(dataset)
    table = Table(title="Reports", title_justify="left")
    columns = (
        "municipality",
        "year",
        "revision",
        "kommunkod",
        "total",
        "errors",
        "warnings",
        "file",
        "report",
    )
    for column in columns:
        justify = "right" if column in ("year", "total", "errors", "warnings") else "left"
        table.add_column(column, justify=justify, overflow="fold")
    for row in reports.itertuples():
        table.add_row(
            safe(_text(row.municipality)),
            _text(row.year),
            _text(row.framework_revision),
            _text(row.kommunkod),
            f"{_text(row.total_achieved)} / {_text(row.total_max)}",
            _text(row.errors),
            _text(row.warnings),
            safe(row.source_file),
            row.report_id[:SHORT_ID],
        )
    console.print(table)
    label = {r.report_id: f"{r.municipality} {r.year}" for r in reports.itertuples()}
    shared = {name for name, n in Counter(label.values()).items() if n > 1}  # several reports of a year
    label = {rid: f"{name} ({rid[:SHORT_ID]})" if name in shared else name for rid, name in label.items()}
    if len(dataset.checks):
        console.print(_checks_table(_records(dataset.checks), label))
    others = dataset.files[dataset.files.status != "ingested"]
    if len(others):
        files = Table(title="Files not ingested", title_justify="left")
        for column in ("file", "status", "reason"):
            files.add_column(column, overflow="fold")
        for row in others.itertuples():
            status = f"[{STATUS_STYLE[row.status]}]{row.status}[/]"
            files.add_row(safe(row.source_file), status, safe(_text(row.reason)))
        console.print(files)
    status = dataset.files.status.value_counts()
    meta = dataset.metadata
    counts = f"{status['ingested']} ingested, {status['skipped']} skipped, {status['failed']} failed"
    console.print(
        f"{_count(len(reports), 'report')} from {_count(len(dataset.files), 'file')} ({counts}); "
        f"{_count(len(dataset.checks), 'check')}; "
        f"written {meta.get(WRITTEN_KEY, '?')} by kommunkompassen {meta.get(VERSION_KEY, '?')}, "
        f"taxonomy {meta.get(TAXONOMY_KEY, '?')}"
    )
