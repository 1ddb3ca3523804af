"""Adversarial cases (issue 12): what a new user or an adversary might do, each in its own temp folder."""

from __future__ import annotations

import contextlib
import errno
import json
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
import pymupdf
import pytest

import kommunkompassen
from conftest import FIXTURES, REFERENCE
from kommunkompassen import api, parse_pool, pipeline
from kommunkompassen.api import DatasetError
from kommunkompassen.cli import main
from kommunkompassen.isolation import START_METHOD_ENV, start_method
from kommunkompassen.outdir import LEGACY_TABLE_FILES, TABLE_FILES
from kommunkompassen.parsing import parse_file
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
    for name in LEGACY_TABLE_FILES:
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
from kommunkompassen import parse_pool
from kommunkompassen.cli import main

def stall(path, digest, size, cache, shared):
    Path(sys.argv[3], str(os.getpid())).write_text(path.name)
    time.sleep(600)

parse_pool.parse_task = stall
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
        start_new_session=True,
    )
    _wait_for(lambda: len(list(started.iterdir())) == 2, "both workers to start")
    staging = out / ".kommunkompassen"
    _wait_for(lambda: any(staging.glob("run-*")), "the run to open its staging folder")
    return proc, out, [int(p.name) for p in started.iterdir()]


def _globbed(out: Path) -> list[str]:
    """The files DuckDB reads for `OUT/*.parquet`."""
    query = f"SELECT parse_filename(file_name) FROM parquet_file_metadata('{out}/*.parquet') ORDER BY 1"
    return [name for (name,) in duckdb.sql(query).fetchall()]


@pytest.mark.parametrize(
    ("signum", "status", "said"),
    [
        (signal.SIGKILL, -signal.SIGKILL, ""),
        (signal.SIGTERM, 143, "error: terminated; the dataset in {out} was left as it was\n"),
        (signal.SIGINT, 130, "error: interrupted; the dataset in {out} was left as it was\n"),
    ],
)
def test_workers_die_with_their_parent_and_the_next_run_proceeds(tmp_path, signum, status, said):
    proc, out, workers = _stalled_ingest(tmp_path)
    lock = str(out / ".kommunkompassen" / "lock")
    for pid in workers:
        targets = _fd_targets(pid)
        assert lock not in targets  # the lock stays with the parent
        assert sum(t.startswith("socket:") for t in targets) == 1  # its own pipe end, no sibling's
    os.killpg(proc.pid, signum)  # the whole process group, as Ctrl-C in a terminal does
    _, err = proc.communicate()
    assert (proc.returncode, err) == (status, said.format(out=out))  # one line, no traceback
    _wait_for(lambda: not any(_alive(pid) for pid in workers), "the workers to die")
    staging = sorted(p.name for p in (out / ".kommunkompassen").glob("run-*"))
    assert len(staging) == (1 if signum == signal.SIGKILL else 0)  # only kill -9 cannot clean up
    assert _globbed(out) == sorted(TABLE_FILES)  # and its staging is not picked up
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
    monkeypatch.setattr(api, "_pause", lambda _attempt: None)
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


def test_readers_during_the_publish_see_every_table_and_never_a_mix(tmp_path, monkeypatch):
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
    assert seen == [(sorted(TABLE_FILES), mixed)] * (len(TABLE_FILES) - 1) + [
        (sorted(TABLE_FILES), "1 files")
    ]


# 6. Faults of the environment: one line each, a distinct exit status, nothing left behind


def _refuse(monkeypatch, name: str, under: Path, code: int) -> None:
    """Make os.<name> fail with `code` for paths under `under`, as a read-only or foreign folder would
    (the tests may run as root, for whom permissions do not fail)."""
    real = getattr(os, name)

    def refused(path, *args, **kwargs):
        if isinstance(path, str | os.PathLike) and Path(path).is_relative_to(under):
            raise OSError(code, os.strerror(code), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, name, refused)


def _leftovers(out: Path) -> list[str]:
    """Staging folders and cache temporary files: none may outlive a run."""
    private = out / ".kommunkompassen"
    return sorted(p.name for p in [*private.glob("run-*"), *private.glob("cache/*.tmp")])


