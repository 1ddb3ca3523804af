"""The dataset's tables: Arrow schemas whose fields carry a description (the data dictionary)."""

from __future__ import annotations

import json

import pyarrow as pa

from normalize.tables import RUN_KEY, TABLES, TAXONOMY_KEY, VERSION_KEY, WRITTEN_KEY

__all__ = [
    "FILE_METADATA",
    "RUN_KEY",
    "SCHEMAS",
    "TAXONOMY_KEY",
    "VERSION_KEY",
    "WRITTEN_KEY",
    "field_values",
]


def _f(
    name: str,
    type_: pa.DataType,
    description: str,
    nullable: bool = True,
    values: tuple[str, ...] = (),
) -> pa.Field:
    """A field with its description and, for a closed vocabulary, its values (in their natural order)."""
    metadata = {"description": description}
    if values:
        metadata["values"] = json.dumps(values, ensure_ascii=False)
    return pa.field(name, type_, nullable=nullable, metadata=metadata)


def _table(one_row_per: str, fields: list[pa.Field]) -> pa.Schema:
    return pa.schema(fields, metadata={"description": f"One row per {one_row_per}."})


def field_values(field: pa.Field) -> list[str] | None:
    """The closed vocabulary of a field, or None when its values are open."""
    raw = (field.metadata or {}).get(b"values")
    return json.loads(raw) if raw else None


_REPORT_ID = "SHA-256 (hex) of the PDF's bytes: the same file always has the same id."
_AREA = "Area number (Område N) as printed."

