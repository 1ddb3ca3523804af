"""The report's parts that hold data: an area's heading, score box and findings table, an overview table,
and the fact tables of older reports. Each builds rows for the shared table machinery against the current
frame, so one column or two, ruled or banded, they are written once."""

from __future__ import annotations

import random
import zlib

from reportmaker.canvas import AREA, SUBHEADING, Canvas
from reportmaker.spec import AreaSpec
from reportmaker.tables import LEADING, Cell, Row, Table, draw_table, header_row, text_lines

BOX_LEADING = 14 / 10.5  # score box lines are set a little looser than other tables
BOX_SCORE = 24 / 10.5  # the big score in a score box


def area(c: Canvas, spec: AreaSpec) -> None:
    """An area's chapter: heading (with its score in older reports), score box, text, findings."""
    c.ensure(200)
    heading = f"Område {spec.number}{c.spec.heading_separator}{spec.name}"
    if c.spec.heading_scores:
        heading += f" {spec.printed_score} poäng"
    c.heading(heading, AREA, key=f"area-{spec.number}")
    score_box(c, spec)
    c.paragraph("Allmänt", c.spec.size * SUBHEADING, bold=True)
    c.paragraph(c.spec.body_text)
    if spec.strengths or spec.improvements:
        findings(c, spec)


def score_box(c: Canvas, spec: AreaSpec) -> None:
    """'Rubriker | Poäng': the sub-areas as a bullet list beside the area's score in large type."""
    f, size = c.frame, c.spec.table_size
    score_x = f.x1 - 70
    header = header_row(
        c, [(f.x0 + 4, score_x - f.x0 - 8, "Rubriker"), (score_x + 10, f.x1 - score_x - 10, "Poäng")]
    )
    items = spec.box_items if spec.box_items is not None else [s[1] for s in spec.subareas]
    step = size * BOX_LEADING
    cells: list[Cell] = []
    dy = 0.0
    for item in items:
        cells.append(Cell(dy, f.x0 + 8, "•", size))
        for line in c.wrap(item, score_x - f.x0 - 30, size):
            cells.append(Cell(dy, f.x0 + 22, line, size))
            dy += step
    score_size = size * BOX_SCORE
    cells.append(Cell(dy / 2 - score_size * 14 / 24, score_x + 12, str(spec.printed_score), score_size, True))
    body = Row(cells, dy + 6)
    draw_table(c, Table(f, [f.x0 - 4, score_x, f.x1 + 4], header, [body], start=0, body_fills=False))


def findings(c: Canvas, spec: AreaSpec) -> None:
    """'Styrkor | Förbättringsmöjligheter': one row per item, or one row whose cells hold all items."""
    f, size = c.frame, c.spec.table_size
    xs, width = (f.x0 + 4, f.mid + 6), f.mid - f.x0 - 12
    header = header_row(c, [(xs[0], width, "Styrkor"), (xs[1], width, c.spec.improvements_header)])
    columns = (spec.strengths, spec.improvements)
    if c.spec.findings_cells:
        cells = [
            cell for x, items in zip(xs, columns, strict=True) for cell in _items_cell(c, x, width, items)
        ]
        rows = [Row(cells, max(cell.bottom for cell in cells) + 6, splittable=True)]
    else:
        rows = []
        for i in range(max(len(items) for items in columns)):
            wrapped = [c.wrap(items[i], width, size) if i < len(items) else [] for items in columns]
            cells = [
                cell for x, lines in zip(xs, wrapped, strict=True) for cell in text_lines(x, lines, size)
            ]
            rows.append(Row(cells, max(len(lines) for lines in wrapped) * size * LEADING + 6))
    draw_table(c, Table(f, [f.x0 - 4, f.mid, f.x1 + 4], header, rows))


def _items_cell(c: Canvas, x: float, width: float, items: list[str]) -> list[Cell]:
    """All items of a column as paragraphs of one cell: a marker (if any) hanging before each item, and
    more space between two items than between two lines of one."""
    size, marker = c.spec.table_size, c.spec.item_marker
    indent = c.measure(f"{marker} ", size) + 2 if marker else 0.0
    cells: list[Cell] = []
    dy = 0.0
    for item in items:
        if marker:
            cells.append(Cell(dy, x, marker, size, unicode=True))
        lines = c.wrap(item, width - indent, size)
        cells += text_lines(x + indent, lines, size, dy)
        dy += (len(lines) + c.spec.item_gap) * size * LEADING
    return cells


