"""A parsed Report becomes rows of the dataset's tables."""

from __future__ import annotations

from normalize.checks import findings_checks, score_checks
from normalize.register import find_municipality
from normalize.schema import empty_tables
from parsers.model import Report


def report_rows(report: Report, report_id: str, source_file: str) -> dict[str, list[dict]]:
    """Rows for every table a report contributes to (all but `files`)."""
    tables = empty_tables()
    meta = report.metadata
    place = find_municipality(meta.municipality_full)
    totals = [t.total for t in report.overview if t.total is not None]
    tables["reports"].append(
        {
            "report_id": report_id,
            "source_file": source_file,
            "title": meta.title,
            "municipality": place.name if place else meta.municipality,
            "municipality_full": meta.municipality_full,
            "kommunkod": place.kommunkod if place else None,
            "county": place.county if place else None,
            "year": meta.year,
            "month": meta.month,
            "evaluation_ordinal": meta.evaluation_ordinal,
            "previous_evaluation_year": meta.previous_evaluation_year,
            "interviewees": meta.interviewees,
            "pages": report.pages,
            "total_achieved": sum(t.achieved or 0 for t in totals),
            "total_max": sum(t.max or 0 for t in totals),
        }
    )
    for table in report.overview:
        if table.total is not None:
            tables["scores"].append(_score(report_id, "area", table.area_number, table.total))
        tables["scores"].extend(_score(report_id, "subarea", table.area_number, row) for row in table.rows)
    tables["findings"].extend(
        {
            "report_id": report_id,
            "area_number": f.area_number,
            "kind": f.kind,
            "position": f.position,
            "text": f.text,
            "page": f.page,
        }
        for table in report.findings
        for f in table.findings
    )
    tables["sections"].extend(
        {
            "report_id": report_id,
            "level": s.level,
            "heading": s.heading,
            "area_number": s.area_number,
            "page_start": s.page_start,
            "page_end": s.page_end,
            "text": s.text,
        }
        for s in report.sections
    )
    if place is None:
        tables["checks"].append(
            {
                "report_id": report_id,
                "area_number": None,
                "severity": "warning",
                "code": "unknown-municipality",
                "message": f"'{meta.municipality_full}' is not in the municipality register.",
            }
        )
    tables["checks"].extend(
        {
            "report_id": report_id,
            "area_number": c.area_number,
            "severity": c.severity,
            "code": c.code,
            "message": c.message,
        }
        for c in (*score_checks(report), *findings_checks(report))
    )
    return tables


def _score(report_id: str, level: str, area_number: int, row) -> dict:
    return {
        "report_id": report_id,
        "level": level,
        "area_number": area_number,
        "code": row.code,
        "name": row.name,
        "achieved": row.achieved,
        "max": row.max,
        "page": row.page,
    }
