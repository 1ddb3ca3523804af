"""The dataset's tables by name and the keys of their file metadata, without the Arrow schemas
(normalize.schema): what the workers and the output folder's bookkeeping need, so that neither
loads Arrow."""

from __future__ import annotations

REPORT_TABLES = ("reports", "scores", "checks", "findings", "sections", "files")
TAXONOMY_TABLES = ("areas", "subareas", "crosswalk")  # written from normalize/data, not from reports
TABLES = REPORT_TABLES + TAXONOMY_TABLES

VERSION_KEY = "kommunkompassen.version"
TAXONOMY_KEY = "kommunkompassen.taxonomy_version"
WRITTEN_KEY = "kommunkompassen.written_at"
RUN_KEY = "kommunkompassen.run_id"


def empty_tables() -> dict[str, list[dict]]:
    """One empty row list per table of report rows, in the dataset's order."""
    return {name: [] for name in REPORT_TABLES}
