"""kommunkompassen: Kommunkompassen report PDFs to an analysis-ready Parquet dataset."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kommunkompassen")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
