"""Every value checked against its table's schema before a file's rows join the dataset, so that a
value the Parquet column cannot hold (3000000000 in a 32-bit column, text that is not valid Unicode)
fails that one file instead of the whole run at write time."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from normalize.schema import SCHEMAS

_INT32 = (-(2**31), 2**31 - 1)


def schema_problem(tables: dict[str, list[dict]]) -> str | None:
    """The first value that does not fit its column, as 'table.column is …', or None."""
    for name, rows in tables.items():
        for field in SCHEMAS[name]:
            for row in rows:
                problem = _value_problem(field, row.get(field.name))
                if problem is not None:
                    return f"{name}.{field.name} {problem}"
    return None


def _value_problem(field: pa.Field, value: Any) -> str | None:
    if value is None:
        return None if field.nullable else "is missing"
    kind = field.type
    if pa.types.is_int32(kind):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"is {value!r}, not a whole number"
        if not _INT32[0] <= value <= _INT32[1]:
            return f"is {value}, beyond the 32-bit integers the column holds"
    elif pa.types.is_float64(kind):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"is {value!r}, not a number"
    elif pa.types.is_string(kind):
        if not isinstance(value, str):
            return f"is {value!r}, not text"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"is {value!r}, not valid Unicode text"
    return None
