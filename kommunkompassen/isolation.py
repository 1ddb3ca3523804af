"""Run each file's work in its own short-lived process, so that a file that hangs, exhausts memory or
crashes the PDF library costs only itself: it is stopped after a time limit and reported."""

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


def _child(conn: Connection, fn: Callable[..., Any], args: tuple, memory: int | None) -> None:
    faulthandler.disable()  # a crash is reported as the task's outcome, not as a traceback dump
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + memory, resource.RLIM_INFINITY))
    try:
        conn.send(Outcome(value=fn(*args)))
    except MemoryError:
        conn.send(Outcome(problem=f"ran out of memory (more than {memory // 2**20} MiB)"))
    finally:
        conn.close()


def _address_space() -> int:
    """The process's current virtual size, so that the limit counts only what the task adds."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def isolated_map(
    fn: Callable[..., Any], tasks: list[tuple], jobs: int, seconds: float, memory: int | None
) -> Iterator[Outcome]:
    """fn(*task) for every task, up to `jobs` at a time, each in a forked process; in task order."""
    ctx = mp.get_context("fork")
    pending = deque(enumerate(tasks))
    running: dict[Connection, tuple[int, mp.Process, float]] = {}
    done: dict[int, Outcome] = {}
    next_out = 0
    while pending or running:
        while pending and len(running) < jobs:
            index, args = pending.popleft()
            receiver, sender = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_child, args=(sender, fn, args, memory), daemon=True)
            process.start()
            sender.close()
            running[receiver] = (index, process, time.monotonic())
        deadline = min(started + seconds for _, _, started in running.values())
        for conn in wait(list(running), timeout=max(0.0, deadline - time.monotonic())):
            index, process, _ = running.pop(conn)
            done[index] = _collect(conn, process)
        now = time.monotonic()
        for conn, (index, process, started) in list(running.items()):
            if now - started >= seconds:
                process.kill()
                process.join()
                conn.close()
                del running[conn]
                done[index] = Outcome(problem=f"took longer than {seconds:g} s; stopped")
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1


def _collect(conn: Connection, process: mp.Process) -> Outcome:
    try:
        outcome = conn.recv()
    except EOFError:  # the process died without answering
        process.join()
        outcome = Outcome(problem=f"the PDF reader crashed (exit status {process.exitcode})")
    conn.close()
    process.join()
    return outcome
