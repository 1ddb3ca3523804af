"""What became of one file: the value that travels from a worker to the ingest (and into the cache)."""

from __future__ import annotations

from dataclasses import dataclass, field

INGESTED, SKIPPED, FAILED = "ingested", "skipped", "failed"


@dataclass(frozen=True, slots=True)
class FileResult:
    source_file: str
    report_id: str | None
    status: str
    reason: str | None
    tables: dict[str, list[dict]] = field(default_factory=dict)
    partial: dict[str, list[dict]] = field(default_factory=dict)  # what a failed report showed; never written

    def as_dict(self) -> dict:
        """The result as plain JSON-ready values (the rows are shared, not copied: a result is never
        changed in place)."""
        return {
            "source_file": self.source_file,
            "report_id": self.report_id,
            "status": self.status,
            "reason": self.reason,
            "tables": self.tables,
            "partial": self.partial,
        }
