"""What every page carries besides its content, drawn in a last pass when the page count is known:
running headers (a coloured band or a memo line), footers and page numbers ("3", "Sida 3 av 28",
"3 (28)"), and the /Rotate entry of rotated pages."""

from __future__ import annotations

import pymupdf

from reportmaker.canvas import BLACK, GREY, WHITE, Canvas

_LABELS = {
    "plain": lambda n, total: str(n),
    "sida": lambda n, total: f"Sida {n} av {total}",
    "memo": lambda n, total: f"{n} ({total})",
}


def furnish(c: Canvas) -> None:
    """Running header, footer and page number on every page, then the rotation."""
    total = c.doc.page_count
    for page in c.doc:
        label = _LABELS[c.spec.page_numbers](page.number + 1, total)
        if c.spec.running_header == "band":
            _band(c, page)
        elif c.spec.running_header == "memo":
            _memo(c, page, label)
        _footer(c, page, None if c.spec.running_header == "memo" else label)
    for page, part in zip(c.doc, c.parts, strict=True):
        if c.spec.rotation and (part == "overview" or not c.spec.rotate_overview_only):
            page.set_rotation(c.spec.rotation)


def _title(c: Canvas) -> str:
    return f"Kommunkompassen Analys av {c.spec.municipality_full}"


def _band(c: Canvas, page: pymupdf.Page) -> None:
    """A filled band across the top of the page with the running title in it (white or dark)."""
    height = c.spec.margin_top * 0.6
    page.draw_rect(pymupdf.Rect(0, 0, page.rect.width, height), color=None, fill=c.spec.band_colour)
    colour = WHITE if c.spec.band_text_white else BLACK
    page.insert_text(
        (c.spec.margin_x, height / 2 + 3), _title(c), fontsize=8.5, fontname=c.fontnames[True], color=colour
    )


def _memo(c: Canvas, page: pymupdf.Page, label: str) -> None:
    """The memo header of older reports: organisation, date and 'n (N)' on one line above the text."""
    y, size = c.spec.margin_top * 0.55, 9.0
    right = page.rect.width - c.spec.margin_x
    page.insert_text((c.spec.margin_x, y), c.spec.organisation, fontsize=size, fontname=c.fontnames[False])
    page.insert_text(
        (page.rect.width * 0.55, y), c.spec.memo_date, fontsize=size, fontname=c.fontnames[False]
    )
    page.insert_text((right - c.measure(label, size), y), label, fontsize=size, fontname=c.fontnames[False])


def _footer(c: Canvas, page: pymupdf.Page, label: str | None) -> None:
    """The original footer (title left, number right) or, with "Sida N av M", organisation and year left
    under a thin rule. `label` is None when the page number is in a memo header instead."""
    left, right, y = c.spec.margin_x, page.rect.width - c.spec.margin_x, page.rect.height - 40
    if c.spec.page_numbers == "sida":
        page.draw_line((left, y - 10), (right, y - 10), color=GREY, width=0.5)
        text = f"{c.spec.organisation} · {c.spec.year}"
        page.insert_text((left, y), text, fontsize=8, fontname=c.fontnames[False])
        if label is not None:
            page.insert_text((right - c.measure(label, 8), y), label, fontsize=8, fontname=c.fontnames[False])
        return
    page.insert_text((left, y), _title(c), fontsize=8, fontname=c.fontnames[False])
    if label is not None:
        page.insert_text((right - 12, y), label, fontsize=9)
