"""The drawing machinery every layout shares: pages divided into frames (the column rectangles text flows
down), one cursor that moves to the next frame or page when a frame is full, and text measuring/wrapping.
Layouts differ only in how many frames a page has and where, so every part of the report (paragraphs,
score boxes, tables) is written once against this cursor."""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf

from reportmaker.spec import FAMILIES, Colour, ReportSpec

BLACK: Colour = (0.0, 0.0, 0.0)
WHITE: Colour = (1.0, 1.0, 1.0)
GREY: Colour = (0.5, 0.5, 0.5)

# Heading sizes relative to running text (17, 13 and 11.5 pt at the original 10.5 pt).
CHAPTER, AREA, SUBHEADING = 17 / 10.5, 13 / 10.5, 11.5 / 10.5


@dataclass(frozen=True)
class Frame:
    """A column rectangle of a page: text flows down it and continues in the next frame when full."""

    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2


def page_frames(spec: ReportSpec, width: float, height: float) -> list[Frame]:
    """The text columns of a page of this size: equal widths, `spec.gutter` apart, inside the margins."""
    left, right = spec.margin_x, width - spec.margin_x
    column = (right - left - spec.gutter * (spec.columns - 1)) / spec.columns
    top, bottom = spec.margin_top, height - spec.margin_bottom
    return [
        Frame(left + i * (column + spec.gutter), left + i * (column + spec.gutter) + column, top, bottom)
        for i in range(spec.columns)
    ]


