"""Title, municipality and the facts of the evaluation (when, which time, how many interviewed)."""

from __future__ import annotations

import regex

from extract.model import Document
from parsers import patterns
from parsers.model import Metadata


def _first_match(pattern, texts):
    return next((m for t in texts if (m := pattern.search(t))), None)


def _base_name(full: str, texts: list[str]) -> str:
    """The name without 'kommun'/'stad' and without the genitive -s ('Nynäshamns kommun').

    A name may itself end in -s ('Vännäs kommun'): the -s stays when the text never uses the bare
    form and the name ends like a nominative -s name (a vowel before the s).
    """
    base = patterns.MUNICIPALITY_SUFFIX.sub("", full)
    if not base.endswith("s"):
        return base
    bare = regex.compile(rf"\b{regex.escape(base[:-1])}\b(?!s)")
    if any(bare.search(t) for t in texts) or not patterns.NOMINATIVE_S.search(base):
        return base[:-1]
    return base


def parse_metadata(doc: Document) -> Metadata:
    """Read the title page first; fall back on the PDF's title and the running footer."""
    first = [ln.text for ln in doc.pages[0].body] if doc.pages else []
    footers = [ln.text for p in doc.pages[:3] for ln in p.lines if ln.furniture]
    sources = [*first, doc.metadata.get("title", ""), *footers]
    subject = _first_match(patterns.TITLE_SUBJECT, sources)
    full = " ".join(subject["name"].split()) if subject else None
    paragraphs = [" ".join(ln.text for ln in p.body) for p in doc.frames if p.number <= 8]
    evaluation = _first_match(patterns.EVALUATION, paragraphs)
    title_year = next((int(t) for t in first if patterns.YEAR.match(t)), None)
    ordinal = _first_match(patterns.ORDINAL, paragraphs)
    previous = _first_match(patterns.PREVIOUS, paragraphs)
    interviewees = _first_match(patterns.INTERVIEWEES, paragraphs)
    return Metadata(
        title=f"Kommunkompassen Analys av {full}" if full else None,
        municipality=_base_name(full, paragraphs) if full else None,
        municipality_full=full,
        year=int(evaluation["year"]) if evaluation else title_year,
        month=patterns.MONTHS.get(evaluation["month"].casefold()) if evaluation else None,
        evaluation_ordinal=patterns.ORDINALS.get(ordinal["ordinal"].casefold()) if ordinal else None,
        previous_evaluation_year=int(previous["year"]) if previous else None,
        interviewees=int(interviewees["n"]) if interviewees else None,
    )
