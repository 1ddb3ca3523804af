"""Write the dataset's tables as streamed Parquet files and publish them into OUT file by file.

The tables are written into a staging folder inside OUT (a dot folder, so `OUT/*.parquet` never sees
them) and each is then moved over its old version with `os.replace`, which is atomic per file and works
where OUT itself cannot be renamed (a mount point such as a Docker volume). Every table carries the
run's id in its metadata, so a reader can tell when it caught the publish half-way (see api.load).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq


class DatasetWriter:
    """Rows go into Parquet files in `staging`, a batch at a time, so memory stays flat however many
    reports there are; `commit()` moves them into OUT. Leaving the block without committing (an
    error, an interrupt) leaves OUT as it was and removes the staging folder."""

    def __init__(
        self,
        out: Path,
        staging: Path,
        schemas: dict[str, pa.Schema],
        metadata: dict[str, str],
        batch_rows: int = 2_000,
    ):
        self.out = out
        self.staging = staging
        self.schemas = {
            name: schema.with_metadata({**(schema.metadata or {}), **_encode(metadata)})
            for name, schema in schemas.items()
        }
        self.batch_rows = batch_rows
        self.buffers: dict[str, list[dict]] = {name: [] for name in schemas}
        self.writers: dict[str, pq.ParquetWriter] = {}

    def __enter__(self) -> DatasetWriter:
        self.staging.mkdir(parents=True)
        try:
            for name, schema in self.schemas.items():
                self.writers[name] = pq.ParquetWriter(self.staging / f"{name}.parquet", schema)
        except BaseException as exc:  # e.g. too few file descriptors: leave no staging behind
            self.__exit__(type(exc), exc, exc.__traceback__)
            raise
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
        for name in self.schemas:
            _publish(self.staging / f"{name}.parquet", self.out / f"{name}.parquet")

    def _close(self) -> None:
        """Close every writer even when one fails (a full disk), then raise the first failure."""
        writers, self.writers = self.writers, {}
        failures: list[OSError] = []
        for writer in writers.values():
            try:
                writer.close()
            except OSError as exc:
                writer.is_open = False  # its finalizer would try again and print a traceback
                failures.append(exc)
        if failures:
            raise failures[0]

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self._close()
        except OSError:
            if exc_type is None:
                raise  # otherwise the error that ended the block is the one to report
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)


def _encode(metadata: dict[str, str]) -> dict[bytes, bytes]:
    return {k.encode(): v.encode() for k, v in metadata.items()}


def _publish(staged: Path, target: Path) -> None:
    """One table into OUT, replacing its old version atomically (readers see the old or the new)."""
    staged.replace(target)
