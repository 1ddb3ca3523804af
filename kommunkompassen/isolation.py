"""Run each file's work in worker processes, so that a file that hangs, exhausts memory or crashes
the PDF library costs only itself: its worker is stopped (after a time limit) and replaced, and the
file is reported. Workers live across files, so isolation costs a pickle per file, not a process."""

from __future__ import annotations

import ctypes
import faulthandler
import gc
import importlib
import multiprocessing as mp
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from kommunkompassen.errors import fault
from kommunkompassen.inherit import forget, keep_from_children

try:
    import resource
except ImportError:  # Windows: no address-space limit
    resource = None  # type: ignore[assignment]

START_METHOD_ENV = "KOMMUNKOMPASSEN_START_METHOD"
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one task: `value` when it finished, else why it did not."""

    value: Any = None
    problem: str | None = None


def _serve(
    conn: Connection, fn: Callable[..., Any], memory: int | None, parent: int, warm: str | None
) -> None:
    """A worker: answer tasks until the parent closes the pipe (or dies); leave after running out
    of memory."""
    die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: end without a word
    faulthandler.disable()  # a crash is reported as the task's outcome, not as a traceback dump
    if warm:
        _import(warm)
    gc.freeze()  # what it has now lives as long as it does: the collections in its tasks skip it
    if memory:
        _limit_memory(memory)
    while True:
        try:
            args = conn.recv()
        except EOFError:
            return
        try:
            conn.send(Outcome(value=fn(*args)))
        except MemoryError:
            conn.send(Outcome(problem=f"ran out of memory (more than {memory // 2**20} MiB)"))
            return
        except Exception as exc:  # a bug in the task: its outcome, not a traceback on the terminal
            conn.send(Outcome(problem=f"internal error: {exc!r}"))
            return


def _import(module: str) -> None:
    """Import what the tasks will need before the first one arrives, while the parent is still
    busy. A module that fails to import is left to the task that needs it, whose outcome says why."""
    with suppress(Exception):
        importlib.import_module(module)


def die_with(parent: int) -> None:
    """On Linux the kernel kills this process (a worker, or a worker's copy) when `parent` dies, even
    by kill -9 (elsewhere a worker leaves at end-of-file on its pipe, after the task at hand)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _limit_memory(memory: int) -> None:
    """Cap the address space where the system can (Linux; not on Windows or macOS)."""
    base = _address_space()
    if resource is None or base is None:
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (base + memory, resource.RLIM_INFINITY))
    except (ValueError, OSError):  # a system that does not enforce RLIMIT_AS refuses it
        return


