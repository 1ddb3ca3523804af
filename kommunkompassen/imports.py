"""Keep a package the process will not use from being loaded behind its back."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.machinery import ModuleSpec


class _Refuse:
    """A meta-path finder that makes imports of its packages fail as if they were not installed."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name.partition(".")[0] in self.names:
            raise ImportError(f"{name} is not loaded in this process")
        return None


@contextmanager
def refused(*names: str) -> Iterator[None]:
    """Inside the block, importing one of these packages raises ImportError (one already loaded is
    left alone).

    The ingest command needs this for pandas: pyarrow imports pandas, when it can, the first time it
    turns a list into an array, only to ask whether the list is a pandas object. That costs a quarter
    of a second and 40 MiB in a process that never uses pandas. pyarrow takes the refusal as "pandas
    is not installed" until it next needs pandas outright (`to_pandas()`), so the block belongs where
    nothing after it hands pyarrow a pandas object: the ingest command.
    """
    finder = _Refuse(frozenset(n for n in names if n not in sys.modules))
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
