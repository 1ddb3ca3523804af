"""Files and folders for the user (charts, exports) written under a temporary name and moved into
place when complete, so a failed write or Ctrl-C never leaves half of one behind. Temporary names are
short (a destination's own name may be as long as the system allows) and start with a dot."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

_PREFIX = ".kk-"


def write_file(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call `write` with a temporary file in the destination's folder, then replace `path` with it."""
    _make_parent(path)
    fd, tmp = tempfile.mkstemp(prefix=_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w+b") as fh:  # readable too: an export reads back what it wrote
            write(fh)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; the result is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_folder(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write` with a temporary folder inside `path` (made when missing), then move what it wrote
    into `path` in place of what `path` held (the caller has checked that may be replaced). The folder
    itself stays, with its permissions: it may be the current folder or a mount point, which no
    rename can replace."""
    _make_parent(path)
    made = not path.exists()
    if made:
        path.mkdir()
    try:
        stage = Path(tempfile.mkdtemp(prefix=_PREFIX, suffix=".tmp", dir=path))
        try:
            write(stage)
            _move_in(stage, path)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    except BaseException:
        if made:
            path.rmdir()
        raise


def _move_in(stage: Path, folder: Path) -> None:
    """Move the entries of `folder` aside, then those of `stage` in, and remove the old ones; when a
    move fails (or is interrupted) the new ones are taken out and the old ones put back."""
    aside = Path(tempfile.mkdtemp(prefix=_PREFIX, suffix=".old", dir=folder))
    old = [entry for entry in folder.iterdir() if entry not in (stage, aside)]
    new = sorted(stage.iterdir())
    try:
        for entry in old:
            os.replace(entry, aside / entry.name)
        for entry in new:
            os.replace(entry, folder / entry.name)
    except BaseException:
        for entry in new:
            if not os.path.lexists(entry):  # it was moved in
                (folder / entry.name).unlink(missing_ok=True)
        for entry in aside.iterdir():
            os.replace(entry, folder / entry.name)
        raise
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def _make_parent(path: Path) -> None:
    """Make the destination's folder, or say which part of its path is not a folder (where mkdir
    would say 'File exists')."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        file = next((p for p in (path.parent, *path.parent.parents) if p.exists() and not p.is_dir()), None)
        if file is None:
            raise
        raise NotADirectoryError(None, f"{file} is not a folder") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
