"""The charts where the data has gaps or odd text: an area with no share or nothing to compare with,
reports whose framework revision is unknown, and '$' in the names drawn."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from matplotlib.text import Text

import kommunkompassen
from conftest import ingested
from kommunkompassen.charts import compare_chart, history_chart, save_chart
from kommunkompassen.cli import main
from make_fixtures import AREAS_2010, grastorp_spec, habo_spec, with_scores
from reportmaker import make_report

GRASTORP = [64, 62, 70, 58, 71, 60, 66, 69]  # the constructed areas' maximum is 100: shares in percent
MATHS = r"Kostnad $\frac{x$ per $y^$ invånare"  # what matplotlib would parse as maths, and fail on
NO_SHARE = "–: ingen andel att visa: området har maxpoäng 0, eller inget att jämföra med."


def _habo() -> bytes:
    """A peer of Grästorp 2014 with every area at 60 %."""
    return make_report(with_scores(habo_spec(), 2014, [60] * 8))


@pytest.fixture(scope="module")
def unknown_area(tmp_path_factory):
    """Grästorp 2014 with its area 3 under a name no revision has (and '$' in it), beside Habo 2014."""
    names = list(AREAS_2010)
    names[2] = MATHS
    grastorp = make_report(with_scores(grastorp_spec(), 2014, GRASTORP, names))
    return kommunkompassen.load(
        ingested(tmp_path_factory, {"habo-2014.pdf": _habo(), "grastorp-2014.pdf": grastorp})
    )


@pytest.fixture(scope="module")
def zero_area(tmp_path_factory):
    """The folder of a dataset of Grästorp 2014 with its area 1 scored 0 of 0 (no share), beside Habo
    2014."""
    spec = with_scores(grastorp_spec(), 2014, GRASTORP)
    first = spec.areas[0]
    empty = [(code, name, 0, 0) for code, name, _, _ in first.subareas]
    areas = [dataclasses.replace(first, subareas=empty), *spec.areas[1:]]
    grastorp = make_report(dataclasses.replace(spec, areas=areas))
    return ingested(tmp_path_factory, {"habo-2014.pdf": _habo(), "grastorp-2014.pdf": grastorp})


def _source(ds, municipality: str) -> str:
    report = ds.report(municipality)
    return f"{report.source_file} (2014, version 2010, id {report.report_id[:12]})"


def test_an_area_no_other_report_has_gets_no_mean_bar_but_a_dash(unknown_area):
    fig = compare_chart(unknown_area, "Grästorp")
    ax = fig.axes[0]
    assert [round(p.get_width()) for p in ax.patches] == GRASTORP + [60] * 7  # no bar of 0 for area 3
    means = ["60 %", "60 %", "–", "60 %", "60 %", "60 %", "60 %", "60 %"]
    assert [t.get_text() for t in ax.texts] == [f"{v} %" for v in GRASTORP] + means
    assert fig.get_supxlabel() == (
        "Medelvärdet är över 1 annan rapport enligt Kommunkompassen 2010.\n"
        f"{NO_SHARE}\nKälla: {_source(unknown_area, 'Grästorp')}"
    )


def test_an_area_scored_0_of_0_gets_no_bar_but_a_dash(zero_area, tmp_path, capsys):
    ds = kommunkompassen.load(zero_area)
    fig = compare_chart(ds, "Grästorp")
    ax = fig.axes[0]
    assert [round(p.get_width()) for p in ax.patches] == GRASTORP[1:] + [60] * 8
    assert [t.get_text() for t in ax.texts] == ["–"] + [f"{v} %" for v in GRASTORP[1:]] + ["60 %"] * 8
    assert fig.get_supxlabel() == (
        "Medelvärdet är över 1 annan rapport enligt Kommunkompassen 2010.\n"
        f"{NO_SHARE}\nKälla: {_source(ds, 'Grästorp')}"
    )
    habo = compare_chart(ds, "Habo").axes[0]  # Grästorp's area 1 is the only other: no mean of it
    assert ds.compare("Habo", include_self=False).reports.tolist() == [0] + [1] * 7  # 0 of 0 is no share
    assert [t.get_text() for t in habo.texts] == ["60 %"] * 8 + ["–"] + [f"{v} %" for v in GRASTORP[1:]]
    alone = dataclasses.replace(ds, reports=ds.reports[ds.reports.municipality == "Grästorp"])
    ax = compare_chart(alone, "Grästorp").axes[0]  # no bar at the top: the dash is still in the chart
    assert [t.get_text() for t in ax.texts] == ["–"] + [f"{v} %" for v in GRASTORP[1:]]
    low, high = ax.get_ylim()
    assert [low < t.xy[1] < high for t in ax.texts] == [True] * 8
    png = tmp_path / "g.png"
    assert main(["plot", "compare", "Grastorp", "--out", str(zero_area), "-o", str(png)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {png}"
    assert png.read_bytes().startswith(b"\x89PNG")


@pytest.fixture
def dollars(unknown_area):
    """The dataset with '$' in Grästorp's name too, and the report_id of Grästorp's report."""
    reports = unknown_area.reports.copy()
    reports["municipality"] = reports.municipality.astype("string").str.replace("Grästorp", "Grä$s$torp")
    grastorp = reports.report_id[reports.source_file == "grastorp-2014.pdf"].iloc[0]
    return dataclasses.replace(unknown_area, reports=reports), grastorp


def test_dollars_in_the_names_a_compare_chart_draws_are_drawn_as_they_are(dollars, tmp_path):
    ds, grastorp = dollars
    fig = compare_chart(ds, None, report_id=grastorp)
    save_chart(fig, tmp_path / "g.png")  # maths would be parsed here: '$\frac{x$' is not valid maths
    save_chart(fig, tmp_path / "g.svg")
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    for drawn in (
        ">Grä$s$torp 2014 jämfört med genomsnittet<",  # title
        ">Grä$s$torp<",  # legend
        r">3. Kostnad $\frac{x$ per $y^$<",  # area label, wrapped after it
    ):
        assert drawn in svg


def test_dollars_in_the_title_of_a_history_chart_are_drawn_as_they_are(dollars, tmp_path):
    ds, grastorp = dollars
    save_chart(history_chart(ds, None, report_id=grastorp), tmp_path / "h.svg")
    assert ">Grä$s$torp: områdenas poäng över 1 utvärdering<" in (tmp_path / "h.svg").read_text("utf-8")


@pytest.fixture(scope="module")
def unknown_revisions(tmp_path_factory):
    """Grästorp 2012 and 2018 under area names of no revision (unknown), 2016 under the 2010 ones."""
    names = [f"Okänt område {n} $x$" for n in range(1, 9)]
    spec = grastorp_spec()
    reports = {
        "g2012.pdf": make_report(with_scores(spec, 2012, GRASTORP, names)),
        "g2016.pdf": make_report(with_scores(spec, 2016, GRASTORP)),
        "g2018.pdf": make_report(with_scores(spec, 2018, GRASTORP, names)),
    }
    return kommunkompassen.load(ingested(tmp_path_factory, reports))


def _points(fig) -> list[list[int]]:
    return [list(line.get_xdata()) for line in fig.axes[0].get_lines() if line.get_marker() == "o"]


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def test_reports_of_unknown_revision_are_not_joined_across_another_revision(unknown_revisions):
    assert unknown_revisions.reports.framework_revision.isna().tolist() == [True, False, True]
    fig = history_chart(unknown_revisions, "Grästorp")
    assert _points(fig) == [[2012]] * 8 + [[2016]] * 8 + [[2018]] * 8  # one run of years each
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["ny version (2010)", "okänd version"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    headings = [legend[i] for i in range(0, 27, 9)]
    assert headings == [
        "Kommunkompassen okänd version (2012)",
        "Kommunkompassen 2010",
        "Kommunkompassen okänd version (2018)",
    ]
    assert legend[1] == r"1. Okänt område 1 \$x\$"  # escaped: drawn as '$x$'
    assert not [text for text in _texts(fig) if "nan" in text]


def test_a_revision_interrupted_by_an_unknown_one_keeps_its_colours_and_legend(unknown_revisions):
    """2012 and 2018 of the 2010 revision, 2016 of an unknown one: the 2010 lines stop before 2016 and
    go on after it in the same colours, named once."""
    reports = unknown_revisions.reports.copy()
    reports["framework_revision"] = pd.Categorical(
        ["2010", None, "2010"], categories=reports.framework_revision.cat.categories, ordered=True
    )
    ds = dataclasses.replace(unknown_revisions, reports=reports)
    fig = history_chart(ds, "Grästorp")
    assert _points(fig) == [[2012]] * 8 + [[2016]] * 8 + [[2018]] * 8
    lines = [line for line in fig.axes[0].get_lines() if line.get_marker() == "o"]
    assert [line.get_color() for line in lines[16:]] == [line.get_color() for line in lines[:8]]
    assert len({line.get_color() for line in lines[:16]}) == 16
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[0::9] == ["Kommunkompassen 2010", "Kommunkompassen okänd version (2016)"]
    assert len(legend) == 18
    assert [t.get_text() for t in fig.axes[0].texts] == ["okänd version", "ny version (2010)"]
