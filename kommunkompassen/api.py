"""The analyst's entry point: the dataset as pandas DataFrames with proper dtypes, and the joins and
comparisons everyone would otherwise write again (`load("data/parquet").compare("Nacka")`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from normalize.register import find_municipality
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
        raise FileNotFoundError(
            f"no dataset in {path}: {file.name} is missing; run `make ingest` "
            f"(or `kommunkompassen ingest --out {path}`) first"
        )
    try:
        table = pq.read_table(file)
    except pa.ArrowException as exc:  # ArrowInvalid and friends: not Parquet, truncated, wrong schema
        raise DatasetError(f"cannot read {file}: not a readable Parquet file ({exc})") from None
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

    def report(self, municipality: str, year: int | None = None) -> pd.Series:
        """The report of a municipality (name as printed, with or without 'kommun', or kommunkod) in a
        year, or its latest; a clear ValueError when there is none or more than one."""
        found = find_municipality(municipality)
        wanted = self.reports.municipality.str.casefold() == municipality.strip().casefold()
        if found is not None:
            wanted |= self.reports.kommunkod == found.kommunkod
        wanted |= self.reports.kommunkod == municipality.strip()
        mine = self.reports[wanted.fillna(False)]
        if mine.empty:
            known = ", ".join(sorted(self.reports.municipality.dropna().unique())) or "no reports"
            raise ValueError(f"no report of {municipality!r} in the dataset; it has {known}")
        name = mine.municipality.iloc[0]
        if year is None:
            year = int(mine.year.max())
        chosen = mine[mine.year == year]
        if chosen.empty:
            years = ", ".join(str(y) for y in sorted(mine.year.dropna().unique()))
            raise ValueError(f"no {year} report of {name} in the dataset; it has {years}")
        if len(chosen) > 1:
            files = ", ".join(sorted(chosen.source_file))
            raise ValueError(f"{len(chosen)} reports of {name} {year} in the dataset ({files}); keep one")
        return chosen.iloc[0]

    def compare(
        self, municipality: str, year: int | None = None, *, include_self: bool = True
    ) -> pd.DataFrame:
        """A municipality's area scores beside the mean of the reports of the same framework revision
        (points and areas differ between revisions, so they are never mixed). `reports` is how many
        reports the mean is over; `include_self=False` leaves the municipality's own report out of it."""
        report = self.report(municipality, year)
        revision = report.framework_revision
        if pd.isna(revision):
            raise ValueError(
                f"{report.municipality} {report.year} ({report.source_file}): its framework revision was "
                "not recognised, so there are no like-for-like reports to compare it with"
            )
        areas = self.area_scores()
        peers = areas[areas.framework_revision == revision]
        if not include_self:
            peers = peers[peers.report_id != report.report_id]
        means = peers.groupby("canonical_area", observed=True).agg(
            mean_achieved=("achieved", "mean"), mean_share=("share", "mean"), reports=("report_id", "nunique")
        )
        own = areas[areas.report_id == report.report_id].drop(columns=["report_id", "kommunkod", "county"])
        result = own.merge(means, left_on="canonical_area", right_index=True, how="left")
        result["reports"] = result["reports"].fillna(0).astype("Int32")
        result["share_difference"] = result["share"] - result["mean_share"]
        return result.reset_index(drop=True)

    def history(self, municipality: str) -> pd.DataFrame:
        """A municipality's area scores over its evaluations, one row per year × area. Across a framework
        revision the areas change: compare `share` within a `canonical_area`, and use the crosswalk
        (normalize/data/crosswalk.csv) to relate areas of different revisions."""
        name = self.report(municipality).municipality
        areas = self.area_scores()
        return areas[areas.municipality == name].reset_index(drop=True)


_ATTEMPTS = 5


def load(path: str | Path = "data/parquet") -> Dataset:
    """Read a dataset folder written by `kommunkompassen ingest`. An ingest publishes its tables one
    by one, so a reader may catch some of the new run and some of the old one: the run id in every
    table tells, and the tables are read again (a few times) until they agree."""
    folder = Path(path)
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
