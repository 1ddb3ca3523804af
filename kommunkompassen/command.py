"""The command in a process of its own: the `kommunkompassen` script and `python -m kommunkompassen`.

Light on purpose: an ingest's first worker is started here, as soon as the arguments are read and
before the command loads its own modules (0.06 s), which the worker's start and its import of the
parsers (0.2 s) then overlap."""

from __future__ import annotations

import argparse
import gc
import sys
from contextlib import suppress
from typing import TYPE_CHECKING

from kommunkompassen.arguments import parser
from kommunkompassen.errors import INTERRUPTED, Fault
from kommunkompassen.parse_pool import parse_workers

if TYPE_CHECKING:
    from kommunkompassen.isolation import Workers


def run() -> int:
    """The command, its exit status returned. At the end its objects are frozen out of the garbage
    collector, whose collections during the interpreter's finalization would otherwise traverse them
    all: two thirds of the teardown after an ingest (0.05 -> 0.02 s). Every file the command wrote is
    closed by then; the standard streams are flushed as ever, and the memory goes back to the system
    with the process."""
    try:
        status = _started(parser().parse_args(sys.argv[1:]))
    except KeyboardInterrupt:  # before the command took over, which says so itself from then on
        print("error: interrupted", file=sys.stderr)
        return INTERRUPTED
    gc.freeze()
    return status


def _started(args: argparse.Namespace) -> int:
    """The command of `args`, an ingest's first worker started before the command is loaded."""
    if args.command != "ingest":
        return _command(args)
    with parse_workers(args.jobs, args.timeout) as workers:
        with suppress(Fault):  # the command starts it again, and says why it cannot (see cli._run)
            workers.start(1)
        return _command(args, workers)


def _command(args: argparse.Namespace, workers: Workers | None = None) -> int:
    from kommunkompassen.cli import dispatch  # after the worker's start: see the module's docstring

    return dispatch(args, alone=True, workers=workers)


if __name__ == "__main__":
    sys.exit(run())