SCHEMAS: dict[str, pa.Schema] = {
    "reports": _table(
        "report (PDF that was ingested)",
        [
            _f("report_id", pa.string(), _REPORT_ID, nullable=False),
            _f("source_file", pa.string(), "File name of the PDF in the raw folder.", nullable=False),
            _f("title", pa.string(), "Report title, e.g. 'Kommunkompassen Analys av Nacka kommun'."),
            _f("municipality", pa.string(), "Municipality name without 'kommun'/'stad' or genitive -s."),
            _f(
                "municipality_full",
                pa.string(),
                "Municipality as printed in the title, e.g. 'Nynäshamns kommun' or 'GRÄSTORPS KOMMUN'.",
            ),
            _f(
                "municipality_name",
                pa.string(),
                "municipality_full in ordinary case, as the register writes the name: 'Grästorps kommun' "
                "for 'GRÄSTORPS KOMMUN'; as printed when it is not in capitals.",
            ),
            _f("kommunkod", pa.string(), "Four-digit SCB municipality code; null when the name is unknown."),
            _f("county", pa.string(), "County (län) of the municipality; null when the name is unknown."),
            _f(
                "lanskod",
                pa.string(),
                "Two-digit SCB county code (länskod, the first two digits of the kommunkod), to join "
                "county statistics; null when the name is unknown.",
            ),
            _f("year", pa.int32(), "Evaluation year."),
            _f("month", pa.int32(), "Evaluation month (1-12), when the report says."),
            _f("evaluation_ordinal", pa.int32(), "Which evaluation of this municipality ('tredje' = 3)."),
            _f(
                "previous_evaluation_year",
                pa.int32(),
                "Year of the previous evaluation, when the report says.",
            ),
            _f("interviewees", pa.int32(), "Number of people interviewed ('ett 40-tal' = 40)."),
            _f("pages", pa.int32(), "Number of pages in the PDF.", nullable=False),
            _f("total_achieved", pa.int32(), "Sum of the area totals as printed in the overview tables."),
            _f("total_max", pa.int32(), "Sum of the area maxima as printed in the overview tables."),
            _f(
                "framework_revision",
                pa.string(),
                "Kommunkompassen revision the report follows: '2010' (2010-2015), '2016' (2016-2019: areas "
                "2, 6 and 7 renamed) or '2020' (since 2019/2020), detected from its area names (the year "
                "decides where only names the revisions share are printed); null when not recognised.",
            ),
        ],
    ),
    "scores": _table(
        "area or sub-area score as printed in the overview tables",
        [
            _f("report_id", pa.string(), _REPORT_ID, nullable=False),
            _f(
                "level",
                pa.string(),
                "Whether the row is an area total or a sub-area.",
                nullable=False,
                values=("area", "subarea"),
            ),
            _f("area_number", pa.int32(), _AREA, nullable=False),
            _f("code", pa.string(), "'3' for an area, '3.2' for a sub-area.", nullable=False),
            _f("name", pa.string(), "Name as printed in the overview table, wrapped lines joined."),
            _f("achieved", pa.int32(), "Points achieved, as printed."),
            _f("max", pa.int32(), "Maximum points, as printed."),
            _f("page", pa.int32(), "1-based page where the value is printed.", nullable=False),
            _f("framework_revision", pa.string(), "Revision of the report ('2010', '2016' or '2020')."),
            _f(
                "canonical_area",
                pa.string(),
                "Canonical area id, e.g. '2020-3' (normalize/data/areas.csv); null "
                "when the printed name is not recognised.",
            ),
            _f(
                "canonical_subarea",
                pa.string(),
                "Canonical sub-area id, e.g. '2020-4.jamforelser' "
                "(normalize/data/subareas.csv); null for areas and unrecognised names.",
            ),
            _f(
                "share",
                pa.float64(),
                "achieved / max: the way to compare across sub-area and revision changes.",
            ),
        ],
    ),
    "checks": _table(
        "disagreement or gap found in a report",
        [
            _f("report_id", pa.string(), _REPORT_ID, nullable=False),
            _f("area_number", pa.int32(), "Area the check concerns; null for the whole report."),
            _f(
                "severity",
                pa.string(),
                "'error' (the report contradicts itself) or 'warning'.",
                nullable=False,
                values=("warning", "error"),
            ),
            _f(
                "code",
                pa.string(),
                "Stable identifier of the check, e.g. 'subarea-sum' (every code: Check codes, below).",
                nullable=False,
            ),
            _f("message", pa.string(), "What was found, in a sentence.", nullable=False),
        ],
    ),
    "findings": _table(
        "strength or improvement suggestion, in the order printed",
        [
            _f("report_id", pa.string(), _REPORT_ID, nullable=False),
            _f("area_number", pa.int32(), _AREA, nullable=False),
            _f(
                "kind",
                pa.string(),
                "'strength' (Styrkor) or 'improvement' (Förbättringsmöjligheter).",
                nullable=False,
                values=("strength", "improvement"),
            ),
            _f("position", pa.int32(), "1-based order within the area and kind, as printed.", nullable=False),
            _f("text", pa.string(), "The item, wrapped lines joined.", nullable=False),
            _f("page", pa.int32(), "1-based page where the item is printed.", nullable=False),
        ],
    ),
    "sections": _table(
        "heading with the text under it",
        [
            _f("report_id", pa.string(), _REPORT_ID, nullable=False),
            _f(
                "level",
                pa.int32(),
                "1 = chapter, 2 = area (Område N) or a heading of that rank, 3 = a heading "
                "inside it such as 'Allmänt' or a sub-area.",
                nullable=False,
            ),
            _f("heading", pa.string(), "The heading as printed, wrapped lines joined.", nullable=False),
            _f("area_number", pa.int32(), "Area the section belongs to; null outside the areas."),
            _f("page_start", pa.int32(), "1-based page of the heading.", nullable=False),
            _f("page_end", pa.int32(), "1-based page where the section's text ends.", nullable=False),
            _f(
                "text",
                pa.string(),
                "The body: paragraphs separated by a blank line, no tables, headers or footers.",
                nullable=False,
            ),
        ],
    ),
    "files": _table(
        "PDF file in the raw folder, whatever became of it",
        [
            _f("source_file", pa.string(), "File name in the raw folder.", nullable=False),
            _f("report_id", pa.string(), "Report id when the file could be hashed and parsed."),
            _f(
                "status",
                pa.string(),
                "What became of the file.",
                nullable=False,
                values=("ingested", "skipped", "failed"),
            ),
            _f("reason", pa.string(), "Why a file was skipped or failed."),
        ],
    ),
    "areas": _table(
        "area of a framework revision (the taxonomy, normalize/data/areas.csv), to name and join "
        "`scores.canonical_area` with only the dataset at hand",
        [
            _f("canonical_area", pa.string(), "Canonical area id, '<revision>-<number>'.", nullable=False),
            _f("framework_revision", pa.string(), "Revision the area belongs to.", nullable=False),
            _f("area_number", pa.int32(), "Area number (Område N) in that revision.", nullable=False),
            _f("name", pa.string(), "The area's name in that revision.", nullable=False),
        ],
    ),
    "subareas": _table(
        "sub-area concept (normalize/data/subareas.csv), named by what it measures because the "
        "numbering drifted within a revision; joins `scores.canonical_subarea`",
        [
            _f(
                "canonical_subarea",
                pa.string(),
                "Canonical sub-area id, '<area id>.<concept>'.",
                nullable=False,
            ),
            _f("canonical_area", pa.string(), "The area it belongs to.", nullable=False),
            _f("name", pa.string(), "Its canonical name.", nullable=False),
            _f("note", pa.string(), "How it moved or changed within the revision; null when it did not."),
        ],
    ),
    "crosswalk": _table(
        "pair of areas of an older and a newer revision that compare (normalize/data/crosswalk.csv); "
        "a pair not listed does not compare. Compare such areas by `share`, never by summed points",
        [
            _f("from_area", pa.string(), "Canonical area id in the older revision.", nullable=False),
            _f("to_area", pa.string(), "Canonical area id in the newer revision.", nullable=False),
            _f(
                "comparability",
                pa.string(),
                "How far the two measure the same thing.",
                nullable=False,
                values=("same", "partial"),
            ),
            _f("note", pa.string(), "What the newer area adds or leaves out."),
        ],
    ),
}

assert tuple(SCHEMAS) == TABLES, "normalize.tables names the same tables in the same order"

FILE_METADATA: dict[str, str] = {
    VERSION_KEY: "Version of the kommunkompassen package that wrote the file.",
    TAXONOMY_KEY: "Version (content hash) of the taxonomy in normalize/data used to normalize the rows.",
    WRITTEN_KEY: "When the dataset was written: UTC, ISO 8601, to the second.",
    RUN_KEY: "Id of the ingest run that wrote the file: the same in every table of a dataset "
    "(a reader that finds two ids caught a run publishing its tables and reads again).",
}
