"""Bad input never stops the batch, never loses data, and always says why."""

from __future__ import annotations

import gc
import importlib
import multiprocessing as mp
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pandas as pd
import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REFERENCE
from kommunkompassen import parse_pool
from kommunkompassen.cache import _code_files
from kommunkompassen.cli import main
from kommunkompassen.isolation import START_METHOD_ENV, Workers, isolated_map
from kommunkompassen.parsing import parse_file
from kommunkompassen.pipeline import DatasetBusy, _locked, ingest
from normalize import writer
from reportmaker import AreaSpec, ReportSpec, make_report

NACKA = (FIXTURES / "nacka-2021.pdf").read_bytes()
SMALL = make_report(
    ReportSpec(
        "Fjällviks kommun",
        2024,
        [
            AreaSpec(
                1, "Arbetsliv", [("1.1", "Arbetsmiljö", 5, 10)], strengths=["Bra"], improvements=["Bättre"]
            )
        ],
    )
)


def _encrypted(user_pw: str) -> bytes:
    doc = pymupdf.open(stream=NACKA)
    return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner-secret", user_pw=user_pw)


def _scanned() -> bytes:
    src = pymupdf.open(stream=NACKA)
    out = pymupdf.open()
    for page in list(src)[:3]:
        pix = page.get_pixmap(dpi=40)
        out.new_page(width=page.rect.width, height=page.rect.height).insert_image(page.rect, pixmap=pix)
    return out.tobytes()


def _without_overview() -> bytes:
    doc = pymupdf.open(stream=SMALL)
    doc.delete_page(doc.page_count - 1)
    return doc.tobytes()


