"""Read a PDF once with PyMuPDF: text with positions and fonts, plus the ruling lines of tables."""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache, partial
from itertools import groupby, repeat
from operator import itemgetter

import pymupdf
import regex

from extract.furniture import mark_furniture
from extract.model import BBox, Document, Line, Page, Rule, Span, Word, reading_order
from extract.portable import Portable, from_builtins, to_builtins

# Ligatures expanded (no TEXT_PRESERVE_LIGATURES), no image payloads (charts are not text), and the
# outline of every vector path collected in the same pass (the ruling lines of tables).
_TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_COLLECT_VECTORS
_VECTOR = 3  # the type of a text page's block that outlines a vector path
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_LIGATURE = regex.compile("[\ufb00-\ufb06]")  # ﬀ … ﬆ
_THIN = 2.5  # a filled rectangle thinner than this is drawn as a line
_MIN_RULE = 3.0
_SHARED_FROM = 8  # pages: a shorter document is read before another process would have started
# Named tuples made in bulk without the per-call Python __new__ (a third of their cost).
_new = tuple.__new__
# The parts of an extractWORDS tuple (x0, y0, x1, y1, text, block, line, word).
_WORD_BOX, _WORD_TEXT, _WORD_LINE = itemgetter(slice(0, 4)), itemgetter(4), itemgetter(5, 6)


# Starts work (a function of no arguments) somewhere else, such as another process; the function it
# returns waits for the work's value, or gives None when the work could not be done there.
Elsewhere = Callable[[Callable[[], Portable]], Callable[[], Portable | None]]


class ExtractError(Exception):
    """The PDF cannot be read; the message says why in words a person understands."""


def clean_text(text: str) -> str:
    """NFC with ligatures expanded, so that equal words compare equal whatever the producer."""
    if text.isascii():
        return text
    if _LIGATURE.search(text):  # rare (MuPDF expands most), and translate walks every character
        text = text.translate(_LIGATURES)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def clean_texts(texts: list[str]) -> list[str]:
    """clean_text of each text, in one pass over them all: a page has hundreds of spans and words,
    nearly all clean already. (NUL separates them: nothing composes with it, and a text that holds
    one itself is cleaned alone.)"""
    joined = "\x00".join(texts)
    cleaned = clean_text(joined)
    if cleaned is joined:
        return texts
    parts = cleaned.split("\x00")
    return parts if len(parts) == len(texts) else [clean_text(text) for text in texts]


def read_document(
    data: bytes,
    detail: Callable[[str], bool] | None = None,
    also: frozenset[int] = frozenset(),
    elsewhere: Elsewhere | None = None,
) -> Document:
    """Open PDF bytes and return every page's positioned text; raise ExtractError when unreadable.

    Words with their rectangles and the ruling lines cost as much again as the text itself, so they
    are read only on the pages where `detail(page text)` says a table may be (every page when None),
    and on the pages numbered in `also` (1-based). With `elsewhere`, the last pages (45 %) of a longer
    document are read there (another core) while this process reads the others: pages are independent.
    """
    if not data:
        raise ExtractError("empty file (0 bytes)")
    if b"%PDF" not in data[:1024]:  # readers accept junk or a byte-order mark before the header
        raise ExtractError("not a PDF (no %PDF header)")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for damaged files
        raise ExtractError(f"damaged PDF: {exc}") from exc
    with doc:
        if doc.needs_pass and not doc.authenticate(""):
            raise ExtractError("encrypted; needs a password")
        if doc.is_repaired and b"%%EOF" not in data.rstrip(b"\x00 \t\r\n\x0c")[-2048:]:
            raise ExtractError("truncated PDF (it ends before its %%EOF marker)")
        if doc.page_count == 0:
            raise ExtractError("damaged PDF: no pages could be read")
        try:
            metadata = {k: clean_text(v) for k, v in (doc.metadata or {}).items() if isinstance(v, str)}
            pages = _read_pages(doc, detail, also, elsewhere)
        except MemoryError:  # the worker's limit, not the file's fault: said as such by the worker
            raise
        except Exception as exc:
            raise ExtractError(f"damaged PDF: {exc}") from exc
    return Document(pages=mark_furniture(pages), metadata=metadata)


