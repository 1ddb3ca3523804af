"""Adversarial cases (issue 12): what a new user or an adversary might do, each in its own temp folder."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

import kommunkompassen
from conftest import FIXTURES, REFERENCE
from kommunkompassen import api
from kommunkompassen.api import DatasetError
from kommunkompassen.cli import main
from kommunkompassen.outdir import TABLE_FILES
from normalize import writer
from normalize.schema import RUN_KEY
from reportmaker import AreaSpec, ReportSpec, make_report

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


# 2. A killed run leaves nothing locked and nothing behind

_STALLING_INGEST = """
import os, sys, time
from pathlib import Path
from kommunkompassen import pipeline
from kommunkompassen.cli import main

def stall(path, digest):
    Path(sys.argv[3], str(os.getpid())).write_text(path.name)
    time.sleep(600)

pipeline._parse_path = stall
sys.exit(main(["ingest", "--raw", sys.argv[1], "--out", sys.argv[2], "--jobs", "2", "--no-cache"]))
"""


def _wait_for(condition, what: str, limit: float = 120.0) -> None:
    """Poll until `condition()` holds; a generous limit only turns a hang into a failure."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _fd_targets(pid: int) -> list[str]:
    fds = Path(f"/proc/{pid}/fd")
    targets = []
    for fd in fds.iterdir():
        with contextlib.suppress(FileNotFoundError):
            targets.append(os.readlink(fd))
    return targets


def _stalled_ingest(tmp_path: Path) -> tuple[subprocess.Popen, Path, list[int]]:
    """An ingest (after a first complete one) whose two workers hang; returns it with its workers."""
    raw = _raw(tmp_path / "raw")
    shutil.copy(FIXTURES / REFERENCE[1], raw / REFERENCE[1])
    out = tmp_path / "out"
    assert _ingest(raw, out) == 0
    started = tmp_path / "started"
    started.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", _STALLING_INGEST, str(raw), str(out), str(started)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(lambda: len(list(started.iterdir())) == 2, "both workers to start")
    return proc, out, [int(p.name) for p in started.iterdir()]


def _globbed(out: Path) -> list[str]:
    """The files DuckDB reads for `OUT/*.parquet`."""
    query = f"SELECT parse_filename(file_name) FROM parquet_file_metadata('{out}/*.parquet') ORDER BY 1"
    return [name for (name,) in duckdb.sql(query).fetchall()]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent_and_the_next_run_proceeds(tmp_path, signum):
    proc, out, workers = _stalled_ingest(tmp_path)
    lock = str(out / ".kommunkompassen" / "lock")
    for pid in workers:
        targets = _fd_targets(pid)
        assert lock not in targets  # the lock stays with the parent
        assert sum(t.startswith("socket:") for t in targets) == 1  # its own pipe end, no sibling's
    os.kill(proc.pid, signum)
    proc.communicate()
    _wait_for(lambda: not any(_alive(pid) for pid in workers), "the workers to die")
    assert _globbed(out) == sorted(TABLE_FILES)  # the dead run's staging is not picked up
    assert duckdb.sql(f"SELECT count(*) FROM '{out}/files.parquet'").fetchall() == [(2,)]
    assert _ingest(tmp_path / "raw", out) == 0  # the lock of the dead run is taken over
    assert sorted(p.name for p in (out / ".kommunkompassen").iterdir()) == ["DATASET", "cache", "lock"]
    assert sorted(p.name for p in out.glob("*.parquet")) == sorted(TABLE_FILES)


def test_staging_leftovers_of_the_previous_version_are_removed_and_nothing_else(tmp_path):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    dead = tmp_path / ".out.new-k3j2h1"
    dead.mkdir()
    for name in ("scores.parquet", "files.parquet", ".gitignore"):
        (dead / name).write_bytes(b"stub")
    foreign = tmp_path / ".out.new-mine"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("keep")
    assert _ingest(raw, out) == 0
    assert not dead.exists()
    assert (foreign / "thesis.tex").read_text() == "keep"


# 3. One file never stops the batch

SMALL_AREA = AreaSpec(
    1, "Arbetsliv", [("1.1", "Arbetsmiljö", 5, 10)], strengths=["Bra"], improvements=["Bättre"]
)


def _small(municipality: str = "Fjällviks kommun", **spec: object) -> bytes:
    return make_report(ReportSpec(municipality, 2024, [SMALL_AREA], **spec))


