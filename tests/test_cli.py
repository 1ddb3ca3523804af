"""The command line: summary line, exit status, usage errors."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pymupdf
import pytest

import kommunkompassen
from conftest import FIXTURES, REFERENCE
from kommunkompassen import command
from kommunkompassen.cli import main
from kommunkompassen.outdir import TABLE_FILES
from kommunkompassen.pipeline import ingest
from normalize.tables import RUN_KEY, WRITTEN_KEY


def test_ingest_prints_summary_and_exits_zero(tmp_path, capsys, wide_terminal):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in REFERENCE:
        shutil.copy(FIXTURES / name, raw / name)
    shutil.copy(FIXTURES / "other" / "001_795d4f1d4c59989b.pdf", raw / "protokoll.pdf")
    out = tmp_path / "parquet"
    assert main(["ingest", "--raw", str(raw), "--out", str(out), "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    summary = captured.out.strip()
    assert summary.startswith(f"3 files: 2 ingested, 1 skipped, 0 failed -> {out} (")
    assert captured.err.splitlines() == [
        "[1/3] nacka-2021.pdf ingested",
        "[2/3] nynashamn-2023.pdf ingested",
        "[3/3] protokoll.pdf skipped: not a Kommunkompassen report",
    ]
    assert sorted(p.name for p in out.glob("*.parquet")) == [
        "areas.parquet",
        "checks.parquet",
        "crosswalk.parquet",
        "files.parquet",
        "findings.parquet",
        "reports.parquet",
        "scores.parquet",
        "sections.parquet",
        "subareas.parquet",
    ]
    assert main(["summary", "--out", str(out)]) == 0
    shown = capsys.readouterr().out
    assert _row("protokoll.pdf", "skipped", "not a Kommunkompassen report").search(shown)
    assert "(2 ingested, 1 skipped, 0 failed)" in shown.splitlines()[-1]


def test_missing_raw_folder_is_a_usage_error(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["ingest", "--raw", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip() == f"error: raw folder {missing} does not exist or is not a folder"
    assert not (tmp_path / "out").exists()


def test_jobs_must_be_positive(tmp_path, capsys):
    assert main(["ingest", "--raw", str(tmp_path), "--jobs", "0"]) == 2
    assert capsys.readouterr().err.strip() == "error: --jobs must be at least 1"


def _row(*cells: object) -> re.Pattern:
    """A rich table row (or header row) with these cells, whatever the padding."""
    bar = r"\s*[│┃]\s*"
    return re.compile(bar + bar.join(re.escape(str(c)) for c in cells) + bar)


@pytest.fixture
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")


@pytest.mark.parametrize("name", REFERENCE)
def test_show_json_is_the_parsed_report(name, truth, capsys):
    assert main(["show", str(FIXTURES / name), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    t = truth[name]
    assert shown["status"] == "ingested"
    assert shown["report"]["municipality"] == t["municipality"]
    assert shown["report"]["year"] == t["year"]
    assert (shown["report"]["total_achieved"], shown["report"]["total_max"]) == (
        t["total_score"],
        t["max_total"],
    )
    areas = [(s["code"], s["name"], s["achieved"], s["max"]) for s in shown["scores"] if s["level"] == "area"]
    assert areas == [(str(a["number"]), a["name"], a["score"], a["max"]) for a in t["areas"]]
    for kind, key in (("strength", "strengths"), ("improvement", "improvements")):
        got = [f["text"] for f in shown["findings"] if f["kind"] == kind]
        assert got == [item for a in t["areas"] for item in a[key]]


def test_show_prints_scores_findings_and_checks(truth, capsys, wide_terminal):
    name = "nynashamn-2023.pdf"
    assert main(["show", str(FIXTURES / name)]) == 0
    out = capsys.readouterr().out
    t = truth[name]
    lines = out.splitlines()
    assert lines[0] == f"{t['title']} ({name})"
    assert lines[1].startswith(f"{t['municipality']} {t['year']}, ")
    assert lines[1].endswith(f", Kommunkompassen revision 2020, total {t['total_score']} of {t['max_total']}")
    for area in t["areas"]:
        assert _row(area["number"], area["name"], area["score"], area["max"]).search(out)
        for sub in area["subareas"]:
            assert _row(sub["code"], sub["name"], sub["score"], sub["max"]).search(out), sub
        if area["strengths"] or area["improvements"]:
            header = _row(
                f"Styrkor ({len(area['strengths'])})",
                f"Förbättringsmöjligheter ({len(area['improvements'])})",
            )
            assert f"Område {area['number']}: {area['name']}" in out
            assert header.search(out)
    assert _row(
        2, "error", "subarea-sum", "Area 2: the sub-area scores sum to 59, the overview total is 60."
    ).search(out)
    assert re.fullmatch(r"1 check, \d+ sections \(their text: --json\); nothing written", lines[-1])


def test_show_of_a_report_that_fails_prints_what_was_read(truth, tmp_path, capsys, wide_terminal):
    """A report whose overview is cut short: `show` says exactly what is missing and shows every score
    and finding it did read, so a user can see where the reading stopped."""
    name = "nynashamn-2023.pdf"
    doc = pymupdf.open(FIXTURES / name)
    doc.delete_page(doc.page_count - 1)  # the overview's last page: area 5's total and areas 6-8
    pdf = tmp_path / "cut.pdf"
    doc.save(pdf)
    reason = (
        "score tables incomplete: area 5: no total row; area 6: no overview table; "
        "area 7: no overview table; area 8: no overview table"
    )
    assert main(["show", str(pdf), "--json"]) == 1
    shown = json.loads(capsys.readouterr().out)
    assert (shown["status"], shown["reason"], shown["report"]) == ("failed", reason, None)
    areas = truth[name]["areas"]
    read = shown["read"]
    got = [(s["code"], s["achieved"], s["max"]) for s in read["scores"] if s["level"] == "area"]
    assert got == [(str(a["number"]), a["score"], a["max"]) for a in areas[:4]]
    subareas = [(s["code"], s["achieved"], s["max"]) for s in read["scores"] if s["level"] == "subarea"]
    assert subareas == [(s["code"], s["score"], s["max"]) for a in areas[:5] for s in a["subareas"]]
    assert [f["text"] for f in read["findings"] if f["kind"] == "strength"] == [
        text for a in areas for text in a["strengths"]
    ]
    assert main(["show", str(pdf)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == f"not ingested ({reason}); what was read:"
    assert _row(4, areas[3]["name"], areas[3]["score"], areas[3]["max"]).search(captured.out)
    assert captured.err.strip() == f"cut.pdf: failed: {reason}"


def test_show_of_a_document_that_is_not_a_report(tmp_path, capsys):
    pdf = tmp_path / "protokoll.pdf"
    shutil.copy(FIXTURES / "other" / "001_795d4f1d4c59989b.pdf", pdf)
    assert main(["show", str(pdf)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "protokoll.pdf: skipped: not a Kommunkompassen report"


def test_show_of_a_missing_file_is_a_usage_error(tmp_path, capsys):
    missing = tmp_path / "nope.pdf"
    assert main(["show", str(missing)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {missing} does not exist or is not a file"


def test_summary_lists_reports_totals_and_checks(dataset_dir, truth, capsys, wide_terminal):
    assert main(["summary", "--out", str(dataset_dir)]) == 0
    out = capsys.readouterr().out
    for name, t in truth.items():
        errors = len(t["consistency_issues"])
        warnings = sum(not a["has_strengths_table"] for a in t["areas"])
        total = f"{t['total_score']} / {t['max_total']}"
        assert _row(
            t["municipality"], t["year"], "2020", t["kommunkod"], total, errors, warnings, name
        ).search(out)
    assert _row("Nynäshamn 2023", 2, "error", "subarea-sum").search(out)
    assert _row("Nacka 2021", 2, "warning", "findings-missing").search(out)
    assert "Files not ingested" not in out
    last = out.splitlines()[-1]
    assert re.fullmatch(
        r"2 reports from 2 files \(2 ingested, 0 skipped, 0 failed\); 2 checks; "
        r"written \S+ by kommunkompassen \S+, taxonomy [0-9a-f]{12}",
        last,
    )


def test_summary_json(dataset_dir, truth, capsys):
    assert main(["summary", "--out", str(dataset_dir), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert set(shown) == {"metadata", "reports", "checks", "files"}
    got = {
        r["source_file"]: (r["municipality"], r["year"], r["total_achieved"], r["errors"])
        for r in shown["reports"]
    }
    assert got == {
        name: (t["municipality"], t["year"], t["total_score"], len(t["consistency_issues"]))
        for name, t in truth.items()
    }
    assert sorted((c["severity"], c["code"]) for c in shown["checks"]) == [
        ("error", "subarea-sum"),
        ("warning", "findings-missing"),
    ]
    assert [f["status"] for f in shown["files"]] == ["ingested", "ingested"]


def test_summary_without_a_dataset(tmp_path, capsys):
    assert main(["summary", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"error: no dataset in {tmp_path}: reports.parquet is missing; run `make ingest` "
        f"(or `kommunkompassen ingest --out {tmp_path}`) first"
    )


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    assert data[-8:-4] == b"IEND"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("chart", ["compare", "history"])
def test_plot_writes_a_png(dataset_dir, tmp_path, chart, capsys):
    png = tmp_path / "charts" / f"{chart}.png"
    assert main(["plot", chart, "Nynäshamn", "--out", str(dataset_dir), "-o", str(png)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {png}"
    width, height = _png_size(png)
    assert 900 <= width <= 2500 and 600 <= height <= 2000
    assert 20_000 < png.stat().st_size < 1_000_000
    assert list(png.parent.iterdir()) == [png]  # no temporary file left beside it


@pytest.mark.parametrize(
    ("suffix", "start"), [(".svg", b"<?xml version"), (".pdf", b"%PDF-"), (".PNG", b"\x89PNG\r\n\x1a\n")]
)
def test_plot_writes_the_format_its_suffix_names(dataset_dir, tmp_path, suffix, start, capsys):
    chart = tmp_path / f"nacka{suffix}"
    assert main(["plot", "compare", "Nacka", "--out", str(dataset_dir), "-o", str(chart)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {chart}"
    data = chart.read_bytes()
    assert data.startswith(start)
    if suffix == ".svg":
        assert b"<svg " in data[:1000]
        assert "Källa: nacka-2021.pdf (2021, version 2020".encode() in data  # text stays text
    assert list(tmp_path.iterdir()) == [chart]


def test_plot_to_an_unknown_format_is_a_usage_error(dataset_dir, tmp_path, capsys):
    chart = tmp_path / "nacka.jpg"
    assert main(["plot", "compare", "Nacka", "--out", str(dataset_dir), "-o", str(chart)]) == 2
    assert capsys.readouterr().err == (
        f"error: cannot write a chart to {chart}: name it *.png, *.svg or *.pdf "
        "(the suffix picks the format)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_plot_default_file_name(dataset_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["plot", "compare", "Nacka kommun", "--out", str(dataset_dir)]) == 0
    assert capsys.readouterr().out.strip() == "wrote nacka-kommun-compare.png"
    _png_size(tmp_path / "nacka-kommun-compare.png")


def test_plot_of_an_unknown_municipality(dataset_dir, tmp_path, capsys):
    png = tmp_path / "x.png"
    assert main(["plot", "history", "Fjällvik", "--out", str(dataset_dir), "-o", str(png)]) == 2
    assert (
        capsys.readouterr().err.strip()
        == "error: no report of 'Fjällvik' in the dataset; it has Nacka, Nynäshamn"
    )
    assert not png.exists()


_WHAT_INGEST_LOADS = """
import sys
from kommunkompassen.cli import main
status = main(["ingest", "--raw", sys.argv[1], "--out", sys.argv[2], "--jobs", "1"])
print(status, *(name in sys.modules for name in ("pymupdf", "parsers", "pandas", "pyarrow")))
"""


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_the_ingest_process_loads_neither_the_pdf_library_nor_pandas(tmp_path, start, monkeypatch):
    """The ingest process only orchestrates and writes: workers parse (with PyMuPDF), and pandas,
    which pyarrow would load to ask whether a list is a pandas object, is kept out; the tables are the
    same as ever."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / REFERENCE[0], raw / REFERENCE[0])
    out = tmp_path / "out"
    monkeypatch.setenv("KOMMUNKOMPASSEN_START_METHOD", start)
    done = subprocess.run(
        [sys.executable, "-c", _WHAT_INGEST_LOADS, str(raw), str(out)], capture_output=True, text=True
    )
    assert done.stdout.splitlines()[-1].split() == ["0", "False", "False", "False", "True"]
    scores = pd.read_parquet(out / "scores.parquet")
    assert scores.loc[scores.code == "1", ["achieved", "max"]].values.tolist() == [[79, 100]]
    assert len(pd.read_parquet(out / "findings.parquet")) == 77


