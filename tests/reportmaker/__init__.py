"""Build Kommunkompassen-like report PDFs for tests: another producer, font and page size than the
reference reports, with invented municipalities, scores and findings, in every layout class the parser
must read (see ReportSpec)."""

from reportmaker.report import make_report
from reportmaker.spec import (
    FAMILIES,
    IMPROVEMENT_HEADERS,
    ITEM_MARKERS,
    PAGE_NUMBERS,
    ROTATIONS,
    RUNNING_HEADERS,
    AreaSpec,
    ReportSpec,
)

__all__ = [
    "FAMILIES",
    "IMPROVEMENT_HEADERS",
    "ITEM_MARKERS",
    "PAGE_NUMBERS",
    "ROTATIONS",
    "RUNNING_HEADERS",
    "AreaSpec",
    "ReportSpec",
    "make_report",
]
