"""Results cached by the PDF's content hash, so that re-running on an unchanged folder parses nothing.

An entry is valid only for the exact code and data files that made it (a fingerprint of the
extract/, parsers/ and normalize/ sources), so an improved parser never serves stale results.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

import extract
import normalize
import parsers

_STAGES = (extract, parsers, normalize)


@cache
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    for package in _STAGES:
        root = Path(package.__file__).parent
        for path in sorted(p for p in root.rglob("*") if p.suffix in {".py", ".csv"}):
            digest.update(path.relative_to(root.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class ResultCache:
    """One JSON file per report id in `folder`; entries unused by a run are pruned after it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fingerprint = code_fingerprint()
        self.used: set[str] = set()

    def _path(self, report_id: str) -> Path:
        return self.folder / f"{report_id}.json"

    def get(self, report_id: str) -> dict | None:
        """The stored result, or None when absent, unreadable or made by other code."""
        self.used.add(report_id)
        try:
            entry = json.loads(self._path(report_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return entry["result"] if entry.get("fingerprint") == self.fingerprint else None

    def put(self, report_id: str, result: dict) -> None:
        self.used.add(report_id)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self._path(report_id).with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"fingerprint": self.fingerprint, "result": result}), encoding="utf-8")
        os.replace(tmp, self._path(report_id))

    def prune(self) -> None:
        """Drop entries for files no longer in RAW, so the cache mirrors the folder like the dataset."""
        if self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)
