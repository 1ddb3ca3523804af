"""Property test: invented reports (any municipality, year, sub-areas, scores, findings, page size, font,
with or without table borders, numbers on the first, middle or last line of a wrapped row, headers repeated
or not after a page break) come out of the whole pipeline exactly as they were laid out, in every layout
class the report maker draws: findings cells holding several items, two text columns, banded tables under a
coloured header band, older reports (contents with scores, memo header, scores in headings, fact tables,
other improvement headers) and rotated pages."""

from __future__ import annotations

import csv

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kommunkompassen.parsing import parse_file
from kommunkompassen.results import INGESTED
from normalize.taxonomy import taxonomy
from reportmaker import (
    FAMILIES,
    IMPROVEMENT_HEADERS,
    ITEM_MARKERS,
    PAGE_NUMBERS,
    ROTATIONS,
    RUNNING_HEADERS,
    AreaSpec,
    ReportSpec,
    make_report,
)

_WORDS = [
    "arbetet",
    "med",
    "styrning",
    "uppföljning",
    "kommunens",
    "förtroendevalda",
    "medborgare",
    "dialog",
    "ökad",
    "tydlig",
    "strategisk",
    "hållbarhet",
    "kvalitet",
    "verksamheter",
    "förvaltningen",
    "nämnderna",
    "resultat",
    "analys",
    "jämförelser",
    "digitala",
    "tjänster",
    "brukare",
    "service",
    "bemötande",
    "kompetensförsörjning",
    "arbetsmiljö",
    "ledarskap",
    "medarbetare",
    "chefer",
    "innovation",
    "förbättringar",
    "samverkan",
    "näringsliv",
    "civilsamhälle",
    "kultur",
    "trygghet",
    "ekonomi",
    "planering",
    "budget",
    "mål",
    "indikatorer",
    "rapportering",
    "ansvar",
    "roller",
    "tjänstepersoner",
    "utveckla",
    "säkerställ",
    "fortsätt",
    "tydliggör",
    "stärk",
    "systematiskt",
    "långsiktigt",
    "gemensamt",
    "övergripande",
    "för",
    "och",
    "i",
    "av",
    "till",
    "på",
    "inom",
    "samt",
    "som",
    "att",
    "är",
    "det",
]
# Compounds wider than a narrow cell: with break_words they are split at a character, with no hyphen.
# None begins or ends with a word of the text: a compound broken right beside such a word ("kvalitet" +
# "sledningssystemet") cannot be told from two words by layout, and is read as two (see README).
_LONG_WORDS = [
    "verksamhetsutvecklingsprojekten",
    "ledningssystemsdokumentationen",
    "befolkningsprognosunderlagen",
    "lönebildningsprocessernas",
    "samhällsbyggnadsförvaltningens",
    "miljöövervakningsprogrammen",
]
assert not [(w, p) for w in _LONG_WORDS for p in _WORDS if w.startswith(p) or w.endswith(p)]
_SIZES = {"A4": (595.0, 842.0), "Letter": (612.0, 792.0), "A4 liggande kant": (595.0, 880.0)}


def _municipalities() -> list[str]:
    from importlib import resources

    with resources.files("normalize").joinpath("data/municipalities.csv").open(encoding="utf-8") as fh:
        return [row["name"] for row in csv.DictReader(fh)]


def _sentence(min_words: int, max_words: int, vocabulary: list[str] = _WORDS) -> st.SearchStrategy[str]:
    words = st.lists(st.sampled_from(vocabulary), min_size=min_words, max_size=max_words)
    return words.map(lambda w: (" ".join(_apart(w))).capitalize() + ".")


def _apart(words: list[str]) -> list[str]:
    """No two long compounds side by side: prose does not set them so, and two whole words that each
    fill a narrow line, one ending it and one starting the next, look like one word broken in two."""
    return [w for i, w in enumerate(words) if not (w in _LONG_WORDS and i and words[i - 1] in _LONG_WORDS)]


def _name(min_words: int, max_words: int) -> st.SearchStrategy[str]:
    words = st.lists(st.sampled_from(_WORDS), min_size=min_words, max_size=max_words)
    return words.map(lambda w: " ".join(w).capitalize())