def _read_pages(
    doc: pymupdf.Document,
    detail: Callable[[str], bool] | None,
    also: frozenset[int],
    elsewhere: Elsewhere | None,
) -> tuple[Page, ...]:
    """Every page; the last pages read `elsewhere` where given, or here when they could not be."""
    count = doc.page_count
    if elsewhere is None or count < _SHARED_FROM:
        return _page_range(doc, range(count), detail, also)
    rest = range(count - count * 9 // 20, count)  # 45 %: the pages cross back, and that takes time
    later = elsewhere(partial(_portable_range, doc, rest, detail, also))
    try:
        first = _page_range(doc, range(rest.start), detail, also)
    finally:
        there = later()  # also when this part failed: nothing of the other is left behind
    return first + (from_builtins(there) if there is not None else _page_range(doc, rest, detail, also))


def _portable_range(
    doc: pymupdf.Document, numbers: range, detail: Callable[[str], bool] | None, also: frozenset[int]
) -> Portable:
    return to_builtins(_page_range(doc, numbers, detail, also))


def _page_range(
    doc: pymupdf.Document, numbers: range, detail: Callable[[str], bool] | None, also: frozenset[int]
) -> tuple[Page, ...]:
    return tuple([_read_page(doc[i], detail, i + 1 in also) for i in numbers])


def _read_page(page: pymupdf.Page, detail: Callable[[str], bool] | None, wanted: bool) -> Page:
    textpage = page.get_textpage(flags=_TEXT_FLAGS)
    content = textpage.extractDICT()
    blocks = content["blocks"]
    text_blocks = [b for b in blocks if b["type"] == 0]  # extractWORDS numbers these alone
    detailed = detail is None or wanted or detail(_text(text_blocks))
    place, width, height = _upright(content["width"], content["height"], text_blocks)
    words = _words_by_line(textpage.extractWORDS(), place) if detailed else {}
    lines = _make_lines(text_blocks, words, place)
    lines.sort(key=reading_order)
    return Page(
        number=page.number + 1,
        width=width,
        height=height,
        lines=tuple(lines),
        rules=_rules(page, blocks, place) if detailed else (),
    )


def _text(blocks: list[dict]) -> str:
    """The page's text as printed, a line per line."""
    return "\n".join(
        ["".join([span["text"] for span in line["spans"]]) for b in blocks for line in b["lines"]]
    )


def _upright(width: float, height: float, blocks: list[dict]) -> tuple[Callable[[BBox], BBox], float, float]:
    """How to place the page's coordinates so that its text reads left to right, and the page's width
    and height so placed. PyMuPDF reports positions before the page's /Rotate (and the text page its size so):
    text drawn upright and then rotated (a whole file saved rotated) is upright as it is; text drawn
    sideways on a page rotated to landscape is turned by the angle of its writing direction."""
    lines = [line for block in blocks for line in block.get("lines", ())]
    if all(line["dir"][0] > 0.99 for line in lines):  # the usual page: every line reads left to right
        return _as_is, width, height
    weights: Counter[tuple[int, int]] = Counter()
    for line in lines:
        dx, dy = line["dir"]
        weights[(round(dx), round(dy))] += sum(len(s["text"]) for s in line["spans"])
    direction = weights.most_common(1)[0][0]
    if direction == (1, 0) or direction == (0, 0):
        return _as_is, width, height
    turn = pymupdf.Matrix(-math.degrees(math.atan2(direction[1], direction[0])))
    turned = pymupdf.Rect(0, 0, width, height) * turn
    matrix = turn * pymupdf.Matrix(1, 0, 0, 1, -turned.x0, -turned.y0)

    def place(bbox: BBox) -> BBox:
        return tuple(pymupdf.Rect(bbox) * matrix)

    return place, turned.width, turned.height


def _as_is(bbox: BBox) -> BBox:
    return bbox


@cache
def _style(font: str, flags: int, size: float) -> tuple[str, float, bool, bool]:
    """A span's font, size, bold and italic; bold and italic from the font flags, or from the font's
    name where a producer left flags out. (A report has a handful of styles and thousands of spans.)"""
    name = font.lower()
    bold = bool(flags & pymupdf.TEXT_FONT_BOLD) or "bold" in name
    italic = bool(flags & pymupdf.TEXT_FONT_ITALIC) or "italic" in name or "oblique" in name
    return font, round(size, 2), bold, italic


def _words_by_line(
    raw_words: list[tuple], place: Callable[[BBox], BBox]
) -> dict[tuple[int, int], list[Word]]:
    """The page's words, by the (text block, line) that extractWORDS numbers them with. Made in
    bulk: a table page has hundreds of words, and the words of a line come one after another."""
    texts = clean_texts(list(map(_WORD_TEXT, raw_words)))
    boxes = map(_WORD_BOX, raw_words) if place is _as_is else map(place, map(_WORD_BOX, raw_words))
    words = map(_new, repeat(Word), zip(texts, boxes, strict=True))
    keyed = zip(map(_WORD_LINE, raw_words), words, strict=True)
    by_line: dict[tuple[int, int], list[Word]] = {}
    for key, run in groupby(keyed, key=itemgetter(0)):
        by_line.setdefault(key, []).extend(map(itemgetter(1), run))
    return by_line


def _make_lines(
    blocks: list[dict], words: dict[tuple[int, int], list[Word]], place: Callable[[BBox], BBox]
) -> list[Line]:
    """Every line of the text blocks that prints something, with its spans and (where read) words."""
    raw_lines = [(b_no, l_no, raw) for b_no, b in enumerate(blocks) for l_no, raw in enumerate(b["lines"])]
    texts = clean_texts([s["text"] for _, _, raw in raw_lines for s in raw["spans"]])
    lines = []
    end = 0
    for b_no, l_no, raw in raw_lines:
        raw_spans = raw["spans"]
        start, end = end, end + len(raw_spans)
        span_texts = texts[start:end]
        full = "".join(span_texts)
        text = full.strip()
        if not text:  # prints nothing: no line
            continue
        spans = tuple(
            [
                _new(Span, (span_text, place(s["bbox"]), *_style(s["font"], s["flags"], s["size"])))
                for span_text, s in zip(span_texts, raw_spans, strict=True)
            ]
        )
        line_words = words.get((b_no, l_no), ())
        lines.append(
            _new(Line, (text, place(raw["bbox"]), spans, tuple(line_words), full != full.rstrip(), False))
        )
    return lines


def _rules(page: pymupdf.Page, blocks: list[dict], place: Callable[[BBox], BBox]) -> tuple[Rule, ...]:
    """Table borders: stroked lines, hairline rectangles, and the edges of stroked rectangles.

    The text page outlines each path, or each rectangle of a path (a straight line is one), for free;
    only a page with a path that is not (a polyline, a curve, a chart) needs the separate, slower pass
    over its drawings, which tells its straight lines from its curves."""
    vectors = [b for b in blocks if b["type"] == _VECTOR]
    if not all(b["isrect"] for b in vectors):
        return _drawn_rules(page, place)
    rules: list[Rule] = []
    for vector in vectors:
        rules.extend(_rectangle_rules(place(vector["bbox"]), vector["stroked"]))
    return tuple(rules)


def _drawn_rules(page: pymupdf.Page, place: Callable[[BBox], BBox]) -> tuple[Rule, ...]:
    """The rules of every line and rectangle a page's drawings hold."""
    rules: list[Rule] = []
    for path in page.get_cdrawings():
        stroked = "s" in path.get("type", "")
        for item in path["items"]:
            if item[0] == "l":
                (xa, ya), (xb, yb) = item[1], item[2]
                rules.extend(_as_rule(*place((min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)))))
            elif item[0] == "re":
                rules.extend(_rectangle_rules(place(item[1]), stroked))
    return tuple(rules)


def _thin(bbox: BBox) -> bool:
    return min(bbox[2] - bbox[0], bbox[3] - bbox[1]) < _THIN


def _rectangle_rules(bbox: BBox, stroked: bool) -> list[Rule]:
    """A thin rectangle is drawn as a line; a stroked one has four; a filled one is a background."""
    x0, y0, x1, y1 = bbox
    if _thin(bbox):
        return _as_rule(x0, y0, x1, y1)
    if not stroked:
        return []
    edges = ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1))
    return [rule for edge in edges for rule in _as_rule(*edge)]


def _as_rule(x0: float, y0: float, x1: float, y1: float) -> list[Rule]:
    width, height = x1 - x0, y1 - y0
    if height < _THIN and width >= _MIN_RULE:
        y = (y0 + y1) / 2
        return [Rule(x0, y, x1, y)]
    if width < _THIN and height >= _MIN_RULE:
        x = (x0 + x1) / 2
        return [Rule(x, y0, x, y1)]
    return []
