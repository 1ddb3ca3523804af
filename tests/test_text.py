"""Text hygiene of wrapped lines."""

from __future__ import annotations

import pytest

from parsers import patterns
from parsers.text import join_wrapped, strip_bullet


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (
            [("enklare steg-för-steg-", False), ("anvisningar för", True)],
            "enklare steg-för-steg-anvisningar för",
        ),
        (
            [("informera kring ekonomi-", False), ("och verksamhetsresultat", False)],
            "informera kring ekonomi- och verksamhetsresultat",
        ),
        ([("tydlig roll-", True), ("fördelning", False)], "tydlig roll- fördelning"),
        (
            [("rättssäkra beslut –", True), ("kvalitetssäkring", False)],
            "rättssäkra beslut – kvalitetssäkring",
        ),
        (
            [("ledarskapssatsningar och –", False), ("akademier", False)],
            "ledarskapssatsningar och –akademier",
        ),
        ([("  Många   mellanslag ", True), ("", False), ("här", False)], "Många mellanslag här"),
    ],
)
def test_join_wrapped(parts, expected):
    assert join_wrapped(parts) == expected


@pytest.mark.parametrize("text", ["• Punkt", "\uf0b7 Punkt", "\uf0a7Punkt", "▪ Punkt"])
def test_bullet_glyphs_are_dropped(text):
    assert strip_bullet(text) == "Punkt"


@pytest.mark.parametrize(
    "heading",
    [
        "Offentlighet och demokrati 49 poäng",
        "Offentlighet och demokrati – 49 poäng",
        "Offentlighet och demokrati (49 poäng)",
        "Offentlighet och demokrati, 49 poäng",
        "Offentlighet och demokrati 49 p",
    ],
)
def test_a_score_printed_after_an_area_name_is_not_part_of_it(heading):
    assert patterns.HEADING_SCORE.search(heading)["score"] == "49"
    assert patterns.HEADING_SCORE.sub("", heading) == "Offentlighet och demokrati"


@pytest.mark.parametrize(
    ("line", "score"),
    [
        ("Område 1 Offentlighet och demokrati 49 poäng ........ 6", "49"),
        ("Område 1 Offentlighet och demokrati (49 poäng) …… 6", "49"),
        ("Område 3 Politisk styrning och kontroll 73 poäng 12", "73"),
        ("Område 4 Ledarskap, ansvar och delegation 49 poäng ...........", "49"),
    ],
)
def test_a_contents_line_gives_its_score_not_its_page(line, score):
    assert patterns.CONTENTS_ENTRY.search(line)
    assert patterns.CONTENTS_SCORE.search(line)["score"] == score
