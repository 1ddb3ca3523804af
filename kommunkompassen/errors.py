"""Faults of the environment (not of a file) that stop a run, each said in one line, and the exit
statuses of the command."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager

OK, FILES_FAILED, USAGE, BUSY, FAULT, INTERRUPTED, TERMINATED = 0, 1, 2, 3, 4, 130, 143


class Fault(Exception):
    """The system refused a read or a write the run needs (permissions, a full disk, too few file
    descriptors); the message says what was being done, where, and why."""


class Terminated(BaseException):
    """SIGTERM, raised like KeyboardInterrupt so that the run cleans up on its way out."""


def why(exc: OSError) -> str:
    """The system's reason in words (pyarrow's OSErrors carry no strerror)."""
    if exc.errno in (errno.EMFILE, errno.ENFILE):
        return "too many open files (raise the limit on file descriptors, e.g. `ulimit -n 1024`)"
    if exc.errno:
        return os.strerror(exc.errno)
    return exc.strerror or str(exc)


@contextmanager
def fault(what: str) -> Iterator[None]:
    """An OSError in the block becomes a Fault: '<what>: <why>' (a closed pipe to the terminal stays
    what it is: the command handles it)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise Fault(f"{what}: {why(exc)}") from exc