_WHEN_THE_WORKER_STARTS = """
import sys
from kommunkompassen import isolation, parse_pool
from kommunkompassen.cli import main

start, parse = isolation.Workers.start, parse_pool.parse_task

def loaded(*names):
    return [name in sys.modules for name in names]

def first_start(self, count):
    print("start", count, *loaded("rich", "pyarrow"), flush=True)
    start(self, count)

def parse_path(*args):
    print("task", *loaded("pymupdf", "parsers"), flush=True)
    return parse(*args)

isolation.Workers.start = first_start
parse_pool.parse_task = parse_path
print("status", main(["ingest", "--raw", sys.argv[1], "--out", sys.argv[2], "--jobs", "2"]))
"""


def test_the_ingest_starts_a_worker_before_it_loads_rich_and_arrow(tmp_path):
    """The worker's start and its import of the parsers overlap the ingest process's own loading,
    instead of following it: one worker (the file is not known to be uncached yet), started before
    rich and Arrow are loaded, has the parsers loaded by the time its task arrives."""
    said, out = _one_report_by(_WHEN_THE_WORKER_STARTS, tmp_path)
    assert (said[:2], said[-1]) == (["start 1 False False", "task True True"], "status 0")
    assert len(pd.read_parquet(out / "findings.parquet")) == 77


