"""The command line: summary line, exit status, usage errors."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, REFERENCE
from kommunkompassen.cli import main


def test_ingest_prints_summary_and_exits_zero(tmp_path, capsys):
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
        "checks.parquet",
        "files.parquet",
        "findings.parquet",
        "reports.parquet",
        "scores.parquet",
        "sections.parquet",
    ]


def test_missing_raw_folder_is_a_usage_error(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["ingest", "--raw", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip() == f"error: raw folder {missing} does not exist or is not a folder"
    assert not (tmp_path / "out").exists()


def test_jobs_must_be_positive(tmp_path, capsys):
    assert main(["ingest", "--raw", str(tmp_path), "--jobs", "0"]) == 2
    assert capsys.readouterr().err.strip() == "error: --jobs must be at least 1"