class Canvas:
    """A cursor over pages and their frames. `part` names the chapter being written, so that later passes
    (page furniture, rotation, the table of contents) know what each page holds."""

    def __init__(self, spec: ReportSpec) -> None:
        self.spec = spec
        self.doc = pymupdf.open()
        self.page: pymupdf.Page | None = None
        self.shape: pymupdf.Shape | None = (
            None  # one per page, committed once: inserting line by line is slow
        )
        self.frames: list[Frame] = []
        self.index = 0
        self.y = 0.0
        self.part = "cover"
        self.landscape = False
        self.parts: list[str] = []  # the part each page belongs to, by page index
        self.marks: dict[str, int] = {}  # a heading's key -> its 1-based page number
        self.fontnames = dict(zip((False, True), FAMILIES[spec.family], strict=True))
        # Font objects measure å, ä and ö as printed (pymupdf.get_text_length undercounts them).
        self.fonts = {bold: pymupdf.Font(name) for bold, name in self.fontnames.items()}
        self.advances: dict[bool, dict[str, float]] = {False: {}, True: {}}

    # -- pages and frames -------------------------------------------------------------------------

    def new_page(self) -> None:
        self.commit()
        width, height = self.spec.page_size
        if self.landscape:
            width, height = height, width
        self.page = self.doc.new_page(width=width, height=height)
        self.shape = self.page.new_shape()
        self.parts.append(self.part)
        self.frames = page_frames(self.spec, width, height)
        self.index = 0
        self.y = self.frame.top

    def commit(self) -> None:
        """Write what was drawn on the current page into its content stream."""
        if self.shape is not None:
            self.shape.commit()
            self.shape = None

    @property
    def frame(self) -> Frame:
        return self.frames[self.index]

    @property
    def fresh(self) -> bool:
        """Whether nothing has been written in the current frame yet."""
        return self.y <= self.frame.top

    def next_frame(self) -> None:
        """Continue in the next column of the page, or on a new page after the last column."""
        if self.page is not None and self.index + 1 < len(self.frames):
            self.index += 1
            self.y = self.frame.top
        else:
            self.new_page()

    def fits(self, height: float) -> bool:
        return self.page is not None and self.y + height <= self.frame.bottom

    def ensure(self, height: float) -> bool:
        """Move to the next frame unless `height` fits; True when it moved."""
        if self.fits(height):
            return False
        self.next_frame()
        return True

    def mark(self, key: str) -> None:
        """Remember the page the cursor is on, for the table of contents."""
        self.marks[key] = self.doc.page_count

    # -- text ---------------------------------------------------------------------------------------

    def text(
        self,
        x: float,
        text: str,
        size: float,
        bold: bool = False,
        y: float | None = None,
        colour: Colour = BLACK,
        unicode: bool = False,
    ) -> None:
        """Write one line whose top is at `y` (the cursor by default). The base-14 fonts print only
        Latin-1 (a bullet or an en dash comes out as '·'); `unicode` sets the line in the same font
        embedded, which prints every glyph it has."""
        top = self.y if y is None else y
        fontname = self._embedded(bold) if unicode else self.fontnames[bold]
        self.shape.insert_text((x, top + size), text, fontsize=size, fontname=fontname, color=colour)

    def _embedded(self, bold: bool) -> str:
        name = f"U{self.fontnames[bold]}"
        if name not in {font[4] for font in self.page.get_fonts()}:
            self.page.insert_font(fontname=name, fontbuffer=self.fonts[bold].buffer)
        return name

    def measure(self, text: str, size: float, bold: bool = False) -> float:
        """The printed width of `text`: the sum of its glyphs' advances (base-14 fonts do not kern),
        each measured once, because measuring through the font is the generator's slowest step."""
        advances = self.advances[bold]
        for char in text:
            if char not in advances:
                advances[char] = self.fonts[bold].text_length(char, fontsize=1)
        return sum(advances[char] for char in text) * size

    def fit_size(self, text: str, width: float, size: float, bold: bool = True) -> float:
        """The largest size up to `size` at which `text` fits `width`, as producers shrink header words
        to fit narrow columns."""
        needed = self.measure(text, size, bold)
        return size if needed <= width else size * width / needed

    def wrap(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """Break `text` into lines of at most `width`, between words; a word wider than `width` is split
        at a character when the spec says so (else it overflows, as many producers let it)."""
        lines: list[str] = []
        current = ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if self.measure(trial, size, bold) <= width:
                current = trial
            elif self.spec.break_words and self.measure(word, size, bold) > width:
                done, current = self._split_word(current, word, width, size, bold)
                lines.extend(done)
            else:
                if current:
                    lines.append(current)
                current = word
        return [*lines, current] if current else lines

    def _split_word(
        self, current: str, word: str, width: float, size: float, bold: bool
    ) -> tuple[list[str], str]:
        """ReportLab's way with a word wider than its cell: fill the line with as many of its characters
        as fit and carry on with the rest on the next line, with no hyphen. Returns the full lines and the
        line still open."""
        lines: list[str] = []
        while True:
            prefix = f"{current} " if current else ""
            n = len(word)
            while n > 0 and self.measure(prefix + word[:n], size, bold) > width:
                n -= 1
            if n == len(word):
                return lines, prefix + word
            if n < 2 and current:  # no room left on this line: start the word on the next
                lines.append(current)
                current = ""
                continue
            n = max(n, 1)
            lines.append(prefix + word[:n])
            current, word = "", word[n:]

    def paragraph(self, text: str, size: float | None = None, bold: bool = False) -> None:
        """Running text in the current frame, continuing in the next frame when full."""
        size = size or self.spec.size
        for line in self.wrap(text, self.frame.width, size, bold):
            self.ensure(size * 1.4)
            self.text(self.frame.x0, line, size, bold)
            self.y += size * 1.35
        self.y += size * 0.8

    def heading(self, text: str, scale: float, key: str | None = None) -> None:
        """A bold heading, `scale` times the running text; `key` records its page for the contents."""
        size = self.spec.size * scale
        self.ensure(size * 1.4)
        if key:
            self.mark(key)
        self.paragraph(text, size, bold=True)

    # -- drawing ------------------------------------------------------------------------------------

    def rule(self, x0: float, y0: float, x1: float, y1: float, colour: Colour = GREY) -> None:
        self.shape.draw_line((x0, y0), (x1, y1))
        self.shape.finish(color=colour, width=0.5)

    def fill(self, rect: tuple[float, float, float, float], colour: Colour) -> None:
        self.shape.draw_rect(pymupdf.Rect(*rect))
        self.shape.finish(color=None, fill=colour, width=0)