def _files(out: Path) -> list[tuple[str, str, str | None]]:
    files = pd.read_parquet(out / "files.parquet")
    return [(r.source_file, r.status, None if pd.isna(r.reason) else r.reason) for r in files.itertuples()]


def test_a_value_beyond_its_column_fails_only_its_file_also_when_cached(tmp_path, capsys):
    raw = _raw(tmp_path / "raw")
    (raw / "huge.pdf").write_bytes(_small(interviewees=3_000_000_000))
    out = tmp_path / "out"
    expected = [
        (
            "huge.pdf",
            "failed",
            "a value does not fit the dataset: reports.interviewees is 3000000000, "
            "beyond the 32-bit integers the column holds",
        ),
        ("nacka-2021.pdf", "ingested", None),
    ]
    for _ in range(2):  # the second run serves both results from the cache
        assert _ingest(raw, out) == 1
        assert _files(out) == expected
        assert pd.read_parquet(out / "reports.parquet").source_file.tolist() == ["nacka-2021.pdf"]
    assert capsys.readouterr().out.count("2 files: 1 ingested, 0 skipped, 1 failed") == 2


def test_a_file_name_that_is_not_utf8_is_written_with_backslash_escapes(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / os.fsdecode(b"caf\xe9.pdf")).write_bytes(_small())
    out = tmp_path / "out"
    assert _ingest(raw, out) == 0
    assert _files(out) == [("caf\\xe9.pdf", "ingested", None)]
    assert pd.read_parquet(out / "reports.parquet").source_file.tolist() == ["caf\\xe9.pdf"]
    assert capsys.readouterr().err == "[1/1] caf\\xe9.pdf ingested\n"


# 5. Readers and writers at once


def test_load_never_mixes_runs_and_waits_for_a_publishing_run(tmp_path, monkeypatch):
    raw = _raw(tmp_path / "raw")
    old, new = tmp_path / "old", tmp_path / "new"
    assert _ingest(raw, old) == 0
    assert _ingest(raw, new, "--no-cache") == 0
    shutil.copy(new / "scores.parquet", old / "scores.parquet")  # caught half-way through a publish
    with pytest.raises(DatasetError) as err:
        kommunkompassen.load(old)
    assert str(err.value) == (
        f"the tables in {old} are from 2 different ingest runs (read 5 times); "
        "an ingest may be writing to it: try again when it has finished"
    )

    def publish_the_rest(_attempt):
        for name in TABLE_FILES:
            shutil.copy(new / name, old / name)

    monkeypatch.setattr(api, "_pause", publish_the_rest)
    dataset = kommunkompassen.load(old)
    assert (
        dataset.metadata[RUN_KEY] == pq.read_schema(new / "files.parquet").metadata[RUN_KEY.encode()].decode()
    )


def test_the_publish_never_renames_out_itself(tmp_path, monkeypatch):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    real_replace, real_rename = os.replace, os.rename

    def busy_if_out(real):
        def move(src, dst, *args, **kwargs):
            if out in (Path(src), Path(dst)):  # OUT is a mount point (a Docker volume)
                raise OSError(errno.EBUSY, "Device or resource busy")
            return real(src, dst, *args, **kwargs)

        return move

    monkeypatch.setattr(os, "replace", busy_if_out(real_replace))
    monkeypatch.setattr(os, "rename", busy_if_out(real_rename))
    assert _ingest(raw, out) == 0
    assert _ingest(raw, out) == 0
    assert sorted(p.name for p in out.glob("*.parquet")) == sorted(TABLE_FILES)


def test_readers_during_the_publish_see_six_tables_and_never_a_mix(tmp_path, monkeypatch):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    assert _ingest(raw, out) == 0
    real = writer._publish
    seen: list[tuple[list[str], str]] = []

    def publish_and_read(staged, target):
        real(staged, target)
        try:
            outcome = f"{len(kommunkompassen.load(out).files)} files"
        except DatasetError as exc:
            outcome = str(exc).split(";")[0]
        seen.append((_globbed(out), outcome))

    monkeypatch.setattr(api, "_pause", lambda _attempt: None)
    monkeypatch.setattr(writer, "_publish", publish_and_read)
    assert _ingest(raw, out, "--no-cache") == 0
    mixed = f"the tables in {out} are from 2 different ingest runs (read 5 times)"
    assert seen == [(sorted(TABLE_FILES), mixed)] * 5 + [(sorted(TABLE_FILES), "1 files")]
