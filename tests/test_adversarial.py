"""Adversarial cases (issue 12): what a new user or an adversary might do, each in its own temp folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, REFERENCE
from kommunkompassen.cli import main
from kommunkompassen.outdir import TABLE_FILES

NACKA = FIXTURES / REFERENCE[0]


def _raw(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(NACKA, folder / REFERENCE[0])
    return folder


def _ingest(raw: Path, out: Path, *more: str) -> int:
    return main(["ingest", "--raw", str(raw), "--out", str(out), "--jobs", "1", *more])


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))
    }


# 1. OUT must be the tool's own


def test_out_that_is_raw_is_refused(tmp_path, capsys):
    raw = _raw(tmp_path / "d")
    before = _snapshot(raw)
    assert _ingest(raw, raw) == 2
    assert capsys.readouterr().err == f"error: refusing to write the dataset to {raw}: it is the raw folder\n"
    assert _snapshot(raw) == before


def test_out_that_holds_raw_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _raw(tmp_path / "data" / "raw")
    before = _snapshot(tmp_path)
    assert _ingest(Path("data/raw"), Path("data")) == 2
    assert capsys.readouterr().err == (
        "error: refusing to write the dataset to data: it holds the raw folder data/raw\n"
    )
    assert _snapshot(tmp_path) == before


def test_out_that_is_a_project_folder_is_refused(tmp_path, capsys, monkeypatch):
    raw = _raw(tmp_path / "elsewhere" / "raw")
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    for name in ("README.md", "a.py", "b.py", "c.py"):
        (project / name).write_text("keep me")
    (project / ".git").mkdir()
    before = _snapshot(project)
    monkeypatch.chdir(project)
    assert _ingest(raw, Path(".")) == 2
    assert capsys.readouterr().err == (
        "error: refusing to write the dataset to .: it is not empty and not a kommunkompassen dataset "
        "(it holds README.md, a.py, b.py, c.py and 1 more); choose a new or empty folder\n"
    )
    assert _snapshot(project) == before


def test_out_that_is_a_file_is_refused(tmp_path, capsys):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out.parquet"
    out.write_bytes(b"precious")
    assert _ingest(raw, out) == 2
    assert (
        capsys.readouterr().err
        == f"error: refusing to write the dataset to {out}: it is a file, not a folder\n"
    )
    assert out.read_bytes() == b"precious"


def test_out_inside_raw_is_allowed(tmp_path):
    raw = _raw(tmp_path / "raw")
    assert _ingest(raw, raw / "parquet") == 0
    assert sorted(p.name for p in (raw / "parquet").glob("*.parquet")) == sorted(TABLE_FILES)


def test_dotfiles_and_dot_folders_in_out_survive(tmp_path):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref")
    (out / ".gitignore").write_text("*.parquet\n")
    (out / ".gitkeep").write_text("")
    assert _ingest(raw, out) == 0
    assert _ingest(raw, out) == 0
    assert (out / ".git" / "HEAD").read_text() == "ref"
    assert (out / ".gitignore").read_text() == "*.parquet\n"
    assert (out / ".gitkeep").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".git", ".gitignore", ".gitkeep", ".kommunkompassen", *TABLE_FILES]
    )


def test_a_dataset_of_the_previous_version_is_recognised_and_marked(tmp_path):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    out.mkdir()
    for name in TABLE_FILES:
        (out / name).write_bytes(b"old table")
    (out / ".gitkeep").write_text("")
    assert _ingest(raw, out) == 0
    assert (out / ".kommunkompassen" / "DATASET").read_text().startswith("This folder is a dataset written")
    assert all((out / name).read_bytes()[:4] == b"PAR1" for name in TABLE_FILES)


def test_files_a_user_puts_into_a_marked_dataset_survive(tmp_path):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    assert _ingest(raw, out) == 0
    (out / "notes.txt").write_text("mine")
    assert _ingest(raw, out) == 0
    assert (out / "notes.txt").read_text() == "mine"


def test_a_folder_with_a_stray_parquet_file_is_not_taken_for_a_dataset(tmp_path, capsys):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    out.mkdir()
    (out / "scores.parquet").write_bytes(b"someone else's")
    assert _ingest(raw, out) == 2
    assert capsys.readouterr().err.endswith("(it holds scores.parquet); choose a new or empty folder\n")
    assert (out / "scores.parquet").read_bytes() == b"someone else's"
