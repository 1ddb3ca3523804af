"""Assemble a Report from a Document, and refuse documents that are not (complete) reports."""

from __future__ import annotations

from extract.model import Document
from parsers import patterns
from parsers.areas import parse_area_headings, parse_contents, parse_score_boxes
from parsers.findings import parse_findings
from parsers.layout import body_size, near_page_end
from parsers.metadata import parse_metadata
from parsers.model import Region, Report
from parsers.overview import parse_overview
from parsers.sections import parse_sections
from parsers.words import Vocabulary


class NotAReport(Exception):
    """The PDF is readable but is not a Kommunkompassen report."""


class IncompleteReport(Exception):
    """A Kommunkompassen report whose score tables could not be read completely; `partial` is what
    was read, so that a user can see where the reading lost its way."""

    def __init__(self, message: str, partial: Report | None = None):
        super().__init__(message)
        self.partial = partial


class MoreThanOneReport(IncompleteReport):
    """Two reports in one PDF (merged, or the same report twice): read as one, every score would
    count twice."""


class NeedsDetail(Exception):
    """A table runs to the foot of a page and the next page was read without words and ruling lines:
    read the document again with `pages` in detail (a table continued without its header repeated has
    no header text to ask for it)."""

    def __init__(self, pages: frozenset[int]):
        super().__init__(f"pages {sorted(pages)} need words and ruling lines")
        self.pages = pages


def is_kommunkompassen(doc: Document) -> bool:
    """A report names Kommunkompassen on its first pages or in its PDF title."""
    texts = [doc.metadata.get("title", "")] + [ln.text for p in doc.pages[:3] for ln in p.lines]
    return any(patterns.REPORT_MARK.search(t) for t in texts)


def needs_detail(text: str) -> bool:
    """Whether a page (its text, a line per line) may hold a table, so that extraction reads its words
    and ruling lines."""
    return bool(patterns.TABLE_HEADER_START.search(text) or patterns.TABLE_HEADER_END.search(text))


def parse_report(doc: Document) -> Report:
    """The whole report model; raises NotAReport or IncompleteReport with the reason."""
    if not is_kommunkompassen(doc):
        raise NotAReport("not a Kommunkompassen report")
    body = body_size(doc)
    vocabulary = Vocabulary(doc)
    headings = parse_area_headings(doc, body)
    overview = parse_overview(doc, body, vocabulary)
    if not overview and not headings:
        raise NotAReport("not a Kommunkompassen report (no areas and no score tables)")
    findings = parse_findings(doc, headings, body, vocabulary)
    runs_on = _runs_on_undetailed(doc, [r for t in (*overview, *findings) for r in t.regions])
    if runs_on:
        raise NeedsDetail(runs_on)
    boxes = parse_score_boxes(doc, headings, body)
    tables = [b.region for b in boxes] + [r for t in (*overview, *findings) for r in t.regions]
    report = Report(
        metadata=parse_metadata(doc),
        pages=len(doc.pages),
        headings=headings,
        boxes=boxes,
        overview=overview,
        findings=findings,
        sections=parse_sections(doc, tables, body),
        contents=parse_contents(doc),
    )
    try:
        _require_one_report(overview)
        _require_complete(overview, headings)
    except IncompleteReport as exc:
        raise type(exc)(str(exc), report) from None
    return report


def _runs_on_undetailed(doc: Document, regions: list[Region]) -> frozenset[int]:
    """Pages after a table that reaches its frame's foot, when they were read without words."""
    pages = set()
    for region in regions:
        if region.frame + 1 >= len(doc.frames):
            continue
        page, following = doc.frames[region.frame], doc.frames[region.frame + 1]
        at_foot = near_page_end(page, region.bottom)
        if at_foot and following.body and not any(ln.words for ln in following.body):
            pages.add(following.number)
    return frozenset(pages)


def _require_one_report(overview) -> None:
    """A report has one overview table per area (a table continued over a page break is one)."""
    pages: dict[int, list[int]] = {}
    for table in overview:
        pages.setdefault(table.area_number, []).append(table.page)
    repeated = sorted(n for n, found in pages.items() if len(found) > 1)
    if repeated:
        first = repeated[0]
        where = ", ".join(str(p) for p in pages[first])
        raise MoreThanOneReport(
            f"holds more than one report (the overview table of area {first} is on pages {where}); "
            "split the PDF into one file per report"
        )


def _require_complete(overview, headings) -> None:
    missing: list[str] = []
    if not overview:
        missing.append("no overview score tables (Uppnått | Max) found")
    numbers = sorted({t.area_number for t in overview} | {h.number for h in headings})
    tables = {t.area_number: t for t in overview}
    for n in range(1, max(numbers, default=0) + 1):
        table = tables.get(n)
        if overview and table is None:
            missing.append(f"area {n}: no overview table")
            continue
        if table is None:
            continue
        if table.total is None or table.total.achieved is None or table.total.max is None:
            missing.append(f"area {n}: no total row")
        if not table.rows:
            missing.append(f"area {n}: no sub-area rows")
        missing.extend(
            f"area {n}: sub-area {row.code} has no {col}"
            for row in table.rows
            for col, value in (("achieved score", row.achieved), ("max score", row.max))
            if value is None
        )
    if missing:
        raise IncompleteReport("score tables incomplete: " + "; ".join(missing))
