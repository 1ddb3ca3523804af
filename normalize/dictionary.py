"""The data dictionary (docs/dataset.md), rendered from the schemas so that it cannot drift from them.

Run `python -m normalize.dictionary docs/dataset.md` (or `make docs`) after changing a schema.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa

from normalize.checks import CHECK_CODES
from normalize.schema import FILE_METADATA, SCHEMAS, field_values

_INTRO = """\
# The dataset

<!-- Generated from normalize/schema.py by `make docs`; edit the schemas, not this file. -->

`kommunkompassen ingest` writes one Parquet file per table into the output folder (`data/parquet/` by
default). Every column's description below is also in the Parquet schema (field metadata `description`),
and every file carries these key-value metadata:

| key | meaning |
| --- | --- |
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _type(field: pa.Field) -> str:
    return str(field.type) + ("" if field.nullable else ", not null")


def _table(name: str, schema: pa.Schema) -> list[str]:
    lines = [
        f"## `{name}`",
        "",
        f"`{name}.parquet`. {schema.metadata[b'description'].decode()}",
        "",
        "| column | type | description |",
        "| --- | --- | --- |",
    ]
    for field in schema:
        description = field.metadata[b"description"].decode()
        values = field_values(field)
        if values:
            description += " Values: " + ", ".join(f"`{v}`" for v in values) + "."
        lines.append(f"| `{field.name}` | {_type(field)} | {_cell(description)} |")
    return [*lines, ""]


def _check_codes() -> list[str]:
    lines = [
        "## Check codes",
        "",
        "Every `code` a row of `checks` can carry, with its `severity`:",
        "",
        "| code | severity | meaning |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{code}` | {c.severity} | {_cell(c.meaning)} |" for code, c in CHECK_CODES.items()]
    return [*lines, ""]


def render() -> str:
    """The whole data dictionary as Markdown."""
    lines = [f"| `{key}` | {_cell(text)} |" for key, text in FILE_METADATA.items()]
    body = [line for name, schema in SCHEMAS.items() for line in _table(name, schema)]
    return _INTRO + "\n".join([*lines, "", *body, *_check_codes()])


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m normalize.dictionary OUTPUT.md", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
