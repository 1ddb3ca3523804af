"""Results cached by the PDF's content hash, so that re-running on an unchanged folder parses nothing.

An entry is valid only for the exact code and data files that made it (a fingerprint of the
extract/, parsers/ and normalize/ sources and of the modules a worker runs them with), so an improved
parser never serves stale results.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

# Everything that shapes a result: the three stages, and the modules of this package a worker runs.
_STAGES = ("extract", "parsers", "normalize")
_WORKER = ("kommunkompassen.parsing", "kommunkompassen.mupdf", "kommunkompassen.results")


@cache
def code_fingerprint() -> str:
    """Found without importing the stages: the ingest process itself never loads the PDF library."""
    digest = hashlib.sha256()
    for name, path in _code_files():
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _code_files() -> list[tuple[str, Path]]:
    """Every source and data file that shapes a result, named, in a fixed order."""
    files = []
    for name in _STAGES:
        spec = find_spec(name)
        assert spec is not None and spec.submodule_search_locations, name
        root = Path(next(iter(spec.submodule_search_locations)))
        found = sorted(p for p in root.rglob("*") if p.suffix in {".py", ".csv"})
        files += [(p.relative_to(root.parent).as_posix(), p) for p in found]
    for name in _WORKER:
        spec = find_spec(name)
        assert spec is not None and spec.origin, name
        files.append((name, Path(spec.origin)))
    return files


@dataclass(frozen=True, slots=True)
class CacheWriter:
    """Where results are stored and for which code: all a worker needs to store the result it made,
    so that the ingest process spends its time on writing tables only."""

    folder: Path
    fingerprint: str

    def path(self, report_id: str) -> Path:
        return self.folder / f"{report_id}.json"

    def put(self, report_id: str, result: dict) -> None:
        """Store a result; a failure (a full disk) costs the entry, never the run, and leaves no
        temporary file behind."""
        entry = {
            "key": report_id,
            "fingerprint": self.fingerprint,
            "checksum": _checksum(result),
            "result": result,
        }
        tmp = self.path(report_id).with_suffix(f".{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(entry), encoding="utf-8")
            os.replace(tmp, self.path(report_id))
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


class ResultCache:
    """One JSON file per report id in `folder`; entries unused by a run are pruned after it.

    An entry names its key and carries a checksum of its result, so an edited, truncated or swapped
    entry is never served: it is parsed again and rewritten (by the worker that parsed it, through
    `writer`). With `read=False` (--no-cache) nothing is served and every entry is rebuilt."""

    def __init__(self, folder: Path, read: bool = True) -> None:
        self.read = read
        self.writer = CacheWriter(folder, code_fingerprint())
        self.used: set[str] = set()

    def get(self, report_id: str) -> dict | None:
        """The stored result, or None when absent, unreadable, altered or made by other code; either
        way the entry is one this run uses (and keeps)."""
        self.used.add(report_id)
        if not self.read:
            return None
        try:
            entry = json.loads(self.writer.path(report_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or not isinstance(entry.get("result"), dict):
            return None
        expected = (report_id, self.writer.fingerprint, _checksum(entry["result"]))
        if (entry.get("key"), entry.get("fingerprint"), entry.get("checksum")) != expected:
            return None
        return entry["result"]

    def prune(self) -> None:
        """Drop entries for files no longer in RAW, so the cache mirrors the folder like the dataset,
        and temporary files of runs that died while writing one."""
        folder = self.writer.folder
        if folder.is_dir():
            for path in [*folder.glob("*.json"), *folder.glob("*.tmp")]:
                if path.suffix == ".tmp" or path.stem not in self.used:
                    path.unlink(missing_ok=True)


def _checksum(result: dict) -> str:
    return hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()
