"""The report maker really draws each layout class it claims to (checked with plain PyMuPDF, not the
parser), so the property test cannot silently stop covering one."""

from __future__ import annotations

import re

import pymupdf
import pytest

from reportmaker import AreaSpec, ReportSpec, make_report

LONG = "Fortsätt utveckla det systematiska arbetet med uppföljning av verksamhetens mål och resultat"
AREAS = [
    AreaSpec(
        n,
        name,
        [(f"{n}.1", "Strategi", 5, 10), (f"{n}.2", "Uppföljning av verksamhetens mål och resultat", 7, 20)],
        strengths=["Alfa tydlig strategi.", "Beta god dialog.", "Gamma stabil ekonomi."],
        improvements=[f"{LONG} nummer {k}." for k in range(1, 4)],
    )
    for n, name in ((1, "Offentlighet och demokrati"), (2, "Tillgänglighet och brukarorientering"))
]


def _pdf(**options) -> pymupdf.Document:
    return pymupdf.open("pdf", make_report(ReportSpec("Fjällviks kommun", 2014, AREAS, **options)))


def _lines(page: pymupdf.Page) -> list[tuple[pymupdf.Rect, str]]:
    return [
        (pymupdf.Rect(line["bbox"]), "".join(s["text"] for s in line["spans"]).strip())
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", ())
    ]


def _word(page: pymupdf.Page, text: str) -> pymupdf.Rect:
    return next(pymupdf.Rect(w[:4]) for w in page.get_text("words") if w[4] == text)


def _page_with(doc: pymupdf.Document, text: str) -> pymupdf.Page:
    return next(page for page in doc if text in page.get_text())


def _horizontal_rules(page: pymupdf.Page) -> list[float]:
    return [d["rect"].y0 for d in page.get_drawings() if d["rect"].height < 1 and d["rect"].width > 50]


def test_cells_hold_all_items_of_a_column_in_one_row():
    doc = _pdf(findings_cells=True, item_marker="–", item_gap=0.8)
    page = _page_with(doc, "Alfa")
    alfa, beta, gamma = (_word(page, w) for w in ("Alfa", "Beta", "Gamma"))
    assert not [y for y in _horizontal_rules(page) if alfa.y0 < y < gamma.y1]  # one body row
    assert beta.y0 - alfa.y0 > 1.5 * alfa.height  # paragraph spacing, wider than a line
    dashes = [w for w in page.get_text("words") if w[4] == "–" and abs(w[1] - alfa.y0) < 1]
    assert dashes and dashes[0][0] < alfa.x0


def test_cells_table_continues_on_the_next_page_cutting_an_item():
    items = [f"{LONG} {k} " + " ".join(["och resultat"] * 12) + "." for k in range(12)]
    spec = ReportSpec(
        "Fjällviks kommun", 2014, [AreaSpec(1, "Offentlighet och demokrati", AREAS[0].subareas)]
    )
    spec.areas[0].strengths = items
    spec.findings_cells = True
    doc = pymupdf.open("pdf", make_report(spec))
    pages = [page for page in doc if "Styrkor" in page.get_text()]
    assert len(pages) >= 2  # the header row is repeated on the continuation page
    # The last item begun on the first page ends on the next: no full stop after its start.
    first = " ".join(pages[0].get_text().split())
    assert "." not in first.rsplit("Fortsätt", 1)[1]
    assert " ".join(pages[1].get_text().split()).startswith(
        f"Styrkor {spec.improvements_header} och resultat"
    )


def test_two_columns_start_lines_at_two_x_positions():
    doc = _pdf(columns=2, gutter=18)
    spec_width = doc[0].rect.width
    page = _page_with(doc, "Alfa")
    middle = spec_width / 2
    body = [r for r, _ in _lines(page) if 70 <= r.y0 <= page.rect.height - 80]
    left = {round(r.x0) for r in body if r.x1 <= middle - 5}
    right = {round(r.x0) for r in body if r.x0 >= middle + 5}
    assert left and right
    assert not [r for r in body if r.x0 < middle - 9 < middle + 9 < r.x1]  # nothing crosses the gutter
    assert min(right) - min(left) < spec_width / 2 + 10


