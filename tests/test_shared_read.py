"""A file's pages read on two cores (a forked copy of the worker reads the last pages) give what
one process reads, whatever becomes of the copy."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pymupdf
import pytest

from extract import ExtractError, pdf, read_document
from extract.model import Line, Page, Rule, Span, Word
from extract.portable import from_builtins, to_builtins
from kommunkompassen import forked, parse_pool
from kommunkompassen.parsing import _elsewhere, parse_file
from kommunkompassen.pipeline import ingest
from parsers import needs_detail

FIXTURES = Path(__file__).parent / "fixtures"
PDFS = sorted([*FIXTURES.glob("*.pdf"), *(FIXTURES / "gallery").glob("*.pdf")])

forking = pytest.mark.skipif(not forked.available(), reason="workers are not forked here")


@forking
@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.name)
def test_a_document_read_in_two_processes_is_the_document_read_in_one(pdf):
    data = pdf.read_bytes()
    alone = read_document(data, detail=needs_detail)
    shared = read_document(data, detail=needs_detail, elsewhere=_elsewhere)
    assert len(alone.pages) >= 8  # long enough to be shared
    assert shared == alone
    assert [p.body_text for p in shared.pages] == [p.body_text for p in alone.pages]


def test_pages_cross_as_builtins_and_come_back_equal_in_type_and_value():
    span = Span("Styrkor ", (10.0, 20.0, 50.5, 31.0), "Arial-Bold", 11.5, True, False)
    words = (Word("Styrkor", (10.0, 20.0, 48.0, 31.0)),)
    lines = (
        Line("Styrkor", (10.0, 20.0, 50.5, 31.0), (span,), words, True, False),
        Line("3 (28)", (290.0, 800.0, 310.0, 811.0), (), (), False, True),
    )
    pages = (Page(4, 595.0, 842.0, lines, (Rule(1.0, 2.0, 300.0, 2.0),)), Page(5, 842.0, 595.0, ()))
    back = from_builtins(to_builtins(pages))
    assert back == pages
    line = back[0].lines[0]
    assert (type(line), type(line.spans[0]), type(line.words[0]), type(back[0].rules[0])) == (
        Line,
        Span,
        Word,
        Rule,
    )
    assert (back[0].body, back[0].body_text) == ((lines[0],), "Styrkor")


def _dies(_work):
    return forked.elsewhere(lambda: os.kill(os.getpid(), signal.SIGKILL))


def _fails(_work):
    return forked.elsewhere(lambda: 1 / 0)


@forking
@pytest.mark.parametrize("elsewhere", [_dies, _fails], ids=["killed", "raising"])
def test_when_the_copy_gives_nothing_the_process_reads_those_pages_itself(elsewhere):
    data = (FIXTURES / "nacka-2021.pdf").read_bytes()
    alone = read_document(data, detail=needs_detail)
    assert read_document(data, detail=needs_detail, elsewhere=elsewhere) == alone


@forking
def test_the_copy_gives_its_work_s_value():
    assert forked.elsewhere(lambda: ("Nacka", 79, 100.0))() == ("Nacka", 79, 100.0)


def _damaged_late_page() -> bytes:
    """The Nacka report with a broken content stream on its 30th page (among the last, read by the copy)."""
    with pymupdf.open(FIXTURES / "nacka-2021.pdf") as doc:
        page = doc[29]
        xref = page.get_contents()[-1]
        doc.update_stream(xref, doc.xref_stream(xref) + b"\nQ Q /Nope Do\n")
        return doc.tobytes()


@forking
def test_what_mupdf_says_in_the_copy_is_kept_as_if_said_in_the_worker():
    data = _damaged_late_page()
    alone = parse_file("nacka.pdf", data, "id", shared=False)
    shared = parse_file("nacka.pdf", data, "id", shared=True)
    damaged = [c["message"] for c in shared.tables["checks"] if c["code"] == "pdf-damaged"]
    assert damaged == [
        "The PDF is damaged; MuPDF reported: gstate underflow in content stream; "
        "syntax error: cannot find XObject resource 'Nope'; "
        "encountered syntax errors; page may not be correct"
    ]
    assert shared == alone


@forking
def test_a_worker_shares_its_file_only_with_a_core_to_spare(tmp_path, monkeypatch):
    """Fewer files than half the jobs: each worker has a core to spare for its file's copy."""
    noted = tmp_path / "noted"
    real = parse_pool.parse_task

    def noting(path, report_id, size, cache, shared):
        with noted.open("a") as note:
            note.write(f"{path.name} {shared}\n")
        return real(path, report_id, size, cache, shared)

    monkeypatch.setattr(parse_pool, "parse_task", noting)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "nacka-2021.pdf").write_bytes((FIXTURES / "nacka-2021.pdf").read_bytes())
    ingest(raw, tmp_path / "one", jobs=2)
    (raw / "nynashamn-2023.pdf").write_bytes((FIXTURES / "nynashamn-2023.pdf").read_bytes())
    ingest(raw, tmp_path / "two", jobs=2)
    ingest(raw, tmp_path / "four", jobs=4)
    said = noted.read_text().splitlines()
    assert said[0] == "nacka-2021.pdf True"
    assert sorted(said[1:3]) == ["nacka-2021.pdf False", "nynashamn-2023.pdf False"]
    assert sorted(said[3:]) == ["nacka-2021.pdf True", "nynashamn-2023.pdf True"]


def test_the_copy_is_collected_also_when_the_pages_read_here_fail(monkeypatch):
    """No copy or pipe is left behind by a file whose first pages cannot be read."""
    collected = []
    real = pdf._read_page

    def broken_first_page(page, detail, wanted):
        if page.number == 0:
            raise RuntimeError("broken page")
        return real(page, detail, wanted)

    monkeypatch.setattr(pdf, "_read_page", broken_first_page)
    data = (FIXTURES / "nacka-2021.pdf").read_bytes()
    with pytest.raises(ExtractError, match=r"^damaged PDF: broken page$"):
        read_document(data, detail=needs_detail, elsewhere=lambda work: lambda: collected.append(work))
    assert len(collected) == 1


def test_running_out_of_memory_while_reading_is_not_a_damaged_pdf(monkeypatch):
    """The worker says the file ran out of memory (its limit); the file is not called damaged."""

    def out_of_memory(page, detail, wanted):
        raise MemoryError

    monkeypatch.setattr(pdf, "_read_page", out_of_memory)
    with pytest.raises(MemoryError):
        read_document((FIXTURES / "nacka-2021.pdf").read_bytes())
