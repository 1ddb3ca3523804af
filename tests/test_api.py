"""The analyst API: dtypes, metadata, and the helpers, checked against the transcribed truth."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import kommunkompassen
from conftest import FIXTURES, REFERENCE
from kommunkompassen.api import DatasetError
from kommunkompassen.charts import compare_chart, history_chart, percent, save_chart
from kommunkompassen.cli import main
from kommunkompassen.pipeline import ingest
from make_fixtures import AREAS_2010, grastorp_spec, with_scores
from normalize.schema import SCHEMAS, field_values
from normalize.taxonomy import taxonomy
from reportmaker import make_report

_PANDAS = {pa.int32(): pd.Int32Dtype(), pa.string(): pd.StringDtype(), pa.float64(): pd.Float64Dtype()}
_TAXONOMY_COLUMNS = {"framework_revision", "canonical_area"}


@pytest.fixture(scope="module")
def ds(dataset_dir):
    return kommunkompassen.load(dataset_dir)


def test_every_column_has_its_dtype(ds):
    for name, schema in SCHEMAS.items():
        frame = getattr(ds, name)
        assert list(frame.columns) == schema.names, name
        for field in schema:
            dtype = frame[field.name].dtype
            values = field_values(field)
            if values:
                assert dtype == pd.CategoricalDtype(values, ordered=True), (name, field.name)
            elif field.name in _TAXONOMY_COLUMNS:
                assert isinstance(dtype, pd.CategoricalDtype), (name, field.name)
            else:
                assert dtype == _PANDAS[field.type], (name, field.name)


def test_taxonomy_categories(ds):
    assert list(ds.scores.framework_revision.cat.categories) == ["2010", "2016", "2020"]
    areas = taxonomy().areas.values()
    expected = [a.area_id for a in sorted(areas, key=lambda a: (a.revision, a.number))]
    assert list(ds.scores.canonical_area.cat.categories) == expected


def test_missing_values_are_na_not_nan(ds):
    areas = ds.scores[ds.scores.level == "area"]
    assert areas.canonical_subarea.isna().all()
    assert areas.canonical_subarea.iloc[0] is pd.NA


def test_file_metadata(ds):
    assert ds.metadata["kommunkompassen.version"] == kommunkompassen.__version__
    assert ds.metadata["kommunkompassen.taxonomy_version"] == taxonomy().version
    written = datetime.fromisoformat(ds.metadata["kommunkompassen.written_at"])
    assert written.tzinfo == UTC
    assert abs((datetime.now(UTC) - written).total_seconds()) < 3600


def test_area_scores_is_one_row_per_report_and_area(ds, truth):
    wide = ds.area_scores()
    assert len(wide) == sum(len(t["areas"]) for t in truth.values())
    assert list(wide.columns[:6]) == [
        "report_id",
        "municipality",
        "kommunkod",
        "county",
        "year",
        "framework_revision",
    ]
    for t in truth.values():
        rows = wide[wide.municipality == t["municipality"]]
        assert rows.year.tolist() == [t["year"]] * len(t["areas"])
        assert rows.kommunkod.tolist() == [t["kommunkod"]] * len(t["areas"])
        assert rows.area_number.tolist() == [a["number"] for a in t["areas"]]
        assert rows.achieved.tolist() == [a["score"] for a in t["areas"]]
        assert rows["max"].tolist() == [a["max"] for a in t["areas"]]
        assert rows.name.tolist() == [a["name"] for a in t["areas"]]
        assert rows.area_name.tolist() == [taxonomy().areas[f"2020-{a['number']}"].name for a in t["areas"]]
        assert rows.share.tolist() == pytest.approx([a["score"] / a["max"] for a in t["areas"]])


@pytest.mark.parametrize("include_self", [True, False])
def test_compare_with_the_mean_of_the_same_revision(ds, truth, include_self):
    me, other = (truth[name] for name in REFERENCE)
    table = ds.compare(me["municipality"], include_self=include_self)
    assert table.area_number.tolist() == [a["number"] for a in me["areas"]]
    assert table.achieved.tolist() == [a["score"] for a in me["areas"]]
    peers = [(a["score"], b["score"]) for a, b in zip(me["areas"], other["areas"], strict=True)]
    expected = [(x + y) / 2 if include_self else y for x, y in peers]
    assert table.mean_achieved.tolist() == pytest.approx(expected)
    assert table.mean_share.tolist() == pytest.approx([e / 100 for e in expected])
    assert table.reports.tolist() == [2 if include_self else 1] * len(peers)
    assert table.share_difference.tolist() == pytest.approx(
        [(x - e) / 100 for (x, _), e in zip(peers, expected, strict=True)]
    )


@pytest.mark.parametrize("query", ["Nacka", "nacka", "NACKA KOMMUN", "Nacka kommun", "0182"])
def test_report_is_found_by_name_or_code(ds, query):
    assert ds.report(query).source_file == "nacka-2021.pdf"


@pytest.mark.parametrize("query", ["Nynashamn", "nynäshamn", "NYNÄSHAMN", "nynashamns kommun"])
def test_report_is_found_without_diacritics_and_in_any_case(ds, query):
    assert ds.report(query).source_file == "nynashamn-2023.pdf"
    assert ds.history(query).municipality.unique().tolist() == ["Nynäshamn"]


def test_a_name_that_fits_two_municipalities_says_so(ds):
    with pytest.raises(
        ValueError,
        match=r"^'Hàbo' may be Håbo \(0305\) or Habo \(0643\); write it with å, ä, ö or give the kommunkod$",
    ):
        ds.compare("Hàbo")


def test_unknown_municipality_and_year_say_what_there_is(ds):
    with pytest.raises(
        ValueError, match=r"^no report of 'Fjällvik' in the dataset; it has Nacka, Nynäshamn$"
    ):
        ds.compare("Fjällvik")
    with pytest.raises(ValueError, match=r"^no 2019 report of Nacka in the dataset; it has 2021$"):
        ds.compare("Nacka", 2019)


def test_missing_dataset_names_the_folder_and_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        kommunkompassen.load(tmp_path)
    assert str(info.value) == (
        f"no dataset in {tmp_path}: reports.parquet is missing; run `make ingest` "
        f"(or `kommunkompassen ingest --out {tmp_path}`) first"
    )


@pytest.fixture(scope="module")
def grastorp(tmp_path_factory):
    """Grästorp over three evaluations: 2014 and 2018 under the 2010 framework, 2022 under 2020."""
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(FIXTURES / "constructed-grastorp-2014.pdf", raw / "grastorp-2014.pdf")
    spec = grastorp_spec()
    names_2020 = [
        a.name for a in sorted(taxonomy().areas.values(), key=lambda a: a.number) if a.revision == "2020"
    ]
    later = {
        2018: ([64, 62, 70, 58, 71, 60, 66, 69], AREAS_2010),
        2022: ([70, 55, 61, 65, 59, 68, 72, 57], names_2020),
    }
    for year, (scores, names) in later.items():
        (raw / f"grastorp-{year}.pdf").write_bytes(make_report(with_scores(spec, year, scores, names)))
    out = tmp_path_factory.mktemp("grastorp") / "parquet"
    ingest(raw, out, jobs=1)
    return kommunkompassen.load(out), later


def test_history_spans_revisions_without_mixing_them(grastorp):
    ds, later = grastorp
    history = ds.history("Grästorp")
    assert sorted(set(history.year)) == [2014, 2018, 2022]
    by_year = {y: rows for y, rows in history.groupby("year")}
    assert by_year[2018].achieved.tolist() == later[2018][0]
    assert by_year[2022].achieved.tolist() == later[2022][0]
    assert set(by_year[2014].framework_revision) == {"2010"}
    assert set(by_year[2022].framework_revision) == {"2020"}
    assert by_year[2022].canonical_area.astype(str).tolist() == [f"2020-{n}" for n in range(1, 9)]


def test_compare_never_mixes_revisions(grastorp):
    ds, later = grastorp
    newest = ds.compare("Grästorp")  # 2022, the only 2020-revision report
    assert newest.year.unique().tolist() == [2022]
    assert newest.reports.tolist() == [1] * 8
    assert newest.mean_achieved.tolist() == later[2022][0]
    alone = ds.compare("Grästorp", include_self=False)
    assert alone.reports.tolist() == [0] * 8
    assert alone.mean_share.isna().all()
    old = ds.compare("Grästorp", 2018, include_self=False)  # the mean is the 2014 report alone
    assert old.reports.tolist() == [1] * 8
    assert old.mean_achieved.tolist() == ds.history("Grästorp").query("year == 2014").achieved.tolist()


def test_area_with_unknown_name_keeps_its_printed_name(tmp_path):
    spec = grastorp_spec()
    areas = [dataclasses.replace(spec.areas[0], name="Ett helt nytt område"), *spec.areas[1:]]
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "x.pdf").write_bytes(make_report(dataclasses.replace(spec, areas=areas)))
    ingest(raw, tmp_path / "out", jobs=1)
    wide = kommunkompassen.load(tmp_path / "out").area_scores()
    assert wide.canonical_area.isna().tolist() == [True] + [False] * 7
    assert wide.area_name.iloc[0] == "Ett helt nytt område"


def _source(ds, year: int) -> str:
    report = ds.reports[(ds.reports.municipality == "Grästorp") & (ds.reports.year == year)].iloc[0]
    return f"{report.source_file} ({year}, version {report.framework_revision}, id {report.report_id[:12]})"


def test_history_chart_draws_one_line_per_area_and_revision(grastorp):
    ds, later = grastorp
    fig = history_chart(ds, "Grästorp")
    ax = fig.axes[0]
    lines = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(lines) == 16  # 8 areas of the 2010 framework (2014, 2018), 8 of the 2020 framework (2022)
    assert [len(line.get_xdata()) for line in lines] == [2] * 8 + [1] * 8
    assert list(lines[13].get_ydata()) == [later[2022][0][5]]  # area 6 of 2020
    assert len({line.get_color() for line in lines}) == 16  # area 6 of 2010 and of 2020: two colours
    assert [t.get_text() for t in ax.texts] == ["ny version (2020)"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2014", "2018", "2022"]
    assert ax.get_title(loc="left") == "Grästorp: områdenas poäng över 3 utvärderingar"
    sources = f"Källor: {_source(ds, 2014)}; {_source(ds, 2018)}; {_source(ds, 2022)}"
    assert fig.get_supxlabel().replace("\n", " ") == sources  # wrapped to the width of the chart


def test_history_legend_has_a_column_per_revision(grastorp):
    ds, later = grastorp
    legend = history_chart(ds, "Grästorp").axes[0].get_legend()
    texts = [t.get_text().replace("\n", " ") for t in legend.get_texts()]
    names = {"2010": AREAS_2010, "2020": later[2022][1]}
    assert texts == [
        text
        for revision in ("2010", "2020")
        for text in [
            f"Kommunkompassen {revision}",
            *(f"{n}. {name}" for n, name in enumerate(names[revision], 1)),
        ]
    ]
    assert [t.get_fontweight() for t in legend.get_texts()].count("bold") == 2
    assert legend._ncols == 2  # the legend fills its columns in turn: one revision per column


def test_compare_chart_without_other_reports_says_so(grastorp):
    ds, later = grastorp
    fig = compare_chart(ds, "Grästorp")
    ax = fig.axes[0]
    widths = [round(p.get_width()) for p in ax.patches]
    assert widths == later[2022][0]  # only the municipality's bars: shares of a maximum of 100
    assert fig.get_supxlabel() == (
        f"Datasetet har inga andra rapporter enligt Kommunkompassen 2020.\nKälla: {_source(ds, 2022)}"
    )
    assert [t.get_text() for t in ax.texts] == [f"{v} %" for v in later[2022][0]]
    assert ax.get_title(loc="left") == "Grästorp 2022 jämfört med genomsnittet"


def test_compare_chart_bars_are_the_municipality_and_the_mean_of_the_others(ds, truth):
    me, other = (truth[name] for name in REFERENCE)
    fig = compare_chart(ds, me["municipality"])
    ax = fig.axes[0]
    widths = [round(p.get_width()) for p in ax.patches]
    assert widths == [a["score"] for a in me["areas"]] + [a["score"] for a in other["areas"]]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        me["municipality"],
        "Medelvärde, 1 annan rapport",
    ]
    report = ds.report(me["municipality"])
    assert fig.get_supxlabel() == (
        "Medelvärdet är över 1 annan rapport enligt Kommunkompassen 2020.\n"
        f"Källa: {report.source_file} (2021, version 2020, id {report.report_id[:12]})"
    )
    shares = [f"{round(100 * a['score'] / a['max'])} %" for r in (me, other) for a in r["areas"]]
    assert [t.get_text() for t in ax.texts] == shares  # the bar labels: all whole percentages
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert labels == [f"{a['number']}. {a['name']}" for a in me["areas"]]
    assert list(ax.get_yticks()) == sorted(ax.get_yticks(), reverse=True)  # area 1 at the top


def test_a_dollar_in_a_file_name_is_drawn_as_it_is(ds, tmp_path):
    reports = ds.reports.copy()
    reports["source_file"] = reports.source_file.str.replace("nacka-2021", "nacka $2021$")
    fig = compare_chart(dataclasses.replace(ds, reports=reports), "Nacka")
    save_chart(fig, tmp_path / "nacka.svg")  # '$2021$' would be drawn as maths, glyph by glyph
    assert ">Källa: nacka $2021$.pdf (2021, version 2020, id " in (tmp_path / "nacka.svg").read_text()


def test_shares_are_labelled_as_whole_percentages():
    assert [percent(v) for v in (0.28, 0.42, 0.7 / 2.5, 0.545, 0.565, 0.9999, 0.0)] == [
        "28 %",
        "42 %",
        "28 %",
        "55 %",
        "57 %",
        "100 %",
        "0 %",
    ]


def test_the_2016_revision_is_its_own(tmp_path):
    """Mölndal 2016 (2016 revision) beside Grästorp 2014 (2010 revision): five area names are the same,
    but no mean is taken across the two revisions."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("constructed-molndal-2016.pdf", "constructed-grastorp-2014.pdf"):
        shutil.copy(FIXTURES / name, raw / name)
    ingest(raw, tmp_path / "out", jobs=1)
    ds = kommunkompassen.load(tmp_path / "out")
    molndal = ds.compare("Mölndal", include_self=False)
    assert molndal.reports.tolist() == [0] * 8
    assert molndal.mean_share.isna().all()
    assert molndal.achieved.tolist() == [49, 61, 73, 61, 57, 63, 45, 67]
    history = ds.history("Mölndal")
    assert set(history.framework_revision) == {"2016"}
    assert history.canonical_area.astype(str).tolist() == [f"2016-{n}" for n in range(1, 9)]
    assert ds.compare("Grästorp", include_self=False).reports.tolist() == [0] * 8


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """Nacka 2021 in three files (the bundled one, a re-download with other bytes, a byte-identical
    copy), Nynäshamn 2023, Grästorp 2014 in two editions whose scores differ, and Grästorp 2018."""
    raw = tmp_path_factory.mktemp("raw")
    nacka = (FIXTURES / "nacka-2021.pdf").read_bytes()
    (raw / "nacka-2021.pdf").write_bytes(nacka)
    (raw / "nacka-2021-kopia.pdf").write_bytes(nacka + b"\n% downloaded again\n")
    (raw / "nacka-ny.pdf").write_bytes(nacka)
    shutil.copy(FIXTURES / "nynashamn-2023.pdf", raw / "nynashamn-2023.pdf")
    shutil.copy(FIXTURES / "constructed-grastorp-2014.pdf", raw / "grastorp-2014.pdf")
    scores = [64, 62, 70, 58, 71, 60, 66, 69]
    (raw / "grastorp-2014-rättad.pdf").write_bytes(make_report(with_scores(grastorp_spec(), 2014, scores)))
    later = [50, 52, 54, 56, 58, 60, 62, 64]
    (raw / "grastorp-2018.pdf").write_bytes(make_report(with_scores(grastorp_spec(), 2018, later)))
    return raw