def test_two_columns_break_long_words_without_a_hyphen():
    area = AreaSpec(
        1, "Offentlighet och demokrati", AREAS[0].subareas, strengths=["Kvalitetsledningssystemsarbetet."]
    )
    spec = ReportSpec("Fjällviks kommun", 2014, [area], columns=2, break_words=True, table_size=10.5)
    page = _page_with(pymupdf.open("pdf", make_report(spec)), "Kvalitets")
    parts = [
        w[4] for w in page.get_text("words") if w[4].startswith("Kvalitets") or w[4].endswith("arbetet.")
    ]
    assert len(parts) == 2 and "".join(parts) == "Kvalitetsledningssystemsarbetet."


def test_banded_pages_have_a_band_page_numbers_and_filled_table_rows():
    header, zebra, band = (0.12, 0.25, 0.45), (0.93, 0.93, 0.93), (0.48, 0.17, 0.23)
    doc = _pdf(
        running_header="band", band_colour=band, page_numbers="sida", header_fill=header, zebra_fill=zebra
    )
    for page in doc:
        fills = [(d["fill"], d["rect"]) for d in page.get_drawings() if d.get("fill")]
        assert any(
            _same(fill, band) and rect.y0 <= 0.5 and rect.width >= page.rect.width - 1 for fill, rect in fills
        )
        assert f"Sida {page.number + 1} av {doc.page_count}" in page.get_text()
    page = _page_with(doc, "Alfa")
    fills = [(d["fill"], d["rect"]) for d in page.get_drawings() if d.get("fill")]
    styrkor = _word(page, "Styrkor")
    assert any(_same(fill, header) and rect.contains(_centre(styrkor)) for fill, rect in fills)
    beta = _word(page, "Beta")  # the second body row is on the zebra fill
    assert any(_same(fill, zebra) and rect.contains(_centre(beta)) for fill, rect in fills)
    white = [s for b in page.get_text("dict")["blocks"] for ln in b.get("lines", ()) for s in ln["spans"]]
    assert any(s["text"] == "Styrkor" and s["color"] == 0xFFFFFF for s in white)


def _centre(rect: pymupdf.Rect) -> pymupdf.Point:
    return (rect.tl + rect.br) / 2


def _same(a: tuple, b: tuple) -> bool:
    return all(abs(x - y) < 0.01 for x, y in zip(a, b, strict=True))


def test_older_reports_have_contents_with_scores_memo_headers_and_facts():
    doc = _pdf(
        toc=True,
        running_header="memo",
        page_numbers="memo",
        memo_date="2014-05-12",
        organisation="Sveriges Kommuner och Landsting",
        heading_scores=True,
        kortfakta=True,
        improvements_header="Utvecklingsområden",
        cover_caps=True,
    )
    contents = [text for _, text in _lines(doc[1])]
    area_page = _page_with(doc, "Alfa").number + 1
    entry = re.compile(rf"^Område 1 Offentlighet och demokrati 12 poäng \.+ {area_page}$")
    assert any(entry.match(t) for t in contents)
    for page in doc:
        assert f"{page.number + 1} ({doc.page_count})" in page.get_text()
        assert "2014-05-12" in page.get_text()
    assert "Område 1 Offentlighet och demokrati 12 poäng" in _page_with(doc, "Alfa").get_text()
    facts = _page_with(doc, "Invånare").get_text()
    assert "Invånare" in facts and "2012" in facts and "2013" in facts
    assert "Utvecklingsområden" in _page_with(doc, "Alfa").get_text()
    assert "ANALYS AV FJÄLLVIKS KOMMUN 2014" in doc[0].get_text()


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages_keep_their_upright_content(rotation):
    upright = _pdf()
    doc = _pdf(rotation=rotation)
    assert [page.rotation for page in doc] == [rotation] * doc.page_count
    assert [p.get_text("words") for p in doc] == [p.get_text("words") for p in upright]


def test_only_the_overview_pages_rotated_and_landscape():
    doc = _pdf(rotation=90, rotate_overview_only=True, landscape_overview=True)
    overview = _page_with(doc, "Översikt av poängfördelning").number
    assert [page.rotation != 0 for page in doc] == [i >= overview for i in range(doc.page_count)]
    assert all(page.mediabox.width > page.mediabox.height for page in doc if page.number >= overview)
