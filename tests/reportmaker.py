"""Build Kommunkompassen-like report PDFs for tests: another producer, font and page size than the
reference reports, with invented municipalities, scores and findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pymupdf

# Base-14 font families (regular, bold): Helvetica, Times, Courier.
FAMILIES = {"helvetica": ("helv", "hebo"), "times": ("tiro", "tibo"), "courier": ("cour", "cobo")}


@dataclass
class AreaSpec:
    number: int
    name: str
    subareas: list[tuple[str, str, int, int]]  # code, name, achieved, max
    box_score: int | None = None  # None: the sum of the sub-areas
    box_items: list[str] | None = None  # None: the sub-area names
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    total: tuple[int, int] | None = None  # None: the sums of the sub-areas

    @property
    def printed_total(self) -> tuple[int, int]:
        return self.total or (sum(s[2] for s in self.subareas), sum(s[3] for s in self.subareas))


@dataclass
class ReportSpec:
    municipality_full: str
    year: int
    areas: list[AreaSpec]
    month: str = "mars"
    ordinal: str = "första"
    interviewees: int = 30
    ruled: bool = True
    page_size: tuple[float, float] = (612, 792)  # US Letter: not the reference reports' A4
    body_text: str = "Kommunen arbetar strukturerat med frågorna och följer upp resultaten regelbundet."
    family: str = "helvetica"
    numbers: str = "last"  # where a wrapped overview row prints its numbers: "first", "middle" or "last" line
    repeat_headers: bool = True  # whether a table continued on a new page repeats its header row
    heading_separator: str = " "  # between "Område N" and the area name


class _Writer:
    """A cursor over pages that wraps text and starts a new page (with footer) when full."""

    def __init__(self, spec: ReportSpec) -> None:
        self.spec = spec
        self.doc = pymupdf.open()
        self.width, self.height = spec.page_size
        self.left, self.right = 60.0, self.width - 60.0
        self.bottom = self.height - 80.0
        self.page: pymupdf.Page | None = None
        self.y = 0.0
        self.fontnames = dict(zip((False, True), FAMILIES[spec.family], strict=True))
        # Font objects measure å, ä and ö as printed (pymupdf.get_text_length undercounts them).
        self.fonts = {bold: pymupdf.Font(name) for bold, name in self.fontnames.items()}

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=self.width, height=self.height)
        footer = f"Kommunkompassen Analys av {self.spec.municipality_full}"
        self.page.insert_text(
            (self.left, self.height - 40), footer, fontsize=8, fontname=self.fontnames[False]
        )
        self.page.insert_text((self.right - 12, self.height - 40), str(self.doc.page_count), fontsize=9)
        self.y = 70.0

    def ensure(self, height: float) -> bool:
        """Start a new page unless `height` fits; True when a new page was started."""
        if self.page is None or self.y + height > self.bottom:
            self.new_page()
            return True
        return False

    def write(
        self, x: float, text: str, size: float = 10.5, bold: bool = False, y: float | None = None
    ) -> None:
        self.page.insert_text(
            (x, (self.y if y is None else y) + size), text, fontsize=size, fontname=self.fontnames[bold]
        )

    def wrap(self, text: str, width: float, size: float = 10.5, bold: bool = False) -> list[str]:
        lines, current = [], ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if self.fonts[bold].text_length(trial, fontsize=size) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        return [*lines, current] if current else lines

    def paragraph(self, text: str, size: float = 10.5, bold: bool = False) -> None:
        for line in self.wrap(text, self.right - self.left, size, bold):
            self.ensure(size * 1.4)
            self.write(self.left, line, size, bold)
            self.y += size * 1.35
        self.y += size * 0.8

    def hrule(self, y: float) -> None:
        if self.spec.ruled:
            self.page.draw_line((self.left - 4, y), (self.right + 4, y), color=(0.5, 0.5, 0.5), width=0.5)

    def vrules(self, top: float, bottom: float, xs: list[float]) -> None:
        if self.spec.ruled:
            for x in xs:
                self.page.draw_line((x, top), (x, bottom), color=(0.5, 0.5, 0.5), width=0.5)


def make_report(spec: ReportSpec) -> bytes:
    """The PDF bytes of a report laid out from `spec`."""
    w = _Writer(spec)
    w.new_page()
    w.y = 250
    w.write(w.left, "Kommunkompassen", 30, bold=True)
    w.y += 45
    w.write(w.left, f"Analys av {spec.municipality_full}", 20)
    w.y += 30
    w.write(w.left, str(spec.year), 14)
    w.new_page()
    w.paragraph("1. Sammanfattning", 17, bold=True)
    w.paragraph("Utvärderingen", 13, bold=True)
    w.paragraph(
        f"Utvärderingen av {spec.municipality_full} genomfördes i {spec.month} år {spec.year} "
        f"och var kommunens {spec.ordinal} utvärdering enligt Kommunkompassens kriterier. "
        f"Utvärderingsgruppen har genomfört intervjuer med ett {spec.interviewees}-tal personer "
        "i organisationen."
    )
    w.new_page()
    w.paragraph("2. Detaljerad genomgång per område", 17, bold=True)
    for area in spec.areas:
        _area(w, area)
    w.new_page()
    w.paragraph("3. Översikt av poängfördelning", 17, bold=True)
    for area in spec.areas:
        _overview(w, area)
    data = w.doc.tobytes()
    w.doc.close()
    return data


def _page_break(
    w: _Writer, top: float, height: float, columns: list[float], header: Callable[[], float]
) -> float:
    """Continue a table on a new page unless the next `height` fits; returns the top of the table's part
    on the current page (the header is repeated only when the spec says so)."""
    if w.y + height <= w.bottom:
        return top
    w.vrules(top - 2, w.y - 2, columns)
    w.new_page()
    if w.spec.repeat_headers:
        return header()
    w.hrule(w.y - 2)
    return w.y


def _header_row(w: _Writer, cells: list[tuple[float, str]]) -> float:
    """A bold header row between two rules; returns the top of the table."""
    top = w.y
    w.hrule(top - 2)
    for x, text in cells:
        w.write(x, text, bold=True)
    w.y += 15
    w.hrule(w.y - 2)
    return top


def _area(w: _Writer, area: AreaSpec) -> None:
    w.ensure(200)
    w.paragraph(f"Område {area.number}{w.spec.heading_separator}{area.name}", 13, bold=True)
    score_x = w.right - 70
    top = _header_row(w, [(w.left + 4, "Rubriker"), (score_x + 10, "Poäng")])
    items = area.box_items if area.box_items is not None else [s[1] for s in area.subareas]
    first = w.y
    for item in items:
        w.write(w.left + 8, "•")
        for line in w.wrap(item, score_x - w.left - 30):
            w.write(w.left + 22, line)
            w.y += 14
    score = area.box_score if area.box_score is not None else area.printed_total[0]
    w.write(score_x + 12, str(score), 24, bold=True, y=(first + w.y) / 2 - 14)
    w.y += 4
    w.hrule(w.y)
    w.vrules(top - 2, w.y, [w.left - 4, score_x, w.right + 4])
    w.y += 16
    w.paragraph("Allmänt", 11.5, bold=True)
    w.paragraph(w.spec.body_text)
    if area.strengths or area.improvements:
        _findings(w, area)


def _findings(w: _Writer, area: AreaSpec) -> None:
    mid = (w.left + w.right) / 2
    col = mid - w.left - 12

    def header() -> float:
        return _header_row(w, [(w.left + 4, "Styrkor"), (mid + 6, "Förbättringsmöjligheter")])

    w.ensure(60)
    top = header()
    for i in range(max(len(area.strengths), len(area.improvements))):
        cells = [
            w.wrap(items[i], col) if i < len(items) else [] for items in (area.strengths, area.improvements)
        ]
        height = max(len(c) for c in cells) * 12.5 + 6
        top = _page_break(w, top, height, [w.left - 4, mid, w.right + 4], header)
        for x, lines in zip((w.left + 4, mid + 6), cells, strict=True):
            for j, line in enumerate(lines):
                w.write(x, line, y=w.y + j * 12.5)
        w.y += height
        w.hrule(w.y - 2)
    w.vrules(top - 2, w.y - 2, [w.left - 4, mid, w.right + 4])
    w.y += 14


def _overview(w: _Writer, area: AreaSpec) -> None:
    ach_x, max_x = w.right - 120, w.right - 50
    name_width = ach_x - w.left - 30

    def header() -> float:
        top = w.y
        w.hrule(top - 2)
        w.write(w.left + 4, f"{area.number}. {area.name}", bold=True)
        w.write(ach_x, "Uppnått", bold=True)
        w.write(max_x, "Max", bold=True)
        w.y += 15
        w.hrule(w.y - 2)
        return top

    columns = [w.left - 4, ach_x - 8, max_x - 8, w.right + 4]

    w.ensure(60)
    top = header()
    offset = {"first": lambda n: 0, "middle": lambda n: (n - 1) / 2, "last": lambda n: n - 1}[w.spec.numbers]
    for code, name, achieved, maximum in area.subareas:
        lines = w.wrap(f"{code} {name}", name_width)
        height = len(lines) * 12.5 + 3
        top = _page_break(w, top, height, columns, header)
        for j, line in enumerate(lines):
            w.write(w.left + 4, line, y=w.y + j * 12.5)
        num_y = w.y + offset(len(lines)) * 12.5
        w.write(ach_x + 14, str(achieved), y=num_y)
        w.write(max_x + 4, str(maximum), y=num_y)
        w.y += height
        w.hrule(w.y - 2)
    top = _page_break(w, top, 18, columns, header)
    total_achieved, total_max = area.printed_total
    w.write(ach_x + 14, str(total_achieved), bold=True)
    w.write(max_x + 4, str(total_max), bold=True)
    w.y += 15
    w.hrule(w.y - 2)
    w.vrules(top - 2, w.y - 2, columns)
    w.y += 18
