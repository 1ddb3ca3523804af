"""Every value checked against its table's schema before a file's rows join the dataset, so that a
value the Parquet column cannot hold (3000000000 in a 32-bit column, text that is not valid Unicode)
fails that one file instead of the whole run at write time."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pyarrow as pa

from normalize.schema import SCHEMAS

_INT32 = (-(2**31), 2**31 - 1)

Problem = Callable[[Any], str | None]  # what is wrong with a value that is not null, or None


def schema_problem(tables: dict[str, list[dict]]) -> str | None:
    """The first value that does not fit its column, as 'table.column is …', or None."""
    for name, rows in tables.items():
        for column, nullable, problem in _columns(name):
            for row in rows:
                value = row.get(column)
                said = ("is missing" if not nullable else None) if value is None else problem(value)
                if said is not None:
                    return f"{name}.{column} {said}"
    return None


@cache
def _columns(name: str) -> tuple[tuple[str, bool, Problem], ...]:
    """Each column of a table with its check, chosen once (the ingest process checks every value of
    every report, in series with the workers)."""
    return tuple((field.name, field.nullable, _problem(field.type)) for field in SCHEMAS[name])


def _problem(kind: pa.DataType) -> Problem:
    if pa.types.is_int32(kind):
        return _int32_problem
    if pa.types.is_float64(kind):
        return _float_problem
    if pa.types.is_string(kind):
        return _text_problem
    return _no_problem


def _int32_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"is {value!r}, not a whole number"
    if not _INT32[0] <= value <= _INT32[1]:
        return f"is {value}, beyond the 32-bit integers the column holds"
    return None


def _float_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"is {value!r}, not a number"
    return None


def _text_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"is {value!r}, not text"
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f"is {value!r}, not valid Unicode text"
    return None


def _no_problem(_value: Any) -> None:
    return None
