"""The report model: what a Kommunkompassen report says, independent of its layout."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Region:
    """A horizontal band of a frame that a table occupies (its lines are not running text)."""

    frame: int  # the frame's index in the document's reading order
    top: float
    bottom: float

    def holds(self, frame: int, y: float) -> bool:
        return frame == self.frame and self.top <= y <= self.bottom


@dataclass(frozen=True, slots=True)
class AreaHeading:
    number: int
    name: str
    page: int
    frame: int
    top: float
    score: int | None = None  # as older reports print it after the name ("… 49 poäng")


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """An area's line in a table of contents that prints its score ("Område 1 … 49 poäng ..... 6")."""

    area_number: int
    score: int
    page: int


@dataclass(frozen=True, slots=True)
class ScoreBox:
    """The *Rubriker | Poäng* box under an area heading."""

    area_number: int
    header: tuple[str, ...]
    items: tuple[str, ...]
    score: int | None
    page: int
    region: Region


@dataclass(frozen=True, slots=True)
class ScoreRow:
    code: str
    name: str
    achieved: int | None
    max: int | None
    page: int


@dataclass(frozen=True, slots=True)
class OverviewTable:
    """One area's table in *Översikt av poängfördelning*; a table continued on the next page is one."""

    area_number: int
    name: str
    rows: tuple[ScoreRow, ...]
    total: ScoreRow | None
    page: int
    regions: tuple[Region, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    area_number: int
    kind: str  # "strength" or "improvement"
    position: int
    text: str
    page: int


@dataclass(frozen=True, slots=True)
class FindingsTable:
    """An area's *Styrkor | Förbättringsmöjligheter* table, continued over page breaks."""

    area_number: int
    findings: tuple[Finding, ...]
    regions: tuple[Region, ...]


@dataclass(frozen=True, slots=True)
class Section:
    level: int
    heading: str
    area_number: int | None
    page_start: int
    page_end: int
    text: str


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None
    municipality: str | None
    municipality_full: str | None
    year: int | None
    month: int | None
    evaluation_ordinal: int | None
    previous_evaluation_year: int | None
    interviewees: int | None


@dataclass(frozen=True, slots=True)
class Report:
    metadata: Metadata
    pages: int
    headings: tuple[AreaHeading, ...]
    boxes: tuple[ScoreBox, ...]
    overview: tuple[OverviewTable, ...]
    findings: tuple[FindingsTable, ...]
    sections: tuple[Section, ...]
    contents: tuple[ContentsEntry, ...] = ()
