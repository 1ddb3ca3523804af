"""kommunkompassen: Kommunkompassen report PDFs to an analysis-ready Parquet dataset.

`kommunkompassen.load("data/parquet")` gives the dataset as pandas DataFrames (see `kommunkompassen.api`).
"""

from typing import TYPE_CHECKING

# The one place the version is written (pyproject.toml reads it from here): looking it up in the
# installed metadata would load importlib.metadata, a tenth of the import time of the ingest.
__version__ = "0.1.0"

if TYPE_CHECKING:
    from kommunkompassen.api import Dataset, load

__all__ = ["Dataset", "__version__", "load"]


def __getattr__(name: str) -> object:
    """Import pandas only when the analyst API is used, so ingest workers start without it."""
    if name in ("Dataset", "load"):
        from kommunkompassen import api

        return getattr(api, name)
    raise AttributeError(f"module 'kommunkompassen' has no attribute {name!r}")
