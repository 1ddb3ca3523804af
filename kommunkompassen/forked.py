"""Work done in a forked copy of this process while this one goes on: how a worker that has a core
to itself and the next one idle (an ingest of fewer files than half the jobs) has the last pages of
its file read there. Only where workers are forked (Linux); the copy shares what the worker has
loaded, so it starts in a few milliseconds. It is an accelerator only: when it cannot start, fails
or dies, the caller gets None and does the work itself (one that hangs holds the caller as the work
itself would have, until the file's time limit stops both)."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import NoReturn, TypeVar

from kommunkompassen.isolation import die_with, start_method

T = TypeVar("T")


def available() -> bool:
    """Whether this process may fork a copy of itself (see isolation.start_method)."""
    return hasattr(os, "fork") and start_method() == "fork"


def elsewhere(work: Callable[[], T]) -> Callable[[], T | None]:
    """Start `work` in a forked copy of this process; the function returned waits for its value,
    or gives None when the copy could not start, failed or died."""
    try:
        reading, writing = os.pipe()
    except OSError:
        return _nothing
    parent = os.getpid()
    try:
        child = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return _nothing
    if child == 0:
        _serve(work, reading, writing, parent)
    os.close(writing)
    return partial(_collect, child, reading)


def _nothing() -> None:
    return None


def _serve(work: Callable[[], object], reading: int, writing: int, parent: int) -> NoReturn:
    """In the copy: the work's value pickled into the pipe, then out without running anything the
    process it was copied from would run at its end (exit handlers, open files' buffers)."""
    status = 1
    try:
        os.close(reading)
        die_with(parent)
        payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with open(writing, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:
        os._exit(status)


def _collect(child: int, reading: int) -> object | None:
    """The copy's value, once it has ended; None unless it ended well."""
    with open(reading, "rb") as pipe:
        payload = pipe.read()
    with suppress(ChildProcessError):
        _, status = os.waitpid(child, 0)
        if os.waitstatus_to_exitcode(status) == 0 and payload:
            return pickle.loads(payload)
    return None
