"""The canonical vocabulary (data files in normalize/data) and the matching of printed names to it."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

_FILES = ("areas.csv", "area_aliases.csv", "subareas.csv", "subarea_aliases.csv", "crosswalk.csv")
_NOT_WORD = regex.compile(r"[^\p{L}\p{N}]+")


def name_key(name: str) -> str:
    """What two printings of one name have in common: letters and digits, lower case, single spaces."""
    return _NOT_WORD.sub(" ", name.casefold()).strip()


def _rows(file: str) -> list[dict[str, str]]:
    with resources.files("normalize").joinpath("data", file).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True, slots=True)
class Area:
    area_id: str
    revision: str
    number: int
    name: str


@dataclass(frozen=True, slots=True)
class Taxonomy:
    areas: dict[str, Area]
    area_by_key: dict[str, tuple[str, ...]]  # name key -> the areas printed so (revisions share names)
    subarea_names: dict[str, str]  # subarea id -> canonical name
    subarea_by_key: dict[tuple[str, str], str]  # (area id, name key) -> subarea id
    crosswalk: dict[tuple[str, str], str]  # (older area, newer area) -> comparability
    version: str

    @property
    def revisions(self) -> list[str]:
        return sorted({a.revision for a in self.areas.values()})

    def has_subareas(self, revision: str) -> bool:
        return any(sid.startswith(f"{revision}-") for sid in self.subarea_names)

    def area(self, revision: str, number: int) -> Area | None:
        return self.areas.get(f"{revision}-{number}")

    def comparability(self, old: str, new: str) -> str:
        return self.crosswalk.get((old, new), "none")

    def comparable(self, a: str, b: str) -> bool:
        """Whether the crosswalk relates two areas of different revisions, in either direction."""
        return self.comparability(a, b) != "none" or self.comparability(b, a) != "none"


@cache
def taxonomy() -> Taxonomy:
    """Load the data files once per process."""
    areas = {
        r["area_id"]: Area(r["area_id"], r["revision"], int(r["number"]), r["name"])
        for r in _rows("areas.csv")
    }
    digest = hashlib.sha256()
    for file in _FILES:
        digest.update(resources.files("normalize").joinpath("data", file).read_bytes())
    return Taxonomy(
        areas=areas,
        area_by_key=_by_key(_rows("area_aliases.csv")),
        subarea_names={r["subarea_id"]: r["name"] for r in _rows("subareas.csv")},
        subarea_by_key={
            (r["subarea_id"].split(".")[0], name_key(r["alias"])): r["subarea_id"]
            for r in _rows("subarea_aliases.csv")
        },
        crosswalk={(r["from_area"], r["to_area"]): r["comparability"] for r in _rows("crosswalk.csv")},
        version=digest.hexdigest()[:12],
    )


def _by_key(aliases: list[dict[str, str]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for row in aliases:
        key = name_key(row["alias"])
        if row["area_id"] not in found.get(key, ()):
            found[key] = (*found.get(key, ()), row["area_id"])
    return found


def detect_revision(area_names: list[str], year: int | None = None) -> str | None:
    """The revision whose area names the report prints most often; None when none is recognised. A name
    that two revisions share (the 2016 revision kept five of the 2010 names) counts for both, so the
    renamed areas decide; where the names cannot (only shared ones are printed), the latest of the tied
    revisions in use by the evaluation's `year` (a revision's id is the year it came into use)."""
    tax = taxonomy()
    votes = Counter(
        revision
        for key in map(name_key, area_names)
        for revision in {tax.areas[area].revision for area in tax.area_by_key.get(key, ())}
    )
    if not votes:
        return None
    best = max(votes.values())
    tied = sorted(revision for revision, n in votes.items() if n == best)
    if len(tied) == 1:
        return tied[0]
    in_use = [revision for revision in tied if year is not None and int(revision) <= year]
    return in_use[-1] if in_use else None


@dataclass(frozen=True, slots=True)
class AreaMatch:
    area_id: str | None
    note: str | None  # why the match needs a person's attention, if it does


def match_area(name: str, number: int, revision: str | None) -> AreaMatch:
    """The canonical area of a printed area name in a report of `revision`."""
    tax = taxonomy()
    candidates = tax.area_by_key.get(name_key(name), ())
    if revision is None:
        return AreaMatch(None, f"Area {number} '{name}': the framework revision is unknown.")
    if not candidates:
        return AreaMatch(None, f"Area {number} '{name}' is not a known {revision} area name.")
    own = next((a for a in candidates if tax.areas[a].revision == revision), None)
    if own is not None:
        area = tax.areas[own]
        if area.number != number:
            return AreaMatch(own, f"area {number} '{name}' is area {area.number} in the {revision} framework")
        return AreaMatch(own, None)
    # The name of another revision's area (seen: a 2020 report labelling area 1 'Offentlighet och demokrati'):
    # follow the crosswalk, where it names exactly one counterpart at the same number.
    others = " and ".join(sorted({tax.areas[a].revision for a in candidates}))
    counterparts = [
        a
        for a in tax.areas.values()
        if a.revision == revision
        and a.number == number
        and any(tax.comparable(c, a.area_id) for c in candidates)
    ]
    if len(counterparts) == 1:
        [target] = counterparts
        note = f"Area {number} is printed with the {others} name '{name}'; read as '{target.name}'."
        return AreaMatch(target.area_id, note)
    return AreaMatch(None, f"Area {number} '{name}' is a {others} area name in a {revision} report.")


def match_subarea(name: str, area_id: str | None) -> str | None:
    if area_id is None:
        return None
    return taxonomy().subarea_by_key.get((area_id, name_key(name)))


def taxonomy_tables() -> dict[str, list[dict]]:
    """The taxonomy as rows of the dataset's `areas`, `subareas` and `crosswalk` tables, named like
    the columns they join (`canonical_area`, `canonical_subarea`), so that the Parquet folder alone
    relates areas across revisions."""
    return {
        "areas": [
            {
                "canonical_area": r["area_id"],
                "framework_revision": r["revision"],
                "area_number": int(r["number"]),
                "name": r["name"],
            }
            for r in _rows("areas.csv")
        ],
        "subareas": [
            {
                "canonical_subarea": r["subarea_id"],
                "canonical_area": r["area_id"],
                "name": r["name"],
                "note": r["note"] or None,
            }
            for r in _rows("subareas.csv")
        ],
        "crosswalk": [
            {k: r[k] or None for k in ("from_area", "to_area", "comparability", "note")}
            for r in _rows("crosswalk.csv")
        ],
    }
