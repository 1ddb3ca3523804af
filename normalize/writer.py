"""Write the dataset so that OUT is replaced whole or not at all."""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

_RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)
_AT_FDCWD = -100


def write_dataset(tables: dict[str, pa.Table], out: Path, metadata: dict[str, str]) -> None:
    """Write every table beside OUT, then swap the new folder in with one atomic exchange."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the dataset is for everyone who may read OUT's parent
    try:
        for name, table in tables.items():
            table = table.replace_schema_metadata({**(table.schema.metadata or {}), **_encode(metadata)})
            pq.write_table(table, staging / f"{name}.parquet")
        _keep_dotfiles(out, staging)
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _encode(metadata: dict[str, str]) -> dict[bytes, bytes]:
    return {k.encode(): v.encode() for k, v in metadata.items()}


def _keep_dotfiles(out: Path, staging: Path) -> None:
    """Files such as .gitignore inside OUT are not dataset files and survive a rewrite."""
    if out.is_dir():
        for item in out.iterdir():
            if item.name.startswith(".") and item.is_file():
                shutil.copy2(item, staging / item.name)


def _swap_in(staging: Path, out: Path) -> None:
    """After this, OUT is the new folder and `staging` holds the old one (removed by the caller)."""
    if not out.exists():
        os.rename(staging, out)
        staging.mkdir()
        return
    if _renameat2 is not None:
        rc = _renameat2(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE)
        if rc == 0:
            return
    # No atomic exchange on this system: two renames, the old folder kept until the new one is in place.
    old = staging.with_name(staging.name + ".old")
    os.rename(out, old)
    os.rename(staging, out)
    os.rename(old, staging)
