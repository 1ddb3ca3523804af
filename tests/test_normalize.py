"""Normalization across framework revisions, and municipality identification."""

from __future__ import annotations

import csv
import json
import shutil
from importlib import resources

import pandas as pd
import pytest

from conftest import FIXTURES
from kommunkompassen.parsing import parse_file
from kommunkompassen.pipeline import ingest
from make_fixtures import molndal_spec
from normalize.register import find_municipality, municipality_candidates, tidy_name
from normalize.taxonomy import detect_revision, match_area, match_subarea, name_key, taxonomy
from normalize.validate import schema_problem
from reportmaker import AreaSpec, ReportSpec, make_report

# Published area totals of older reports (the sub-areas invented), laid out by tests/make_fixtures.py.
CONSTRUCTED = {"constructed-grastorp-2014.pdf": 506, "constructed-molndal-2016.pdf": 476}


def _data(file: str) -> list[dict[str, str]]:
    with resources.files("normalize").joinpath("data", file).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_area_alias_resolves_to_its_area():
    for row in _data("area_aliases.csv"):
        area = taxonomy().areas[row["area_id"]]
        assert match_area(row["alias"], area.number, area.revision).area_id == row["area_id"], row


def test_every_subarea_alias_resolves_and_every_subarea_has_one():
    for row in _data("subarea_aliases.csv"):
        assert match_subarea(row["alias"], row["subarea_id"].split(".")[0]) == row["subarea_id"], row
    assert {r["subarea_id"] for r in _data("subareas.csv")} == {
        r["subarea_id"] for r in _data("subarea_aliases.csv")
    }
    assert all(r["area_id"] in taxonomy().areas for r in _data("subareas.csv"))


def test_printed_variants_of_names_match():
    assert name_key("Kommunen som arbetsgivare (personalpolitik)") == name_key(
        "Kommunen som arbetsgivare personalpolitik"
    )
    assert match_area("Kommun som samhällsbyggare", 8, "2010").area_id == "2010-8"
    assert match_area("KOMMUNEN SOM  ARBETSGIVARE personalpolitik", 6, "2010").area_id == "2010-6"


def test_crosswalk_comparability():
    tax = taxonomy()
    assert tax.comparability("2010-3", "2020-3") == "partial"
    assert tax.comparability("2010-8", "2020-2") == "partial"
    assert tax.comparability("2010-1", "2020-4") == "none"


@pytest.mark.parametrize(
    ("names", "revision"),
    [
        (["Samspel mellan förtroendevalda och medborgare", "Samhällsutveckling", "Effektivitet"], "2020"),
        (
            ["Offentlighet och demokrati", "Tillgänglighet och brukarorientering", "Verksamhetsutveckling"],
            "2010",
        ),
        (
            [
                "Offentlighet och demokrati",
                "Brukarfokus, tillgänglighet och bemötande",
                "Ständiga förbättringar",
            ],
            "2016",
        ),
        # a 2020 report that labels area 1 with the old name is still a 2020 report
        (
            ["Offentlighet och demokrati", "Samhällsutveckling", "Styrning och kontroll", "Effektivitet"],
            "2020",
        ),
        (["Något helt annat"], None),
    ],
)
def test_revision_detection(names, revision):
    assert detect_revision(names) == revision


@pytest.mark.parametrize(("year", "revision"), [(None, None), (2012, "2010"), (2017, "2016"), (2009, None)])
def test_names_both_revisions_share_are_told_apart_by_the_year(year, revision):
    """The 2016 revision kept five of the 2010 area names: a report printing only those is read by
    which revision was in use in its year."""
    names = ["Offentlighet och demokrati", "Resultat och effektivitet", "Kommun som samhällsbyggare"]
    assert detect_revision(names, year) == revision