def _files(out):
    ds = kommunkompassen.load(out)
    return [(f.source_file, f.status, f.reason) for f in ds.files.itertuples()], ds


def test_the_same_evaluation_in_other_bytes_is_skipped_naming_the_first(editions, tmp_path):
    out = tmp_path / "out"
    summary = ingest(editions, out, jobs=2)
    files, ds = _files(out)
    assert files == [
        ("grastorp-2014-rättad.pdf", "ingested", pd.NA),
        ("grastorp-2014.pdf", "ingested", pd.NA),
        ("grastorp-2018.pdf", "ingested", pd.NA),
        ("nacka-2021-kopia.pdf", "ingested", pd.NA),
        (
            "nacka-2021.pdf",
            "skipped",
            "the same evaluation (Nacka 2021: month and every score) as nacka-2021-kopia.pdf",
        ),
        ("nacka-ny.pdf", "skipped", "duplicate of nacka-2021.pdf"),
        ("nynashamn-2023.pdf", "ingested", pd.NA),
    ]
    assert (summary.count("ingested"), summary.count("skipped")) == (5, 2)
    assert sorted(ds.reports.source_file) == [
        "grastorp-2014-rättad.pdf",
        "grastorp-2014.pdf",
        "grastorp-2018.pdf",
        "nacka-2021-kopia.pdf",
        "nynashamn-2023.pdf",
    ]
    nacka = ds.compare("Nynäshamn", include_self=False)
    assert nacka.reports.tolist() == [1] * 8  # Nacka 2021 once, not twice
    # Again with the cache, on one worker, and without the cache: the same files, the same decisions.
    for jobs, use_cache in ((1, True), (1, False)):
        ingest(editions, out, jobs=jobs, use_cache=use_cache)
        assert _files(out)[0] == files


