"""Exports for Excel: the workbook and the CSV folder read back with pandas and openpyxl, text that
Excel must not run, Excel's limits, and nothing overwritten that the export did not write."""

from __future__ import annotations

import dataclasses
import errno
import gc
import hashlib
import itertools
import os
import shutil
import sys
import zipfile

import openpyxl
import pandas as pd
import pytest
from openpyxl.writer.excel import ExcelWriter

import kommunkompassen
from kommunkompassen import export as export_module
from kommunkompassen.charts import compare_chart, save_chart
from kommunkompassen.cli import main
from kommunkompassen.export import CUT, export

SHEETS = [
    *("reports", "scores", "checks", "findings", "sections", "files"),
    *("areas", "subareas", "crosswalk", "areas_wide"),
]


@pytest.fixture(scope="module")
def ds(dataset_dir):
    return kommunkompassen.load(dataset_dir)


@pytest.fixture(scope="module")
def tricky(ds):
    """The dataset with texts Excel would run, a text longer than a cell and a control character."""
    findings = ds.findings.copy()
    findings.loc[0, "text"] = '=HYPERLINK("http://example.com","klicka")'
    findings.loc[1, "text"] = "-minskad sjukfrånvaro"
    findings.loc[2, "text"] = "@SUM(A1:A2)"
    findings.loc[3, "text"] = "+46 8 123 45"
    sections = ds.sections.copy()
    sections.loc[0, "text"] = "å" * 40_000
    files = ds.files.copy()
    files.loc[0, "source_file"] = "utkast\x1b[31m.pdf"
    files.loc[1, "source_file"] = "utkast\uffff\ufffe.pdf"  # characters XML 1.0 forbids
    return dataclasses.replace(ds, findings=findings, sections=sections, files=files)


