"""Text hygiene of wrapped lines."""

from __future__ import annotations

import pytest

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
