"""Writes the constructed fixtures in tests/fixtures/ (run: .venv/bin/python tests/make_fixtures.py).

constructed-grastorp-2014.pdf: a report laid out like the 2020-framework reports but with the 2010
framework's eight areas. The area scores are Grästorp's published 2014 results (61, 60, 73, 53, 70, 56, 65,
68: 506 of 800); the sub-areas are invented (named "Konstruerat delområde …") so that each area's table
sums to its published total.
"""

from __future__ import annotations

import json
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
MAXIMA = (30, 30, 20, 20)


def _split(total: int) -> list[int]:
    """Sub-area scores within their maxima that sum to the area total."""
    parts = [round(total * m / 100) for m in MAXIMA]
    parts[0] += total - sum(parts)
    return parts


def grastorp_spec() -> ReportSpec:
    areas = [
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
        for n, (name, total) in enumerate(zip(AREAS_2010, GRASTORP_2014, strict=True), start=1)
    ]
    return ReportSpec("Grästorps kommun", 2014, areas, month="april", ordinal="andra", interviewees=35)


def main() -> None:
    spec = grastorp_spec()
    (HERE / "constructed-grastorp-2014.pdf").write_bytes(make_report(spec))
    truth = {
        "municipality": "Grästorp",
        "kommunkod": "1444",
        "year": 2014,
        "framework_revision": "2010",
        "total_score": sum(GRASTORP_2014),
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
    (HERE / "constructed-grastorp-2014.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n"
    )


if __name__ == "__main__":
    main()