def overview(c: Canvas, spec: AreaSpec) -> None:
    """An area's overview table: its name (wrapped if need be, Uppnått/Max on its first line), one row per
    sub-area (numbers on the first, middle or last line of a wrapped name) and an unlabelled total row."""
    size = c.spec.table_size
    label = f"{spec.number}. {spec.name}"
    if c.spec.overview_title == "above":  # a title line over a header that names only the columns
        c.ensure(size * 6 + 60)  # the title stays with its table
        c.paragraph(f"Område {spec.number} {spec.name}", size * 1.1, bold=True)
        label = "Delområde"
    f = c.frame
    ach_x, max_x = f.x1 - min(120, 0.45 * f.width), f.x1 - min(50, 0.2 * f.width)
    name_width = ach_x - f.x0 - 30
    header = header_row(
        c,
        [
            (f.x0 + 4, name_width, label),
            (ach_x, max_x - ach_x - 10, "Uppnått"),
            (max_x, f.x1 - max_x, "Max"),
        ],
    )
    step = size * LEADING
    offset = {"first": lambda n: 0, "middle": lambda n: (n - 1) / 2, "last": lambda n: n - 1}[c.spec.numbers]
    rows = []
    for code, name, achieved, maximum in spec.subareas:
        lines = c.wrap(f"{code} {name}", name_width, size)
        num_dy = offset(len(lines)) * step
        numbers = [Cell(num_dy, ach_x + 14, str(achieved), size), Cell(num_dy, max_x + 4, str(maximum), size)]
        rows.append(Row(text_lines(f.x0 + 4, lines, size) + numbers, len(lines) * step + 3))
    total_achieved, total_max = spec.printed_total
    total = [
        Cell(0, ach_x + 14, str(total_achieved), size, True),
        Cell(0, max_x + 4, str(total_max), size, True),
    ]
    rows.append(Row(total, size * 15 / 10.5, need=size * 18 / 10.5))
    draw_table(c, Table(f, [f.x0 - 4, ach_x - 8, max_x - 8, f.x1 + 4], header, rows, after=18))


def kortfakta(c: Canvas) -> None:
    """Older reports' facts about the municipality: numeric tables (years as column headers, thousands
    with a space, decimal commas) that are not score tables. Values are fixed by the name and year."""
    spec = c.spec
    rng = random.Random(zlib.crc32(f"{spec.municipality_full} {spec.year}".encode()))
    c.heading("Kortfakta", AREA, key="kortfakta")
    c.paragraph(f"Nedan redovisas några nyckeltal för {spec.municipality_full}.")
    f, size = c.frame, spec.table_size
    cols = [f.x0 + 4, f.x0 + 0.55 * f.width, f.x0 + 0.78 * f.width]
    years = [str(spec.year - 2), str(spec.year - 1)]
    header = header_row(
        c, [(cols[0], cols[1] - cols[0] - 8, ""), *((x, 60, y) for x, y in zip(cols[1:], years, strict=True))]
    )
    population = rng.randint(2_500, 900_000)
    facts = [
        ("Invånare", population, population + rng.randint(-900, 4_000)),
        ("Andel invånare över 65 år (%)", rng.uniform(14, 30), rng.uniform(14, 30)),
        ("Nettokostnad per invånare (kr)", rng.randint(40_000, 70_000), rng.randint(40_000, 70_000)),
        ("Antal anställda", rng.randint(200, 40_000), rng.randint(200, 40_000)),
    ]
    rows = [_fact_row(cols, label, values, size) for label, *values in facts]
    edges = [f.x0 - 4, cols[1] - 8, cols[2] - 8, f.x1 + 4]
    draw_table(c, Table(f, edges, header, rows))
    single = [("Skattesats (kr)", rng.uniform(18, 24)), ("Yta (km²)", rng.randint(9, 19_000))]
    draw_table(
        c, Table(f, edges[:2] + edges[-1:], None, [_fact_row(cols, label, [v], size) for label, v in single])
    )


def _fact_row(cols: list[float], label: str, values: list[float], size: float) -> Row:
    cells = [Cell(0, cols[0], label, size)] + [
        Cell(0, x, _swedish_number(v), size) for x, v in zip(cols[1:], values, strict=False)
    ]
    return Row(cells, size * LEADING + 6)


def _swedish_number(value: float) -> str:
    """'15 234' and '21,5': a space between thousands, a decimal comma."""
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return f"{value:.1f}".replace(".", ",")
