"""One ingest at a time per dataset: an operating-system lock on a file (fcntl.flock on Unix,
msvcrt.locking on Windows). The system releases it when its holder dies, so the lock of a killed run
is simply taken over, and it is kept from worker processes (see inherit)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kommunkompassen.inherit import forget, keep_from_children


def _try_lock(fd: int) -> bool:
    """Take the lock without waiting; False when another process holds it. The system modules are
    imported here, so that importing the package needs neither (each exists on one platform)."""
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError on Unix, PermissionError (EACCES) on Windows
        return False
    return True


@contextmanager
def exclusive(path: Path) -> Iterator[bool]:
    """Hold the lock on `path` for the block; yields False (holding nothing) when it is taken.
    Raises OSError when the lock file cannot be opened."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        keep_from_children(fd)
        yield _try_lock(fd)
    finally:
        forget(fd)
        os.close(fd)  # closing the last descriptor releases the lock
