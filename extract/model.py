"""Plain, frozen values that describe what is on each page and where (PDF points, origin top-left)."""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text in one font."""

    text: str
    bbox: BBox
    font: str
    size: float
    bold: bool
    italic: bool


@dataclass(frozen=True, slots=True)
class Word:
    """A whitespace-separated word with its own rectangle: what tables are read from."""

    text: str
    bbox: BBox

    @property
    def x_mid(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def y_mid(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line: its text, spans (fonts) and words (positions; empty where not asked for)."""

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
    def y_mid(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2

    @property
    def size(self) -> float:
        """The largest font size on the line (headings mix sizes rarely; numbers in boxes are big)."""
        return max((s.size for s in self.spans), default=0.0)

    @property
    def bold(self) -> bool:
        """True when every visible span is bold."""
        visible = [s for s in self.spans if s.text.strip()]
        return bool(visible) and all(s.bold for s in visible)

    @property
    def italic(self) -> bool:
        visible = [s for s in self.spans if s.text.strip()]
        return bool(visible) and all(s.italic for s in visible)


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
    """One page: number is 1-based, as printed in the dataset."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    rules: tuple[Rule, ...] = ()

    @property
    def body(self) -> tuple[Line, ...]:
        """The lines that are content, not running headers, footers or page numbers."""
        return tuple(line for line in self.lines if not line.furniture)


@dataclass(frozen=True, slots=True)
class Document:
    pages: tuple[Page, ...]
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def text_chars(self) -> int:
        """How much text the document has; zero means a scan without a text layer."""
        return sum(len(line.text.strip()) for page in self.pages for line in page.lines)
