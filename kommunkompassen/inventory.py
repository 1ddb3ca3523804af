"""The files of RAW as the dataset names them."""

from __future__ import annotations

import os
from pathlib import Path


def file_name(path: Path) -> str:
    """The file name as valid Unicode: bytes that are not UTF-8 (possible in a Linux file name)
    are written as backslash escapes, e.g. b'caf\\xe9.pdf' is 'caf\\\\xe9.pdf'."""
    return os.fsencode(path.name).decode("utf-8", "backslashreplace")
