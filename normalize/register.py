"""The municipality register (SCB codes and counties, a data file) and name matching."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from parsers import patterns


@dataclass(frozen=True, slots=True)
class Municipality:
    kommunkod: str
    name: str
    county: str


def _genitive(name: str) -> str:
    return name if name[-1:].lower() in "sxz" else name + "s"


@cache
def _index() -> dict[str, Municipality]:
    index: dict[str, Municipality] = {}
    with resources.files("normalize").joinpath("data/municipalities.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            m = Municipality(row["kommunkod"], row["name"], row["county"])
            for form in (m.name, _genitive(m.name)):
                index[form.casefold()] = m
    return index


def tidy_name(printed: str | None, place: Municipality | None) -> str | None:
    """A name printed in capitals on older title pages ('HALMSTADS KOMMUN') in ordinary case, the
    municipality's own name as the register writes it ('Halmstads kommun'); other names as printed."""
    if not printed or not printed.isupper():
        return printed
    lower = printed.lower()
    forms = (_genitive(place.name), place.name) if place else ()
    form = next((f for f in forms if lower.startswith(f.lower())), lower[:1].upper())
    return form + lower[len(form) :]


def find_municipality(printed: str | None) -> Municipality | None:
    """Match a name as printed ('Nynäshamns kommun', 'Helsingborgs stad', 'Region Gotland')."""
    if not printed:
        return None
    name = patterns.MUNICIPALITY_SUFFIX.sub("", " ".join(printed.split()))
    name = patterns.REGION_PREFIX.sub("", name)
    return _index().get(name.casefold())
