"""The data dictionary is current, and every Parquet file carries its descriptions and metadata."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

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
