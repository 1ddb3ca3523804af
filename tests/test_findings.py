"""Regression: every strength and improvement of the reference reports, and the sections."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from conftest import FIXTURES, REFERENCE
from extract import read_document
from parsers import parse_report
from reportmaker import AreaSpec, ReportSpec, make_report


def _of(dataset, report_ids, table: str, name: str) -> pd.DataFrame:
    df = dataset[table]
    return df[df.report_id == report_ids[name]]


@pytest.mark.parametrize("name", REFERENCE)
@pytest.mark.parametrize("kind", ["strength", "improvement"])
def test_every_finding_matches_truth_in_order(dataset, report_ids, truth, name, kind):
    findings = _of(dataset, report_ids, "findings", name).query("kind == @kind")
    got = [(r.area_number, r.position, r.text) for r in findings.itertuples()]
    key = {"strength": "strengths", "improvement": "improvements"}[kind]
    expected = [
        (a["number"], i, text) for a in truth[name]["areas"] for i, text in enumerate(a[key], start=1)
    ]
    assert got == expected


@pytest.mark.parametrize("name", REFERENCE)
def test_finding_counts_per_area(dataset, report_ids, truth, name):
    findings = _of(dataset, report_ids, "findings", name)
    counts = findings.groupby(["area_number", "kind"]).size().to_dict()
    expected = {
        (a["number"], kind): len(a[key])
        for a in truth[name]["areas"]
        for kind, key in (("strength", "strengths"), ("improvement", "improvements"))
        if a[key]
    }
    assert counts == expected


def test_table_continued_over_a_page_break_is_one_table(dataset, report_ids):
    area2 = _of(dataset, report_ids, "findings", "nynashamn-2023.pdf").query("area_number == 2")
    assert sorted(set(area2.page)) == [11, 12]
    assert area2.query("kind == 'improvement'").position.tolist() == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("name", REFERENCE)
def test_section_headings_per_area(dataset, report_ids, truth, name):
    sections = _of(dataset, report_ids, "sections", name)
    for area in truth[name]["areas"]:
        mine = sections[sections.area_number == area["number"]]
        assert mine.query("level == 2").heading.tolist() == [f"Område {area['number']} {area['name']}"]
        level3 = mine.query("level == 3").heading.tolist()
        assert level3[0] == "Allmänt"
        assert len(level3) >= 2


def test_nacka_section_outline(dataset, report_ids):
    sections = _of(dataset, report_ids, "sections", "nacka-2021.pdf")
    assert sections.query("level == 1").heading.tolist() == [
        "1 Vad är kommunkompassen?",
        "2. Nacka kommun i förhållande till Kommunkompassen: En sammanfattande genomgång",
        "3. Detaljerad genomgång per område",
        "4. Översikt av poängfördelning",
    ]
    area1 = sections[sections.area_number == 1].query("level == 3").heading.tolist()
    assert area1 == [
        "Allmänt",
        "Strategi för demokratiutveckling och information",
        "Kommunens information till medborgarna",
        "Medborgarnas möjlighet till dialog med politiken",
        "Transparens kring resultat",
        "Förutsättningar för politiken",
    ]


def test_section_text_joins_lines_and_pages(dataset, report_ids):
    sections = _of(dataset, report_ids, "sections", "nacka-2021.pdf").set_index("heading")
    info = sections.loc["Kommunens information till medborgarna"]
    assert (info.page_start, info.page_end) == (6, 7)
    paragraphs = info.text.split("\n\n")
    # The paragraph that crosses from page 6 to page 7 stays one paragraph.
    assert paragraphs[0] == (
        "Nacka använder sig av flertalet olika kommunikationskanaler för att nå medborgarna. Webben är den "
        "viktigaste, men sociala medier som t.ex. Facebook, LinkedIn och Instagram används också flitigt som "
        "kompletterande kanaler och som enligt intervjuerna ska utvecklas framgent."
    )
    assert "enklare steg-för-steg-anvisningar för de mest efterfrågade" in paragraphs[2]
    intro = sections.loc["1 Vad är kommunkompassen?"].text.split("\n\n")
    assert intro[3:7] == [
        "Demokratiaktör (transparens, medborgardialog, politisk styrning, m.m.)",
        "Samhällsbyggare",
        "Välfärdaktör (kundens/brukarens fokus, effektivitet, styrning/uppföljning, m.m.)",
        "Arbetsgivare (ledar-/medarbetarskap, kreativitet, kultur, kompetens, m.m.)",
    ]
    assert "1. Samspel mellan förtroendevalda och medborgare" in intro


@pytest.mark.parametrize("name", REFERENCE)
def test_no_furniture_or_table_text_in_sections(dataset, report_ids, truth, name):
    sections = _of(dataset, report_ids, "sections", name)
    text = "\n".join(sections.heading) + "\n".join(sections.text)
    assert f"Kommunkompassen Analys av {truth[name]['municipality_full']}" not in text
    paragraphs = set(sections.text.str.split("\n\n").explode())
    assert "Sveriges Kommuner och Regioner" not in paragraphs  # the running header
    assert "\uf0b7" not in text and "•" not in text
    assert "Förbättringsmöjligheter" not in text and "Uppnått" not in text and "Rubriker" not in text
    for area in truth[name]["areas"]:
        for item in area["strengths"] + area["improvements"]:
            assert item not in text


def test_invented_findings_with_bullets_and_page_break():
    strengths = [
        f"Styrka nummer {i} med en text som är lång nog att brytas över flera rader i cellen"
        for i in range(1, 4)
    ]
    improvements = [f"Förbättring {i}: utveckla arbetet vidare" for i in range(1, 40)]
    area = AreaSpec(
        1, "Arbetsliv", [("1.1", "Arbetsmiljö", 5, 10)], strengths=strengths, improvements=improvements
    )
    for ruled in (True, False):
        report = parse_report(
            read_document(make_report(ReportSpec("Fjällviks kommun", 2024, [area], ruled=ruled)))
        )
        [table] = report.findings
        assert [f.text for f in table.findings if f.kind == "strength"] == strengths
        assert [f.text for f in table.findings if f.kind == "improvement"] == improvements
        assert len({f.page for f in table.findings}) == 2


def test_unruled_table_of_one_line_items_reads_with_the_reports_other_tables():
    """Without borders, a table whose items are all one line long shows no wrapping of its own; the
    report's other tables (one template) show how text wraps, so each line is its own item."""
    long = "Ett utvecklat arbete med uppföljning och analys som bryts över flera rader i tabellens cell"
    wrapped = AreaSpec(1, "Arbetsliv", [("1.1", "Arbetsmiljö", 5, 10)], strengths=[long], improvements=[long])
    short = [f"Kort styrka {word}." for word in ("ett", "två", "tre", "fyra")]
    one_line = AreaSpec(2, "Effektivitet", [("2.1", "Samverkan", 4, 10)], strengths=short)
    spec = ReportSpec("Fjällviks kommun", 2024, [wrapped, one_line], ruled=False)
    tables = {t.area_number: t for t in parse_report(read_document(make_report(spec))).findings}
    assert [(f.kind, f.text) for f in tables[1].findings] == [("strength", long), ("improvement", long)]
    assert [(f.kind, f.position, f.text) for f in tables[2].findings] == [
        ("strength", i, text) for i, text in enumerate(short, start=1)
    ]


@pytest.mark.parametrize("name", REFERENCE)
def test_reference_reports_without_ruling_lines(truth, name):
    """Producers that draw no table borders: columns and cells come from positions alone."""
    doc = read_document((FIXTURES / name).read_bytes())
    bare = replace(doc, pages=tuple(replace(page, rules=()) for page in doc.pages))
    report = parse_report(bare)
    got = {t.area_number: t.findings for t in report.findings}
    for area in truth[name]["areas"]:
        findings = got.get(area["number"], ())
        assert [f.text for f in findings if f.kind == "strength"] == area["strengths"]
        assert [f.text for f in findings if f.kind == "improvement"] == area["improvements"]
    scores = [(r.code, r.achieved, r.max) for t in report.overview for r in (t.total, *t.rows)]
    expected = [
        row
        for a in truth[name]["areas"]
        for row in [(str(a["number"]), a["score"], a["max"])]
        + [(s["code"], s["score"], s["max"]) for s in a["subareas"]]
    ]
    assert scores == expected
    assert [b.score for b in report.boxes] == [a["box_score"] for a in truth[name]["areas"]]
