"""Write the dataset so that OUT is replaced whole or not at all, streaming rows as they come."""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)


class DatasetWriter:
    """Rows go into Parquet files in a staging folder beside OUT, a batch at a time, so memory stays
    flat however many reports there are; `commit()` swaps the folder in with one atomic exchange.
    Leaving the block without committing (an error, an interrupt) leaves OUT as it was."""

    def __init__(
        self, out: Path, schemas: dict[str, pa.Schema], metadata: dict[str, str], batch_rows: int = 2_000
    ):
        self.out = out.resolve()
        self.schemas = {
            name: schema.with_metadata({**(schema.metadata or {}), **_encode(metadata)})
            for name, schema in schemas.items()
        }
        self.batch_rows = batch_rows
        self.buffers: dict[str, list[dict]] = {name: [] for name in schemas}
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.staging: Path | None = None

    def __enter__(self) -> DatasetWriter:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self.staging.chmod(0o755)  # mkdtemp makes it private; the dataset is for whoever may read OUT
        self.writers = {
            name: pq.ParquetWriter(self.staging / f"{name}.parquet", schema)
            for name, schema in self.schemas.items()
        }
        return self

    def add(self, name: str, rows: list[dict]) -> None:
        buffer = self.buffers[name]
        buffer.extend(rows)
        if len(buffer) >= self.batch_rows:
            self._flush(name)

    def _flush(self, name: str) -> None:
        if self.buffers[name]:
            self.writers[name].write_table(
                pa.Table.from_pylist(self.buffers[name], schema=self.schemas[name])
            )
            self.buffers[name] = []

    def commit(self) -> None:
        for name in self.writers:
            self._flush(name)
        self._close()
        _keep_dotfiles(self.out, self.staging)
        _swap_in(self.staging, self.out)

    def _close(self) -> None:
        for writer in self.writers.values():
            writer.close()
        self.writers = {}

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._close()
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)  # after commit() it holds the old dataset


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
