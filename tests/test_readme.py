"""The README's Python and DuckDB examples run on the bundled reports and print what the README shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from normalize.schema import SCHEMAS

README = Path(__file__).parent.parent / "README.md"
_EXAMPLE = re.compile(r"```python\n(?P<code>.*?)```\n\n```\n(?P<output>.*?)```", re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    return [(m["code"], m["output"]) for m in _EXAMPLE.finditer(README.read_text(encoding="utf-8"))]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def test_readme_has_pandas_and_duckdb_examples():
    code = "".join(c for c, _ in _examples())
    assert "kommunkompassen.load(" in code
    assert "duckdb.sql(" in code
    assert "data/parquet/*.parquet" in code


def test_readme_examples_print_what_the_readme_shows(dataset_dir, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "parquet").symlink_to(dataset_dir)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for code, expected in _examples():
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, str(README), "exec"), namespace)
        assert _lines(printed.getvalue()) == _lines(expected), code


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_readme_table_overview_names_every_column_in_order(table):
    row = next(
        line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith(f"| `{table}` |")
    )
    named = [word for word in re.findall(r"`(\w+)`", row) if word in SCHEMAS[table].names]
    assert named == SCHEMAS[table].names
