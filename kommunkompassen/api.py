"""The analyst's entry point: the dataset as pandas DataFrames with proper dtypes, and the joins and
comparisons everyone would otherwise write again (`load("data/parquet").compare("Nacka")`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kommunkompassen.evaluations import SHORT_ID
from normalize.register import fold_name, municipality_candidates
from normalize.schema import RUN_KEY, SCHEMAS, field_values
from normalize.taxonomy import taxonomy

_REPORT_COLUMNS = ["report_id", "municipality", "kommunkod", "county", "year", "framework_revision"]
_ARROW_TO_PANDAS = {
    pa.int32(): pd.Int32Dtype(),
    pa.string(): pd.StringDtype(),
    pa.float64(): pd.Float64Dtype(),
}


def _vocabularies() -> dict[str, list[str]]:
    """Known categories of the columns whose values come from the taxonomy rather than the schema."""
    tax = taxonomy()
    areas = sorted(tax.areas.values(), key=lambda a: (a.revision, a.number))
    return {"framework_revision": tax.revisions, "canonical_area": [a.area_id for a in areas]}


def _categorical(column: pd.Series, known: list[str]) -> pd.Series:
    """Ordered categories; a value the vocabulary lacks (data from another version) is kept, never lost."""
    extra = sorted(set(column.dropna()) - set(known))
    return column.astype(pd.CategoricalDtype([*known, *extra], ordered=True))


class DatasetError(Exception):
    """The dataset folder cannot be read as one consistent dataset: a damaged table, or tables of
    two different ingest runs."""


def _read_table(
    path: Path, name: str, vocabularies: dict[str, list[str]]
) -> tuple[pd.DataFrame, dict[str, str]]:
    file = path / f"{name}.parquet"
    if not file.is_file():
        if (path / "reports.parquet").is_file():  # a dataset, from a version without this table
            raise FileNotFoundError(
                f"the dataset in {path} was written by an earlier version of kommunkompassen (it has "
                f"no {file.name}); run the ingest again (`kommunkompassen ingest --out {path}`)"
            )
        raise FileNotFoundError(
            f"no dataset in {path}: {file.name} is missing; run `make ingest` "
            f"(or `kommunkompassen ingest --out {path}`) first"
        )
    try:
        table = pq.read_table(file)
    except pa.ArrowException as exc:  # ArrowInvalid and friends: not Parquet, truncated
        raise DatasetError(f"cannot read {file}: not a readable Parquet file ({exc})") from None
    expected = SCHEMAS[name].names
    if table.schema.names != expected:  # another table's file, or one of another version
        raise DatasetError(
            f"cannot read {file}: its columns ({', '.join(table.schema.names)}) are not those of the "
            f"{name} table ({', '.join(expected)}); run the ingest again"
        )
    frame = table.to_pandas(types_mapper=_ARROW_TO_PANDAS.get)
    for field in SCHEMAS[name]:
        known = field_values(field) or vocabularies.get(field.name)
        if known is not None and field.name in frame:
            frame[field.name] = _categorical(frame[field.name], known)
    metadata = {
        k.decode(): v.decode()
        for k, v in (table.schema.metadata or {}).items()
        if k.startswith(b"kommunkompassen.")
    }
    return frame, metadata


@dataclass(frozen=True)
class Dataset:
    """The tables of one dataset folder (see docs/dataset.md) and the file metadata they were written with."""

    reports: pd.DataFrame
    scores: pd.DataFrame
    checks: pd.DataFrame
    findings: pd.DataFrame
    sections: pd.DataFrame
    files: pd.DataFrame
    areas: pd.DataFrame
    subareas: pd.DataFrame
    crosswalk: pd.DataFrame
    metadata: dict[str, str]

    def area_scores(self) -> pd.DataFrame:
        """One row per report × area, with the report's municipality, year and revision beside the score
        and the area's canonical name (`area_name`) beside the printed one (`name`)."""
        areas = self.scores[self.scores.level == "area"].drop(columns=["level", "framework_revision"])
        wide = self.reports[_REPORT_COLUMNS].merge(areas, on="report_id", how="inner")
        names = {a.area_id: a.name for a in taxonomy().areas.values()}
        canonical = wide["canonical_area"].astype("string").map(names, na_action="ignore")
        wide["area_name"] = canonical.fillna(wide["name"]).astype("string")
        columns = [*_REPORT_COLUMNS, "area_number", "canonical_area", "area_name", "name", "achieved", "max"]
        wide = wide[[*columns, "share"]]
        return wide.sort_values(["municipality", "year", "area_number"], ignore_index=True)

    def report(
        self, municipality: str | None = None, year: int | None = None, *, report_id: str | None = None
    ) -> pd.Series:
        """The report of a municipality (name as printed, in any case, with or without 'kommun' or
        diacritics, or its kommunkod) in a year, or its latest; `report_id` (the start of one, as long
        as it is unique) picks one where a year has several. A clear ValueError when there is none or
        more than one."""
        if report_id is not None:
            return self._by_id(report_id, municipality, year)
        if municipality is None:
            raise ValueError("name a municipality or give a report_id")
        mine = self._reports_of(municipality)
        name = mine.municipality.iloc[0]
        if year is None:
            year = int(mine.year.max())
        chosen = mine[mine.year == year]
        if chosen.empty:
            years = ", ".join(str(y) for y in sorted(mine.year.dropna().unique()))
            raise ValueError(f"no {year} report of {name} in the dataset; it has {years}")
        if len(chosen) > 1:
            raise _several(chosen)
        return chosen.iloc[0]

    def _reports_of(self, municipality: str) -> pd.DataFrame:
        """The reports of one municipality; a ValueError when it has none or the name is ambiguous. A
        name the register knows means its municipality alone ('Habo' is never Håbo); a name it lacks
        is matched as printed, and only failing that without diacritics."""
        query = municipality.strip()
        found = municipality_candidates(query)
        if len(found) > 1:
            named = " or ".join(f"{m.name} ({m.kommunkod})" for m in found)
            raise ValueError(f"{municipality!r} may be {named}; write it with å, ä, ö or give the kommunkod")
        codes = self.reports.kommunkod
        wanted = (codes == query) | (codes == found[0].kommunkod if found else False)
        if not found:  # a name the register lacks: as printed in any case, else without diacritics
            names = self.reports.municipality
            same = names.str.casefold() == query.casefold()
            wanted |= same if same.any() else names.map(fold_name, na_action="ignore") == fold_name(query)
        mine = self.reports[wanted.fillna(False)]
        if mine.empty:
            known = ", ".join(sorted(self.reports.municipality.dropna().unique())) or "no reports"
            raise ValueError(f"no report of {municipality!r} in the dataset; it has {known}")
        return mine

    def _by_id(self, report_id: str, municipality: str | None, year: int | None) -> pd.Series:
        """The one report whose id starts with `report_id`, checked against the municipality and year
        when they are given too (which also choose among reports whose ids start alike)."""
        matches = self.reports[self.reports.report_id.str.startswith(report_id.strip().casefold())]
        if matches.empty:
            raise ValueError(f"no report with a report_id starting {report_id!r} in the dataset")
        if len(matches) > 1 and (municipality is not None or year is not None):  # one of them fits
            fitting = matches[matches.year == year] if year is not None else matches
            if municipality is not None:
                fitting = fitting[fitting.report_id.isin(self._reports_of(municipality).report_id)]
            matches = fitting if len(fitting) == 1 else matches
        if len(matches) > 1:
            raise ValueError(
                f"report_id {report_id!r} starts {len(matches)} reports' ids ({_listing(matches)}); "
                "give more of it"
            )
        chosen = matches.iloc[0]
        mismatch = (
            municipality is not None and chosen.report_id not in set(self._reports_of(municipality).report_id)
        ) or (year is not None and chosen.year != year)
        if mismatch:
            wanted = " ".join(str(part) for part in (municipality, year) if part is not None)
            raise ValueError(
                f"report {chosen.report_id[:SHORT_ID]} ({chosen.source_file}) is {chosen.municipality} "
                f"{chosen.year}, not {wanted}"
            )
        return chosen

    def compare(
        self,
        municipality: str | None = None,
        year: int | None = None,
        *,
        include_self: bool = True,
        report_id: str | None = None,
    ) -> pd.DataFrame:
        """A municipality's area scores beside the mean over the evaluations of the same framework
        revision (points and areas differ between revisions, so they are never mixed). An evaluation
        (a municipality and year) counts once, however many reports of it the dataset holds: reports
        of one that disagree are averaged first, and the municipality's own is the report chosen.
        `reports` is how many evaluations the mean share is over (one whose area has no share, scored
        0 of 0, is not); `include_self=False` leaves the chosen evaluation out of it."""
        report = self.report(municipality, year, report_id=report_id)
        revision = report.framework_revision
        if pd.isna(revision):
            raise ValueError(
                f"{report.municipality} {report.year} ({report.source_file}): its framework revision was "
                "not recognised, so there are no like-for-like reports to compare it with"
            )
        areas = self.area_scores()
        areas["evaluation"] = _evaluation(areas)
        own_evaluation = areas.evaluation[areas.report_id == report.report_id].iloc[0]
        peers = areas[(areas.framework_revision == revision) & (areas.evaluation != own_evaluation)]
        if include_self:
            peers = pd.concat([peers, areas[areas.report_id == report.report_id]])
        per_evaluation = peers.groupby(["canonical_area", "evaluation"], observed=True)[["achieved", "share"]]
        means = (
            per_evaluation.mean()
            .groupby("canonical_area", observed=True)
            .agg(mean_achieved=("achieved", "mean"), mean_share=("share", "mean"), reports=("share", "count"))
        )
        own = areas[areas.report_id == report.report_id].drop(
            columns=["report_id", "kommunkod", "county", "evaluation"]
        )
        result = own.merge(means, left_on="canonical_area", right_index=True, how="left")
        result["reports"] = result["reports"].fillna(0).astype("Int32")
        result["share_difference"] = result["share"] - result["mean_share"]
        return result.reset_index(drop=True)

    def history(
        self, municipality: str | None = None, *, report_id: str | Sequence[str] | None = None
    ) -> pd.DataFrame:
        """A municipality's area scores over its evaluations, one row per year × area. Where years have
        several reports that disagree, `report_id` (the start of one, or a sequence of them, one per such
        year) picks the report of its year (a ValueError names them otherwise). Across a framework
        revision the areas change: compare `share` within a `canonical_area`, and use the `crosswalk`
        table to relate areas of different revisions."""
        ids = [report_id] if isinstance(report_id, str) else list(report_id or [])
        if ids:
            mine = self._chosen(municipality, ids)
        elif municipality is None:
            raise ValueError("name a municipality or give a report_id")
        else:
            mine = self._reports_of(municipality)
        several = mine[mine.duplicated("year", keep=False)]
        if not several.empty:
            raise _several(several[several.year == several.year.iloc[0]])
        areas = self.area_scores()
        return areas[areas.report_id.isin(mine.report_id)].reset_index(drop=True)

    def _chosen(self, municipality: str | None, ids: list[str]) -> pd.DataFrame:
        """The municipality's reports, where a report_id chose one of a year without the others of that
        year. Every id must choose a report of the municipality (the first id's, when none is named),
        and no two the same year."""
        first = self.report(municipality, report_id=ids[0])
        named = municipality or first.municipality
        chosen = pd.DataFrame([first, *(self.report(named, report_id=i) for i in ids[1:])])
        chosen["asked"] = ids
        twice = chosen[chosen.duplicated("year", keep=False)]
        if not twice.empty:
            year = twice.year.iloc[0]
            of_year = twice[twice.year == year]
            *others, last = (repr(i) for i in of_year.asked)
            raise ValueError(
                f"report_ids {', '.join(others)} and {last} each choose a report of {first.municipality} "
                f"{year} ({_listing(of_year.drop_duplicates('report_id'))}); give one per year"
            )
        mine = self._reports_of(first.kommunkod if pd.notna(first.kommunkod) else first.municipality)
        return mine[~mine.year.isin(chosen.year) | mine.report_id.isin(chosen.report_id)]


