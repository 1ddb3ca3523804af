"""The dataset for spreadsheet users: one Excel workbook (a sheet per table) or a folder of CSV files
that Excel opens as they are, plus `areas_wide`, one row per report with every area side by side.

Excel runs a cell that starts with '=' as a formula, and a CSV cell starting with '+', '-' or '@' too;
findings may start with a dash, so text is never handed to Excel as something it could run."""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from kommunkompassen.api import Dataset
from kommunkompassen.atomic import write_file, write_folder
from normalize.schema import SCHEMAS

FORMATS = ("xlsx", "csv")
CELL_LIMIT = 32_767  # characters in one Excel cell
ROW_LIMIT = 1_048_576  # rows in one Excel sheet, the header included
CREATOR = "kommunkompassen export"  # the workbook's author
# how an export recognises its workbook: the archive's comment, this and the sha256 of all before it
SIGNATURE = b"kommunkompassen export sha256 "
_SIGNED = len(SIGNATURE) + 64  # the comment's length
CSV_MARKER = ".kommunkompassen-export"
CUT = " […] (cut: an Excel cell holds 32,767 characters; the whole text is in the Parquet dataset)"
_CSV_MARKER_TEXT = (
    "This folder was written by `kommunkompassen export --format csv`. An export replaces it only while\n"
    "it holds just the files below, as written (sha256); change or add a file and it is yours.\n"
)
_LISTED = re.compile(r"^(\S+\.csv)  ([0-9a-f]{64})$", re.MULTILINE)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# what XML 1.0, so an xlsx file, cannot hold: control characters, surrogates, U+FFFE and U+FFFF
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TABLES = (*SCHEMAS, "areas_wide")  # what an export holds, in order
_WIDTH_ROWS, _MAX_WIDTH = 1000, 50
_WIDE_KEYS = ["report_id", "municipality", "kommunkod", "county", "year", "framework_revision"]


class ExportRefused(Exception):
    """The export would overwrite something it did not write, or Excel cannot hold the data."""


def areas_wide(dataset: Dataset) -> pd.DataFrame:
    """One row per report: its totals and, per area number n, `area_n_achieved`, `area_n_max` and
    `area_n_share` (areas of different framework revisions share a column: compare shares within one
    `framework_revision`)."""
    areas = dataset.area_scores()
    reports = dataset.reports[[*_WIDE_KEYS, "total_achieved", "total_max"]]
    if not areas.empty:  # no reports: nothing to join (and pandas cannot join empty Arrow-backed keys)
        reports = reports.merge(_areas_side_by_side(areas), left_on="report_id", right_index=True, how="left")
    return reports.sort_values(["municipality", "year"], ignore_index=True)


def _areas_side_by_side(areas: pd.DataFrame) -> pd.DataFrame:
    """The area scores pivoted to one row per report_id: area_n_achieved, area_n_max, area_n_share."""
    whats = ("achieved", "max", "share")
    wide = pd.concat(  # one pivot per value keeps each one's dtype (a pivot of all three is object)
        {what: areas.pivot(index="report_id", columns="area_number", values=what) for what in whats}, axis=1
    )
    numbers = sorted(int(n) for n in wide.columns.get_level_values(1).unique())
    wide = wide[[(what, n) for n in numbers for what in whats]]
    wide.columns = [f"area_{n}_{what}" for what, n in wide.columns]
    return wide


def export(dataset: Dataset, fmt: str, path: str | Path) -> None:
    """Write the TABLES of the dataset to an xlsx workbook or a folder of CSV files. Raises
    ExportRefused (nothing written) when `path` holds something else, or a table has more rows than
    an Excel sheet."""
    if fmt not in FORMATS:
        raise ValueError(f"cannot export as {fmt!r}: the formats are {', '.join(FORMATS)}")
    path = Path(path)
    if path.is_symlink():
        raise ExportRefused(f"refusing to replace {path}: it is a symbolic link; name what it links to")
    frames = {name: getattr(dataset, name) for name in SCHEMAS}
    frames["areas_wide"] = areas_wide(dataset)
    if fmt == "xlsx":
        _check_workbook(path, frames)
        write_file(path, lambda fh: _write_workbook(frames, fh))
    else:
        _check_folder(path)
        write_folder(path, lambda folder: _write_csv_files(frames, folder))


def _check_workbook(path: Path, frames: dict[str, pd.DataFrame]) -> None:
    if path.suffix.lower() != ".xlsx":
        raise ExportRefused(f"refusing to write {path}: an Excel workbook is named *.xlsx")
    if path.is_dir():
        raise ExportRefused(f"refusing to write {path}: it is a folder")
    if path.exists() and not _our_workbook(path):
        raise ExportRefused(
            f"refusing to overwrite {path}: it was not written by kommunkompassen export, or was saved "
            "again since; choose another name or remove it"
        )
    for name, frame in frames.items():
        if len(frame) >= ROW_LIMIT:
            raise ExportRefused(
                f"cannot export {name} to Excel: {len(frame):,} rows, a sheet holds {ROW_LIMIT - 1:,} "
                "below its header; use --format csv"
            )


def _our_workbook(path: Path) -> bool:
    """Whether `path` is a workbook this export wrote and nobody saved since, byte for byte: it ends
    with the signature `_sign` wrote and its checksum of everything before it. A program that saves it
    again writes a new archive, without the signature (openpyxl even keeps the export as the author
    and as last to modify it, so the properties cannot tell)."""
    try:
        with path.open("rb") as fh:
            signed = fh.seek(0, os.SEEK_END) - _SIGNED
            if signed < 0:
                return False
            fh.seek(signed)
            tail = fh.read()
            if not tail.startswith(SIGNATURE):
                return False
            fh.seek(0)
            return tail == SIGNATURE + _sha256_of_start(fh, signed).encode("ascii")
    except OSError:
        return False