def test_read_only_out(tmp_path, monkeypatch, capsys):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    out.mkdir()
    _refuse(monkeypatch, "mkdir", out, errno.EROFS)
    assert _ingest(raw, out) == 4
    assert capsys.readouterr().err == (
        f"error: cannot write to the dataset folder {out}: Read-only file system\n"
    )
    assert list(out.iterdir()) == []


def test_unreadable_raw(tmp_path, monkeypatch, capsys):
    raw = _raw(tmp_path / "raw")
    _refuse(monkeypatch, "scandir", raw, errno.EACCES)
    assert _ingest(raw, tmp_path / "out") == 4
    assert capsys.readouterr().err == f"error: cannot read the raw folder {raw}: Permission denied\n"
    assert _leftovers(tmp_path / "out") == []


def test_lock_file_of_another_user(tmp_path, monkeypatch, capsys):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    assert _ingest(raw, out) == 0
    lock = out / ".kommunkompassen" / "lock"
    _refuse(monkeypatch, "open", lock, errno.EACCES)
    assert _ingest(raw, out) == 4
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: cannot open the lock file {lock}: Permission denied"
    )


_DESCRIPTORS_LEFT = """
import os, resource

def leave_descriptors(amount):
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
    held = []
    while True:
        try:
            held.append(os.open(os.devnull, os.O_RDONLY))
        except OSError:
            break
    for fd in held[:amount]:
        os.close(fd)
"""

_LIMITED_INGEST = (
    _DESCRIPTORS_LEFT
    + """
import signal, sys
from kommunkompassen.cli import main
import multiprocessing.connection, pymupdf, pyarrow.parquet  # loaded before the limit bites

kind, amount = sys.argv[3], int(sys.argv[4])
if kind == "bytes":  # a file may grow to `amount` bytes: writes beyond fail as on a full disk
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (amount, amount))
else:  # only `amount` file descriptors left
    leave_descriptors(amount)
sys.exit(main(["ingest", "--raw", sys.argv[1], "--out", sys.argv[2], "--jobs", "2"]))
"""
)
_FDS = "too many open files (raise the limit on file descriptors, e.g. `ulimit -n 1024`)"


@pytest.mark.parametrize(
    ("kind", "amount", "said"),
    [
        ("bytes", 30_000, "cannot write the dataset in {out}: File too large"),
        ("descriptors", 4, f"cannot start a worker process: {_FDS}"),
        ("descriptors", 15, f"cannot write the dataset in {{out}}: {_FDS}"),
    ],
)
def test_full_disk_and_too_few_file_descriptors(tmp_path, kind, amount, said):
    raw = _raw(tmp_path / "raw")
    shutil.copy(FIXTURES / REFERENCE[1], raw / REFERENCE[1])
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED_INGEST, str(raw), str(out), kind, str(amount)],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stderr.splitlines()[-1]) == (4, "error: " + said.format(out=out))
    assert "Traceback" not in done.stderr
    assert _leftovers(out) == []
    assert list(out.glob("*.parquet")) == []


_LIMITED_COMMAND = (
    _DESCRIPTORS_LEFT
    + """
import sys
from kommunkompassen.command import run
import multiprocessing.connection, pymupdf, pyarrow.parquet, kommunkompassen.cli  # before the limit bites

leave_descriptors(4)
sys.argv = ["kommunkompassen", "ingest", "--raw", sys.argv[1], "--out", sys.argv[2], "--jobs", "2"]
sys.exit(run())
"""
)


def test_the_script_says_in_one_line_that_its_first_worker_cannot_start(tmp_path):
    """The script (command.run) starts the ingest's first worker before the command handles its
    errors: a worker that cannot start there is still the command's one-line error, not a traceback."""
    raw = _raw(tmp_path / "raw")
    shutil.copy(FIXTURES / REFERENCE[1], raw / REFERENCE[1])
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED_COMMAND, str(raw), str(out)], capture_output=True, text=True
    )
    assert (done.returncode, done.stderr.splitlines()[-1]) == (
        4,
        f"error: cannot start a worker process: {_FDS}",
    )
    assert "Traceback" not in done.stderr
    assert list(out.glob("*.parquet")) == []


