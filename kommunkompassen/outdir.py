"""OUT is the tool's own folder: refuse any folder that holds something else, and mark the ones we write.

A dataset folder is recognised by its marker, `.kommunkompassen/DATASET`, which the tool writes on its
first run; a folder holding exactly the six table files (a dataset written before there was a marker)
is recognised too and marked. Names starting with a dot (.gitignore, .gitkeep) are never the tool's
and are never touched, so a folder holding only such files counts as empty.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from normalize.tables import TABLES

TABLE_FILES = frozenset(f"{name}.parquet" for name in TABLES)
# The tables of a version before the marker: such a folder is recognised by holding exactly these.
LEGACY_TABLE_FILES = frozenset(
    f"{name}.parquet" for name in ("reports", "scores", "checks", "findings", "sections", "files")
)
HOME = ".kommunkompassen"  # the tool's private folder inside OUT: marker, lock, cache, staging
MARKER = "DATASET"
_MARKER_TEXT = (
    "This folder is a dataset written by `kommunkompassen ingest`.\n"
    "A new ingest replaces its *.parquet table files; anything else in it is left alone.\n"
)
_SHOWN = 4  # entries named in a refusal


class OutRefused(Exception):
    """OUT is not a folder the tool may write its dataset into."""


def home(out: Path) -> Path:
    return out / HOME


def is_dataset(out: Path) -> bool:
    """Marked by the tool, or (written before the marker existed) exactly the six table files."""
    if (home(out) / MARKER).is_file():
        return True
    return set(_visible(out)) == LEGACY_TABLE_FILES


def check_out(raw: Path, out: Path) -> None:
    """Raise OutRefused unless OUT is new, empty apart from dotfiles, or a dataset of this tool."""
    where, source = out.resolve(), raw.resolve()
    if where == source:
        raise OutRefused(f"refusing to write the dataset to {out}: it is the raw folder")
    if where in source.parents:
        raise OutRefused(f"refusing to write the dataset to {out}: it holds the raw folder {raw}")
    if os.path.lexists(out) and not out.is_dir():
        raise OutRefused(f"refusing to write the dataset to {out}: it is a file, not a folder")
    if not out.exists() or is_dataset(out):
        return
    entries = _visible(out)
    if entries:
        raise OutRefused(
            f"refusing to write the dataset to {out}: it is not empty and not a kommunkompassen dataset "
            f"(it holds {_listing(out, entries)}); choose a new or empty folder"
        )


def claim(raw: Path, out: Path) -> Path:
    """Check OUT, create it and its marker, and return the tool's private folder inside it."""
    check_out(raw, out)
    private = home(out)
    private.mkdir(parents=True, exist_ok=True)
    marker = private / MARKER
    if not marker.is_file():
        marker.write_text(_MARKER_TEXT, encoding="utf-8")
    return private


def remove_leftovers(out: Path, private: Path) -> None:
    """Staging folders of runs that died (only called while holding the lock, so none is alive):
    ours inside OUT, and those an earlier version left beside OUT (`.<OUT>.new-*`)."""
    for staging in private.glob("run-*"):
        shutil.rmtree(staging, ignore_errors=True)
    for staging in out.parent.glob(f".{out.name}.new-*"):
        if staging.is_dir() and not set(_visible(staging)) - LEGACY_TABLE_FILES:
            shutil.rmtree(staging, ignore_errors=True)


def _visible(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if not name.startswith("."))


def _listing(folder: Path, names: list[str]) -> str:
    shown = [f"{n}/" if (folder / n).is_dir() else n for n in names[:_SHOWN]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")