def _sign(fh: BinaryIO) -> None:
    """End the workbook just written to `fh` (a zip archive without a comment) with a comment: the
    SIGNATURE and the sha256 of every byte before the comment, its length included."""
    fh.seek(-2, os.SEEK_END)  # the comment's length: the last field of the archive
    fh.write(_SIGNED.to_bytes(2, "little"))
    fh.seek(0)
    digest = hashlib.file_digest(fh, "sha256").hexdigest()
    fh.seek(0, os.SEEK_END)
    fh.write(SIGNATURE + digest.encode("ascii"))


def _sha256_of_start(fh: BinaryIO, size: int) -> str:
    digest = hashlib.sha256()
    while size > 0 and (chunk := fh.read(min(size, 1 << 20))):
        digest.update(chunk)
        size -= len(chunk)
    return digest.hexdigest()


def _check_folder(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise ExportRefused(f"refusing to write CSV files to {path}: it is a file, not a folder")
    if not path.is_dir():
        return
    entries = {p.name for p in path.iterdir()}
    if entries and not _our_folder(path, entries):
        shown = ", ".join(sorted(entries)[:4])
        raise ExportRefused(
            f"refusing to write CSV files to {path}: it is not empty and not an unchanged earlier export "
            f"(it holds {shown}); choose a new or empty folder"
        )


def _our_folder(path: Path, entries: set[str]) -> bool:
    """Whether the folder holds an earlier export as it was written: the marker and exactly the files
    it lists, each with the checksum it lists (a file saved again from Excel is the user's)."""
    try:
        listed = dict(_LISTED.findall((path / CSV_MARKER).read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return False
    if entries != {CSV_MARKER, *listed}:
        return False
    return all(_sha256(path / name) == digest for name, digest in listed.items())


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _write_workbook(frames: dict[str, pd.DataFrame], fh: BinaryIO) -> None:
    """Streamed row by row (write-only), so a large dataset does not build the workbook in memory.
    The archive is opened here, not by openpyxl, so that an interrupted write closes it while `fh` is
    open (left to the garbage collector, it would write to a closed file and say so on the terminal)."""
    book = Workbook(write_only=True)
    book.properties.creator = book.properties.lastModifiedBy = CREATOR
    try:
        _add_sheets(book, frames)
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(book, archive).save()
    except BaseException:
        _discard(book)
        raise
    _sign(fh)


def _add_sheets(book: Workbook, frames: dict[str, pd.DataFrame]) -> None:
    bold = Font(bold=True)
    for name, frame in frames.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        for i, width in enumerate(_widths(frame), start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.append([_bold(sheet, column, bold) for column in frame.columns])
        for row in _plain_rows(frame):
            sheet.append([_value(sheet, value) for value in row])


def _discard(book: Workbook) -> None:
    """Close the streams of an unfinished write-only workbook in order, each sheet's rows before the
    sheet's file: the garbage collector would close them in any order, and a row stream closed after
    its file cannot write its end and complains on the terminal."""
    for sheet in book.worksheets:
        if sheet._rows is not None:
            sheet._rows.close()
        if sheet._writer is not None:
            sheet._writer.close()


def _widths(frame: pd.DataFrame) -> list[int]:
    """Column widths (in characters) that show the header and the values of the first rows, up to a
    limit: Excel's default shows 8 characters, so every name and code would be cut."""
    head = frame.head(_WIDTH_ROWS).astype("string")
    longest = [max([len(str(c)), *head[c].str.len().dropna()]) for c in frame.columns]
    return [min(n + 2, _MAX_WIDTH) for n in longest]


def _plain_rows(frame: pd.DataFrame) -> Iterable[list[object]]:
    """Rows of plain Python values: nullable integers as int, categories as text, missing as None."""
    plain = frame.astype(object).where(frame.notna(), None)
    return plain.itertuples(index=False, name=None)


def _bold(sheet: object, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


def _value(sheet: object, value: object) -> object:
    """The value as openpyxl should write it: text that starts with '=' (which openpyxl would write as
    a formula) in a cell typed as text; anything else as it is (a cell object per value is slow)."""
    if not isinstance(value, str):
        return value
    text = _excel_text(value)
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def _excel_text(text: str) -> str:
    """Characters XML forbids shown as escapes ('\\x1b', '\\uffff'), and text longer than a cell cut
    with a note."""
    text = _ILLEGAL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - len(CUT)] + CUT
    return text


def _write_csv_files(frames: dict[str, pd.DataFrame], folder: Path) -> None:
    """As Excel in Sweden reads a CSV file: UTF-8 with a byte-order mark (or å, ä, ö come out wrong),
    semicolons between fields and a decimal comma."""
    for name, frame in frames.items():
        _csv_safe(frame).to_csv(
            folder / f"{name}.csv",
            index=False,
            sep=";",
            decimal=",",
            encoding="utf-8-sig",
            lineterminator="\r\n",
        )
    listing = "".join(f"{name}.csv  {_sha256(folder / f'{name}.csv')}\n" for name in frames)
    (folder / CSV_MARKER).write_text(_CSV_MARKER_TEXT + listing, encoding="utf-8")


def _csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text that Excel would run as a formula gets a leading apostrophe, which makes it plain text."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if isinstance(values.dtype, pd.CategoricalDtype | pd.StringDtype) or values.dtype == object:
            text = values.astype("string")
            risky = text.str.startswith(_FORMULA_START).fillna(False)
            safe[column] = text.mask(risky, "'" + text)
    return safe
