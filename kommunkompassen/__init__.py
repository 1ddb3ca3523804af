"""kommunkompassen: Kommunkompassen report PDFs to an analysis-ready Parquet dataset.

`kommunkompassen.load("data/parquet")` gives the dataset as pandas DataFrames (see `kommunkompassen.api`).
"""

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

try:
    __version__ = version("kommunkompassen")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

if TYPE_CHECKING:
    from kommunkompassen.api import Dataset, load

__all__ = ["Dataset", "__version__", "load"]


def __getattr__(name: str) -> object:
    """Import pandas only when the analyst API is used, so ingest workers start without it."""
    if name in ("Dataset", "load"):
        from kommunkompassen import api

        return getattr(api, name)
    raise AttributeError(f"module 'kommunkompassen' has no attribute {name!r}")