@pytest.mark.parametrize("seconds", ["inf", "nan", "0", "-1"])
def test_timeout_must_be_finite_and_positive(tmp_path, seconds, capsys):
    assert _ingest(_raw(tmp_path / "raw"), tmp_path / "out", "--timeout", seconds) == 2
    assert capsys.readouterr().err == "error: --timeout must be a finite number of seconds, more than 0\n"
    assert not (tmp_path / "out").exists()


def test_a_damaged_table_is_one_line_in_summary_and_a_clear_error_in_load(tmp_path, capsys):
    out = tmp_path / "out"
    assert _ingest(_raw(tmp_path / "raw"), out) == 0
    (out / "scores.parquet").write_bytes(b"garbage")
    said = (
        f"cannot read {out}/scores.parquet: not a readable Parquet file (Could not open Parquet input "
        f"source '{out}/scores.parquet': Parquet file size is 7 bytes, smaller than the minimum file "
        "footer (8 bytes))"
    )
    capsys.readouterr()
    assert main(["summary", "--out", str(out)]) == 4
    assert capsys.readouterr().err == f"error: {said}\n"
    with pytest.raises(DatasetError) as err:
        kommunkompassen.load(out)
    assert str(err.value) == said


def test_summary_of_a_dataset_without_reports(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    out = tmp_path / "out"
    assert _ingest(raw, out) == 0
    capsys.readouterr()
    assert main(["summary", "--out", str(out), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["reports"], shown["checks"], shown["files"]) == ([], [], [])
    assert main(["summary", "--out", str(out)]) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .startswith("0 reports from 0 files (0 ingested, 0 skipped, 0 failed); 0 checks; written ")
    )


# 7. The cache is verified


def _entries(out: Path) -> dict[str, Path]:
    return {p.stem: p for p in (out / ".kommunkompassen" / "cache").glob("*.json")}


def _reports(out: Path) -> dict[str, int]:
    reports = pd.read_parquet(out / "reports.parquet")
    return dict(zip(reports.source_file, reports.total_achieved, strict=True))


def test_an_edited_or_swapped_cache_entry_is_not_served(tmp_path):
    raw = _raw(tmp_path / "raw")
    shutil.copy(FIXTURES / REFERENCE[1], raw / REFERENCE[1])
    out = tmp_path / "out"
    assert _ingest(raw, out) == 0
    truth = _reports(out)
    nacka, nynashamn = (_entries(out)[_ids(out)[name]] for name in REFERENCE)
    edited = nacka.read_text().replace(f'"total_achieved": {truth[REFERENCE[0]]}', '"total_achieved": 799')
    assert edited != nacka.read_text()
    nacka.write_text(edited)
    shutil.copy(nacka, nynashamn)  # one report's entry under another's name
    assert _ingest(raw, out) == 0
    assert _reports(out) == truth
    assert (
        json.loads(nacka.read_text())["result"]["tables"]["reports"][0]["total_achieved"]
        == truth[REFERENCE[0]]
    )


def _ids(out: Path) -> dict[str, str]:
    reports = pd.read_parquet(out / "reports.parquet")
    return dict(zip(reports.source_file, reports.report_id, strict=True))


@pytest.mark.parametrize("content", ["", "{", "[1, 2]", "null", '{"result": 3}', "\x00\xff"])
def test_a_malformed_cache_entry_is_parsed_again(tmp_path, content):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    assert _ingest(raw, out) == 0
    truth = _reports(out)
    (entry,) = _entries(out).values()
    entry.write_text(content, encoding="utf-8")
    assert _ingest(raw, out) == 0
    assert _reports(out) == truth
    assert json.loads(entry.read_text())["key"] == entry.stem


def test_no_cache_rebuilds_the_entries(tmp_path, monkeypatch):
    raw = _raw(tmp_path / "raw")
    out = tmp_path / "out"
    assert _ingest(raw, out) == 0
    (entry,) = _entries(out).values()
    before = json.loads(entry.read_text())
    entry.write_text("{")
    assert _ingest(raw, out, "--no-cache") == 0
    assert json.loads(entry.read_text()) == before

    def must_not_parse(*_args):
        raise AssertionError("a file with a rebuilt entry was parsed again")

    monkeypatch.setattr(parse_pool, "parse_task", must_not_parse)
    assert _ingest(raw, out) == 0


# 8. What reaches the terminal, and what RAW may hold


def test_file_names_are_printed_as_they_are_never_as_markup_or_escape_sequences(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    names = ["[b]bold.pdf", "[draft] report.pdf", "esc\x1b[31mred.pdf"]
    for name in names:
        (raw / name).write_text(name)
    out = tmp_path / "out[" / "]x"  # its path holds '[/]', which rich would take for a closing tag
    assert _ingest(raw, out) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "[1/3] [b]bold.pdf failed: not a PDF (no %PDF header)",
        "[2/3] [draft] report.pdf failed: not a PDF (no %PDF header)",
        "[3/3] esc\\x1b[31mred.pdf failed: not a PDF (no %PDF header)",
    ]
    assert captured.out.startswith(f"3 files: 0 ingested, 0 skipped, 3 failed -> {out} (")
    assert [row[0] for row in _files(out)] == names
    assert main(["summary", "--out", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "[draft] report.pdf" in shown
    assert "esc\\x1b[31mred.pdf" in shown
    assert "\x1b" not in shown


def test_show_of_a_file_with_markup_in_its_name(tmp_path, capsys):
    pdf = tmp_path / "[b]x.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    assert main(["show", str(pdf)]) == 1
    said = "[b]x.pdf: failed: damaged PDF: Failed to open stream\n"
    assert capsys.readouterr().err == said


def test_everything_named_pdf_in_raw_gets_a_files_row(tmp_path):
    raw = _raw(tmp_path / "raw")
    os.mkfifo(raw / "fifo.pdf")
    (raw / "folder.pdf").mkdir()
    (raw / "broken.pdf").symlink_to("nowhere.pdf")
    (raw / "loop.pdf").symlink_to("loop.pdf")
    (raw / "pagemap.pdf").symlink_to("/proc/self/pagemap")
    (raw / "zero.pdf").symlink_to("/dev/zero")
    (raw / "link.pdf").symlink_to(REFERENCE[0])
    out = tmp_path / "out"
    assert _ingest(raw, out) == 1
    assert _files(out) == [
        ("broken.pdf", "failed", "a broken symbolic link (to nowhere.pdf)"),
        ("fifo.pdf", "failed", "not a regular file (a named pipe)"),
        ("folder.pdf", "failed", "a folder, not a file"),
        ("link.pdf", "ingested", None),
        ("loop.pdf", "failed", "a symbolic link that loops"),
        (REFERENCE[0], "skipped", "duplicate of link.pdf"),
        ("pagemap.pdf", "failed", "empty file (0 bytes)"),  # /proc says 0 bytes: never read beyond
        ("zero.pdf", "failed", "not a regular file (a device)"),
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("junk.pdf", b"junk before the header\n" + _small()),
        ("bom.pdf", b"\xef\xbb\xbf" + _small()),
        ("nuls.pdf", _small() + b"\x00" * 5000),
    ],
)
def test_bytes_around_the_pdf_are_accepted_where_mupdf_reads_it(name, data):
    result = parse_file(name, data, "id")
    assert (result.status, result.reason) == ("ingested", None)
    assert result.tables["reports"][0]["municipality"] == "Fjällvik"


def test_blank_pages_are_not_called_a_scan():
    doc = pymupdf.open()
    for _ in range(2000):
        doc.new_page()
    result = parse_file("blank.pdf", doc.tobytes(), "id")
    assert (result.status, result.reason) == ("failed", "no text on any page and no images: 2000 blank pages")


def test_a_file_deleted_during_the_run_says_so(tmp_path, monkeypatch):
    raw = _raw(tmp_path / "raw")
    (raw / "gone.pdf").write_bytes(_small())
    real = pipeline._identify

    def identify_then_delete(path):
        identity = real(path)
        if path.name == "gone.pdf":
            path.unlink()
        return identity

    monkeypatch.setattr(pipeline, "_identify", identify_then_delete)
    out = tmp_path / "out"
    assert _ingest(raw, out) == 1
    assert _files(out)[0] == ("gone.pdf", "failed", "the file disappeared during the run")


_DAMAGED_SHOW = """
import sys
from kommunkompassen.cli import main
sys.exit(main(["show", sys.argv[1], "--json"]))
"""


def test_mupdf_messages_go_into_the_result_not_to_standard_output(tmp_path):
    small = _small()
    pdf = tmp_path / "damaged.pdf"  # a wrong cross-reference offset: MuPDF repairs it and complains
    pdf.write_bytes(small[: small.rfind(b"startxref")] + b"startxref\n999999\n%%EOF\n")
    done = subprocess.run([sys.executable, "-c", _DAMAGED_SHOW, str(pdf)], capture_output=True, text=True)
    shown = json.loads(done.stdout)  # nothing but the JSON document
    assert (done.returncode, done.stderr, shown["status"]) == (0, "", "ingested")
    assert [c["message"] for c in shown["checks"] if c["code"] == "pdf-damaged"] == [
        "The PDF is damaged; MuPDF reported: format error: cannot recognize xref format; "
        "trying to repair broken xref; repairing PDF document"
    ]


# 9. Where analysts work: no Linux-only module is needed to read, show, chart or ingest

_WITHOUT_LINUX_MODULES = """
import sys
sys.modules["fcntl"] = sys.modules["resource"] = None  # as on Windows: importing them fails
import kommunkompassen
from kommunkompassen.cli import main

out, pdf, png = sys.argv[1:4]
assert len(kommunkompassen.load(out).reports) == 1
for argv in (["summary", "--out", out, "--json"], ["show", pdf, "--json"],
             ["plot", "compare", "Nacka", "--out", out, "-o", png]):
    assert main(argv) == 0, argv
print("ok")
"""


def test_reading_showing_and_charting_need_no_linux_only_module(tmp_path):
    out = tmp_path / "out"
    assert _ingest(_raw(tmp_path / "raw"), out) == 0
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_LINUX_MODULES, str(out), str(NACKA), str(tmp_path / "c.png")],
        capture_output=True,
        text=True,
        env={**os.environ, START_METHOD_ENV: "spawn"},
    )
    assert (done.returncode, done.stdout.splitlines()[-1], done.stderr) == (0, "ok", "")
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_the_spawn_start_method_gives_the_same_dataset(tmp_path, monkeypatch):
    raw = _raw(tmp_path / "raw")
    (raw / "small.pdf").write_bytes(_small())
    (raw / "empty.pdf").write_bytes(b"")
    forked, spawned = tmp_path / "fork", tmp_path / "spawn"
    assert _ingest(raw, forked, "--no-cache") == 1
    monkeypatch.setenv(START_METHOD_ENV, "spawn")
    assert start_method() == "spawn"
    assert main(["ingest", "--raw", str(raw), "--out", str(spawned), "--jobs", "2", "--no-cache"]) == 1
    for name in TABLE_FILES:
        pd.testing.assert_frame_equal(pd.read_parquet(spawned / name), pd.read_parquet(forked / name))


# 4. Two reports in one PDF


def _merged(*pdfs: Path) -> bytes:
    merged = pymupdf.open()
    for pdf in pdfs:
        merged.insert_pdf(pymupdf.open(pdf))
    return merged.tobytes()


@pytest.mark.parametrize(
    ("parts", "pages"),
    [((REFERENCE[0], REFERENCE[1]), "36, 67"), ((REFERENCE[0], REFERENCE[0]), "36, 73")],
)
def test_two_reports_in_one_pdf_are_failed_not_summed(parts, pages):
    result = parse_file("both.pdf", _merged(*(FIXTURES / p for p in parts)), "id")
    assert (result.status, result.reason) == (
        "failed",
        f"holds more than one report (the overview table of area 1 is on pages {pages}); "
        "split the PDF into one file per report",
    )
    assert result.tables == {}