def test_editions_that_disagree_are_both_kept_with_an_error_each(editions, tmp_path):
    ingest(editions, tmp_path / "out", jobs=1)
    ds = kommunkompassen.load(tmp_path / "out")
    ids = dict(zip(ds.reports.source_file, ds.reports.report_id, strict=True))
    old, new = ids["grastorp-2014.pdf"], ids["grastorp-2014-rättad.pdf"]
    differs = ds.checks[ds.checks.code == "same-evaluation-differs"]
    assert [(c.report_id, c.severity, c.area_number, c.message) for c in differs.itertuples()] == [
        (
            old,
            "error",
            pd.NA,
            f"Grästorp 2014 is also in grastorp-2014-rättad.pdf (report {new[:12]}) with other scores; "
            "choose one by its report_id",
        ),
        (
            new,
            "error",
            pd.NA,
            f"Grästorp 2014 is also in grastorp-2014.pdf (report {old[:12]}) with other scores; "
            "choose one by its report_id",
        ),
    ]


def test_a_report_id_prefix_chooses_among_the_reports_of_a_year(editions, tmp_path):
    ingest(editions, tmp_path / "out", jobs=1)
    ds = kommunkompassen.load(tmp_path / "out")
    ids = dict(zip(ds.reports.source_file, ds.reports.report_id, strict=True))
    old, new = ids["grastorp-2014.pdf"], ids["grastorp-2014-rättad.pdf"]
    listing = f"grastorp-2014-rättad.pdf: {new[:12]}, grastorp-2014.pdf: {old[:12]}"
    refusal = (
        f"^2 reports of Grästorp 2014 in the dataset \\({listing}\\); "
        "choose one with its report_id \\(--report on the command line\\)$"
    )
    for refused in (lambda: ds.compare("Grästorp", 2014), lambda: ds.history("Grastorp")):
        with pytest.raises(ValueError, match=refusal):
            refused()
    chosen = ds.compare("Grästorp", report_id=new[:6])
    assert chosen.achieved.tolist() == [64, 62, 70, 58, 71, 60, 66, 69]
    assert ds.report(report_id=old[:8].upper()).source_file == "grastorp-2014.pdf"
    truth = json.loads((FIXTURES / "constructed-grastorp-2014.truth.json").read_text(encoding="utf-8"))
    history = ds.history("grästorp", report_id=old[:10])
    assert history.year.tolist() == [2014] * 8 + [2018] * 8
    assert history.achieved.tolist()[:8] == [a["score"] for a in truth["areas"]]
    # Grästorp 2014's two editions are one evaluation in the mean of 2018's peers: averaged, counted once.
    peers = ds.compare("Grästorp", 2018, include_self=False)
    assert peers.reports.tolist() == [1] * 8
    editions = zip([a["score"] for a in truth["areas"]], [64, 62, 70, 58, 71, 60, 66, 69], strict=True)
    assert peers.mean_achieved.tolist() == [(a + b) / 2 for a, b in editions]
    nacka = ds.compare("Nacka", include_self=True)
    # The mean of the 2020 revision: Nacka and Nynäshamn, each once.
    assert nacka.reports.tolist() == [2] * 8
    # Its own evaluation is the edition chosen, once, beside Grästorp 2018.
    with_self = ds.compare("Grästorp", report_id=old, include_self=True)
    assert with_self.reports.tolist() == [2] * 8
    own = zip(with_self.achieved.tolist(), [50, 52, 54, 56, 58, 60, 62, 64], strict=True)
    assert with_self.mean_achieved.tolist() == [(a + b) / 2 for a, b in own]