CASES = {
    "a-html.pdf": (b"<!DOCTYPE html><html><body>404</body></html>", "failed", "not a PDF (no %PDF header)"),
    "b-empty.pdf": (b"", "failed", "empty file (0 bytes)"),
    "c-truncated.pdf": (
        NACKA[: len(NACKA) // 2],
        "failed",
        "truncated PDF (it ends before its %%EOF marker)",
    ),
    "d-encrypted.pdf": (_encrypted("user-secret"), "failed", "encrypted; needs a password"),
    "e-owner-only.pdf": (_encrypted(""), "ingested", None),
    "f-scan.pdf": (_scanned(), "failed", "no text layer; the PDF is a scanned image"),
    "g-protokoll.pdf": (
        (FIXTURES / "other" / "003_5c8f5b57624cd509.pdf").read_bytes(),
        "skipped",
        "not a Kommunkompassen report",
    ),
    "h-incomplete.pdf": (
        _without_overview(),
        "failed",
        "score tables incomplete: no overview score tables (Uppnått | Max) found",
    ),
    "i-copy.pdf": (SMALL, "ingested", None),
    "j-copy-again.pdf": (SMALL, "skipped", "duplicate of i-copy.pdf"),
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    raw = tmp_path_factory.mktemp("bad")
    for name, (data, _, _) in CASES.items():
        (raw / name).write_bytes(data)
    (raw / "notes.txt").write_text("not a pdf name: ignored")
    out = tmp_path_factory.mktemp("out") / "parquet"
    summary = ingest(raw, out, jobs=2, use_cache=False)
    return summary, {p.stem: pd.read_parquet(p) for p in out.glob("*.parquet")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_bad_input_gets_a_files_row_and_a_reason(bad_run, name):
    _, tables = bad_run
    row = tables["files"].set_index("source_file").loc[name]
    _, status, reason = CASES[name]
    assert (row.status, None if pd.isna(row.reason) else row.reason) == (status, reason)


def test_corrupt_body_is_a_damaged_pdf():
    result = parse_file("x.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40, "id")
    assert (result.status, result.reason) == ("failed", "damaged PDF: Failed to open stream")


def test_bad_files_cost_only_themselves(bad_run):
    summary, tables = bad_run
    assert (summary.count("ingested"), summary.count("skipped"), summary.count("failed")) == (2, 2, 6)
    ingested = set(tables["files"].query("status == 'ingested'").report_id)
    for table in ("reports", "scores", "checks", "findings", "sections"):
        assert set(tables[table].report_id) == ingested, table
    assert len(tables["files"]) == len(CASES)  # notes.txt is not a PDF name and is not listed


def test_exit_status_is_one_when_a_file_failed(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / REFERENCE[0], raw / REFERENCE[0])
    (raw / "broken.pdf").write_bytes(b"")
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == "[1/2] broken.pdf failed: empty file (0 bytes)"
    assert captured.out.startswith("2 files: 1 ingested, 0 skipped, 1 failed -> ")


def _write_reference(tmp_path: Path) -> tuple[Path, Path]:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in REFERENCE:
        shutil.copy(FIXTURES / name, raw / name)
    out = tmp_path / "parquet"
    ingest(raw, out, jobs=1)
    return raw, out


def test_failure_in_the_final_step_leaves_the_old_dataset(tmp_path, monkeypatch):
    raw, out = _write_reference(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (raw / REFERENCE[0]).unlink()

    def killed(*_args):
        raise KeyboardInterrupt("killed while swapping the dataset in")

    monkeypatch.setattr(writer, "_publish", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest(raw, out, jobs=1)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in (out / ".kommunkompassen").iterdir()) == ["DATASET", "cache", "lock"]


def test_second_ingest_on_the_same_output_stops_with_a_message(tmp_path, capsys):
    raw, out = _write_reference(tmp_path)
    with _locked(out, out / ".kommunkompassen"):
        with pytest.raises(DatasetBusy) as err:
            ingest(raw, out, jobs=1)
        assert str(err.value) == (
            f"another ingest is writing to {out} (lock {out / '.kommunkompassen' / 'lock'}); "
            "try again when it has finished"
        )
        assert main(["ingest", "--raw", str(raw), "--out", str(out)]) == 3  # busy, not "a file failed"
    assert capsys.readouterr().err.startswith(f"error: another ingest is writing to {out}")


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_parquet(p) for p in sorted(out.glob("*.parquet"))}


def test_rerun_uses_the_cache_and_gives_identical_tables(tmp_path, monkeypatch):
    raw, out = _write_reference(tmp_path)
    first = _tables(out)

    def must_not_parse(*_args):
        raise AssertionError("an unchanged file was parsed again")

    monkeypatch.setattr(parse_pool, "parse_task", must_not_parse)
    summary = ingest(raw, out, jobs=1)
    assert summary.count("ingested") == 2
    second = _tables(out)
    for name, table in first.items():
        pd.testing.assert_frame_equal(second[name], table)


def test_dataset_mirrors_raw_and_follows_renames(tmp_path):
    raw, out = _write_reference(tmp_path)
    (raw / REFERENCE[0]).unlink()
    (raw / REFERENCE[1]).rename(raw / "renamed.pdf")
    ingest(raw, out, jobs=1)
    tables = _tables(out)
    assert tables["reports"].source_file.tolist() == ["renamed.pdf"]
    assert tables["files"].source_file.tolist() == ["renamed.pdf"]
    assert tables["scores"].report_id.nunique() == 1
    assert len(list((out / ".kommunkompassen" / "cache").glob("*.json"))) == 1


def test_jobs_do_not_change_the_output(tmp_path):
    raw, _ = _write_reference(tmp_path)
    (raw / "small.pdf").write_bytes(SMALL)
    one, two = tmp_path / "one", tmp_path / "two"
    ingest(raw, one, jobs=1, use_cache=False)
    ingest(raw, two, jobs=2, use_cache=False)
    for name, table in _tables(one).items():
        pd.testing.assert_frame_equal(_tables(two)[name], table)


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _hog(megabytes: int) -> int:
    return len(bytearray(megabytes * 2**20))


def _crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def test_isolation_bounds_time_memory_and_crashes():
    outcomes = list(
        isolated_map(
            lambda f, *a: f(*a),
            [(_sleep, 0.0), (_sleep, 30.0), (_hog, 800), (_crash,)],
            jobs=2,
            seconds=1.0,
            memory=200 * 2**20,
        )
    )
    assert [(o.value, o.problem) for o in outcomes] == [
        ("woke", None),
        (None, "took longer than 1 s; stopped"),
        (None, "ran out of memory (more than 200 MiB)"),
        (None, "the PDF reader crashed (exit status -11)"),
    ]


def _imported(module: str) -> tuple[int, bool]:
    """In a worker: its process id, and whether `module` was imported before this task."""
    return os.getpid(), module in sys.modules


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_started_workers_import_their_module_before_their_first_task(start, monkeypatch):
    monkeypatch.setenv(START_METHOD_ENV, start)
    assert "tabnanny" not in sys.modules  # so that a forked worker cannot have inherited it
    before = {p.pid for p in mp.active_children()}
    with Workers(_imported, 2, 30.0, None, warm="tabnanny") as workers:
        workers.start(3)  # no more than jobs
        started = {p.pid for p in mp.active_children()} - before
        outcomes = list(workers.map([("tabnanny",)] * 3))
    assert len(started) == 2
    assert {o.value[0] for o in outcomes} <= started  # the tasks ran on the started workers
    assert [o.value[1] for o in outcomes] == [True, True, True]
    assert {p.pid for p in mp.active_children()} == before  # and they are stopped


def test_a_worker_freezes_what_it_starts_with_out_of_its_tasks_collections():
    """The modules a worker imported (PyMuPDF, the parsers) live as long as it does; the garbage
    collections during a parse need not traverse them."""
    outcomes = list(isolated_map(gc.get_freeze_count, [()], jobs=1, seconds=30.0, memory=None))
    assert outcomes[0].problem is None
    assert outcomes[0].value > 0  # objects frozen; without the freeze there are none


def _children() -> set[int]:
    return {p.pid for p in mp.active_children()}  # reaps those that have exited


@pytest.mark.parametrize("tasks", [0, 1])
def test_idle_workers_are_let_go_once_no_task_is_left(tasks):
    """A started worker no task needs (every file was cached) stops at once, and the one that ran the
    last task once its outcome is in: neither takes a core until the end of the block."""
    before = _children()
    with Workers(_imported, 2, 30.0, None) as workers:
        workers.start(2)
        assert len(_children() - before) == 2
        outcomes = list(workers.map([("json",)] * tasks))
        deadline = time.monotonic() + 30  # generous: only turns a worker that stays into a failure
        while _children() != before and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _children() == before
    assert [o.problem for o in outcomes] == [None] * tasks


def _import(module: str) -> str:
    return importlib.import_module(module).__name__


def test_a_module_a_worker_cannot_import_as_it_starts_fails_only_the_tasks_that_need_it():
    with Workers(_import, 1, 30.0, None, warm="kommunkompassen.no_such_module") as workers:
        workers.start(1)
        outcomes = list(workers.map([("kommunkompassen.no_such_module",), ("json",)]))
    assert [(o.value, o.problem) for o in outcomes] == [
        (None, "internal error: ModuleNotFoundError(\"No module named 'kommunkompassen.no_such_module'\")"),
        ("json", None),
    ]


def test_a_file_that_hangs_is_failed_and_the_rest_ingested(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.pdf").write_bytes(SMALL)
    (raw / "b.pdf").write_bytes(NACKA)
    real = parse_pool.parse_task

    def hang_on_a(path, digest, size, cache, shared):
        if path.name == "a.pdf":
            time.sleep(60)
        return real(path, digest, size, cache, shared)

    monkeypatch.setattr(parse_pool, "parse_task", hang_on_a)
    summary = ingest(raw, tmp_path / "out", jobs=2, seconds=2.0, use_cache=False)
    assert [(r.source_file, r.status, r.reason) for r in summary.results] == [
        ("a.pdf", "failed", "took longer than 2 s; stopped"),
        ("b.pdf", "ingested", None),
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=len(SMALL)),
    edits=st.lists(st.tuples(st.integers(0, len(SMALL) - 1), st.integers(0, 255)), max_size=30),
)
def test_fuzzed_bytes_never_escape_the_files_table(cut, edits):
    data = bytearray(SMALL)
    for position, value in edits:
        data[position] = value
    result = parse_file("fuzz.pdf", bytes(data[: max(cut, 1)] if edits else data[:cut]), "id")
    assert result.status in {"ingested", "skipped", "failed"}
    assert (result.reason is None) == (result.status == "ingested")
    assert result.source_file == "fuzz.pdf"


def test_the_cache_key_covers_all_code_a_worker_runs():
    """A result is served from the cache only for the code that made it: the stages, their data files
    and the modules a worker runs them with (a new message in parsing.py must not meet old entries)."""
    names = {name for name, _ in _code_files()}
    assert {"kommunkompassen.parsing", "kommunkompassen.mupdf", "kommunkompassen.results"} <= names
    assert {"extract/pdf.py", "parsers/findings.py", "normalize/rows.py", "normalize/data/areas.csv"} <= names
