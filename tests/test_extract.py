"""Extraction: furniture, fonts, rules, and unreadable input."""

from __future__ import annotations

import gc

import pymupdf
import pytest

from conftest import FIXTURES
from extract import ExtractError, read_document
from extract.pdf import clean_text, clean_texts
from kommunkompassen import parsing
from kommunkompassen.parsing import parse_file


def _pdf(pages: list[list[tuple[float, str]]], ligature: bool = False) -> bytes:
    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=500, height=700)
        for y, text in lines:
            page.insert_text((50, y), text, fontsize=10)
    return doc.tobytes()


def test_texts_cleaned_in_bulk_as_one_by_one():
    """NFC, ligatures expanded; a text holding the separator itself is cleaned alone."""
    texts = ["Fo\u0308rba\u0308ttring", "ﬁnns", "eﬀekt", "plain", "", "a\x00ﬂ", "Styrkor"]
    expected = ["Förbättring", "finns", "effekt", "plain", "", "a\x00fl", "Styrkor"]
    assert clean_texts(texts) == [clean_text(text) for text in texts] == expected
    assert clean_texts(["plain", "ascii"]) == ["plain", "ascii"]


def test_running_footer_and_page_numbers_are_furniture():
    pages = [
        [
            (40, "Rapportens sidhuvud"),
            (300, f"Brödtext på sida {n}"),
            (660, "Kommunkompassen Analys av X"),
            (680, str(n)),
        ]
        for n in range(1, 5)
    ]
    doc = read_document(_pdf(pages))
    assert [[ln.text for ln in page.body] for page in doc.pages] == [
        [f"Brödtext på sida {n}"] for n in range(1, 5)
    ]


def test_numbers_and_table_headers_at_a_page_top_are_not_furniture():
    """A score at the top of a page is not a page number (it does not run in step with the pages),
    and a table header repeated at the top of a few pages is not a running header."""
    top_rows = {3: "17", 5: "5"}  # page 5's score equals its page number
    pages = []
    for n in range(1, 9):
        lines = [(300, f"Brödtext på sida {n}"), (680, str(n))]
        if n in top_rows:
            lines += [(50, "Styrkor"), (62, top_rows[n])]
        pages.append(lines)
    doc = read_document(_pdf(pages))
    for page in doc.pages:
        kept = [ln.text for ln in page.body]
        expected = ["Styrkor", top_rows[page.number]] if page.number in top_rows else []
        assert kept == [*expected, f"Brödtext på sida {page.number}"]
        assert [ln.text for ln in page.lines if ln.furniture] == [str(page.number)]


def test_reference_report_fonts_and_rules():
    doc = read_document((FIXTURES / "nacka-2021.pdf").read_bytes())
    heading = next(ln for ln in doc.pages[5].body if ln.text.startswith("Område 1"))
    assert (heading.bold, heading.size) == (True, 14.0)
    assert [w.text for w in heading.words][:3] == ["Område", "1", "Samspel"]
    assert any(r.horizontal for r in doc.pages[5].rules) and any(not r.horizontal for r in doc.pages[5].rules)
    assert all(not ln.furniture for ln in doc.pages[0].lines)  # the title page has no running footer


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file (0 bytes)"),
        (b"<html><body>Not found</body></html>", "not a PDF (no %PDF header)"),
    ],
)
def test_unreadable_input_says_why(data, message):
    with pytest.raises(ExtractError) as err:
        read_document(data)
    assert str(err.value) == message


def _turned(data: bytes, how: str, degrees: int) -> bytes:
    """The same report with every page rotated: saved with a /Rotate entry ('rotate'), or drawn sideways
    on a page that a /Rotate entry turns upright again ('sideways', a landscape page's way)."""
    src = pymupdf.open(stream=data)
    if how == "rotate":
        for page in src:
            page.set_rotation(degrees)
        return src.tobytes()
    out = pymupdf.open()
    for page in src:
        w, h = (
            (page.rect.height, page.rect.width)
            if degrees in (90, 270)
            else (page.rect.width, page.rect.height)
        )
        turned = out.new_page(width=w, height=h)
        turned.show_pdf_page(turned.rect, src, page.number, rotate=degrees)
        turned.set_rotation((360 - degrees) % 360)
    return out.tobytes()


