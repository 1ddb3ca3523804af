"""Cross-checks of the printed scores: every disagreement becomes a row, nothing is fixed silently."""

from __future__ import annotations

from dataclasses import dataclass

from parsers.model import OverviewTable, Report, ScoreBox


@dataclass(frozen=True, slots=True)
class Check:
    area_number: int | None
    severity: str  # "error": the report contradicts itself; "warning": something is absent or unknown
    code: str
    message: str


def score_checks(report: Report) -> list[Check]:
    """Every other place that prints an area's score (score box, area heading, table of contents) vs
    the overview total, sub-area sums, maxima sums, achieved within max."""
    boxes = {b.area_number: b for b in report.boxes}
    checks: list[Check] = []
    for table in report.overview:
        checks.extend(_box_checks(table, boxes.get(table.area_number)))
        checks.extend(_table_checks(table))
    checks.extend(_printed_checks(report))
    return checks


def _printed_checks(report: Report) -> list[Check]:
    """A score printed in an area's heading or its table-of-contents line that is not the overview's."""
    totals = {t.area_number: t.total for t in report.overview if t.total and t.total.achieved is not None}
    places = [(h.number, h.score, f"the area heading (page {h.page})", "heading") for h in report.headings]
    places += [
        (c.area_number, c.score, f"the table of contents (page {c.page})", "contents")
        for c in report.contents
    ]
    return [
        Check(
            n,
            "error",
            f"{code}-vs-overview",
            f"Area {n}: {where} says {score} points but the overview table total is {totals[n].achieved} "
            f"(page {totals[n].page}).",
        )
        for n, score, where, code in places
        if score is not None and n in totals and score != totals[n].achieved
    ]


def _box_checks(table: OverviewTable, box: ScoreBox | None) -> list[Check]:
    n = table.area_number
    if box is None:
        return [Check(n, "warning", "box-missing", f"Area {n} has no score box (Rubriker | Poäng).")]
    if box.score is None:
        return [Check(n, "warning", "box-score-missing", f"Area {n}: the score box prints no score.")]
    total = table.total.achieved if table.total else None
    if total is not None and box.score != total:
        return [
            Check(
                n,
                "error",
                "box-vs-overview",
                f"Area {n}: the score box says {box.score} but the overview table total is {total}.",
            )
        ]
    return []


def _table_checks(table: OverviewTable) -> list[Check]:
    n = table.area_number
    checks: list[Check] = []
    total = table.total
    achieved = [r.achieved for r in table.rows if r.achieved is not None]
    maxima = [r.max for r in table.rows if r.max is not None]
    if total and total.achieved is not None and achieved and sum(achieved) != total.achieved:
        checks.append(
            Check(
                n,
                "error",
                "subarea-sum",
                f"Area {n}: the sub-area scores sum to {sum(achieved)}, "
                f"the overview total is {total.achieved}.",
            )
        )
    if total and total.max is not None and maxima and sum(maxima) != total.max:
        checks.append(
            Check(
                n,
                "error",
                "subarea-max-sum",
                f"Area {n}: the sub-area maxima sum to {sum(maxima)}, the area maximum is {total.max}.",
            )
        )
    for row in (*table.rows, *((total,) if total else ())):
        if row.achieved is not None and row.max is not None and row.achieved > row.max:
            checks.append(
                Check(
                    n,
                    "error",
                    "achieved-over-max",
                    f"{row.code} {row.name}: achieved {row.achieved} is more than the maximum {row.max}.",
                )
            )
    return checks


def findings_checks(report: Report) -> list[Check]:
    """An area without a strengths/improvements table has no findings: say so."""
    with_table = {t.area_number for t in report.findings}
    return [
        Check(
            t.area_number,
            "warning",
            "findings-missing",
            f"Area {t.area_number} has no strengths/improvements table (Styrkor | Förbättringsmöjligheter).",
        )
        for t in report.overview
        if t.area_number not in with_table
    ]
