"""Reports the pipeline has never seen: invented municipalities, scores, page size, fonts and layout."""

from __future__ import annotations

import pytest

from extract import read_document
from kommunkompassen.parsing import parse_file
from parsers import IncompleteReport, parse_report
from reportmaker import AreaSpec, ReportSpec, make_report

AREAS = [
    AreaSpec(
        1,
        "Samspel mellan förtroendevalda och medborgare",
        [
            ("1.1", "Strategi för demokrati", 11, 20),
            ("1.2", "Information", 6, 10),
            (
                "1.3",
                "Dialog med medborgarna om mycket långa namn som bryts över två rader i tabellen",
                14,
                40,
            ),
            ("1.4", "Förutsättningar för politiken", 20, 30),
        ],
    ),
    AreaSpec(
        2,
        "Samhällsutveckling",
        [
            ("2.1", "Strategiskt arbete", 9, 15),
            ("2.2", "Social hållbarhet", 13, 30),
            ("2.3", "Ekologisk hållbarhet", 27, 30),
            ("2.4", "Kultur", 4, 25),
        ],
        box_score=52,
        total=(52, 100),
    ),
]


def _parse(spec: ReportSpec):
    return parse_report(read_document(make_report(spec)))


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "column-positions"])
def test_invented_report_scores_are_read(ruled):
    report = _parse(ReportSpec("Fjällviks kommun", 2024, AREAS, ruled=ruled))
    got = [
        (
            t.area_number,
            t.name,
            t.total.achieved,
            t.total.max,
            [(r.code, r.name, r.achieved, r.max) for r in t.rows],
        )
        for t in report.overview
    ]
    assert got == [(a.number, a.name, *a.printed_total, a.subareas) for a in AREAS]
    assert [(b.area_number, b.score, b.items) for b in report.boxes] == [
        (
            1,
            51,
            (
                "Strategi för demokrati",
                "Information",
                "Dialog med medborgarna om mycket långa namn som bryts över två rader i tabellen",
                "Förutsättningar för politiken",
            ),
        ),
        (2, 52, ("Strategiskt arbete", "Social hållbarhet", "Ekologisk hållbarhet", "Kultur")),
    ]


def test_invented_report_metadata():
    meta = _parse(
        ReportSpec("Fjällviks kommun", 2024, AREAS, month="oktober", ordinal="femte", interviewees=55)
    ).metadata
    assert (meta.title, meta.municipality, meta.municipality_full, meta.year, meta.month) == (
        "Kommunkompassen Analys av Fjällviks kommun",
        "Fjällvik",
        "Fjällviks kommun",
        2024,
        10,
    )
    assert (meta.evaluation_ordinal, meta.interviewees) == (5, 55)


def test_report_without_overview_totals_is_incomplete():
    areas = [AreaSpec(1, "Arbetsliv", [("1.1", "Arbetsmiljö", 5, 10)])]
    spec = ReportSpec("Fjällviks kommun", 2024, areas)
    data = make_report(spec)
    # Cut the overview chapter away: the report has area headings and boxes but no score tables.
    import pymupdf

    doc = pymupdf.open(stream=data)
    doc.delete_page(doc.page_count - 1)
    with pytest.raises(IncompleteReport) as err:
        parse_report(read_document(doc.tobytes()))
    assert str(err.value) == "score tables incomplete: no overview score tables (Uppnått | Max) found"


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "column-positions"])
def test_tables_continued_without_a_repeated_header(ruled):
    """A long overview table and a long findings table run over a page break without repeating their
    header rows: each is still one table, every row and item in it."""
    subareas = [(f"1.{i}", f"Delområde nummer {i} med ett namn", i % 7, 10) for i in range(1, 61)]
    strengths = [f"Styrka {i} som beskriver ett arbete som pågår i kommunen." for i in range(1, 45)]
    area = AreaSpec(1, "Samspel mellan förtroendevalda och medborgare", subareas, strengths=strengths)
    spec = ReportSpec("Fjällviks kommun", 2024, [area], ruled=ruled, repeat_headers=False)
    report = _parse(spec)
    [table] = report.overview
    assert [(r.code, r.name, r.achieved, r.max) for r in table.rows] == subareas
    assert (table.total.achieved, table.total.max) == area.printed_total
    assert len({r.page for r in table.rows}) > 1
    [findings] = report.findings
    assert [f.text for f in findings.findings] == strengths
    assert len({f.page for f in findings.findings}) > 1
    # The ingest reads words only on pages with table headers; it reads the continuation pages again.
    result = parse_file("x.pdf", make_report(spec), "id")
    rows = [(r["code"], r["name"], r["achieved"], r["max"]) for r in result.tables["scores"]]
    assert rows == [("1", area.name, *area.printed_total), *subareas]
    assert [f["text"] for f in result.tables["findings"]] == strengths