def test_old_area_name_in_a_2020_report_follows_the_crosswalk():
    match = match_area("Offentlighet och demokrati", 1, "2020")
    assert (match.area_id, match.note) == (
        "2020-1",
        "Area 1 is printed with the 2010 and 2016 name 'Offentlighet och demokrati'; "
        "read as 'Samspel mellan förtroendevalda och medborgare'.",
    )


def test_unknown_area_name_is_null_with_a_warning():
    match = match_area("Digital förmåga", 9, "2020")
    assert (match.area_id, match.note) == (None, "Area 9 'Digital förmåga' is not a known 2020 area name.")


def test_nacka_and_nynashamn_subarea_drift(dataset, report_ids):
    scores = dataset["scores"].query("level == 'subarea'")

    def ids(name):
        mine = scores[scores.report_id == report_ids[name]]
        return dict(zip(mine.code, mine.canonical_subarea, strict=True))

    nacka, nyn = ids("nacka-2021.pdf"), ids("nynashamn-2023.pdf")
    assert nacka["4.2"] == nyn["4.3"] == "2020-4.jamforelser"
    assert nacka["4.3"] == nyn["4.4"] == "2020-4.ny-teknik"
    assert nacka["4.4"] == nyn["4.5"] == "2020-4.samverkan"
    assert nyn["4.2"] == "2020-4.planering" and "2020-4.planering" not in nacka.values()
    assert nyn["3.5"] == "2020-3.koncernstyrning" and "3.5" not in nacka
    assert nacka["8.2"] == "2020-8.forebilder" and "2020-8.forebilder" not in nyn.values()
    assert nacka["8.3"] == nyn["8.2"] == "2020-8.chefers-uppdrag"
    assert nacka["5.5"] == nyn["5.5"] == "2020-5.brukarinflytande"
    assert nacka["2.1"] == nyn["2.1"] == "2020-2.strategi"
    assert nacka["7.4"] == nyn["7.4"] == "2020-7.lika-rattigheter"
    assert None not in nacka.values() and None not in nyn.values()


def test_reference_reports_are_2020_with_canonical_areas_and_shares(dataset):
    assert dataset["reports"].framework_revision.tolist() == ["2020", "2020"]
    areas = dataset["scores"].query("level == 'area'")
    assert areas.canonical_area.tolist() == [f"2020-{n}" for n in range(1, 9)] * 2
    assert (areas.share == areas.achieved / areas["max"]).all()
    assert areas.canonical_subarea.isna().all()
    assert not dataset["checks"].code.isin(["area-name", "subarea-name", "revision-unknown"]).any()


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Nacka kommun", ("0182", "Nacka", "Stockholms län")),
        ("Nynäshamns kommun", ("0192", "Nynäshamn", "Stockholms län")),
        ("Helsingborgs stad", ("1283", "Helsingborg", "Skåne län")),
        ("Vännäs kommun", ("2460", "Vännäs", "Västerbottens län")),
        ("Region Gotland", ("0980", "Gotland", "Gotlands län")),
        ("Upplands Väsby kommun", ("0114", "Upplands Väsby", "Stockholms län")),
        ("Nynashamn", ("0192", "Nynäshamn", "Stockholms län")),
        ("nynäshamn", ("0192", "Nynäshamn", "Stockholms län")),
        ("NYNÄSHAMNS KOMMUN", ("0192", "Nynäshamn", "Stockholms län")),
        ("Orebro", ("1880", "Örebro", "Örebro län")),
        ("upplands vasby", ("0114", "Upplands Väsby", "Stockholms län")),
        ("Habo", ("0643", "Habo", "Jönköpings län")),
        ("Håbo kommun", ("0305", "Håbo", "Uppsala län")),
    ],
)
def test_municipality_register(printed, expected):
    m = find_municipality(printed)
    assert (m.kommunkod, m.name, m.county) == expected


