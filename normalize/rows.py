"""A parsed Report becomes rows of the dataset's tables."""

from __future__ import annotations

from normalize.checks import Check, findings_checks, score_checks
from normalize.register import find_municipality, tidy_name
from normalize.tables import empty_tables
from normalize.taxonomy import detect_revision, match_area, match_subarea, taxonomy
from parsers.model import Report, ScoreRow


def report_rows(report: Report, report_id: str, source_file: str) -> dict[str, list[dict]]:
    """Rows for every table a report contributes to (all but `files`)."""
    tables = empty_tables()
    meta = report.metadata
    place = find_municipality(meta.municipality_full)
    totals = [t.total for t in report.overview if t.total is not None]
    names = [t.name for t in report.overview] + [h.name for h in report.headings]
    revision = detect_revision(names, meta.year)
    scores, vocabulary_checks = _scores(report, report_id, revision)
    tables["reports"].append(
        {
            "report_id": report_id,
            "source_file": source_file,
            "title": meta.title,
            "municipality": place.name if place else meta.municipality,
            "municipality_full": meta.municipality_full,
            "municipality_name": tidy_name(meta.municipality_full, place),
            "kommunkod": place.kommunkod if place else None,
            "county": place.county if place else None,
            "lanskod": place.lanskod if place else None,
            "year": meta.year,
            "month": meta.month,
            "evaluation_ordinal": meta.evaluation_ordinal,
            "previous_evaluation_year": meta.previous_evaluation_year,
            "interviewees": meta.interviewees,
            "pages": report.pages,
            "total_achieved": sum(t.achieved or 0 for t in totals),
            "total_max": sum(t.max or 0 for t in totals),
            "framework_revision": revision,
        }
    )
    tables["scores"] = scores
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
        unknown = Check(
            None, "unknown-municipality", f"'{meta.municipality_full}' is not in the municipality register."
        )
        tables["checks"].append(unknown.row(report_id))
    tables["checks"].extend(
        c.row(report_id) for c in (*score_checks(report), *findings_checks(report), *vocabulary_checks)
    )
    return tables


def _scores(report: Report, report_id: str, revision: str | None) -> tuple[list[dict], list[Check]]:
    """Score rows with their canonical ids, and a warning for every name the vocabulary does not know."""
    rows: list[dict] = []
    checks: list[Check] = []
    if revision is None:
        checks.append(
            Check(
                None,
                "revision-unknown",
                "The framework revision could not be recognised from the area names.",
            )
        )
    mapped_subareas = revision is not None and taxonomy().has_subareas(revision)
    if revision is not None and not mapped_subareas:
        checks.append(
            Check(
                None,
                "subareas-not-mapped",
                f"The {revision} taxonomy has no sub-area vocabulary; sub-areas have no canonical id.",
            )
        )
    for table in report.overview:
        n = table.area_number
        area = match_area(table.name, n, revision)
        if area.note:
            checks.append(Check(n, "area-name", area.note))
        if table.total is not None:
            rows.append(_score(report_id, "area", n, table.total, revision, area.area_id, None))
        for row in table.rows:
            subarea = match_subarea(row.name, area.area_id) if mapped_subareas else None
            if mapped_subareas and area.area_id and subarea is None:
                checks.append(
                    Check(
                        n,
                        "subarea-name",
                        f"Sub-area {row.code} '{row.name}' is not in the {revision} taxonomy.",
                    )
                )
            rows.append(_score(report_id, "subarea", n, row, revision, area.area_id, subarea))
    return rows, checks


def _score(
    report_id: str,
    level: str,
    area_number: int,
    row: ScoreRow,
    revision: str | None,
    area: str | None,
    subarea: str | None,
) -> dict:
    return {
        "report_id": report_id,
        "level": level,
        "area_number": area_number,
        "code": row.code,
        "name": row.name,
        "achieved": row.achieved,
        "max": row.max,
        "page": row.page,
        "framework_revision": revision,
        "canonical_area": area,
        "canonical_subarea": subarea,
        "share": row.achieved / row.max if row.achieved is not None and row.max else None,
    }
