"""Words broken without a hyphen where a narrow cell could not hold them (as ReportLab sets a word
wider than its column): found by layout, and told from two words by what else the report prints."""

from __future__ import annotations

from collections import Counter

from extract.model import Document, Line, Word
from parsers import patterns

_NARROW, _WIDE = frozenset("fijlrt.,:;'"), frozenset("mw")


class Vocabulary:
    """The words the report prints, by where they stand on their lines, read once and only when a
    broken word is suspected. The first piece of a broken word only ever ends a line and the second
    only ever starts one; a real word stands elsewhere too."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.places: dict[str, set[str]] | None = None
        self.breaking: bool | None = None
        self.counts: Counter[str] = Counter()

    def _read(self) -> dict[str, set[str]]:
        places: dict[str, set[str]] = {"first": set(), "inside": set(), "last": set()}
        for page in self.doc.frames:
            for line in page.body:
                words = [w.casefold() for w in patterns.WORD.findall(line.text)]
                self.counts.update(words)
                if len(words) > 1:  # a word alone on its line both starts and ends it: no evidence
                    places["first"].add(words[0])
                    places["last"].add(words[-1])
                    places["inside"].update(words[1:-1])
        return places

    def _in(self, word: str, *where: str) -> bool:
        self.places = self.places or self._read()
        return any(word.casefold() in self.places[w] for w in where)

    def breaks_words(self) -> bool:
        """Whether the report shows a producer that breaks words: some line ends in a piece and the
        line below starts with the rest of a word that the report prints whole elsewhere. Without
        such a sign two unknown words at a full line's end and the next line's start stay two."""
        if self.breaking is None:
            self.breaking = any(self._certain(page.body) for page in self.doc.frames)
        return self.breaking

    def _certain(self, lines: tuple[Line, ...]) -> bool:
        for i, above in enumerate(lines):
            below = next((ln for ln in lines[i + 1 :] if abs(ln.x0 - above.x0) < 3), None)
            if below is None or below.y0 - above.y1 > 0.5 * (above.y1 - above.y0):
                continue
            head, tail = patterns.WORD_END.search(above.text), patterns.WORD_START.match(below.text)
            if not (head and tail and tail[0][0].islower()):
                continue
            if self.printed(head[0] + tail[0]) and not (self.head(head[0]) or self.tail(tail[0])):
                return True
        return False

    def printed(self, word: str) -> bool:
        """Whether the report prints the word anywhere (a broken word's whole form, elsewhere)."""
        self.places = self.places or self._read()
        return word.casefold() in self.counts

    def head(self, word: str) -> bool:
        """Whether a word that ends a line is a word: printed inside or at the start of a line too."""
        return self._in(word, "inside", "first")

    def tail(self, word: str) -> bool:
        """Whether a word that starts a line is a word: printed inside or at the end of a line too."""
        return self._in(word, "inside", "last")


def broken(
    last: Word,
    first: Word,
    edge: tuple[float, float],
    vocabulary: Vocabulary,
    monospaced: bool,
    ending: str = "",
) -> bool:
    """Whether `last`, ending a line, and `first`, starting the next, are one word broken in two.

    `edge` is (where the column's text ends, its width), as far as the report shows; `ending` is the
    text the line ends with where `last` already ends a word broken before it (so that word is judged
    whole). The line of `last` is full to
    the edge (not even the next character would have fitted), the two together are wider than the
    column (no line could have held them as one word), and they are not words the report prints
    elsewhere, unless their join is."""
    right, width = edge
    head, tail = patterns.WORD_END.search(ending or last.text), patterns.WORD_START.match(first.text)
    if head is None or tail is None or not tail[0][0].islower():
        return False
    if right - last.bbox[2] >= _next_char(first, monospaced):
        return False
    if (last.bbox[2] - last.bbox[0]) + (first.bbox[2] - first.bbox[0]) <= width:
        return False
    joined = head[0] + tail[0]
    if vocabulary.printed(joined):
        return True
    if len(head[0]) > len(last.text) and vocabulary.printed(head[0]):
        return False  # the word `last` ended is whole, as the report prints it elsewhere
    pieces = not (vocabulary.head(head[0]) or vocabulary.tail(tail[0]))
    return pieces and vocabulary.breaks_words()


def _next_char(word: Word, monospaced: bool) -> float:
    """About how wide the word's first character is printed: its share of the word's width, weighted
    by the letter's usual width (an 'i' is narrow, an 'm' wide) unless the font gives every letter one
    width."""
    average = (word.bbox[2] - word.bbox[0]) / max(len(word.text), 1)
    if monospaced:
        return average
    first = word.text[:1].casefold()
    return average * (0.9 if first in _NARROW else 1.8 if first in _WIDE else 1.25)


def monospaced(font: str) -> bool:
    """Whether a font sets every character in one width (Courier and the like)."""
    return bool(patterns.MONOSPACED.search(font))
