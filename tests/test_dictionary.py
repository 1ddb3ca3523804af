"""The data dictionary is current, and every Parquet file carries its descriptions and metadata."""

from __future__ import annotations

import ast
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from normalize.checks import CHECK_CODES, Check
from normalize.dictionary import render
from normalize.schema import FILE_METADATA, SCHEMAS

DICTIONARY = Path(__file__).parent.parent / "docs" / "dataset.md"


def test_docs_dataset_md_is_generated_from_the_schemas():
    assert DICTIONARY.read_text(encoding="utf-8") == render(), "docs/dataset.md is stale: run `make docs`"


def test_every_column_is_in_the_dictionary_with_its_description():
    text = render()
    for name, schema in SCHEMAS.items():
        assert f"## `{name}`" in text
        for field in schema:
            description = field.metadata[b"description"].decode()
            assert len(description) > 10, (name, field.name)
            assert f"| `{field.name}` | " in text
            assert description.replace("|", "\\|") in text


def test_parquet_files_carry_descriptions_and_metadata(dataset_dir):
    for name, schema in SCHEMAS.items():
        written = pq.read_schema(dataset_dir / f"{name}.parquet")
        assert written.metadata[b"description"] == schema.metadata[b"description"]
        assert set(FILE_METADATA) <= {k.decode() for k in written.metadata}
        for field in schema:
            assert written.field(field.name).metadata == field.metadata, (name, field.name)


def _sources() -> list[ast.Module]:
    root = Path(__file__).parent.parent
    packages = ("extract", "parsers", "normalize", "kommunkompassen")
    return [
        ast.parse(f.read_text(encoding="utf-8")) for p in packages for f in sorted((root / p).rglob("*.py"))
    ]


def _is_code_list(node: ast.AST) -> bool:
    return isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "CHECK_CODES"


def _strings_outside_the_code_list() -> set[str]:
    """Every string literal of the package sources but those of CHECK_CODES itself."""
    found: set[str] = set()
    pending: list[ast.AST] = _sources()
    while pending:
        node = pending.pop()
        if _is_code_list(node):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        pending.extend(ast.iter_child_nodes(node))
    return found


def test_every_check_code_made_is_listed_and_every_listed_code_is_made():
    made = [
        node.args[1]
        for tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Check"
    ]
    literal = {code.value for code in made if isinstance(code, ast.Constant)}
    assert literal <= set(CHECK_CODES)
    assert set(CHECK_CODES) <= _strings_outside_the_code_list()  # no listed code that nothing makes
    assert len(CHECK_CODES) == 16


def test_the_dictionary_lists_every_check_code_with_its_severity_and_meaning():
    text = render()
    for code, check in CHECK_CODES.items():
        meaning = check.meaning.replace("|", "\\|")
        assert f"| `{code}` | {check.severity} | {meaning} |" in text
    assert "| `same-evaluation-differs` | error | Another file holds a report of the same" in text


def test_a_check_with_an_unlisted_code_is_refused():
    with pytest.raises(ValueError, match=r"^check code 'subarea-total' is not in CHECK_CODES$"):
        Check(3, "subarea-total", "Area 3 …")
    assert Check(3, "subarea-sum", "Area 3 …").row("ab12")["severity"] == "error"