@pytest.mark.parametrize(
    ("how", "degrees"), [("rotate", 90), ("rotate", 180), ("sideways", 90), ("sideways", 270)]
)
def test_rotated_pages_are_read_upright(how, degrees):
    data = (FIXTURES / "nacka-2021.pdf").read_bytes()
    upright = parse_file("nacka.pdf", data, "id")
    turned = parse_file("nacka.pdf", _turned(data, how, degrees), "id")
    assert turned.status == upright.status == "ingested"
    for table in ("scores", "findings", "sections"):
        assert turned.tables[table] == upright.tables[table], table


def _grid_page(polyline: bool) -> bytes:
    """A 3×3 table grid whose lines are drawn as paths of their own, or (as some producers draw a
    table's outline) with the left, bottom and right edges as one polyline; plus a stroked frame and
    a filled band."""
    doc = pymupdf.open()
    page = doc.new_page(width=500, height=700)
    page.insert_text((60, 120), "Styrkor Förbättringsmöjligheter", fontsize=10)
    shape = page.new_shape()
    if polyline:
        shape.draw_polyline([(50, 100), (50, 400), (450, 400), (450, 100)])
        shape.finish(color=(0, 0, 0), width=0.5)
    lines = [((250, 100), (250, 400)), ((50, 100), (450, 100)), ((50, 250), (450, 250))]
    if not polyline:
        lines += [((50, 100), (50, 400)), ((450, 100), (450, 400)), ((50, 400), (450, 400))]
    for a, b in lines:
        shape.draw_line(a, b)
        shape.finish(color=(0, 0, 0), width=0.5)
    shape.draw_rect(pymupdf.Rect(40, 450, 460, 500))
    shape.finish(color=(0, 0, 0), width=0.5)
    shape.draw_rect(pymupdf.Rect(40, 520, 460, 560))
    shape.finish(color=None, fill=(0.8, 0.8, 0.8))
    shape.commit()
    return doc.tobytes()


@pytest.mark.parametrize("polyline", [False, True])
def test_ruling_lines_drawn_as_separate_paths_or_as_a_polyline(polyline):
    """Rules come from the text page's outlines of paths where every path is a line or a rectangle,
    and from the drawings themselves where a path is neither (a polyline): the same rules either way."""
    page = read_document(_grid_page(polyline)).pages[0]
    rules = {
        ("h" if r.horizontal else "v", round(r.x0), round(r.y0), round(r.x1), round(r.y1)) for r in page.rules
    }
    grid = {("v", x, 100, x, 400) for x in (50, 250, 450)} | {("h", 50, y, 450, y) for y in (100, 250, 400)}
    frame = {("h", 40, 450, 460, 450), ("h", 40, 500, 460, 500)} | {
        ("v", 40, 450, 40, 500),
        ("v", 460, 450, 460, 500),
    }
    assert rules == grid | frame  # the filled band is a background, not a rule


def test_a_thin_curve_is_not_a_ruling_line():
    """A flourish drawn as a flat curve under a header is as thin as a rule but no border: only
    straight lines and rectangles are rules."""
    doc = pymupdf.open()
    page = doc.new_page(width=500, height=700)
    page.insert_text((60, 120), "Styrkor Förbättringsmöjligheter", fontsize=10)
    shape = page.new_shape()
    shape.draw_bezier((50, 300), (150, 299.6), (350, 300.4), (450, 300))
    shape.finish(color=(0, 0, 0), width=0.5, closePath=False)
    shape.draw_line((50, 400), (450, 400))
    shape.finish(color=(0, 0, 0), width=0.5, closePath=False)
    shape.commit()
    rules = read_document(doc.tobytes()).pages[0].rules
    assert [(round(r.x0), round(r.y0), round(r.x1), round(r.y1)) for r in rules] == [(50, 400, 450, 400)]


@pytest.mark.parametrize("enabled", [True, False])
def test_a_parse_pauses_the_cyclic_collector_and_leaves_it_as_it_was(monkeypatch, enabled):
    seen = []
    parse = parsing._parse_bytes

    def spy(*args):
        seen.append(gc.isenabled())
        return parse(*args)

    monkeypatch.setattr(parsing, "_parse_bytes", spy)
    (gc.enable if enabled else gc.disable)()
    try:
        result = parse_file("nacka-2021.pdf", (FIXTURES / "nacka-2021.pdf").read_bytes(), "x" * 64)
        assert (seen, gc.isenabled(), result.status) == ([False], enabled, "ingested")
    finally:
        gc.enable()