def _address_space() -> int | None:
    """The process's current virtual size, so that the limit counts only what a task adds;
    None where /proc is missing."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def start_method() -> str:
    """fork on Linux (fast, and workers share the parent's imports); spawn elsewhere, where fork is
    missing or unsafe. The environment variable forces one (the tests run the spawn path on Linux)."""
    forced = os.environ.get(START_METHOD_ENV)
    if forced:
        return forced
    return "fork" if sys.platform.startswith("linux") else "spawn"


class _Worker:
    def __init__(
        self, ctx: mp.context.BaseContext, fn: Callable[..., Any], memory: int | None, warm: str | None
    ) -> None:
        with fault("cannot start a worker process"):
            self.conn, child = ctx.Pipe()
        keep_from_children(self.conn.fileno())
        target_args = (child, fn, memory, os.getpid(), warm)
        self.process = ctx.Process(target=_serve, args=target_args, daemon=True)
        try:
            with fault("cannot start a worker process"):
                self.process.start()
        except BaseException:  # e.g. out of file descriptors: leave nothing open behind
            forget(self.conn.fileno())
            self.conn.close()
            raise
        finally:
            child.close()
        self.index = -1
        self.started = 0.0

    def submit(self, index: int, args: tuple) -> None:
        self.index, self.started = index, time.monotonic()
        self.conn.send(args)

    def collect(self) -> Outcome:
        try:
            return self.conn.recv()
        except EOFError:  # the worker died without answering
            self.process.join()
            return Outcome(problem=f"the PDF reader crashed (exit status {self.process.exitcode})")

    def stop(self) -> None:
        forget(self.conn.fileno())
        self.conn.close()
        self.process.kill()
        self.process.join()


class Workers:
    """Up to `jobs` worker processes running `fn`, each task limited in time; stopped on leaving the
    block, whatever happened in it. Each worker imports the module `warm` as soon as it starts."""

    def __init__(
        self,
        fn: Callable[..., Any],
        jobs: int,
        seconds: float,
        memory: int | None,
        warm: str | None = None,
    ) -> None:
        self.ctx = mp.get_context(start_method())
        self.fn, self.jobs, self.seconds, self.memory, self.warm = fn, jobs, seconds, memory, warm
        self.idle: list[_Worker] = []
        self.busy: dict[Connection, _Worker] = {}
        self.leaving: list[_Worker] = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_exc: object) -> None:
        for worker in [*self.idle, *self.busy.values(), *self.leaving]:
            worker.stop()
        self.idle, self.busy, self.leaving = [], {}, []

    def start(self, count: int) -> None:
        """Start up to `count` workers (never more than `jobs`) before there are tasks for them, so
        that their start and `warm` import overlap the caller's own preparations."""
        while len(self.idle) + len(self.busy) < min(count, self.jobs):
            self.idle.append(self._new())

    def _new(self) -> _Worker:
        return _Worker(self.ctx, self.fn, self.memory, self.warm)

    def map(self, tasks: list[tuple]) -> Iterator[Outcome]:
        """fn(*task) for every task, in task order. The first tasks are handed out at once, so that
        the caller's own work (loading what it needs for the results) overlaps theirs."""
        pending = deque(enumerate(tasks))
        self._fill(pending)
        return self._outcomes(pending)

    def _fill(self, pending: deque[tuple[int, tuple]]) -> None:
        """Hand out tasks while workers are free; once none is left, let the idle workers go."""
        while pending and len(self.busy) < self.jobs:
            worker = self.idle.pop() if self.idle else self._new()
            worker.submit(*pending.popleft())
            self.busy[worker.conn] = worker
        if not pending:
            self._let_go()

    def _let_go(self) -> None:
        """Kill the idle workers now, reaped on leaving the block: the system frees their memory
        while the caller handles the last results, and a worker started for files that turned out
        to be cached stops taking a core from it."""
        for worker in self.idle:
            worker.process.kill()
        self.leaving += self.idle
        self.idle = []

    def _outcomes(self, pending: deque[tuple[int, tuple]]) -> Iterator[Outcome]:
        done: dict[int, Outcome] = {}
        next_out = 0
        while self.busy:
            deadline = min(w.started for w in self.busy.values()) + self.seconds
            for conn in wait(list(self.busy), timeout=max(0.0, deadline - time.monotonic())):
                worker = self.busy.pop(conn)
                done[worker.index] = outcome = worker.collect()
                if outcome.problem is None:
                    self.idle.append(worker)
                else:  # crashed or out of memory: its state is not to be trusted
                    worker.stop()
            now = time.monotonic()
            for conn, worker in list(self.busy.items()):
                if now - worker.started >= self.seconds:
                    worker.stop()
                    del self.busy[conn]
                    done[worker.index] = Outcome(problem=f"took longer than {self.seconds:g} s; stopped")
            self._fill(pending)  # workers go on with the next files while the caller handles these results
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1


def isolated_map(
    fn: Callable[..., Any], tasks: list[tuple], jobs: int, seconds: float, memory: int | None
) -> Iterator[Outcome]:
    """fn(*task) for every task on up to `jobs` workers, each task limited in time; in task order."""
    with Workers(fn, jobs, seconds, memory) as workers:
        yield from workers.map(tasks)