@st.composite
def _area(draw: st.DrawFn, number: int, name: str, vocabulary: list[str]) -> AreaSpec:
    subareas = []
    for i in range(1, draw(st.integers(2, 6)) + 1):
        maximum = draw(st.integers(5, 40))
        subareas.append((f"{number}.{i}", draw(_name(1, 12)), draw(st.integers(0, maximum)), maximum))
    findings = st.lists(_sentence(2, 35, vocabulary), max_size=7)
    return AreaSpec(number, name, subareas, strengths=draw(findings), improvements=draw(findings))


_DARK = [(0.48, 0.17, 0.23), (0.12, 0.25, 0.45), (0.2, 0.35, 0.2), (0.3, 0.3, 0.3)]
_LIGHT = [(0.95, 0.91, 0.92), (0.85, 0.89, 0.95), (0.93, 0.93, 0.93)]


@st.composite
def _geometry(draw: st.DrawFn) -> dict:
    """Margins and type sizes: every class is drawn at varying geometry, not at one sample's."""
    return {
        "margin_x": draw(st.sampled_from([40.0, 50.0, 60.0, 72.0])),
        "margin_top": draw(st.sampled_from([60.0, 70.0, 85.0])),
        "margin_bottom": draw(st.sampled_from([60.0, 80.0, 95.0])),
        "size": draw(st.sampled_from([9.0, 9.5, 10.0, 10.5, 11.0])),
        "table_size": draw(st.sampled_from([8.5, 9.0, 9.5, 10.0, 10.5])),
    }


@st.composite
def _cells(draw: st.DrawFn, on: bool = False) -> dict:
    """Class 1: one body row per findings table, its cells holding all items as paragraphs."""
    if not (on or draw(st.booleans())):
        return {}
    return {
        "findings_cells": True,
        "item_marker": draw(st.sampled_from(ITEM_MARKERS)),
        "item_gap": draw(st.sampled_from([0.3, 0.6, 1.0, 1.4])),
    }


@st.composite
def _two_column(draw: st.DrawFn, on: bool = False) -> dict:
    """Class 2: two text columns, with or without long words broken inside narrow cells."""
    if not (on or draw(st.booleans())):
        return {}
    return {
        "columns": 2,
        "gutter": draw(st.sampled_from([12.0, 18.0, 24.0, 36.0])),
        "break_words": draw(st.booleans()),
    }


@st.composite
def _banded(draw: st.DrawFn, on: bool = False) -> dict:
    """Class 3: header band or memo line, page-number style, coloured header rows and zebra rows."""
    if not (on or draw(st.booleans())):
        return {}
    return {
        "running_header": draw(st.sampled_from(RUNNING_HEADERS)),
        "band_colour": draw(st.sampled_from(_DARK + _LIGHT)),
        "band_text_white": draw(st.booleans()),
        "page_numbers": draw(st.sampled_from(PAGE_NUMBERS)),
        "header_fill": draw(st.sampled_from([None, *_DARK])),
        "zebra_fill": draw(st.sampled_from([None, *_LIGHT])),
    }


@st.composite
def _older(draw: st.DrawFn, on: bool = False) -> dict:
    """Class 4 (reports of 2010-2019): contents with scores and pages, memo header, scores in headings,
    Kortfakta, other improvement headers. Draws the report's year too."""
    if not (on or draw(st.booleans())):
        return {}
    year = draw(st.integers(2010, 2019))
    return {
        "year": year,
        "toc": draw(st.booleans()),
        "toc_leaders": draw(st.booleans()),
        "memo_date": f"{year}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}",
        "organisation": draw(
            st.sampled_from(["Sveriges Kommuner och Landsting", "Sveriges Kommuner och Regioner"])
        ),
        "heading_scores": draw(st.booleans()),
        "kortfakta": draw(st.booleans()),
        "improvements_header": draw(st.sampled_from(IMPROVEMENT_HEADERS)),
        "cover_caps": draw(st.booleans()),
    }


@st.composite
def _rotated(draw: st.DrawFn, on: bool = False) -> dict:
    """Class 5: a /Rotate entry on every page or on the overview pages, which may be landscape."""
    if not (on or draw(st.booleans())):
        return {}
    return {
        "rotation": draw(st.sampled_from(ROTATIONS)),
        "rotate_overview_only": draw(st.booleans()),
        "landscape_overview": draw(st.booleans()),
    }