def test_a_name_only_diacritics_tell_apart_is_ambiguous():
    """'Habo' is Habo and 'Håbo' Håbo, but 'Hàbo' could be either: both are candidates, none is found."""
    assert [m.name for m in municipality_candidates("Hàbo")] == ["Håbo", "Habo"]
    assert find_municipality("Hàbo") is None
    assert municipality_candidates("Fjällvik") == ()


def test_register_has_all_290_municipalities():
    rows = _data("municipalities.csv")
    assert len(rows) == 290 == len({r["kommunkod"] for r in rows}) == len({r["name"] for r in rows})
    assert len({r["county"] for r in rows}) == 21


@pytest.mark.parametrize(("name", "total"), sorted(CONSTRUCTED.items()))
def test_constructed_older_reports_are_read_with_no_special_case(tmp_path, name, total):
    """Grästorp 2014 (2010 revision) and Mölndal 2016 (2016 revision: a contents page and headings that
    print the scores, memo headers, Kortfakta): detected, normalized, and no check fires."""
    truth = json.loads((FIXTURES / name.replace(".pdf", ".truth.json")).read_text())
    revision = truth["framework_revision"]
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / name, raw / name)
    ingest(raw, tmp_path / "out", jobs=1)
    reports = pd.read_parquet(tmp_path / "out" / "reports.parquet")
    scores = pd.read_parquet(tmp_path / "out" / "scores.parquet")
    checks = pd.read_parquet(tmp_path / "out" / "checks.parquet")
    [report] = reports.itertuples()
    assert (report.municipality, report.kommunkod, report.year, report.framework_revision) == (
        truth["municipality"],
        truth["kommunkod"],
        truth["year"],
        truth["framework_revision"],
    )
    assert (
        (report.total_achieved, report.total_max)
        == (truth["total_score"], truth["max_total"])
        == (total, 800)
    )
    areas = scores.query("level == 'area'")
    assert [(r.name, r.achieved, r.max, r.canonical_area) for r in areas.itertuples()] == [
        (a["name"], a["score"], a["max"], f"{revision}-{a['number']}") for a in truth["areas"]
    ]
    subs = scores.query("level == 'subarea'")
    assert [(r.code, r.name, r.achieved, r.max) for r in subs.itertuples()] == [
        (s["code"], s["name"], s["score"], s["max"]) for a in truth["areas"] for s in a["subareas"]
    ]
    assert subs.canonical_subarea.isna().all()
    assert (subs.framework_revision == revision).all()
    assert [(r.code, r.message) for r in checks.itertuples()] == [
        (
            "subareas-not-mapped",
            f"The {revision} taxonomy has no sub-area vocabulary; sub-areas have no canonical id.",
        )
    ]


def test_every_place_that_prints_an_area_score_is_compared_with_the_overview():
    """A report whose score box, area heading and table of contents say 50 where the overview table
    sums to 40: each place is a check naming both places; the overview stays the score."""
    spec = molndal_spec()
    spec.areas[2].box_score = 50
    result = parse_file("molndal.pdf", make_report(spec), "id")
    assert result.status == "ingested"
    area3 = next(s for s in result.tables["scores"] if s["code"] == "3")
    assert (area3["achieved"], area3["max"]) == (73, 100)
    errors = [
        (c["area_number"], c["code"], c["message"])
        for c in result.tables["checks"]
        if c["severity"] == "error"
    ]
    assert errors == [
        (3, "box-vs-overview", "Area 3: the score box says 50 but the overview table total is 73."),
        (
            3,
            "heading-vs-overview",
            "Area 3: the area heading (page 6) says 50 points but the overview table total is 73 (page 9).",
        ),
        (
            3,
            "contents-vs-overview",
            "Area 3: the table of contents (page 2) says 50 points "
            "but the overview table total is 73 (page 9).",
        ),
    ]