def test_a_report_id_that_fits_no_report_or_several_or_another_municipality(editions, tmp_path):
    ingest(editions, tmp_path / "out", jobs=1)
    ds = kommunkompassen.load(tmp_path / "out")
    with pytest.raises(ValueError, match=r"^no report with a report_id starting 'xyz' in the dataset$"):
        ds.report(report_id="xyz")
    with pytest.raises(
        ValueError, match=r"^report_id '' starts 5 reports' ids \(grastorp-2014-rättad\.pdf: "
    ):
        ds.compare(report_id="")
    nacka = ds.reports.set_index("source_file").report_id["nacka-2021-kopia.pdf"]
    with pytest.raises(
        ValueError, match=rf"^report {nacka[:12]} \(nacka-2021-kopia\.pdf\) is Nacka 2021, not Grästorp$"
    ):
        ds.history("Grästorp", report_id=nacka[:12])
    with pytest.raises(ValueError, match=r"^name a municipality or give a report_id$"):
        ds.compare()


def test_plot_and_summary_name_and_take_a_report_id(editions, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")
    out = tmp_path / "out"
    ingest(editions, out, jobs=1)
    ids = kommunkompassen.load(out).reports.set_index("source_file").report_id
    old, new = ids["grastorp-2014.pdf"], ids["grastorp-2014-rättad.pdf"]
    assert main(["summary", "--out", str(out)]) == 0
    shown = capsys.readouterr().out
    assert re.search(rf"│ grastorp-2014-rättad\.pdf\s*│ {new[:12]}\s*│", shown)
    assert re.search(rf"│ grastorp-2014\.pdf\s*│ {old[:12]}\s*│", shown)
    checks = [line for line in shown.splitlines() if "same-evaluation-differs" in line]
    assert len(checks) == 2  # each report of the year named by its id too, where the checks are listed
    for report in (new, old):
        assert sum(f"Grästorp 2014 ({report[:12]})" in line for line in checks) == 1
    png = tmp_path / "g.png"
    args = ["plot", "history", "Grastorp", "--out", str(out), "-o", str(png)]
    assert main(args) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: 2 reports of Grästorp 2014 in the dataset (grastorp-2014-rättad.pdf: {new[:12]}, "
        f"grastorp-2014.pdf: {old[:12]}); choose one with its report_id (--report on the command line)"
    )
    assert main([*args, "--report", new[:7]]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {png}"
    compare = ["plot", "compare", "Grästorp", "--year", "2014", "--report", old[:7], "--out", str(out)]
    assert main([*compare, "-o", str(tmp_path / "c.png")]) == 0


def test_load_without_a_path_finds_the_project_dataset(dataset_dir, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "parquet").symlink_to(dataset_dir)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert sorted(kommunkompassen.load().reports.municipality) == ["Nacka", "Nynäshamn"]


def test_load_without_a_path_says_where_it_looked(tmp_path, monkeypatch):
    (tmp_path / "data" / "parquet").mkdir(parents=True)  # a folder, but no dataset in it
    monkeypatch.chdir(tmp_path / "data")
    with pytest.raises(FileNotFoundError) as info:
        kommunkompassen.load()
    where = (tmp_path / "data").resolve()
    assert str(info.value) == (
        f"no dataset found: looked for {Path('data', 'parquet')} in {where} and every folder above it; "
        "run `make ingest` in the project, or give the dataset folder"
    )


def test_reports_carry_the_county_code_and_a_tidy_name(ds):
    got = ds.reports[
        ["municipality", "municipality_full", "municipality_name", "kommunkod", "county", "lanskod"]
    ]
    assert [tuple(r) for r in got.itertuples(index=False)] == [
        ("Nacka", "Nacka kommun", "Nacka kommun", "0182", "Stockholms län", "01"),
        ("Nynäshamn", "Nynäshamns kommun", "Nynäshamns kommun", "0192", "Stockholms län", "01"),
    ]


def test_the_taxonomy_is_in_the_dataset(ds):
    assert (len(ds.areas), len(ds.subareas), len(ds.crosswalk)) == (24, 37, 24)
    area = ds.areas.set_index("canonical_area").loc["2016-2"]
    assert (area.framework_revision, area.area_number, area["name"]) == (
        "2016",
        2,
        "Brukarfokus, tillgänglighet och bemötande",
    )
    moved = ds.subareas.set_index("canonical_subarea").loc["2020-4.jamforelser"]
    assert (moved.canonical_area, moved["name"]) == ("2020-4", "Jämförelser för ökad effektivitet")
    assert ds.crosswalk.comparability.value_counts().to_dict() == {"same": 5, "partial": 19}
    # The sub-area that moved from 4.2 (Nacka 2021) to 4.3 (Nynäshamn 2023) is one concept.
    named = ds.scores.merge(ds.subareas, on="canonical_subarea", suffixes=("", "_concept"))
    named = named.merge(ds.reports[["report_id", "municipality"]], on="report_id")
    comparisons = named[named.canonical_subarea == "2020-4.jamforelser"]
    assert sorted(zip(comparisons.municipality, comparisons.code, strict=True)) == [
        ("Nacka", "4.2"),
        ("Nynäshamn", "4.3"),
    ]


def test_the_crosswalk_in_the_dataset_relates_areas_across_revisions(grastorp):
    ds, later = grastorp
    history = ds.history("Grästorp")
    old = history[history.year == 2018][["canonical_area", "share"]]
    new = history[history.year == 2022][["canonical_area", "share"]]
    pairs = ds.crosswalk.merge(old, left_on="from_area", right_on="canonical_area").merge(
        new, left_on="to_area", right_on="canonical_area", suffixes=("_2018", "_2022")
    )
    area_1 = pairs[pairs.from_area == "2010-1"].iloc[0]
    assert (area_1.to_area, area_1.comparability) == ("2020-1", "partial")
    assert (area_1.share_2018, area_1.share_2022) == (later[2018][0][0] / 100, later[2022][0][0] / 100)
    assert len(pairs) == 8  # every 2010 area has its 2020 counterpart


def test_a_name_the_diacritics_tell_apart_means_that_municipality_alone(tmp_path):
    """Habo and Håbo are two municipalities: each name finds its own reports, never the other's."""
    raw = tmp_path / "raw"
    raw.mkdir()
    base = grastorp_spec()
    for name, year, score in (("Habo", 2014, 60), ("Håbo", 2014, 70), ("Håbo", 2018, 71)):
        spec = dataclasses.replace(base, municipality_full=f"{name} kommun")
        (raw / f"{name}-{year}.pdf").write_bytes(make_report(with_scores(spec, year, [score] * 8)))
    ingest(raw, tmp_path / "out", jobs=1)
    ds = kommunkompassen.load(tmp_path / "out")
    assert (ds.report("Habo").municipality, ds.report("Habo").year) == ("Habo", 2014)
    assert (ds.report("Håbo").municipality, ds.report("Håbo").year) == ("Håbo", 2018)
    assert sorted(set(ds.history("habo").year)) == [2014]
    assert sorted(set(ds.history("HÅBO").year)) == [2014, 2018]
    assert ds.history("0643").achieved.tolist() == [60] * 8


def test_a_dataset_of_an_earlier_version_or_a_table_in_the_wrong_file_says_so(dataset_dir, tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    for name in ("reports", "scores", "checks", "findings", "sections", "files"):
        shutil.copy(dataset_dir / f"{name}.parquet", old / f"{name}.parquet")
    with pytest.raises(FileNotFoundError) as info:
        kommunkompassen.load(old)
    assert str(info.value) == (
        f"the dataset in {old} was written by an earlier version of kommunkompassen (it has no "
        f"areas.parquet); run the ingest again (`kommunkompassen ingest --out {old}`)"
    )
    swapped = tmp_path / "swapped"
    shutil.copytree(dataset_dir, swapped)
    shutil.copy(dataset_dir / "crosswalk.parquet", swapped / "areas.parquet")
    with pytest.raises(DatasetError) as info:
        kommunkompassen.load(swapped)
    assert str(info.value) == (
        f"cannot read {swapped / 'areas.parquet'}: its columns (from_area, to_area, comparability, note) "
        "are not those of the areas table (canonical_area, framework_revision, area_number, name); "
        "run the ingest again"
    )


def test_a_report_id_prefix_need_be_unique_only_among_the_reports_named(ds):
    """'--report c0ff' with Nacka named chooses Nacka's report although another municipality's id
    starts alike; without the name the prefix is ambiguous."""
    reports = ds.reports.copy()
    reports["report_id"] = reports.municipality.map(
        {"Nacka": "c0ffee" + "0" * 58, "Nynäshamn": "c0ff11" + "1" * 58}
    )
    alike = dataclasses.replace(ds, reports=reports)
    assert alike.report("Nacka", report_id="c0ff").source_file == "nacka-2021.pdf"
    assert alike.report("Nynäshamn", 2023, report_id="C0FF").source_file == "nynashamn-2023.pdf"
    with pytest.raises(ValueError, match=r"^report_id 'c0ff' starts 2 reports' ids \(.*\); give more of it$"):
        alike.report(report_id="c0ff")
