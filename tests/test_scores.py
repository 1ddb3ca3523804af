"""Regression: every score cell of the reference reports against their truth files."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES, REFERENCE
from extract import read_document
from normalize.schema import SCHEMAS
from parsers import parse_report


def _scores(dataset, report_ids, name: str) -> pd.DataFrame:
    scores = dataset["scores"]
    return scores[scores.report_id == report_ids[name]]


@pytest.mark.parametrize("name", REFERENCE)
def test_every_area_row_matches_truth(dataset, report_ids, truth, name):
    areas = _scores(dataset, report_ids, name).query("level == 'area'")
    got = [(r.code, r.name, r.achieved, r.max) for r in areas.itertuples()]
    expected = [(str(a["number"]), a["name"], a["score"], a["max"]) for a in truth[name]["areas"]]
    assert got == expected


@pytest.mark.parametrize("name", REFERENCE)
def test_every_subarea_row_matches_truth(dataset, report_ids, truth, name):
    subs = _scores(dataset, report_ids, name).query("level == 'subarea'")
    got = [(r.area_number, r.code, r.name, r.achieved, r.max) for r in subs.itertuples()]
    expected = [
        (a["number"], s["code"], s["name"], s["score"], s["max"])
        for a in truth[name]["areas"]
        for s in a["subareas"]
    ]
    assert got == expected


def test_score_pages_are_the_overview_pages(dataset, report_ids):
    nyn = _scores(dataset, report_ids, "nynashamn-2023.pdf")
    # Area 5's table is cut by a page break: its sub-areas are on one page, its total on the next.
    area5 = nyn[nyn.area_number == 5]
    assert area5.query("level == 'subarea'").page.unique().tolist() == [30]
    assert area5.query("level == 'area'").page.tolist() == [31]


@pytest.mark.parametrize("name", REFERENCE)
def test_report_row_matches_truth(dataset, report_ids, truth, name):
    row = dataset["reports"].set_index("report_id").loc[report_ids[name]]
    t = truth[name]
    assert (row.title, row.municipality, row.municipality_full, row.year) == (
        t["title"],
        t["municipality"],
        t["municipality_full"],
        t["year"],
    )
    assert (row.total_achieved, row.total_max, row.kommunkod) == (
        t["total_score"],
        t["max_total"],
        t["kommunkod"],
    )


def test_report_metadata_of_nacka(dataset, report_ids):
    row = dataset["reports"].set_index("report_id").loc[report_ids["nacka-2021.pdf"]]
    assert (row.pages, row.month, row.evaluation_ordinal, row.previous_evaluation_year, row.interviewees) == (
        37,
        2,
        3,
        2011,
        40,
    )
    assert row.county == "Stockholms län"


@pytest.mark.parametrize("name", REFERENCE)
def test_score_boxes_match_truth(truth, name):
    report = parse_report(read_document((FIXTURES / name).read_bytes()))
    got = [(b.area_number, b.header, b.items, b.score) for b in report.boxes]
    expected = [
        (a["number"], tuple(a["box_header"]), tuple(a["box_subareas"]), a["box_score"])
        for a in truth[name]["areas"]
    ]
    assert got == expected


def test_nynashamn_area2_sum_disagreement_is_a_check(dataset, report_ids):
    checks = dataset["checks"]
    nyn = checks[checks.report_id == report_ids["nynashamn-2023.pdf"]]
    assert [(r.area_number, r.severity, r.code, r.message) for r in nyn.itertuples()] == [
        (2, "error", "subarea-sum", "Area 2: the sub-area scores sum to 59, the overview total is 60.")
    ]


def test_nacka_checks_only_the_area_without_findings_table(dataset, report_ids):
    checks = dataset["checks"]
    nacka = checks[checks.report_id == report_ids["nacka-2021.pdf"]]
    assert [(r.area_number, r.severity, r.code, r.message) for r in nacka.itertuples()] == [
        (
            2,
            "warning",
            "findings-missing",
            "Area 2 has no strengths/improvements table (Styrkor | Förbättringsmöjligheter).",
        )
    ]


def test_files_table_lists_both_reports_ingested(dataset, report_ids):
    files = dataset["files"]
    assert [(r.source_file, r.report_id, r.status) for r in files.itertuples()] == [
        (name, report_ids[name], "ingested") for name in REFERENCE
    ]
    assert files.reason.isna().all()


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_parquet_schema_reads_back(dataset_dir, table):
    schema = pq.read_schema(dataset_dir / f"{table}.parquet")
    assert [(f.name, f.type, f.nullable) for f in schema] == [
        (f.name, f.type, f.nullable) for f in SCHEMAS[table]
    ]
    assert all(f.metadata[b"description"] for f in schema)
    assert schema.metadata[b"kommunkompassen.version"]
