"""Cross-checks of the printed scores: every disagreement becomes a row, nothing is fixed silently.

`CHECK_CODES` is the one list of the codes a `checks` row can carry, with their severity and meaning:
every check is made through `Check`, which refuses a code the list lacks, and the data dictionary
(docs/dataset.md) is rendered from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the ingest process builds checks too, and never loads the parsers
    from parsers.model import OverviewTable, Report, ScoreBox


@dataclass(frozen=True, slots=True)
class CheckCode:
    severity: str  # "error": the report contradicts itself; "warning": something is absent or unknown
    meaning: str


CHECK_CODES: dict[str, CheckCode] = {
    "box-vs-overview": CheckCode(
        "error", "An area's score box (Rubriker | Poäng) prints another score than its overview table total."
    ),
    "heading-vs-overview": CheckCode(
        "error", "An area heading ('Område 1 … 49 poäng') prints another score than its overview table total."
    ),
    "contents-vs-overview": CheckCode(
        "error", "A table-of-contents line prints another area score than the overview table total."
    ),
    "subarea-sum": CheckCode("error", "An area's sub-area scores do not sum to its overview table total."),
    "subarea-max-sum": CheckCode("error", "An area's sub-area maxima do not sum to its maximum."),
    "achieved-over-max": CheckCode("error", "A score is above its maximum."),
    "same-evaluation-differs": CheckCode(
        "error",
        "Another file holds a report of the same municipality and year with other scores or another "
        "month; both are kept (the message names the other's report_id, to choose one by).",
    ),
    "box-missing": CheckCode("warning", "An area has no score box (Rubriker | Poäng)."),
    "box-score-missing": CheckCode("warning", "An area's score box prints no score."),
    "findings-missing": CheckCode("warning", "An area has no strengths/improvements table, so no findings."),
    "unknown-municipality": CheckCode(
        "warning",
        "The municipality in the title is not in the register: kommunkod, county and lanskod are null.",
    ),
    "revision-unknown": CheckCode(
        "warning", "The framework revision is not recognised from the area names: no canonical ids."
    ),
    "subareas-not-mapped": CheckCode(
        "warning", "The report's revision has no sub-area vocabulary: its sub-areas have no canonical id."
    ),
    "area-name": CheckCode(
        "warning",
        "An area name (quoted) is unknown, or is another number's or another revision's: its canonical "
        "id is null or follows the crosswalk, as the message says.",
    ),
    "subarea-name": CheckCode("warning", "A sub-area name (quoted) is not in the taxonomy: no canonical id."),
    "pdf-damaged": CheckCode("warning", "The PDF is damaged but readable; what MuPDF reported is quoted."),
}


@dataclass(frozen=True, slots=True)
class Check:
    area_number: int | None
    code: str  # a key of CHECK_CODES, which gives the severity
    message: str

    def __post_init__(self) -> None:
        if self.code not in CHECK_CODES:
            raise ValueError(f"check code {self.code!r} is not in CHECK_CODES")

    @property
    def severity(self) -> str:
        return CHECK_CODES[self.code].severity

    def row(self, report_id: str) -> dict:
        """The check as a row of the `checks` table."""
        return {
            "report_id": report_id,
            "area_number": self.area_number,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


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
    places = [
        (h.number, h.score, f"the area heading (page {h.page})", "heading-vs-overview")
        for h in report.headings
    ]
    places += [
        (c.area_number, c.score, f"the table of contents (page {c.page})", "contents-vs-overview")
        for c in report.contents
    ]
    return [
        Check(
            n,
            code,
            f"Area {n}: {where} says {score} points but the overview table total is {totals[n].achieved} "
            f"(page {totals[n].page}).",
        )
        for n, score, where, code in places
        if score is not None and n in totals and score != totals[n].achieved
    ]


def _box_checks(table: OverviewTable, box: ScoreBox | None) -> list[Check]:
    n = table.area_number
    if box is None:
        return [Check(n, "box-missing", f"Area {n} has no score box (Rubriker | Poäng).")]
    if box.score is None:
        return [Check(n, "box-score-missing", f"Area {n}: the score box prints no score.")]
    total = table.total.achieved if table.total else None
    if total is not None and box.score != total:
        return [
            Check(
                n,
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
                "subarea-sum",
                f"Area {n}: the sub-area scores sum to {sum(achieved)}, "
                f"the overview total is {total.achieved}.",
            )
        )
    if total and total.max is not None and maxima and sum(maxima) != total.max:
        checks.append(
            Check(
                n,
                "subarea-max-sum",
                f"Area {n}: the sub-area maxima sum to {sum(maxima)}, the area maximum is {total.max}.",
            )
        )
    for row in (*table.rows, *((total,) if total else ())):
        if row.achieved is not None and row.max is not None and row.achieved > row.max:
            checks.append(
                Check(
                    n,
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
            "findings-missing",
            f"Area {t.area_number} has no strengths/improvements table (Styrkor | Förbättringsmöjligheter).",
        )
        for t in report.overview
        if t.area_number not in with_table
    ]
