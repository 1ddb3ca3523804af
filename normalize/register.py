"""The municipality register (SCB codes and counties, a data file) and name matching."""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from parsers import patterns


@dataclass(frozen=True, slots=True)
class Municipality:
    kommunkod: str
    name: str
    county: str

    @property
    def lanskod(self) -> str:
        """The county's two-digit SCB code: the first two digits of the kommunkod."""
        return self.kommunkod[:2]


def _genitive(name: str) -> str:
    return name if name[-1:].lower() in "sxz" else name + "s"


def fold_name(name: str) -> str:
    """A name without diacritics and case ('Nynäshamn' -> 'nynashamn'), as typed on a keyboard
    without å, ä and ö."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _municipalities() -> tuple[Municipality, ...]:
    with resources.files("normalize").joinpath("data/municipalities.csv").open(encoding="utf-8") as fh:
        return tuple(Municipality(r["kommunkod"], r["name"], r["county"]) for r in csv.DictReader(fh))


@cache
def _index() -> dict[str, Municipality]:
    return {form.casefold(): m for m in _municipalities() for form in (m.name, _genitive(m.name))}


@cache
def _folded_index() -> dict[str, tuple[Municipality, ...]]:
    """Folded forms may be shared ('Habo' and 'Håbo'), so each one keeps every municipality it fits."""
    index: dict[str, list[Municipality]] = defaultdict(list)
    for m in _municipalities():
        for form in {fold_name(m.name), fold_name(_genitive(m.name))}:
            index[form].append(m)
    return {form: tuple(found) for form, found in index.items()}


def tidy_name(printed: str | None, place: Municipality | None) -> str | None:
    """A name printed in capitals on older title pages ('HALMSTADS KOMMUN', 'REGION GOTLAND') in
    ordinary case, the municipality's own name as the register writes it ('Halmstads kommun', 'Region
    Gotland'); other names as printed."""
    if not printed or not printed.isupper():
        return printed
    lower = printed.lower()
    for form in (_genitive(place.name), place.name) if place else ():
        at = lower.find(form.lower())
        if at >= 0:  # 'halmstads kommun', 'region gotland'
            lower = lower[:at] + form + lower[at + len(form) :]
            break
    return lower[:1].upper() + lower[1:]


def municipality_candidates(printed: str | None) -> tuple[Municipality, ...]:
    """The municipalities a name as printed or typed may mean ('Nynäshamns kommun', 'Helsingborgs stad',
    'Region Gotland', 'NYNÄSHAMN', 'Orebro'): the one it names exactly in any case, else every one it
    names without diacritics (more than one when only the diacritics tell them apart)."""
    if not printed:
        return ()
    name = patterns.MUNICIPALITY_SUFFIX.sub("", " ".join(printed.split()))
    name = patterns.REGION_PREFIX.sub("", name)
    exact = _index().get(name.casefold())
    return (exact,) if exact else _folded_index().get(fold_name(name), ())


def find_municipality(printed: str | None) -> Municipality | None:
    """The one municipality a name means, or None when it names none or is ambiguous."""
    found = municipality_candidates(printed)
    return found[0] if len(found) == 1 else None
