"""Stage 1: a PDF becomes positioned text (pages, lines, words, fonts, ruling lines).

Nothing here knows what a Kommunkompassen report is.
"""

from extract.model import Document, Line, Page, Rule, Span, Word
from extract.pdf import Elsewhere, ExtractError, read_document

__all__ = ["Document", "Elsewhere", "ExtractError", "Line", "Page", "Rule", "Span", "Word", "read_document"]