def test_unknown_names_in_a_report_are_warnings_not_guesses():
    from extract import read_document
    from normalize.rows import report_rows
    from parsers import parse_report

    spec = ReportSpec(
        "Fjällviks kommun",
        2024,
        [
            AreaSpec(
                1,
                "Offentlighet och demokrati",
                [("1.1", "Strategi för demokratiutveckling och information", 5, 10)],
            ),
            AreaSpec(2, "Samhällsutveckling", [("2.1", "Social hållbarhet", 5, 10)]),
            AreaSpec(
                3,
                "Styrning och kontroll",
                [("3.1", "Politisk styrning", 5, 10), ("3.2", "Digital styrning", 1, 5)],
            ),
            AreaSpec(4, "Framtidsfrågor", [("4.1", "Omvärldsbevakning", 5, 10)]),
        ],
    )
    rows = report_rows(parse_report(read_document(make_report(spec))), "id", "f.pdf")
    assert rows["reports"][0]["framework_revision"] == "2020"
    assert rows["reports"][0]["kommunkod"] is None
    got = {(r["code"], r["canonical_area"], r["canonical_subarea"]) for r in rows["scores"]}
    assert {
        ("1", "2020-1", None),
        ("1.1", "2020-1", "2020-1.strategi"),
        ("3.2", "2020-3", None),
        ("4", None, None),
        ("4.1", None, None),
    } <= got
    assert [
        (c["area_number"], c["code"], c["message"]) for c in rows["checks"] if c["code"] != "findings-missing"
    ] == [
        (None, "unknown-municipality", "'Fjällviks kommun' is not in the municipality register."),
        (
            1,
            "area-name",
            "Area 1 is printed with the 2010 and 2016 name 'Offentlighet och "
            "demokrati'; read as 'Samspel mellan förtroendevalda och medborgare'.",
        ),
        (3, "subarea-name", "Sub-area 3.2 'Digital styrning' is not in the 2020 taxonomy."),
        (4, "area-name", "Area 4 'Framtidsfrågor' is not a known 2020 area name."),
    ]


_FINDING = {"report_id": "r", "area_number": 1, "kind": "strength", "position": 1, "text": "Bra", "page": 3}


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({}, None),
        ({"text": "Öppna nämnder ✓"}, None),
        ({"page": 2**31}, "findings.page is 2147483648, beyond the 32-bit integers the column holds"),
        ({"page": -(2**31)}, None),
        ({"page": True}, "findings.page is True, not a whole number"),
        ({"page": "3"}, "findings.page is '3', not a whole number"),
        ({"page": 3.0}, "findings.page is 3.0, not a whole number"),
        ({"area_number": None}, "findings.area_number is missing"),
        ({"text": None}, "findings.text is missing"),
        ({"text": 7}, "findings.text is 7, not text"),
        ({"text": "a\udc80b"}, "findings.text is 'a\\udc80b', not valid Unicode text"),
    ],
)
def test_every_value_is_checked_against_its_column(change, said):
    assert schema_problem({"findings": [_FINDING, {**_FINDING, **change}]}) == said


def test_a_share_must_be_a_number():
    score = {"report_id": "r", "level": "area", "area_number": 1, "code": "1", "page": 4, "achieved": 1}
    assert schema_problem({"scores": [{**score, "share": 0.5}]}) is None
    assert schema_problem({"scores": [{**score, "share": "50 %"}]}) == "scores.share is '50 %', not a number"


@pytest.mark.parametrize(
    ("printed", "tidy"),
    [
        ("HALMSTADS KOMMUN", "Halmstads kommun"),
        ("GRÄSTORPS KOMMUN", "Grästorps kommun"),
        ("REGION GOTLAND", "Region Gotland"),
        ("HELSINGBORGS STAD", "Helsingborgs stad"),
        ("Nacka kommun", "Nacka kommun"),
        ("FJÄLLVIKS KOMMUN", "Fjällviks kommun"),
    ],
)
def test_names_printed_in_capitals_are_tidied_with_the_registers_spelling(printed, tidy):
    assert tidy_name(printed, find_municipality(printed)) == tidy