def _several(reports: pd.DataFrame) -> ValueError:
    """The refusal to guess among the reports of one municipality and year."""
    first = reports.iloc[0]
    return ValueError(
        f"{len(reports)} reports of {first.municipality} {first.year} in the dataset ({_listing(reports)}); "
        "choose one with its report_id (--report on the command line)"
    )


def _listing(reports: pd.DataFrame) -> str:
    """The files of several reports with the start of each one's report_id, to choose one by."""
    rows = reports.sort_values("source_file")
    return ", ".join(f"{r.source_file}: {r.report_id[:SHORT_ID]}" for r in rows.itertuples())


def _evaluation(rows: pd.DataFrame) -> pd.Series:
    """Which evaluation a row is of: the municipality (its kommunkod where known) and the year."""
    who = rows.kommunkod.astype("string").fillna(rows.municipality.astype("string"))
    return who + "-" + rows.year.astype("string").fillna("?")


_ATTEMPTS = 5


DEFAULT_DATASET = Path("data", "parquet")


def find_dataset(start: Path | None = None) -> Path:
    """The dataset of the project a command runs in: `data/parquet` in the current folder or the
    nearest folder above it that has one (as git finds its repository), so that a notebook in
    `notebooks/` reads the project's dataset; FileNotFoundError says where it looked."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / DEFAULT_DATASET / "reports.parquet").is_file():
            return folder / DEFAULT_DATASET
    raise FileNotFoundError(
        f"no dataset found: looked for {DEFAULT_DATASET} in {here} and every folder above it; "
        "run `make ingest` in the project, or give the dataset folder"
    )


def load(path: str | Path | None = None) -> Dataset:
    """Read a dataset folder written by `kommunkompassen ingest`; without a path, the one
    `find_dataset` finds. An ingest publishes its tables one by one, so a reader may catch some of
    the new run and some of the old one: the run id in every table tells, and the tables are read
    again (a few times) until they agree."""
    folder = find_dataset() if path is None else Path(path)
    vocabularies = _vocabularies()
    runs: dict[str, str | None] = {}
    for attempt in range(_ATTEMPTS):
        if attempt:
            _pause(attempt)
        frames: dict[str, pd.DataFrame] = {}
        for name in SCHEMAS:
            frames[name], metadata = _read_table(folder, name, vocabularies)
            runs[name] = metadata.get(RUN_KEY)
        if len(set(runs.values())) == 1:
            return Dataset(**frames, metadata=metadata)
    raise DatasetError(
        f"the tables in {folder} are from {len(set(runs.values()))} different ingest runs "
        f"(read {_ATTEMPTS} times); an ingest may be writing to it: try again when it has finished"
    )


def _pause(attempt: int) -> None:
    """Give a publishing ingest time to move its remaining tables in (each move is a rename)."""
    time.sleep(0.1 * attempt)