def test_xlsx_export_reads_back_with_pandas(dataset_dir, tmp_path, capsys):
    book = tmp_path / "kk.xlsx"
    assert main(["export", "--format", "xlsx", "--out", str(dataset_dir), "-o", str(book)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {book} (10 sheets)"
    sheets = pd.read_excel(book, sheet_name=None, dtype={"kommunkod": str})
    assert list(sheets) == SHEETS
    assert [len(sheets[name]) for name in SHEETS] == [2, 87, 2, 149, 115, 2, 24, 37, 24, 2]
    wide = sheets["areas_wide"].set_index("municipality")
    assert wide.loc["Nacka", ["year", "area_1_achieved", "area_1_max", "area_1_share"]].tolist() == [
        2021,
        79,
        100,
        0.79,
    ]
    assert wide.loc["Nacka", ["total_achieved", "total_max"]].tolist() == [662, 800]
    assert wide.loc["Nynäshamn", "total_achieved"] == 455
    assert wide.loc["Nynäshamn", "kommunkod"] == "0192"
    assert wide.columns[-3:].tolist() == ["area_8_achieved", "area_8_max", "area_8_share"]
    assert sum(wide.loc["Nacka", [f"area_{n}_achieved" for n in range(1, 9)]]) == 662
    assert list(tmp_path.iterdir()) == [book]  # no temporary file left beside it


def test_xlsx_cells_are_plain_numbers_text_and_empty(ds, tmp_path):
    book = tmp_path / "kk.xlsx"
    export(ds, "xlsx", book)
    sheet = openpyxl.load_workbook(book)["scores"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["report_id", "level", "area_number", "code", "name", "achieved"]
    assert all(c.font.b for c in sheet[1])
    first = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert (first["achieved"].value, first["achieved"].data_type) == (79, "n")
    assert (first["share"].value, first["share"].data_type) == (0.79, "n")
    assert (first["code"].value, first["code"].data_type) == ("1", "s")  # not the number 1
    assert (first["framework_revision"].value, first["framework_revision"].data_type) == ("2020", "s")
    assert first["canonical_subarea"].value is None  # missing is an empty cell
    assert sheet.freeze_panes == "A2"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDE"]
    assert widths == [50, 9, 13, 6, 50]  # header or longest value + 2, at most 50 (report_id, name)


def test_xlsx_text_is_never_a_formula_and_fits_a_cell(tricky, tmp_path):
    book = tmp_path / "kk.xlsx"
    export(tricky, "xlsx", book)
    with zipfile.ZipFile(book) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    loaded = openpyxl.load_workbook(book)
    findings = [c for c in loaded["findings"]["E"][1:5]]
    assert [c.value for c in findings] == [
        '=HYPERLINK("http://example.com","klicka")',
        "-minskad sjukfrånvaro",
        "@SUM(A1:A2)",
        "+46 8 123 45",
    ]
    assert {c.data_type for c in findings} == {"s"}
    text = loaded["sections"]["G"][1].value
    assert len(text) == 32_767
    assert text == "å" * (32_767 - len(CUT)) + CUT
    assert [c.value for c in loaded["files"]["A"][1:3]] == ["utkast\\x1b[31m.pdf", "utkast\\uffff\\ufffe.pdf"]
    assert export_module._excel_text("a\ud800b\udfffc") == "a\\ud800b\\udfffc"  # not in a dataset (UTF-8)


def test_csv_export_reads_back_with_pandas(dataset_dir, tmp_path, capsys):
    folder = tmp_path / "csv"
    assert main(["export", "--format", "csv", "--out", str(dataset_dir), "-o", str(folder)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {folder} (10 CSV files)"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [".kommunkompassen-export", *(f"{name}.csv" for name in SHEETS)]
    )
    listed = (folder / ".kommunkompassen-export").read_text(encoding="utf-8").splitlines()[2:]
    digests = {name: hashlib.sha256((folder / f"{name}.csv").read_bytes()).hexdigest() for name in SHEETS}
    assert listed == [f"{name}.csv  {digests[name]}" for name in SHEETS]
    raw = (folder / "areas_wide.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfreport_id;municipality;kommunkod;county;year;")
    assert "Nynäshamn;0192;Stockholms län;2023;2020;455;800;54;100;0,54;".encode() in raw
    wide = pd.read_csv(
        folder / "areas_wide.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype={"kommunkod": str}
    )
    nacka = wide.set_index("municipality").loc["Nacka"]
    assert nacka[["area_1_achieved", "area_1_max", "area_1_share", "total_achieved"]].tolist() == [
        79,
        100,
        0.79,
        662,
    ]
    scores = pd.read_csv(folder / "scores.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert len(scores) == 87
    assert scores.canonical_subarea.isna().sum() == 16  # the area rows: empty, not "<NA>"


def test_csv_text_is_never_a_formula(tricky, tmp_path):
    folder = tmp_path / "csv"
    export(tricky, "csv", folder)
    findings = pd.read_csv(folder / "findings.csv", sep=";", encoding="utf-8-sig")
    assert findings.text[:5].tolist() == [
        '\'=HYPERLINK("http://example.com","klicka")',
        "'-minskad sjukfrånvaro",
        "'@SUM(A1:A2)",
        "'+46 8 123 45",
        tricky.findings.text[4],
    ]
    sections = pd.read_csv(folder / "sections.csv", sep=";", encoding="utf-8-sig")
    assert sections.text[0] == "å" * 40_000  # CSV has no cell limit: the whole text


def test_export_never_overwrites_what_it_did_not_write(ds, tmp_path, capsys):
    foreign = tmp_path / "budget.xlsx"
    foreign.write_bytes(b"my own numbers")
    assert main(["export", "--format", "xlsx", "--out", "x", "-o", str(foreign)]) == 2  # no dataset in x
    capsys.readouterr()
    export(ds, "xlsx", tmp_path / "own.xlsx")
    export(ds, "xlsx", tmp_path / "own.xlsx")  # its own earlier export is replaced
    with pytest.raises(export_module.ExportRefused) as refused:
        export(ds, "xlsx", foreign)
    assert str(refused.value) == (
        f"refusing to overwrite {foreign}: it was not written by kommunkompassen export, or was saved "
        "again since; choose another name or remove it"
    )
    assert foreign.read_bytes() == b"my own numbers"
    edited = openpyxl.load_workbook(tmp_path / "own.xlsx")
    edited["areas_wide"]["A4"] = "my note"
    edited.properties.lastModifiedBy = "Anna Andersson"  # as Excel does on saving
    edited.save(tmp_path / "own.xlsx")
    with pytest.raises(export_module.ExportRefused, match="or was saved again since"):
        export(ds, "xlsx", tmp_path / "own.xlsx")
    assert openpyxl.load_workbook(tmp_path / "own.xlsx")["areas_wide"]["A4"].value == "my note"
    with pytest.raises(ValueError, match=r"^cannot export as 'xls': the formats are xlsx, csv$"):
        export(ds, "xls", tmp_path / "kk.xls")
    with pytest.raises(export_module.ExportRefused, match=r"an Excel workbook is named \*\.xlsx$"):
        export(ds, "xlsx", tmp_path / "kk.xls")

    folder = tmp_path / "csv"
    export(ds, "csv", folder)
    export(ds, "csv", folder)  # its own earlier export is replaced
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(export_module.ExportRefused) as refused:
        export(ds, "csv", folder)
    assert str(refused.value) == (
        f"refusing to write CSV files to {folder}: it is not empty and not an unchanged earlier export "
        "(it holds .kommunkompassen-export, areas.csv, areas_wide.csv, checks.csv); "
        "choose a new or empty folder"
    )
    assert (folder / "notes.txt").read_text() == "mine"
    (folder / "notes.txt").unlink()
    export(ds, "csv", folder)
    with (folder / "areas_wide.csv").open("a", encoding="utf-8") as fh:
        fh.write("my own row\r\n")  # saved again from Excel
    with pytest.raises(export_module.ExportRefused, match="not an unchanged earlier export"):
        export(ds, "csv", folder)
    assert (folder / "areas_wide.csv").read_text(encoding="utf-8").endswith("my own row\n")
    with pytest.raises(export_module.ExportRefused, match=r"it is a file, not a folder$"):
        export(ds, "csv", foreign)


def test_refusal_is_one_line_and_exit_2(dataset_dir, tmp_path, capsys):
    (tmp_path / "mine.txt").write_text("mine")
    assert main(["export", "--format", "csv", "--out", str(dataset_dir), "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: refusing to write CSV files to {tmp_path}: it is not empty and not an unchanged earlier "
        "export (it holds mine.txt); choose a new or empty folder\n"
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_interrupted_export_leaves_the_earlier_one(ds, tmp_path, monkeypatch, fmt):
    target = tmp_path / ("kk.xlsx" if fmt == "xlsx" else "kk")
    export(ds, fmt, target)
    before = sorted(p.name for p in tmp_path.iterdir())

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(
        export_module, "_write_workbook" if fmt == "xlsx" else "_write_csv_files", interrupted
    )
    with pytest.raises(KeyboardInterrupt):
        export(ds, fmt, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert export_module._our_workbook(target) if fmt == "xlsx" else (target / "scores.csv").is_file()


def test_a_table_longer_than_a_sheet_is_refused(ds, tmp_path, monkeypatch):
    monkeypatch.setattr(export_module, "ROW_LIMIT", 50)
    with pytest.raises(export_module.ExportRefused) as refused:
        export(ds, "xlsx", tmp_path / "kk.xlsx")
    assert str(refused.value) == (
        "cannot export scores to Excel: 87 rows, a sheet holds 49 below its header; use --format csv"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_dataset_without_reports_exports_its_files(ds, tmp_path):
    """Every file failed: the workbook still says which files were read and why."""
    empty = {name: getattr(ds, name).iloc[0:0] for name in ("reports", "scores", "findings", "sections")}
    export(dataclasses.replace(ds, **empty), "xlsx", tmp_path / "kk.xlsx")
    sheets = pd.read_excel(tmp_path / "kk.xlsx", sheet_name=None)
    assert [len(sheets[name]) for name in SHEETS] == [0, 0, 2, 0, 0, 2, 24, 37, 24, 0]
    keys = "report_id municipality kommunkod county year framework_revision total_achieved total_max"
    assert sheets["areas_wide"].columns.tolist() == keys.split()  # no areas: no area columns
    assert sheets["files"].source_file.tolist() == ["nacka-2021.pdf", "nynashamn-2023.pdf"]


@pytest.mark.parametrize(("fmt", "name"), [("xlsx", "kk.xlsx"), ("csv", "kk"), ("csv", "sub/kk")])
def test_a_failed_write_is_one_line_and_exit_4(dataset_dir, tmp_path, capsys, fmt, name):
    (tmp_path / "file").write_text("mine")
    target = tmp_path / "file" / name  # its folder is a file
    assert main(["export", "--format", fmt, "--out", str(dataset_dir), "-o", str(target)]) == 4
    assert capsys.readouterr().err == f"error: cannot write {target}: {tmp_path / 'file'} is not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_ingest_without_reports_exports_its_empty_tables(tmp_path, capsys, fmt):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "trasig.pdf").write_bytes(b"not a pdf at all")
    assert main(["ingest", "--raw", str(raw), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 1
    capsys.readouterr()
    target = tmp_path / ("kk.xlsx" if fmt == "xlsx" else "kk")
    assert main(["export", "--format", fmt, "--out", str(tmp_path / "out"), "-o", str(target)]) == 0
    assert (
        capsys.readouterr().out.strip() == f"wrote {target} (10 {'sheets' if fmt == 'xlsx' else 'CSV files'})"
    )
    if fmt == "xlsx":
        sheets = pd.read_excel(target, sheet_name=None)
    else:
        sheets = {name: pd.read_csv(target / f"{name}.csv", sep=";", encoding="utf-8-sig") for name in SHEETS}
    assert [len(sheets[name]) for name in SHEETS] == [0, 0, 0, 0, 0, 1, 24, 37, 24, 0]
    keys = "report_id municipality kommunkod county year framework_revision total_achieved total_max"
    assert sheets["areas_wide"].columns.tolist() == keys.split()
    assert sheets["files"][["source_file", "status"]].values.tolist() == [["trasig.pdf", "failed"]]


def test_export_finds_the_dataset_of_the_project_it_runs_in(dataset_dir, tmp_path, monkeypatch, capsys):
    shutil.copytree(dataset_dir, tmp_path / "data" / "parquet")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert main(["export", "--format", "xlsx", "-o", "kk.xlsx"]) == 0
    assert capsys.readouterr().out.strip() == "wrote kk.xlsx (10 sheets)"
    assert len(pd.read_excel(tmp_path / "notebooks" / "kk.xlsx", sheet_name="reports")) == 2


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_python_export_takes_a_path_as_text(ds, tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    export(ds, fmt, "kk.xlsx" if fmt == "xlsx" else "kk")
    export(ds, fmt, "kk.xlsx" if fmt == "xlsx" else "kk")  # and recognises its own earlier export
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kk.xlsx" if fmt == "xlsx" else "kk"]


def test_a_workbook_saved_again_by_openpyxl_is_not_overwritten(ds, tmp_path):
    """openpyxl keeps the export as author and as last to modify the workbook: only the bytes tell."""
    book = tmp_path / "kk.xlsx"
    export(ds, "xlsx", book)
    assert book.read_bytes()[-94:-64] == b"kommunkompassen export sha256 "  # the archive's comment
    with zipfile.ZipFile(book) as archive:
        assert archive.comment == b"kommunkompassen export sha256 " + hashlib.sha256(
            book.read_bytes()[:-94]
        ).hexdigest().encode("ascii")
    edited = openpyxl.load_workbook(book)
    edited.create_sheet("my analysis")["A1"] = "x"
    edited.save(book)
    saved = book.read_bytes()
    with pytest.raises(
        export_module.ExportRefused, match=r"^refusing to overwrite .*kk\.xlsx: it was not written"
    ):
        export(ds, "xlsx", book)
    assert book.read_bytes() == saved
    assert openpyxl.load_workbook(book)["my analysis"]["A1"].value == "x"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_symbolic_link_is_refused_and_its_target_kept(dataset_dir, tmp_path, capsys, fmt):
    target = tmp_path / ("mine.xlsx" if fmt == "xlsx" else "mine")
    if fmt == "xlsx":
        target.write_bytes(b"my own numbers")
    else:
        target.mkdir()
    link = tmp_path / ("kk.xlsx" if fmt == "xlsx" else "kk")
    link.symlink_to(target)
    assert main(["export", "--format", fmt, "--out", str(dataset_dir), "-o", str(link)]) == 2
    assert capsys.readouterr().err == (
        f"error: refusing to replace {link}: it is a symbolic link; name what it links to\n"
    )
    assert link.is_symlink() and link.readlink() == target
    assert target.read_bytes() == b"my own numbers" if fmt == "xlsx" else list(target.iterdir()) == []


def test_csv_into_the_current_folder_writes_in_place_and_keeps_its_permissions(ds, tmp_path, monkeypatch):
    """The current folder (like a mount point) cannot be renamed: the files are moved into it."""
    folder = tmp_path / "csv"
    folder.mkdir(mode=0o700)
    monkeypatch.chdir(folder)
    export(ds, "csv", ".")
    export(ds, "csv", ".")  # its own earlier export, replaced in place
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [".kommunkompassen-export", *(f"{name}.csv" for name in SHEETS)]
    )
    assert folder.stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]


@pytest.mark.parametrize("earlier", [False, True])
def test_a_csv_export_failing_while_it_moves_in_leaves_the_folder_as_it_was(
    ds, tmp_path, monkeypatch, earlier
):
    folder = tmp_path / "csv"
    folder.mkdir()
    if earlier:
        export(ds, "csv", folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    replace, moved = os.replace, []

    def fail_on_the_fourth_file_in(src: object, dst: object) -> None:
        if str(dst).startswith(str(folder / "")) and ".kk-" not in str(dst):
            moved.append(dst)
            if len(moved) == 4:
                raise OSError(errno.ENOSPC, "No space left on device")
        replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_the_fourth_file_in)
    with pytest.raises(OSError, match="No space left on device"):
        export(ds, "csv", folder)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]


def test_a_csv_export_into_a_new_folder_that_fails_leaves_nothing(ds, tmp_path, monkeypatch):
    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "_write_csv_files", full)
    with pytest.raises(OSError, match="No space left on device"):
        export(ds, "csv", tmp_path / "kk")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_name_as_long_as_the_system_allows_is_written(ds, tmp_path, fmt):
    name = "å" * 125 + (".xlsx" if fmt == "xlsx" else "kkkkk")  # 255 bytes in UTF-8
    export(ds, fmt, tmp_path / name)
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_chart_named_as_long_as_the_system_allows_is_written(ds, tmp_path):
    name = "a" * 251 + ".png"
    save_chart(compare_chart(ds, "Nacka"), tmp_path / name)
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("where", ["rows", "save"])
def test_an_interrupted_workbook_is_discarded_quietly(ds, tmp_path, monkeypatch, where):
    """Ctrl-C while the rows are written or the archive is saved: the interrupt, and nothing said on
    the terminal afterwards by streams the garbage collector closes."""
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    calls = itertools.count()
    if where == "rows":
        value = export_module._value

        def interrupted(sheet: object, cell: object) -> object:
            if next(calls) == 2_000:  # in the findings sheet, its rows half written
                raise KeyboardInterrupt
            return value(sheet, cell)

        monkeypatch.setattr(export_module, "_value", interrupted)
    else:
        write_worksheet = ExcelWriter.write_worksheet

        def interrupted(writer: ExcelWriter, sheet: object) -> None:
            if next(calls) == 3:  # three sheets in the archive
                raise KeyboardInterrupt
            write_worksheet(writer, sheet)

        monkeypatch.setattr(ExcelWriter, "write_worksheet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export(ds, "xlsx", tmp_path / "kk.xlsx")
    gc.collect()
    assert [(u.exc_type, str(u.exc_value)) for u in unraisable] == []
    assert list(tmp_path.iterdir()) == []
