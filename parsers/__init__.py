"""Stage 2: positioned text becomes a report model (areas, score tables, findings, sections)."""

from parsers.model import Report
from parsers.report import IncompleteReport, NeedsDetail, NotAReport, needs_detail, parse_report

__all__ = ["IncompleteReport", "NeedsDetail", "NotAReport", "Report", "needs_detail", "parse_report"]
