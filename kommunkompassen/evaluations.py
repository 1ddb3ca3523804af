"""One evaluation, one report. Re-downloads and other editions of a report are other bytes (another
report_id) holding the same evaluation; counted as many times as there are files, they would weigh in
every mean as that many evaluations. A file whose evaluation (municipality, year, month and every
score) was read already is skipped, naming the first; files of one municipality and year that
disagree are all kept, each with an error check naming the others, for the analyst to choose one by
its report_id. Files arrive in file-name order whatever the workers do, so the first is always the
same one, also when results come from the cache."""

from __future__ import annotations

from dataclasses import dataclass

from normalize.checks import Check

SHORT_ID = 12  # hex digits of a report_id that name a report in messages


@dataclass(frozen=True, slots=True)
class _Read:
    source_file: str
    report_id: str
    month: int | None
    scores: tuple[tuple, ...]


def _scores(rows: list[dict]) -> tuple[tuple, ...]:
    """Every area and sub-area score, in an order that does not depend on the layout."""
    return tuple(sorted(((r["level"], r["code"], r["achieved"], r["max"]) for r in rows), key=repr))


def _difference(a: _Read, b: _Read) -> str:
    parts = [
        *(["another month"] if a.month != b.month else []),
        *(["other scores"] if a.scores != b.scores else []),
    ]
    return " and ".join(parts)


class Evaluations:
    """The evaluations read so far in one ingest, by municipality and year."""

    def __init__(self) -> None:
        self._read: dict[tuple, list[_Read]] = {}

    def settle(
        self, source_file: str, report_id: str, tables: dict[str, list[dict]]
    ) -> tuple[str | None, list[dict]]:
        """For an ingested file's rows: why it is skipped (its evaluation was read already) or None,
        and the check rows its arrival adds (for it and for the files it disagrees with)."""
        report = tables["reports"][0]
        who = report["kommunkod"] or report["municipality"]
        this = _Read(source_file, report_id, report["month"], _scores(tables["scores"]))
        earlier = self._read.setdefault((who, report["year"]), [])
        same = next((e for e in earlier if (e.month, e.scores) == (this.month, this.scores)), None)
        evaluation = f"{report['municipality']} {report['year']}"
        if same is not None:
            return f"the same evaluation ({evaluation}: month and every score) as {same.source_file}", []
        checks = []
        for other in earlier:
            what = _difference(this, other)
            checks += [_differs(this, other, evaluation, what), _differs(other, this, evaluation, what)]
        earlier.append(this)
        return None, checks


def _differs(this: _Read, other: _Read, evaluation: str, what: str) -> dict:
    message = (
        f"{evaluation} is also in {other.source_file} (report {other.report_id[:SHORT_ID]}) with {what}; "
        "choose one by its report_id"
    )
    return Check(None, "same-evaluation-differs", message).row(this.report_id)
