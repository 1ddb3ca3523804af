"""The PDFs of RAW: every entry named *.pdf, whatever it is, and its bytes read safely.

Only regular files are opened (a FIFO would block, a device or /proc file could be read for ever),
and never more than the size the file had when it was listed: a file that grows meanwhile is not
trusted, and one that vanishes is reported as such.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from kommunkompassen.errors import why

_CHUNK = 1 << 20
_KINDS = (
    (stat.S_ISDIR, "a folder, not a file"),
    (stat.S_ISFIFO, "not a regular file (a named pipe)"),
    (stat.S_ISSOCK, "not a regular file (a socket)"),
    (stat.S_ISCHR, "not a regular file (a device)"),
    (stat.S_ISBLK, "not a regular file (a device)"),
)
GONE = "the file disappeared during the run"


class Unreadable(Exception):
    """A file that cannot be read as a PDF file; the message is its reason."""


def file_name(path: Path) -> str:
    """The file name as valid Unicode: bytes that are not UTF-8 (possible in a Linux file name)
    are written as backslash escapes, e.g. b'caf\\xe9.pdf' is 'caf\\\\xe9.pdf'."""
    return os.fsencode(path.name).decode("utf-8", "backslashreplace")


def pdf_paths(raw: Path) -> list[Path]:
    """Every entry of RAW named *.pdf (any case), in name order; raises OSError when RAW cannot be read."""
    with os.scandir(raw) as entries:
        names = sorted(e.name for e in entries if Path(e.name).suffix.lower() == ".pdf")
    return [raw / name for name in names]


def regular_size(path: Path) -> int:
    """The size of a regular file (symbolic links followed); Unreadable says why anything else is not."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise Unreadable(f"a broken symbolic link (to {os.readlink(path)})") from None
        raise Unreadable(GONE) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable("a symbolic link that loops") from None
        raise _unreadable(exc) from None
    for test, reason in _KINDS:
        if test(info.st_mode):
            raise Unreadable(reason)
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("not a regular file")
    return info.st_size


def digest(path: Path, size: int) -> str:
    """SHA-256 of the file's first `size` bytes, which must be all of it (the report id)."""
    sha = hashlib.sha256()
    for chunk in _chunks(path, size):
        sha.update(chunk)
    return sha.hexdigest()


def read(path: Path, size: int) -> bytes:
    """The file's bytes, which must be exactly `size` of them."""
    return b"".join(_chunks(path, size))


def _chunks(path: Path, size: int):
    if size == 0:  # nothing to read (and /proc files say 0 while yielding endless data)
        return
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise Unreadable(GONE) from None
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Unreadable("not a regular file")
        left = size + 1  # one byte more shows a file that grew
        while left > 0:
            chunk = _read(fd, min(left, _CHUNK))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
        if left != 1:
            raise Unreadable("the file changed while it was read")
    finally:
        os.close(fd)


def _read(fd: int, n: int) -> bytes:
    try:
        return os.read(fd, n)
    except OSError as exc:
        raise _unreadable(exc) from None


def _unreadable(exc: OSError) -> Exception:
    """Too few file descriptors is the machine's fault, not the file's: it stays an OSError."""
    if exc.errno in (errno.EMFILE, errno.ENFILE):
        return exc
    return Unreadable(f"cannot read the file: {why(exc)}")
