"""Stage 1: a PDF becomes positioned text (pages, lines, words, fonts, ruling lines).

Nothing here knows what a Kommunkompassen report is.
"""

from extract.model import Document, Line, Page, Rule, Span, Word
from extract.pdf import ExtractError, read_document

__all__ = ["Document", "ExtractError", "Line", "Page", "Rule", "Span", "Word", "read_document"]
