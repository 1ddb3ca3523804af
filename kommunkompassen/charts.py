"""Charts of the dataset, labelled in Swedish like the reports: a municipality against the mean of its
framework revision (the chart the reports open with), and a municipality over its evaluations."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path

import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kommunkompassen.api import Dataset
from kommunkompassen.atomic import write_file

_OWN, _MEAN = "#1f5f8b", "#b0b7bf"
_UNKNOWN = "–"  # the label of a share there is none of
_NO_SHARE = f"{_UNKNOWN}: ingen andel att visa: området har maxpoäng 0, eller inget att jämföra med."
_LABEL_WIDTH = 34
_SOURCE_WIDTH = 130
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
# One palette per framework revision, oldest first: area 6 of 2010 is not area 6 of 2020, so no colour
# may suggest that one line goes on in the other.
_PALETTES = ("Dark2", "tab10", "Set1")
# Text stays text in SVG and PDF (editable, searchable), not outlines.
_VECTOR_TEXT = {"svg.fonttype": "none", "pdf.fonttype": 42}


def _plain(text: object) -> str:
    """Text from the data drawn as it is: two '$' in a file name would make matplotlib draw maths."""
    return str(text).replace("$", r"\$")


class ChartFormatError(ValueError):
    """The output file's suffix names no format a chart can be written in."""


def percent(share: float) -> str:
    """A share as a whole percentage ('79 %'), halves rounded up: every bar label in one format, so no
    label reads '28,0' beside '42'."""
    return f"{math.floor(round(share * 100, 6) + 0.5)} %"  # rounded first: 0.565 * 100 is 56.4999…


def _area_label(number: int, name: str) -> str:
    """Escaped after wrapping: a wrap between the backslash and its '$' would undo the escape."""
    return _plain(textwrap.fill(f"{number}. {name}", _LABEL_WIDTH))


def _others(n: int) -> str:
    return "1 annan rapport" if n == 1 else f"{n} andra rapporter"


def compare_chart(
    dataset: Dataset, municipality: str | None, year: int | None = None, report_id: str | None = None
) -> Figure:
    """Horizontal bars per area: the municipality's share of the maximum beside the mean of the other
    evaluations of the same framework revision (shares, so areas with other maxima stay comparable)."""
    table = dataset.compare(municipality, year, include_self=False, report_id=report_id)
    row = table.iloc[0]
    others = int(table["reports"].max())
    labels = [_area_label(n, name) for n, name in zip(table.area_number, table.area_name, strict=True)]
    positions = list(range(len(table)))[::-1]  # area 1 at the top, as in the reports

    fig = Figure(figsize=(9, 1.0 + 0.62 * len(table)), layout="constrained")
    ax = fig.subplots()
    height = 0.38
    own_at = [p + height / 2 for p in positions]
    _bars(ax, own_at, table["share"], height, color=_OWN, label=_plain(row.municipality), label_color="black")
    if others:
        label = f"Medelvärde, {_others(others)}"
        mean_at = [p - height / 2 for p in positions]
        _bars(ax, mean_at, table["mean_share"], height, color=_MEAN, label=label, label_color="#555555")
    ax.set_yticks(positions, labels, fontsize=8.5)
    ax.set_ylim(-0.5, len(table) - 0.5)  # every area, even one with no bar but a dash at the top
    ax.set_xlim(0, 110)
    ax.set_xlabel("Poäng i procent av max")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(
        _plain(f"{row.municipality} {row.year} jämfört med genomsnittet"),
        loc="left",
        fontweight="bold",
        pad=24,
    )
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, fontsize=8, frameon=False)
    note = (
        f"Medelvärdet är över {_others(others)} enligt Kommunkompassen {row.framework_revision}."
        if others
        else f"Datasetet har inga andra rapporter enligt Kommunkompassen {row.framework_revision}."
    )
    notes = [note]
    if table["share"].isna().any() or (others and table["mean_share"].isna().any()):
        notes.append(_NO_SHARE)
    notes.append(f"Källa: {_source(dataset.report(municipality, year, report_id=report_id))}")
    _footnote(fig, notes)
    return fig


def _bars(
    ax: Axes, at: list[float], shares: pd.Series, height: float, *, color: str, label: str, label_color: str
) -> None:
    """A bar per known share, labelled in percent; an unknown share (an area scored 0 of 0, or one no
    other report has) gets no bar, only a dash, so that it never reads as 0 %."""
    known = shares.notna().tolist()
    values = shares.astype(float).tolist()
    ax.barh(
        [p for p, k in zip(at, known, strict=True) if k],
        [v * 100 for v, k in zip(values, known, strict=True) if k],
        height,
        color=color,
        label=label,
    )
    for p, v, k in zip(at, values, known, strict=True):
        ax.annotate(
            percent(v) if k else _UNKNOWN,
            (v * 100 if k else 0, p),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=label_color,
        )


def _source(report: pd.Series) -> str:
    """Which report a chart shows: file, year, framework revision and the start of its id."""
    revision = (
        "okänd version" if pd.isna(report.framework_revision) else f"version {report.framework_revision}"
    )
    return f"{report.source_file} ({report.year}, {revision}, id {report.report_id[:12]})"


def _footnote(fig: Figure, lines: list[str]) -> None:
    """Escaped after wrapping, as an area label is: file names and revisions come from the data."""
    text = _plain("\n".join(textwrap.fill(line, _SOURCE_WIDTH) for line in lines))
    fig.supxlabel(text, x=0.01, ha="left", fontsize=8, color="#555555")