def _one_report_by(script: str, tmp_path: Path) -> tuple[list[str], Path]:
    """What `script`, run on a folder of one reference report and an output folder, printed; and the
    output folder."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / REFERENCE[0], raw / REFERENCE[0])
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", script, str(raw), str(out)], capture_output=True, text=True)
    return done.stdout.splitlines(), out


_THE_COMMAND_STARTS = """
import sys
from kommunkompassen import isolation
from kommunkompassen.command import run

start = isolation.Workers.start

def first_start(self, count):
    names = ("kommunkompassen.cli", "kommunkompassen.pipeline", "rich", "pyarrow", "pymupdf")
    print("start", count, *[name in sys.modules for name in names], flush=True)
    start(self, count)

isolation.Workers.start = first_start
sys.argv = ["kommunkompassen", "ingest", "--raw", sys.argv[1], "--out", sys.argv[2]]
print("status", run())
"""


def test_the_command_starts_its_first_worker_before_it_loads_its_own_modules(tmp_path):
    """The script reads its arguments and starts the ingest's first worker before it loads the
    command's modules: the worker's start and its import of the parsers overlap that loading too."""
    said, out = _one_report_by(_THE_COMMAND_STARTS, tmp_path)
    assert (said[0], said[-1]) == ("start 1 False False False False False", "status 0")
    assert len(pd.read_parquet(out / "findings.parquet")) == 77


_THE_COMMAND = """
import atexit, gc, sys
from kommunkompassen.command import run
loaded = lambda *names: [name in sys.modules for name in names]
atexit.register(lambda: print(*loaded("numpy", "pandas", "pyarrow"), gc.get_freeze_count() > 0))
sys.exit(run())
"""


def _metadata(table: Path) -> dict[bytes, bytes]:
    """A table file's schema metadata, without what differs from run to run."""
    metadata = pq.read_schema(table).metadata
    return {k: v for k, v in metadata.items() if k.decode() not in (RUN_KEY, WRITTEN_KEY)}


