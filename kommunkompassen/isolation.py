"""Run each file's work in worker processes, so that a file that hangs, exhausts memory or crashes
the PDF library costs only itself: its worker is stopped (after a time limit) and replaced, and the
file is reported. Workers live across files, so isolation costs a pickle per file, not a process."""

from __future__ import annotations

import faulthandler
import multiprocessing as mp
import resource
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one task: `value` when it finished, else why it did not."""

    value: Any = None
    problem: str | None = None


def _serve(conn: Connection, fn: Callable[..., Any], memory: int | None) -> None:
    """A worker: answer tasks until the parent closes the pipe; leave after running out of memory."""
    faulthandler.disable()  # a crash is reported as the task's outcome, not as a traceback dump
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + memory, resource.RLIM_INFINITY))
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


def _address_space() -> int:
    """The process's current virtual size, so that the limit counts only what a task adds."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, fn: Callable[..., Any], memory: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, fn, memory), daemon=True)
        self.process.start()
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
        self.conn.close()
        self.process.kill()
        self.process.join()


def isolated_map(
    fn: Callable[..., Any], tasks: list[tuple], jobs: int, seconds: float, memory: int | None
) -> Iterator[Outcome]:
    """fn(*task) for every task on up to `jobs` workers, each task limited in time; in task order."""
    ctx = mp.get_context("fork")
    pending = deque(enumerate(tasks))
    idle: list[_Worker] = []
    busy: dict[Connection, _Worker] = {}
    done: dict[int, Outcome] = {}
    next_out = 0

    def fill() -> None:
        while pending and len(busy) < jobs:
            worker = idle.pop() if idle else _Worker(ctx, fn, memory)
            worker.submit(*pending.popleft())
            busy[worker.conn] = worker

    try:
        fill()
        while busy:
            deadline = min(w.started for w in busy.values()) + seconds
            for conn in wait(list(busy), timeout=max(0.0, deadline - time.monotonic())):
                worker = busy.pop(conn)
                done[worker.index] = outcome = worker.collect()
                if outcome.problem is None:
                    idle.append(worker)
                else:  # crashed or out of memory: its state is not to be trusted
                    worker.stop()
            now = time.monotonic()
            for conn, worker in list(busy.items()):
                if now - worker.started >= seconds:
                    worker.stop()
                    del busy[conn]
                    done[worker.index] = Outcome(problem=f"took longer than {seconds:g} s; stopped")
            fill()  # workers go on with the next files while the caller handles these results
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for worker in [*idle, *busy.values()]:
            worker.stop()
