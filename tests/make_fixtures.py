"""Writes the constructed fixtures in tests/fixtures/ (run: .venv/bin/python tests/make_fixtures.py).

constructed-grastorp-2014.pdf: a report laid out like the 2020-framework reports but with the 2010
framework's eight areas. The area scores are Grästorp's published 2014 results (61, 60, 73, 53, 70, 56, 65,
68: 506 of 800); the sub-areas are invented (named "Konstruerat delområde …") so that each area's table
sums to its published total.

constructed-molndal-2016.pdf: a report of the 2016 revision (areas 2, 6 and 7 renamed) laid out as
reports of 2016-2019 were: a table of contents and area headings that print each area's score, memo
running headers with "n (N)" page numbers, a Kortfakta chapter, improvements headed Förbättringsområden.
The area scores are Mölndal's published 2016 results (49, 61, 73, 61, 57, 63, 45, 67: 476 of 800); the
sub-areas are invented in the same way.

Run with the names of the fixtures to write: `.venv/bin/python tests/make_fixtures.py molndal`.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from reportmaker import AreaSpec, ReportSpec, make_report

HERE = Path(__file__).parent / "fixtures"
AREAS_2010 = [
    "Offentlighet och demokrati",
    "Tillgänglighet och brukarorientering",
    "Politisk styrning och kontroll",
    "Ledarskap, ansvar och delegation",
    "Resultat och effektivitet",
    "Kommunen som arbetsgivare (personalpolitik)",
    "Verksamhetsutveckling",
    "Kommunen som samhällsbyggare",
]
GRASTORP_2014 = [61, 60, 73, 53, 70, 56, 65, 68]
AREAS_2016 = [
    "Offentlighet och demokrati",
    "Brukarfokus, tillgänglighet och bemötande",
    "Politisk styrning och kontroll",
    "Ledarskap, ansvar och delegation",
    "Resultat och effektivitet",
    "Kommunen som arbetsgivare - personalpolitik",
    "Ständiga förbättringar",
    "Kommunen som samhällsbyggare",
]
MOLNDAL_2016 = [49, 61, 73, 61, 57, 63, 45, 67]
MAXIMA = (30, 30, 20, 20)


def _split(total: int) -> list[int]:
    """Sub-area scores within their maxima that sum to the area total."""
    parts = [round(total * m / 100) for m in MAXIMA]
    parts[0] += total - sum(parts)
    return parts


def _constructed_areas(names: list[str], totals: list[int]) -> list[AreaSpec]:
    return [
        AreaSpec(
            n,
            name,
            [
                (f"{n}.{i}", f"Konstruerat delområde {n}.{i}", score, m)
                for i, (score, m) in enumerate(zip(_split(total), MAXIMA, strict=True), start=1)
            ],
            strengths=[f"Konstruerad styrka {n}.{i}" for i in range(1, 3)],
            improvements=[f"Konstruerad förbättringsmöjlighet {n}.{i}" for i in range(1, 3)],
        )
        for n, (name, total) in enumerate(zip(names, totals, strict=True), start=1)
    ]


def grastorp_spec() -> ReportSpec:
    areas = _constructed_areas(AREAS_2010, GRASTORP_2014)
    return ReportSpec("Grästorps kommun", 2014, areas, month="april", ordinal="andra", interviewees=35)


def habo_spec() -> ReportSpec:
    """Grästorp's constructed report as Habo's: another municipality of the 2010 revision."""
    return dataclasses.replace(grastorp_spec(), municipality_full="Habo kommun")


def with_scores(spec: ReportSpec, year: int, scores: list[int], names: list[str] = AREAS_2010) -> ReportSpec:
    """The constructed report's layout with other area totals (each spread over its sub-areas)."""
    areas = []
    for area, total, name in zip(spec.areas, scores, names, strict=True):
        first, *rest = area.subareas
        rest_total = sum(s[2] for s in rest)
        code, sub_name, _, sub_max = first
        subareas = [(code, sub_name, total - rest_total, sub_max), *rest]
        areas.append(dataclasses.replace(area, name=name, subareas=subareas, box_score=None, total=None))
    return dataclasses.replace(spec, year=year, areas=areas)


def molndal_spec() -> ReportSpec:
    return ReportSpec(
        "Mölndals stad",
        2016,
        _constructed_areas(AREAS_2016, MOLNDAL_2016),
        month="maj",
        ordinal="tredje",
        interviewees=40,
        toc=True,
        heading_scores=True,
        running_header="memo",
        page_numbers="memo",
        organisation="Sveriges Kommuner och Landsting",
        memo_date="2016-06-02",
        kortfakta=True,
        improvements_header="Förbättringsområden",
    )


FIXTURES = {
    "grastorp": ("constructed-grastorp-2014", grastorp_spec, "Grästorp", "1444", "2010"),
    "molndal": ("constructed-molndal-2016", molndal_spec, "Mölndal", "1481", "2016"),
}


def write(name: str) -> None:
    stem, make_spec, municipality, kommunkod, revision = FIXTURES[name]
    spec = make_spec()
    (HERE / f"{stem}.pdf").write_bytes(make_report(spec))
    truth = {
        "municipality": municipality,
        "kommunkod": kommunkod,
        "year": spec.year,
        "framework_revision": revision,
        "total_score": sum(a.printed_total[0] for a in spec.areas),
        "max_total": 800,
        "areas": [
            {
                "number": a.number,
                "name": a.name,
                "score": a.printed_total[0],
                "max": a.printed_total[1],
                "subareas": [{"code": c, "name": nm, "score": s, "max": m} for c, nm, s, m in a.subareas],
            }
            for a in spec.areas
        ],
    }
    (HERE / f"{stem}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        write(name)