def test_the_ingest_command_in_its_own_process_keeps_numpy_out_and_writes_the_same_dataset(tmp_path):
    """The `kommunkompassen` script (run()) ends with the command, so its ingest keeps numpy, which
    pyarrow would load and never use, out of the process, and leaves its objects to the system at
    exit; the dataset is the one an ingest with numpy loaded writes."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / REFERENCE[0], raw / REFERENCE[0])
    alone, here = tmp_path / "alone", tmp_path / "here"
    done = subprocess.run(
        [sys.executable, "-c", _THE_COMMAND, "ingest", "--raw", str(raw), "--out", str(alone)],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "False False True True")
    ingest(raw, here, jobs=1)
    for name in TABLE_FILES:
        pd.testing.assert_frame_equal(pd.read_parquet(alone / name), pd.read_parquet(here / name))
        assert _metadata(alone / name) == _metadata(here / name)


_INGEST_THEN_LOAD = """
import sys
import kommunkompassen
from kommunkompassen import command
from kommunkompassen.cli import main
status = main(["ingest", "--raw", sys.argv[1], "--out", sys.argv[2], "--jobs", "1"])
print(status, len(kommunkompassen.load(sys.argv[2]).findings))
"""


def test_main_leaves_a_process_that_goes_on_able_to_use_pandas(tmp_path):
    """main() may be called by a program that goes on (a notebook): its ingest keeps numpy available
    to pyarrow, which, loaded without it, would crash pandas later in the process."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / REFERENCE[0], raw / REFERENCE[0])
    done = subprocess.run(
        [sys.executable, "-c", _INGEST_THEN_LOAD, str(raw), str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "0 77")


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"kommunkompassen {kommunkompassen.__version__}\n"


@pytest.mark.parametrize("module", ["kommunkompassen", "kommunkompassen.cli"])
def test_python_dash_m_runs_the_command(tmp_path, module):
    """Both the package and, as before the script moved to command.run, the cli module run the
    command: neither ends at once with status 0, having done nothing."""
    done = subprocess.run(
        [sys.executable, "-m", module, "summary", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: no dataset in {tmp_path}: reports.parquet is missing")


def test_the_package_says_it_is_typed():
    package = Path(kommunkompassen.__file__).parent
    assert (package / "py.typed").is_file()
    pyproject = tomllib.loads((package.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"]["kommunkompassen"]


def test_summary_finds_the_dataset_of_the_project_it_runs_in(dataset_dir, tmp_path, monkeypatch, capsys):
    (tmp_path / "data").mkdir()
    shutil.copytree(dataset_dir, tmp_path / "data" / "parquet")
    (tmp_path / "notebooks" / "2026").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "notebooks" / "2026")
    assert main(["summary"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("2 reports from 2 files (2 ingested, ")
    assert main(["plot", "compare", "Nynashamn"]) == 0
    assert capsys.readouterr().out.strip() == "wrote nynashamn-compare.png"


def test_summary_outside_a_project_says_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["summary"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: no dataset found: looked for {Path('data', 'parquet')} in {tmp_path.resolve()} and every "
        "folder above it; run `make ingest` in the project, or give the dataset folder"
    )


def test_summary_of_a_dataset_without_reports_lists_the_files_that_failed(tmp_path, capsys, wide_terminal):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "rapport.pdf").write_bytes(b"not a pdf at all")
    (raw / "tom.pdf").write_bytes(b"")
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 1
    capsys.readouterr()
    assert main(["summary", "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert _row("rapport.pdf", "failed", "not a PDF (no %PDF header)").search(captured.out)
    assert _row("tom.pdf", "failed", "empty file (0 bytes)").search(captured.out)
    assert captured.out.splitlines()[-1].startswith(
        "0 reports from 2 files (0 ingested, 0 skipped, 2 failed); 0 checks; written "
    )
    assert main(["summary", "--out", str(tmp_path / "out"), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["reports"], shown["checks"]) == ([], [])
    assert [(f["source_file"], f["status"]) for f in shown["files"]] == [
        ("rapport.pdf", "failed"),
        ("tom.pdf", "failed"),
    ]


def test_ctrl_c_before_the_command_has_taken_over_is_one_line(monkeypatch, capsys):
    """While the script reads its arguments and loads the command, Ctrl-C ends it as it does later:
    one line and status 130, no traceback."""

    class Interrupted:
        def parse_args(self, _argv: list[str]) -> None:
            raise KeyboardInterrupt

    monkeypatch.setattr(command, "parser", Interrupted)
    monkeypatch.setattr(sys, "argv", ["kommunkompassen", "ingest"])
    assert command.run() == 130
    assert capsys.readouterr().err == "error: interrupted\n"