def history_chart(
    dataset: Dataset, municipality: str | None, report_id: str | Sequence[str] | None = None
) -> Figure:
    """One line per canonical area over the evaluation years, in percent of the maximum. A line never
    crosses a framework revision (the areas are different ones): each revision has its own colours and
    its own column in the legend, and a dotted line marks where the revision changes. Years in a row of
    an unknown revision are a revision of their own, joined to no other years."""
    table = dataset.history(municipality, report_id=report_id)
    runs = _runs(table)
    fig = Figure(figsize=(10, 7.5), layout="constrained")
    ax = fig.subplots()
    latest = table.framework_revision.max()
    groups: dict[str, dict[tuple[int, str], Line2D]] = {}
    lines = table.merge(runs[["year", "run", "version"]], on="year").groupby(
        ["run", "version", "area_number", "area_name"], dropna=False
    )
    for (_, version, number, name), rows in lines:
        group = groups.setdefault(version, {})
        palette = mpl.colormaps[_PALETTES[min(len(groups), len(_PALETTES)) - 1]]
        area = (int(number), str(name))
        earlier = group.get(area)  # the same revision's area, before a run of another revision
        revision = rows.framework_revision.iloc[0]
        (line,) = ax.plot(
            rows.year.astype(int),
            (rows["share"] * 100).astype(float),
            "-" if pd.notna(revision) and revision == latest else "--",
            marker="o",
            color=palette(len(group)) if earlier is None else earlier.get_color(),
        )
        group.setdefault(area, line)
    _mark_revisions(ax, runs)
    years = sorted(table.year.astype(int).unique())
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylim(0, 105)
    ax.set_ylabel("Poäng i procent av max")
    ax.set_xlabel("Utvärderingsår")
    ax.spines[["top", "right"]].set_visible(False)
    name = table.municipality.iloc[0]
    count = len(years)
    ax.set_title(
        _plain(f"{name}: områdenas poäng över {count} utvärdering{'ar' if count != 1 else ''}"),
        loc="left",
        fontweight="bold",
    )
    _legend_per_revision(ax, groups)
    reports = dataset.reports.set_index("report_id", drop=False).loc[table.report_id.unique()]
    sources = "; ".join(_source(report) for _, report in reports.sort_values("year").iterrows())
    _footnote(fig, [f"Källor: {sources}"])
    return fig


def _runs(table: pd.DataFrame) -> pd.DataFrame:
    """The evaluation years in order, each with its run (years in a row under one framework revision)
    and the name of its revision. A line stays within its run; an unknown revision is named by its
    years, as two runs of it may be two different frameworks."""
    by_year = table.drop_duplicates("year").sort_values("year")[["year", "framework_revision"]]
    revision = by_year.framework_revision.astype("string")
    keys = revision.fillna("").tolist()  # the years of an unknown revision in a row are one run
    by_year["run"] = list(
        accumulate(int(key != before) for before, key in zip([None, *keys[:-1]], keys, strict=True))
    )
    first = by_year.groupby("run").year.transform("min")
    last = by_year.groupby("run").year.transform("max")
    unknown = [
        f"okänd version ({a})" if a == b else f"okänd version ({a}–{b})"
        for a, b in zip(first, last, strict=True)
    ]
    by_year["version"] = revision.where(
        revision.notna(), pd.Series(unknown, index=by_year.index, dtype="string")
    )
    return by_year


def _legend_per_revision(ax: Axes, groups: dict[str, dict[tuple[int, str], Line2D]]) -> None:
    """Below the chart, one column per framework revision headed by its name (the legend fills its
    columns in turn, so every column is padded to the same length)."""
    rows = max(len(entries) for entries in groups.values())
    blank = Line2D([], [], linestyle="none")
    handles, labels, headings = [], [], []
    for version, entries in groups.items():
        headings.append(len(labels))
        handles.append(blank)
        labels.append(_plain(f"Kommunkompassen {version}"))
        for (number, name), line in entries.items():
            handles.append(line)
            labels.append(_area_label(number, name))
        padding = rows - len(entries)
        handles += [blank] * padding
        labels += [""] * padding
    legend = ax.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0, -0.12),
        ncols=len(groups),
        fontsize=7.5,
        frameon=False,
    )
    for i in headings:
        legend.get_texts()[i].set_fontweight("bold")


def _mark_revisions(ax: Axes, runs: pd.DataFrame) -> None:
    """A dotted line between two years of different runs, named by the revision that starts."""
    previous = None
    for year, run, revision in zip(runs.year.astype(int), runs.run, runs.framework_revision, strict=True):
        if previous is not None and run != previous[1]:
            x = (previous[0] + year) / 2
            ax.axvline(x, color="#888888", linestyle=":", linewidth=1)
            label = "okänd version" if pd.isna(revision) else f"ny version ({revision})"
            ax.text(x, 103, _plain(label), ha="center", fontsize=7.5, color="#555555")
        previous = (year, run)


def chart_format(path: Path) -> str:
    """The format a chart is written in, by the file's suffix."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ChartFormatError(
            f"cannot write a chart to {path}: name it *.png, *.svg or *.pdf (the suffix picks the format)"
        )
    return fmt


def save_chart(fig: Figure, path: Path) -> None:
    """Write the chart in the format its suffix names, beside its destination first, so a failed write
    never leaves half a file."""
    fmt = chart_format(path)
    with mpl.rc_context(_VECTOR_TEXT):
        write_file(path, lambda fh: fig.savefig(fh, format=fmt, dpi=150))
