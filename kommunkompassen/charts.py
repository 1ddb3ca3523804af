"""Charts of the dataset, labelled in Swedish like the reports: a municipality against the mean of its
framework revision (the chart the reports open with), and a municipality over its evaluations."""

from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from kommunkompassen.api import Dataset

_OWN, _MEAN = "#1f5f8b", "#b0b7bf"
_LABEL_WIDTH = 34


def _sv(number: float) -> str:
    """Swedish decimal comma; one decimal only where the value has one."""
    decimals = 0 if float(number).is_integer() else 1
    return f"{number:.{decimals}f}".replace(".", ",")


def _area_label(number: int, name: str) -> str:
    return textwrap.fill(f"{number}. {name}", _LABEL_WIDTH)


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
    own = (table["share"] * 100).astype(float).tolist()
    mean = (table["mean_share"] * 100).astype(float).fillna(0).tolist()
    positions = list(range(len(table)))[::-1]  # area 1 at the top, as in the reports

    fig = Figure(figsize=(9, 1.0 + 0.62 * len(table)), layout="constrained")
    ax = fig.subplots()
    height = 0.38
    bars = ax.barh([p + height / 2 for p in positions], own, height, color=_OWN, label=f"{row.municipality}")
    ax.bar_label(bars, [_sv(v) for v in own], padding=3, fontsize=8)
    if others:
        label = f"Medelvärde, {_others(others)}"
        means = ax.barh([p - height / 2 for p in positions], mean, height, color=_MEAN, label=label)
        ax.bar_label(means, [_sv(v) for v in mean], padding=3, fontsize=8, color="#555555")
    ax.set_yticks(positions, labels, fontsize=8.5)
    ax.set_xlim(0, 110)
    ax.set_xlabel("Poäng i procent av max")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(
        f"{row.municipality} {row.year} jämfört med genomsnittet", loc="left", fontweight="bold", pad=24
    )
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, fontsize=8, frameon=False)
    note = (
        f"Medelvärdet är över {_others(others)} enligt Kommunkompassen {row.framework_revision}."
        if others
        else f"Datasetet har inga andra rapporter enligt Kommunkompassen {row.framework_revision}."
    )
    fig.supxlabel(note, x=0.01, ha="left", fontsize=8, color="#555555")
    return fig


def history_chart(dataset: Dataset, municipality: str | None, report_id: str | None = None) -> Figure:
    """One line per area over the evaluation years, in percent of the maximum. A line never crosses a
    framework revision (the areas are different ones); a dotted line marks where the revision changes."""
    table = dataset.history(municipality, report_id=report_id)
    fig = Figure(figsize=(10, 5.5), layout="constrained")
    ax = fig.subplots()
    palette = [f"C{i}" for i in range(10)]
    latest = table.framework_revision.max()
    lines = table.groupby(["framework_revision", "area_number", "area_name"], observed=True, dropna=False)
    for (revision, _, _), rows in lines:
        first = rows.iloc[0]
        version = "okänd version" if pd.isna(revision) else revision
        ax.plot(
            rows.year.astype(int),
            (rows["share"] * 100).astype(float),
            "-" if revision == latest else "--",
            marker="o",
            color=palette[(int(first.area_number) - 1) % len(palette)],
            label=_area_label(int(first.area_number), f"{first.area_name} ({version})"),
        )
    _mark_revisions(ax, table)
    years = sorted(table.year.astype(int).unique())
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylim(0, 105)
    ax.set_ylabel("Poäng i procent av max")
    ax.set_xlabel("Utvärderingsår")
    ax.spines[["top", "right"]].set_visible(False)
    name = table.municipality.iloc[0]
    count = len(years)
    ax.set_title(
        f"{name}: områdenas poäng över {count} utvärdering{'ar' if count != 1 else ''}",
        loc="left",
        fontweight="bold",
    )
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7.5, frameon=False)
    return fig


def _mark_revisions(ax: object, table: pd.DataFrame) -> None:
    by_year = table.drop_duplicates("year").sort_values("year")
    previous = None
    for year, revision in zip(by_year.year.astype(int), by_year.framework_revision, strict=True):
        if previous is not None and revision != previous[1]:
            x = (previous[0] + year) / 2
            ax.axvline(x, color="#888888", linestyle=":", linewidth=1)
            ax.text(x, 103, f"ny version ({revision})", ha="center", fontsize=7.5, color="#555555")
        previous = (year, revision)


def save_png(fig: Figure, path: Path) -> None:
    """Write the PNG beside its destination first, so a failed write never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".png", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fig.savefig(fh, format="png", dpi=150)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a chart is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
