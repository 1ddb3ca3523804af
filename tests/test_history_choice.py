"""A history over several years that each have several reports: one report_id per such year."""

from __future__ import annotations

import re

import pytest

import kommunkompassen
from conftest import ingested
from kommunkompassen.cli import main
from make_fixtures import grastorp_spec, habo_spec, with_scores
from reportmaker import make_report

A = [64, 62, 70, 58, 71, 60, 66, 69]
B = [65, 62, 70, 58, 71, 60, 66, 69]


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """Grästorp 2014 and 2018, each in two editions whose area 1 differs, and Habo 2014."""
    spec = grastorp_spec()
    reports = {
        f"g{year}-{edition}.pdf": make_report(with_scores(spec, year, scores))
        for year in (2014, 2018)
        for edition, scores in (("A", A), ("B", B))
    }
    reports["habo-2014.pdf"] = make_report(habo_spec())
    return ingested(tmp_path_factory, reports)


@pytest.fixture(scope="module")
def ds(editions):
    return kommunkompassen.load(editions)


@pytest.fixture(scope="module")
def ids(ds):
    return dict(zip(ds.reports.source_file, ds.reports.report_id, strict=True))


def test_one_report_id_per_year_chooses_each_years_report(ds, ids):
    for chosen in (
        [ids["g2014-A.pdf"][:6], ids["g2018-B.pdf"][:6]],
        (ids["g2018-B.pdf"], ids["g2014-A.pdf"]),
    ):
        history = ds.history("Grästorp", report_id=chosen)
        assert history.year.tolist() == [2014] * 8 + [2018] * 8
        assert history.achieved.tolist() == A + B
    alone = ds.history(report_id=[ids["g2014-B.pdf"][:8], ids["g2018-A.pdf"][:8]])  # no name: the ids'
    assert alone.achieved.tolist() == B + A


def test_one_report_id_leaves_the_other_year_to_choose(ds, ids):
    listing = f"g2018-A.pdf: {ids['g2018-A.pdf'][:12]}, g2018-B.pdf: {ids['g2018-B.pdf'][:12]}"
    refusal = (
        f"2 reports of Grästorp 2018 in the dataset ({listing}); "
        "choose one with its report_id (--report on the command line)"
    )
    for chosen in (ids["g2014-A.pdf"][:6], [ids["g2014-A.pdf"][:6]]):
        with pytest.raises(ValueError, match=f"^{re.escape(refusal)}$"):
            ds.history("Grästorp", report_id=chosen)


def test_two_report_ids_of_one_year_are_refused(ds, ids):
    a, b = ids["g2014-A.pdf"][:7], ids["g2014-B.pdf"][:7]
    listing = f"g2014-A.pdf: {ids['g2014-A.pdf'][:12]}, g2014-B.pdf: {ids['g2014-B.pdf'][:12]}"
    refusal = (
        f"report_ids '{a}' and '{b}' each choose a report of Grästorp 2014 ({listing}); give one per year"
    )
    with pytest.raises(ValueError, match=f"^{re.escape(refusal)}$"):
        ds.history("Grästorp", report_id=[a, b, ids["g2018-A.pdf"]])
    once = f"g2014-A.pdf: {ids['g2014-A.pdf'][:12]}"
    refusal = f"report_ids '{a}' and '{a}' each choose a report of Grästorp 2014 ({once}); give one per year"
    with pytest.raises(ValueError, match=f"^{re.escape(refusal)}$"):
        ds.history("Grästorp", report_id=[a, a])


def test_a_report_id_of_no_report_or_of_another_municipality_is_refused(ds, ids):
    with pytest.raises(ValueError, match=r"^no report with a report_id starting 'zzz' in the dataset$"):
        ds.history("Grästorp", report_id=[ids["g2014-A.pdf"], "zzz"])
    habo = ids["habo-2014.pdf"]
    refusal = f"report {habo[:12]} (habo-2014.pdf) is Habo 2014, not Grästorp"
    for named in ("Grästorp", None):
        with pytest.raises(ValueError, match=f"^{re.escape(refusal)}$"):
            ds.history(named, report_id=[ids["g2014-A.pdf"], habo])


def test_plot_history_takes_report_once_per_year(editions, ids, tmp_path, capsys):
    png = tmp_path / "g.png"
    plot = ["plot", "history", "Grastorp", "--out", str(editions), "-o", str(png)]
    assert main([*plot, "--report", ids["g2014-A.pdf"][:6], "--report", ids["g2018-B.pdf"][:6]]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {png}"
    assert png.read_bytes().startswith(b"\x89PNG")
    both = ["--report", ids["g2014-A.pdf"][:6], "--report", ids["g2018-B.pdf"][:6]]
    compare = ["plot", "compare", "Grastorp", "--out", str(editions), "-o", str(tmp_path / "c.png")]
    assert main([*compare, *both]) == 2
    assert capsys.readouterr().err.strip() == "error: compare takes one --report; history takes one per year"
