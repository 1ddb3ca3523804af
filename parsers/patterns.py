"""Every Swedish wording the parsers recognise, in one place (Unicode-aware, via `regex`)."""

import regex

_I = regex.IGNORECASE | regex.VERSION1


class Anywhere:
    """Whether one of some words (alternatives as in a pattern) stands anywhere in a text, whatever
    its case: a page's table header words, before its rows are looked at. One pattern per word with
    simple case folding is searched as a literal; their alternation, or full case folding, makes the
    regex module try every position, ten times slower on a page."""

    def __init__(self, alternatives: str) -> None:
        self.words = tuple(regex.compile(rf"\b(?:{w})\b", regex.IGNORECASE) for w in alternatives.split("|"))

    def search(self, text: str) -> bool:
        return any(word.search(text) for word in self.words)


REPORT_MARK = regex.compile(r"kommunkompass", _I)
AREA_HEADING = regex.compile(r"^Område\s+(?P<number>\d{1,2})\b\s*[.:–—-]?\s*(?P<name>.*)$", _I)
# Whether any line of a page's text (a line per line) is one: most pages have none, and one search of
# the page costs less than a match per line.
AREA_HEADING_LINE = regex.compile(AREA_HEADING.pattern, _I | regex.MULTILINE)
# Older reports print the area's score in its heading ("Område 1 Offentlighet och demokrati 49 poäng"),
# and their table of contents the same line with a page number ("… 49 poäng ........ 6").
HEADING_SCORE = regex.compile(r"\s*[(,:–—-]?\s*(?P<score>\d{1,3})\s*(?:poäng|p\.?)\)?$", _I)
# (the page number may stand apart, leaving the line to end in its leader dots)
CONTENTS_ENTRY = regex.compile(r"(?:\.{3,}|…+)\s*\d{0,4}$|\bpoäng\W*\s*\d{1,4}$", _I)
CONTENTS_SCORE = regex.compile(r"(?<![\d.])(?P<score>\d{1,3})\s*(?:poäng|p\b)", _I)
# The name may wrap entirely onto the next line ("7." beside Uppnått | Max, the name below).
OVERVIEW_AREA = regex.compile(r"^(?:Område\s+)?(?P<number>\d{1,2})(?:\.?\s+(?P<name>\p{L}.*)|\.)$", _I)
SUBAREA_CODE = regex.compile(r"^(?P<area>\d{1,2})\.(?P<sub>\d{1,2})\.?(?=\s|$)\s*(?P<name>.*)$")
_ACHIEVED = r"Uppnått|Uppnådda?|Erhållna?"
ACHIEVED_HEADER = regex.compile(rf"^(?:{_ACHIEVED})$", _I)
ACHIEVED_ANYWHERE = Anywhere(_ACHIEVED)
MAX_HEADER = regex.compile(r"^(?:Max|Maxpoäng|Max\.?|Maximal)$", _I)
SCORE_HEADER = regex.compile(r"^Poäng$", _I)
STRENGTHS_HEADER = regex.compile(r"^Styrkor:?$", _I)
STRENGTHS_ANYWHERE = Anywhere("Styrkor")
IMPROVEMENTS_FORMS = ("förbättringsmöjligheter", "förbättringsområden", "utvecklingsområden")
_IMPROVEMENTS = "|".join(form.capitalize() for form in IMPROVEMENTS_FORMS)
# A table's header cell starts a line (running text that merely mentions "styrkor" does not count), or
# a score column's header ends one; searched in a page's text, a line per line. (Two patterns: one with
# both alternatives searched slower than the two together; and the first with full case folding, which
# the regex module searches seven times faster here than with the case of the words alone ignored.)
TABLE_HEADER_START = regex.compile(
    rf"^\s*(?:{_ACHIEVED}|Poäng|Styrkor|{_IMPROVEMENTS})\b", _I | regex.MULTILINE
)
TABLE_HEADER_END = regex.compile(rf"\b(?:{_ACHIEVED}|Poäng)\s*$", regex.MULTILINE)
IMPROVEMENTS_HEADER = regex.compile(rf"^(?:{_IMPROVEMENTS}):?$", _I)
INTEGER = regex.compile(r"^\d{1,4}$")
YEAR = regex.compile(r"^(?:19|20)\d{2}$")
TITLE_SUBJECT = regex.compile(r"Analys\s+av\s+(?P<name>.+?)(?:\s+(?:19|20)\d{2})?$", _I)
MUNICIPALITY_SUFFIX = regex.compile(r"\s+(?:kommun|stad|kommuns|stads)$", _I)
NOMINATIVE_S = regex.compile(r"[aeiouyåäö]s$", _I)
REGION_PREFIX = regex.compile(r"^Region\s+", _I)
EVALUATION = regex.compile(
    r"genomfördes\s+(?:i|under)\s+(?P<month>\p{L}+)\s+(?:år\s+)?(?P<year>(?:19|20)\d{2})", _I
)
ORDINAL = regex.compile(r"var\s+kommunens\s+(?P<ordinal>\p{L}+)\s+utvärdering", _I)
PREVIOUS = regex.compile(
    r"(?:Senaste|Föregående|Förra)\s+utvärderingen?\s+(?:ägde\s+rum|genomfördes|gjordes)\s+(?:år\s+)?"
    r"(?P<year>(?:19|20)\d{2})",
    _I,
)
INTERVIEWEES = regex.compile(
    r"intervjuer\s+med\s+(?:ca\.?\s+|cirka\s+|ett\s+|drygt\s+)?(?P<n>\d+)(?:-tal)?", _I
)
# Bullet glyphs: typographic bullets and the private-use glyphs Symbol/Wingdings fonts produce.
_GLYPHS = r"\u2022\u25aa\u25cf\u25e6\u2023\u2043\u2219\u00b7\u25a0\u25a1\uf000-\uf0ff"
BULLET = regex.compile(rf"^[\s{_GLYPHS}\u2013\u2014\-]+$")
LIST_NUMBER = regex.compile(r"^(?:\d{1,2}|[a-z])[.)]$")
LEADING_BULLET = regex.compile(rf"^[{_GLYPHS}]\s*")
# A dash set before an item ("– Social hållbarhet"): a list marker where a list starts with one.
LEADING_DASH = regex.compile(r"^[\-\u2013\u2014]\s+(?=\S)")
# A hyphen that ends a line and joins the word on the next (a dash after a space is punctuation);
# the word after a suspended compound keeps its space.
LINE_END_HYPHEN = regex.compile(r"(?<=\S)[\-\u2010\u2011\u2013]$")
LINE_END_SLASH = regex.compile(r"(?<=\S)/$")  # "processer/" + "verksamheter": one word
SUSPENDED_SECOND_HALF = regex.compile(r"(?:^|\s)(?:och|eller|samt)\s+[\-\u2010\u2011\u2013]$", _I)
WORD = regex.compile(r"\p{L}+")
MONOSPACED = regex.compile(r"cour|mono|consol|typewriter", _I)
LEADING_CLOSER = regex.compile(r"^[.,;:!?)\]»”]")  # a line can start so only inside a word or after one
WORD_END = regex.compile(r"\p{L}+$")
WORD_START = regex.compile(r"^\p{L}+")
CONJUNCTION = regex.compile(r"^(?:och|eller|samt|respektive|resp\.?|som|till|med|&)\b", _I)

MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ),
        start=1,
    )
}
ORDINALS = {
    "första": 1,
    "andra": 2,
    "tredje": 3,
    "fjärde": 4,
    "femte": 5,
    "sjätte": 6,
    "sjunde": 7,
    "åttonde": 8,
    "nionde": 9,
    "tionde": 10,
}
