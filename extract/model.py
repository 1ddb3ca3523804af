"""Plain, frozen values that describe what is on each page and where (PDF points, origin top-left)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

BBox = tuple[float, float, float, float]


class Span(NamedTuple):
    """A run of text in one font. (Spans and words are named tuples, not dataclasses: a report has
    tens of thousands of them, and a tuple is made in half the time.)"""

    text: str
    bbox: BBox
    font: str
    size: float
    bold: bool
    italic: bool


class Word(NamedTuple):
    """A whitespace-separated word with its own rectangle: what tables are read from."""

    text: str
    bbox: BBox

    @property
    def x_mid(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def y_mid(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2


class Line(NamedTuple):
    """One printed line: its text, spans (fonts) and words (positions; empty where not asked for).
    A named tuple too: a report has thousands of lines, made in a third of a frozen dataclass's time."""

    text: str
    bbox: BBox
    spans: tuple[Span, ...]
    words: tuple[Word, ...]
    ends_with_space: bool = False
    furniture: bool = False

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def y0(self) -> float:
        return self.bbox[1]

    @property
    def x1(self) -> float:
        return self.bbox[2]

    @property
    def y1(self) -> float:
        return self.bbox[3]

    @property
    def x_mid(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def y_mid(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2

    @property
    def size(self) -> float:
        """The largest font size on the line (headings mix sizes rarely; numbers in boxes are big)."""
        spans = self.spans
        if len(spans) == 1:  # most lines, and the parsers ask every line
            return spans[0].size
        return max((s.size for s in spans), default=0.0)

    @property
    def bold(self) -> bool:
        """True when every visible span is bold."""
        spans = self.spans
        if len(spans) == 1:
            return spans[0].bold and bool(spans[0].text.strip())
        visible = [s for s in spans if s.text.strip()]
        return bool(visible) and all(s.bold for s in visible)

    @property
    def italic(self) -> bool:
        spans = self.spans
        if len(spans) == 1:
            return spans[0].italic and bool(spans[0].text.strip())
        visible = [s for s in spans if s.text.strip()]
        return bool(visible) and all(s.italic for s in visible)


def reading_order(line: Line) -> tuple[int, float]:
    """Sort key of lines as read: top to bottom (by the middle of the line, to the point), then left
    to right. Read from the rectangle directly: every page's lines are sorted by it."""
    x0, y0, _, y1 = line.bbox
    return round((y0 + y1) / 2), x0


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line (table border), horizontal or vertical."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.y1 - self.y0)


@dataclass(frozen=True, slots=True)
class Page:
    """One page, or one frame of it (a column of a band) where the page is set in columns.

    `number` is the 1-based page number, as printed in the dataset; `index` is the frame's position in
    the document's reading order; `clip` is the part of the page the frame covers, its x0 being where
    the frame's text starts (so a table continued in another column can be shifted onto it).
    """

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    rules: tuple[Rule, ...] = ()
    index: int = 0
    clip: BBox | None = None
    # The lines that are content, not running headers, footers or page numbers, and their text a
    # line per line (kept, as every parser asks for them many times).
    body: tuple[Line, ...] = field(init=False, repr=False, compare=False)
    body_text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        body = tuple([line for line in self.lines if not line.furniture])
        object.__setattr__(self, "body", body)
        object.__setattr__(self, "body_text", "\n".join([line.text for line in body]))


@dataclass(frozen=True)
class Document:
    """The pages as printed, and (`frames`) the same content as the parsers read it."""

    pages: tuple[Page, ...]
    metadata: dict[str, str] = field(default_factory=dict)

    @cached_property
    def frames(self) -> tuple[Page, ...]:
        """Every page's frames in reading order: a page in two columns is two frames (or more, where a
        heading or table spans the columns), any other page is one."""
        from extract.columns import in_reading_order

        return in_reading_order(self.pages)

    @property
    def has_text(self) -> bool:
        """Whether any page prints text (a line is kept only where it does); none means a scan
        without a text layer, or blank pages."""
        return any(page.lines for page in self.pages)
