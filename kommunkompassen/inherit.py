"""Descriptors that only the parent may hold: the dataset lock and the parent's ends of the worker
pipes. A forked worker gets copies of every descriptor; if it kept the lock, the lock would outlive a
killed parent, and if it kept the parent's pipe ends, no worker would see end-of-file when the parent
dies. Right after a fork, the child points its copies at /dev/null (the numbers stay taken, so the
parent's objects the child inherited can never close an unrelated file). The parent opens /dev/null
once, beforehand: a child forked when every descriptor is in use could not open it."""

from __future__ import annotations

import os

_PARENT_ONLY: set[int] = set()
_devnull: int | None = None


def keep_from_children(fd: int) -> None:
    """Raises OSError when /dev/null cannot be opened (no descriptor left)."""
    global _devnull
    if _devnull is None:
        _devnull = os.open(os.devnull, os.O_RDONLY)
    _PARENT_ONLY.add(fd)


def forget(fd: int) -> None:
    _PARENT_ONLY.discard(fd)


def _drop_in_child() -> None:
    if not _PARENT_ONLY or _devnull is None:
        return
    for fd in _PARENT_ONLY:
        os.dup2(_devnull, fd, inheritable=False)
    _PARENT_ONLY.clear()


if hasattr(os, "register_at_fork"):  # not on Windows, where there is no fork and nothing to drop
    os.register_at_fork(after_in_child=_drop_in_child)
