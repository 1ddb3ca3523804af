"""A whole report from its spec: cover, (contents), summary, (facts), the areas, the overview."""

from __future__ import annotations

from reportmaker.canvas import CHAPTER, Canvas
from reportmaker.furniture import furnish
from reportmaker.sections import area, kortfakta, overview
from reportmaker.spec import ReportSpec

SUMMARY = "1. Sammanfattning"
DETAIL = "2. Detaljerad genomgång per område"
OVERVIEW = "3. Översikt av poängfördelning"


def make_report(spec: ReportSpec) -> bytes:
    """The PDF bytes of a report laid out from `spec`."""
    c = Canvas(spec)
    _cover(c)
    if spec.toc:
        c.part = "toc"
        c.new_page()  # filled in at the end, when every heading's page is known
    c.part = "summary"
    c.new_page()
    c.heading(SUMMARY, CHAPTER, key="summary")
    c.paragraph("Utvärderingen", spec.size * 13 / 10.5, bold=True)
    c.paragraph(
        f"Utvärderingen av {spec.municipality_full} genomfördes i {spec.month} år {spec.year} "
        f"och var kommunens {spec.ordinal} utvärdering enligt Kommunkompassens kriterier. "
        f"Utvärderingsgruppen har genomfört intervjuer med ett {spec.interviewees}-tal personer "
        "i organisationen.",
    )
    names = [a.name for a in spec.areas]
    c.paragraph(f"Kommunkompassen utvärderar områdena {', '.join(names[:-1])} och {names[-1]}.")
    if spec.summary_text:
        c.paragraph(spec.summary_text)
    if spec.kortfakta:
        c.part = "kortfakta"
        c.new_page()
        kortfakta(c)
    c.part = "areas"
    c.new_page()
    c.heading(DETAIL, CHAPTER, key="detail")
    for a in spec.areas:
        area(c, a)
    c.part, c.landscape = "overview", spec.landscape_overview
    c.new_page()
    c.heading(OVERVIEW, CHAPTER, key="overview")
    for a in spec.areas:
        overview(c, a)
    c.commit()
    if spec.toc:
        _contents(c)
    furnish(c)
    data = c.doc.tobytes()
    c.doc.close()
    return data


def _cover(c: Canvas) -> None:
    """Title, subject and year; older reports set the subject in capitals with the year."""
    spec = c.spec
    c.new_page()
    x = c.frame.x0
    c.y = 250
    c.text(x, "KommunKompassen" if spec.cover_caps else "Kommunkompassen", 30, bold=True)
    c.y += 45
    if spec.cover_caps:
        c.text(x, f"ANALYS AV {spec.municipality_full.upper()} {spec.year}", 20)
        return
    c.text(x, f"Analys av {spec.municipality_full}", 20)
    c.y += 30
    c.text(x, str(spec.year), 14)


def _contents(c: Canvas) -> None:
    """The table of contents on the page kept for it: chapters, and the areas with their scores
    ("Område 1 Offentlighet och demokrati 49 poäng ........ 6"), each with its page number."""
    spec = c.spec
    entries = [(SUMMARY, "summary", 0.0)]
    if spec.kortfakta:
        entries.append(("Kortfakta", "kortfakta", 0.0))
    entries.append((DETAIL, "detail", 0.0))
    entries += [
        (f"Område {a.number} {a.name} {a.printed_score} poäng", f"area-{a.number}", 14.0) for a in spec.areas
    ]
    entries.append((OVERVIEW, "overview", 0.0))
    page = c.doc[c.parts.index("toc")]
    left, right = spec.margin_x, page.rect.width - spec.margin_x
    size, font = spec.size, c.fontnames[False]
    y = spec.margin_top + 30
    page.insert_text((left, y), "Innehållsförteckning", fontsize=size * 1.6, fontname=c.fontnames[True])
    for label, key, indent in entries:
        y += size * 2
        number = str(c.marks[key])
        end = right - c.measure(number, size)
        page.insert_text((left + indent, y), label, fontsize=size, fontname=font)
        if spec.toc_leaders:
            start = left + indent + c.measure(label, size) + 6
            dots = "." * max(int((end - 6 - start) / c.measure(".", size)), 3)
            page.insert_text((start, y), dots, fontsize=size, fontname=font)
        page.insert_text((end, y), number, fontsize=size, fontname=font)
