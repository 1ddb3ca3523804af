"""What an ingest shows on a terminal: a progress bar (files, pages/s, time left) seen through a
pseudo-terminal, the skipped and failed files above it, and a terminal left as it was on Ctrl-C."""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from rich.progress import Progress

from conftest import FIXTURES, REFERENCE
from kommunkompassen.progress import _PagesPerSecond

_CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_HIDE, _SHOW = "\x1b[?25l", "\x1b[?25h"
_DRAFT = "[draft] x\x1b[31m.pdf"  # rich markup and an escape sequence in a file name
_STALL_SECOND = """
import sys, time
from kommunkompassen import parse_pool
from kommunkompassen.cli import main

parse = parse_pool.parse_task

def stall(path, digest, size, cache, shared):
    if path.name == sys.argv[3]:
        time.sleep(600)
    return parse(path, digest, size, cache, shared)

parse_pool.parse_task = stall
sys.exit(main(["ingest", "--raw", sys.argv[1], "--out", sys.argv[2], "--jobs", "1"]))
"""


class _Terminal:
    """A command run on a pseudo-terminal 100 columns wide; `screen` is everything it wrote."""

    def __init__(self, args: list[str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
        self.proc = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color"},
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.screen = ""

    def read_until(self, text: str, limit: float = 120.0) -> None:
        deadline = time.monotonic() + limit
        while text not in _CSI.sub("", self.screen):
            assert time.monotonic() < deadline, f"gave up waiting for {text!r}; got {self.screen!r}"
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"the output ended before {text!r}: {self.screen!r}")

    def finish(self) -> int:
        while self._read(120.0):
            pass
        os.close(self.master)
        return self.proc.wait(timeout=60)

    def _read(self, seconds: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(seconds, 0))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # Linux: EIO once the command has closed its end
            return False
        self.screen += chunk.decode("utf-8", errors="replace")
        return bool(chunk)

    def lines(self) -> list[str]:
        """What is left on the screen: each carriage return redraws its line."""
        return [
            _CSI.sub("", line.rsplit("\r", 1)[-1]) for line in self.screen.replace("\r\n", "\n").split("\n")
        ]


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in REFERENCE:
        shutil.copy(FIXTURES / name, raw / name)
    shutil.copy(FIXTURES / "other" / "001_795d4f1d4c59989b.pdf", raw / _DRAFT)
    return raw


def test_a_terminal_shows_a_progress_bar(tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kommunkompassen", "ingest", "--raw", str(_raw(tmp_path))]
    terminal = _Terminal([*command, "--out", str(out), "--jobs", "1"])
    assert terminal.finish() == 0
    bar = _CSI.sub("", terminal.screen)
    assert "3/3 files" in bar
    assert re.search(r"3/3 files [0-9]+ pages/s 0:00:00", bar)
    assert "x\x1b[31m" not in terminal.screen  # the name's escape sequence never reaches the terminal
    lines = [line for line in terminal.lines() if line]
    assert lines[0] == "[1/3] [draft] x\\x1b[31m.pdf skipped: not a Kommunkompassen report"
    assert lines[1].startswith("nynashamn-2023.pdf ")  # the bar, last drawn after the last file
    assert lines[2].startswith(f"3 files: 2 ingested, 1 skipped, 0 failed -> {out} (")
    assert len(lines) == 3  # ingested files are counted by the bar, not listed
    assert terminal.screen.rindex(_SHOW) > terminal.screen.rindex(_HIDE)  # the cursor is given back


@pytest.mark.parametrize(
    ("signum", "status", "what"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_ctrl_c_stops_the_bar_and_says_one_line(tmp_path, signum, status, what):
    raw = _raw(tmp_path)
    (raw / _DRAFT).unlink()
    out = tmp_path / "out"
    terminal = _Terminal([sys.executable, "-c", _STALL_SECOND, str(raw), str(out), REFERENCE[1]])
    terminal.read_until("1/2 files")
    os.killpg(terminal.proc.pid, signum)  # the whole process group, as Ctrl-C does
    assert terminal.finish() == status
    lines = [line for line in terminal.lines() if line]
    assert lines[-1] == f"error: {what}; the dataset in {out} was left as it was"
    assert "Traceback" not in terminal.screen
    assert terminal.screen.rindex(_SHOW) > terminal.screen.rindex(_HIDE)
    assert not out.joinpath("scores.parquet").exists()


def test_pages_per_second_is_over_the_time_until_the_last_file():
    progress = Progress()
    task_id = progress.add_task("x", total=2, pages=120)
    progress.update(task_id, completed=2)
    task = progress.tasks[0]
    task.finished_time = 2.0
    assert _PagesPerSecond().render(task).plain == "60 pages/s"
    task.fields["pages"] = 0
    assert _PagesPerSecond().render(task).plain == "– pages/s"
