"""Shared fixtures: the reference reports, their truth files, and one ingest of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kommunkompassen.pipeline import ingest

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = ("nacka-2021.pdf", "nynashamn-2023.pdf")


@pytest.fixture(scope="session")
def truth() -> dict[str, dict]:
    """The transcribed known results, keyed by PDF file name."""
    return {
        name: json.loads((FIXTURES / name.replace(".pdf", ".truth.json")).read_text()) for name in REFERENCE
    }


def ingested(tmp_path_factory: pytest.TempPathFactory, reports: dict[str, bytes]) -> Path:
    """The folder of a dataset ingested from these PDFs (file name: bytes)."""
    raw = tmp_path_factory.mktemp("raw")
    for name, pdf in reports.items():
        (raw / name).write_bytes(pdf)
    out = tmp_path_factory.mktemp("out") / "parquet"
    ingest(raw, out, jobs=1)
    return out


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    for name in REFERENCE:
        shutil.copy(FIXTURES / name, raw / name)
    out = tmp_path_factory.mktemp("dataset") / "parquet"
    ingest(raw, out, jobs=1)
    return out


@pytest.fixture(scope="session")
def dataset(dataset_dir: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_parquet(p) for p in dataset_dir.glob("*.parquet")}


@pytest.fixture(scope="session")
def report_ids(dataset: dict[str, pd.DataFrame]) -> dict[str, str]:
    reports = dataset["reports"]
    return dict(zip(reports.source_file, reports.report_id, strict=True))
