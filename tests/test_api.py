"""The analyst API: dtypes, metadata, and the helpers, checked against the transcribed truth."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime

import pandas as pd
import pyarrow as pa
import pytest

import kommunkompassen
from conftest import FIXTURES, REFERENCE
from kommunkompassen.charts import compare_chart, history_chart, percent, save_chart
from kommunkompassen.pipeline import ingest
from make_fixtures import AREAS_2010, grastorp_spec
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


@pytest.mark.parametrize("query", ["Nacka", "nacka", "Nacka kommun", "0182"])
def test_report_is_found_by_name_or_code(ds, query):
    assert ds.report(query).source_file == "nacka-2021.pdf"


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


def _with_scores(spec, year, scores, names=AREAS_2010):
    """The constructed report's layout with other area totals (each spread over its sub-areas)."""
    areas = []
    for area, total, name in zip(spec.areas, scores, names, strict=True):
        first, *rest = area.subareas
        rest_total = sum(s[2] for s in rest)
        code, sub_name, _, sub_max = first
        subareas = [(code, sub_name, total - rest_total, sub_max), *rest]
        areas.append(dataclasses.replace(area, name=name, subareas=subareas, box_score=None, total=None))
    return dataclasses.replace(spec, year=year, areas=areas)


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
        (raw / f"grastorp-{year}.pdf").write_bytes(make_report(_with_scores(spec, year, scores, names)))
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