# The layout classes, each drawn on or off independently of the others (`on` forces one on).
CLASSES = {
    "cells": _cells,
    "two_column": _two_column,
    "banded": _banded,
    "older": _older,
    "rotated": _rotated,
}


@st.composite
def _report(draw: st.DrawFn, classes: tuple[str, ...] = tuple(CLASSES)) -> ReportSpec:
    """A whole report; `classes` limits the layout classes that may be drawn (to study one at a time)."""
    layout = draw(_geometry())
    primary = draw(st.sampled_from(classes)) if classes else None  # one class always on, for coverage
    for name in classes:
        layout |= draw(CLASSES[name](on=name == primary))
    older = "year" in layout  # an older report: its year drawn with it, a revision before the newest
    year = layout.pop("year") if older else draw(st.integers(2008, 2030))
    revisions = sorted(taxonomy().revisions)
    revision = draw(st.sampled_from(revisions[:-1] if older and len(revisions) > 1 else revisions))
    vocabulary = _WORDS + _LONG_WORDS if layout.get("break_words") else _WORDS
    names = sorted((a for a in taxonomy().areas.values() if a.revision == revision), key=lambda a: a.number)
    areas = [draw(_area(a.number, a.name, vocabulary)) for a in names]
    municipality = draw(st.sampled_from(_municipalities()))
    return ReportSpec(
        f"{municipality} kommun",
        year,
        areas,
        ruled=draw(st.booleans()),
        page_size=_SIZES[draw(st.sampled_from(sorted(_SIZES)))],
        family=draw(st.sampled_from(sorted(FAMILIES))),
        numbers=draw(st.sampled_from(["first", "middle", "last"])),
        overview_title=draw(st.sampled_from(["row", "above"])),
        repeat_headers=draw(st.booleans()),
        heading_separator=draw(st.sampled_from([" ", ": ", " – ", ". "])),
        body_text=draw(_sentence(8, 90, vocabulary)),  # the prose speaks of what the tables do
        summary_text=" ".join(draw(st.permutations(vocabulary))),  # as reports discuss it all
        **layout,
    )


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.generate],
)
@given(spec=_report())
def test_invented_report_comes_out_as_laid_out(spec):
    check_report(spec)


def check_report(spec: ReportSpec) -> None:
    """Every score, finding and the facts of the cover come out of the pipeline as `spec` laid them out."""
    result = parse_file("invented.pdf", make_report(spec), "id")
    assert result.status == INGESTED, result.reason
    tables = {name: pd.DataFrame(rows) for name, rows in result.tables.items()}
    [report] = result.tables["reports"]
    printed = spec.municipality_full.upper() if spec.cover_caps else spec.municipality_full
    assert (report["municipality_full"], report["year"]) == (printed, spec.year)
    assert report["municipality_name"] == spec.municipality_full
    assert report["kommunkod"] is not None

    scores = tables["scores"]
    areas = scores[scores.level == "area"]
    assert list(zip(areas.code, areas.name, areas.achieved, areas["max"], strict=True)) == [
        (str(a.number), a.name, *a.printed_total) for a in spec.areas
    ]
    subareas = scores[scores.level == "subarea"]
    assert list(zip(subareas.code, subareas.name, subareas.achieved, subareas["max"], strict=True)) == [
        s for a in spec.areas for s in a.subareas
    ]
    assert set(areas.canonical_area) == {f"{report['framework_revision']}-{a.number}" for a in spec.areas}

    findings = result.tables["findings"]
    for kind, attribute in (("strength", "strengths"), ("improvement", "improvements")):
        got = [(f["area_number"], f["position"], f["text"]) for f in findings if f["kind"] == kind]
        expected = [
            (a.number, i, t) for a in spec.areas for i, t in enumerate(getattr(a, attribute), start=1)
        ]
        assert got == expected

    errors = [c for c in result.tables["checks"] if c["severity"] == "error"]
    assert errors == []
    missing = sorted(c["area_number"] for c in result.tables["checks"] if c["code"] == "findings-missing")
    assert missing == [a.number for a in spec.areas if not (a.strengths or a.improvements)]
