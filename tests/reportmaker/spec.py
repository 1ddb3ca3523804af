"""What a generated report contains and how it is laid out: the content (areas, scores, findings) decides
the expected pipeline output, the layout options decide only how it is drawn."""

from __future__ import annotations

from dataclasses import dataclass, field

# Base-14 font families (regular, bold): Helvetica, Times, Courier.
FAMILIES = {"helvetica": ("helv", "hebo"), "times": ("tiro", "tibo"), "courier": ("cour", "cobo")}

# The column headers producers have used for the improvements column of a findings table.
IMPROVEMENT_HEADERS = ("Förbättringsmöjligheter", "Förbättringsområden", "Utvecklingsområden")
# How an item starts inside a multi-paragraph findings cell: nothing, a bullet or a dash.
ITEM_MARKERS = ("", "•", "–", "-")
RUNNING_HEADERS = ("none", "band", "memo")
PAGE_NUMBERS = ("plain", "sida", "memo")
ROTATIONS = (0, 90, 180, 270)

Colour = tuple[float, float, float]


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

    @property
    def printed_score(self) -> int:
        """The score printed in the score box (and, in older reports, in the heading and contents)."""
        return self.box_score if self.box_score is not None else self.printed_total[0]


@dataclass
class ReportSpec:
    """A report's content and layout. Every layout option defaults to the original generator's layout, so
    a spec that sets none of them draws the same PDF as before."""

    municipality_full: str
    year: int
    areas: list[AreaSpec]
    month: str = "mars"
    ordinal: str = "första"
    interviewees: int = 30
    ruled: bool = True
    page_size: tuple[float, float] = (612, 792)  # US Letter: not the reference reports' A4
    body_text: str = "Kommunen arbetar strukturerat med frågorna och följer upp resultaten regelbundet."
    summary_text: str = ""  # the summary's prose, after the paragraph naming the eight areas
    family: str = "helvetica"
    numbers: str = "last"  # where a wrapped overview row prints its numbers: "first", "middle" or "last" line
    overview_title: str = "row"  # the area's name in the overview table's header row, or "above" the table
    repeat_headers: bool = True  # whether a table continued in a new frame repeats its header row
    heading_separator: str = " "  # between "Område N" and the area name

    # Geometry (every class): page margins, type sizes.
    margin_x: float = 60.0  # left and right page margin
    margin_top: float = 70.0  # where the first line of a page starts
    margin_bottom: float = 80.0  # the free space below the last line of a page
    size: float = 10.5  # running text; headings scale with it
    table_size: float = 10.5  # text in tables

    # 1. cells: a findings table has one body row whose two cells hold all items of their column.
    findings_cells: bool = False
    item_marker: str = ""  # one of ITEM_MARKERS
    item_gap: float = 0.6  # extra space between two items of a cell, in line heights (0.2-1.5)

    # 2. two_column: text columns per page (1 or 2) and the space between them.
    columns: int = 1
    gutter: float = 24.0  # 10-40
    break_words: bool = False  # a word wider than its cell is split at a character, with no hyphen

    # 3. banded: page furniture and table style.
    running_header: str = "none"  # one of RUNNING_HEADERS: a coloured band or a memo line at the top
    band_colour: Colour = (0.48, 0.17, 0.23)
    band_text_white: bool = True  # the running title in the band is white (else dark)
    page_numbers: str = "plain"  # one of PAGE_NUMBERS: "3", "Sida 3 av 28" or "3 (28)"
    header_fill: Colour | None = None  # a table's header row on this fill, in white bold words
    zebra_fill: Colour | None = None  # every other body row of a table on this fill

    # 4. older (2010-2019): contents with scores and page numbers, memo header, scores in headings, facts.
    toc: bool = False  # a table of contents after the title page
    toc_leaders: bool = True  # dot leaders between a contents entry and its page number
    memo_date: str = "2014-05-12"  # the date in a memo running header
    organisation: str = "Sveriges Kommuner och Regioner"  # in running headers/footers ("… och Landsting")
    heading_scores: bool = False  # "Område 1 Offentlighet och demokrati 49 poäng"
    kortfakta: bool = False  # a chapter of numeric fact tables that are not score tables
    improvements_header: str = IMPROVEMENT_HEADERS[0]
    cover_caps: bool = False  # the cover says "ANALYS AV NYKÖPINGS KOMMUN 2013"

    # 5. rotated: a /Rotate entry on the pages, content drawn upright in the unrotated page.
    rotation: int = 0  # one of ROTATIONS
    rotate_overview_only: bool = False  # rotate only the pages of the overview chapter
    landscape_overview: bool = False  # the overview chapter's pages are landscape (width and height swapped)
