"""Property test: invented reports (any municipality, year, sub-areas, scores, findings, page size, font,
with or without table borders, numbers on the first, middle or last line of a wrapped row, headers repeated
or not after a page break) come out of the whole pipeline exactly as they were laid out."""

from __future__ import annotations

import csv

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kommunkompassen.pipeline import INGESTED, parse_file
from normalize.taxonomy import taxonomy
from reportmaker import FAMILIES, AreaSpec, ReportSpec, make_report

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
]
_SIZES = {"A4": (595.0, 842.0), "Letter": (612.0, 792.0), "A4 liggande kant": (595.0, 880.0)}


def _municipalities() -> list[str]:
    from importlib import resources

    with resources.files("normalize").joinpath("data/municipalities.csv").open(encoding="utf-8") as fh:
        return [row["name"] for row in csv.DictReader(fh)]


def _sentence(min_words: int, max_words: int) -> st.SearchStrategy[str]:
    words = st.lists(st.sampled_from(_WORDS), min_size=min_words, max_size=max_words)
    return words.map(lambda w: (" ".join(w)).capitalize() + ".")


def _name(min_words: int, max_words: int) -> st.SearchStrategy[str]:
    words = st.lists(st.sampled_from(_WORDS), min_size=min_words, max_size=max_words)
    return words.map(lambda w: " ".join(w).capitalize())


@st.composite
def _area(draw: st.DrawFn, number: int, name: str) -> AreaSpec:
    subareas = []
    for i in range(1, draw(st.integers(2, 6)) + 1):
        maximum = draw(st.integers(5, 40))
        subareas.append((f"{number}.{i}", draw(_name(1, 12)), draw(st.integers(0, maximum)), maximum))
    findings = st.lists(_sentence(2, 35), max_size=7)
    return AreaSpec(number, name, subareas, strengths=draw(findings), improvements=draw(findings))


@st.composite
def _report(draw: st.DrawFn) -> ReportSpec:
    revision = draw(st.sampled_from(taxonomy().revisions))
    names = sorted((a for a in taxonomy().areas.values() if a.revision == revision), key=lambda a: a.number)
    areas = [draw(_area(a.number, a.name)) for a in names]
    municipality = draw(st.sampled_from(_municipalities()))
    return ReportSpec(
        f"{municipality} kommun",
        draw(st.integers(2008, 2030)),
        areas,
        ruled=draw(st.booleans()),
        page_size=_SIZES[draw(st.sampled_from(sorted(_SIZES)))],
        family=draw(st.sampled_from(sorted(FAMILIES))),
        numbers=draw(st.sampled_from(["first", "middle", "last"])),
        repeat_headers=draw(st.booleans()),
        heading_separator=draw(st.sampled_from([" ", ": ", " – ", ". "])),
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
    result = parse_file("invented.pdf", make_report(spec), "id")
    assert result.status == INGESTED, result.reason
    tables = {name: pd.DataFrame(rows) for name, rows in result.tables.items()}
    [report] = result.tables["reports"]
    assert (report["municipality_full"], report["year"]) == (spec.municipality_full, spec.year)
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
