"""Throughput benchmark: prints figures, asserts nothing (the machines are shared and noisy).

For corpora of 2, 20 and 200 reports (copies of the reference reports made distinct by a trailing
comment, so that no copy is skipped before it is parsed; each is parsed in full, and the copies of an
evaluation read before are then skipped) it measures, in one run, in rounds of
  (a) plain PyMuPDF page.get_text() over the same files: the floor, taken before and after (b);
  (b) the full ingest with one worker;
  (c) the full ingest with all cores;
and prints the medians over the rounds of pages/s, the ratio (b)/(a) in time (with its range: on this
shared machine one round's ratio moves by a fifth) and in CPU time (the ingest's processes, workers
and all), the speed-up (c)/(b), and the peak RSS of (b) and (c). Ratios are taken within a round, as
the machine's speed drifts between them; (b) is set against the mean of the (a) on either side of it,
so that a drift within the round moves both alike. Each ingest runs in a fresh interpreter so that its peak
memory is its own.

Then the start: the import of the ingest command (`kommunkompassen.command`, everything the script
loads before it starts its first worker, and `kommunkompassen.cli`, the whole command) and a whole
`kommunkompassen ingest` of one report, process start to exit, each the median of several runs; with
the whole run's CPU time (the command and its workers): the parent's loading overlaps the worker's
only on a free core, so a wall time close to the CPU time says the machine had none.

The project's modules are compiled to bytecode first, as pip compiles an installed package's: an
editable install leaves that to the first run, and where PYTHONDONTWRITEBYTECODE is set, every
process would compile them again (0.03 s in the command and as much in its worker).
"""

from __future__ import annotations

import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "data" / "raw").glob("*.pdf"))
SIZES = {2: 5, 20: 3, 200: 5}  # reports: rounds (medians are printed)

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from kommunkompassen.imports import refused
from kommunkompassen.pipeline import ingest
raw, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
def cpu():
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)
started, cpu_started = time.perf_counter(), cpu()
with refused("pandas"):  # as the ingest command runs it
    summary = ingest(raw, out, jobs, use_cache=False)
seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started  # the workers are reaped by now
peak_kib = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps(
    {"seconds": seconds, "cpu": cpu_seconds, "failed": summary.count("failed"), "peak_mib": peak_kib / 1024}
))
"""


def make_corpus(folder: Path, n: int) -> int:
    """n distinct report files; returns their page count."""
    pages = 0
    for i in range(n):
        source = SOURCES[i % len(SOURCES)]
        data = source.read_bytes() + f"\n% benchmark copy {i}\n".encode()
        (folder / f"{i:04d}-{source.name}").write_bytes(data)
        pages += pymupdf.open(stream=data).page_count
    return pages


def plain_text_seconds(folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds of plain text extraction of every file."""
    started, cpu_started = time.perf_counter(), time.process_time()
    for path in sorted(folder.glob("*.pdf")):
        with pymupdf.open(path) as doc:
            for page in doc:
                page.get_text()
    return time.perf_counter() - started, time.process_time() - cpu_started


def ingest_run(folder: Path, out: Path, jobs: int) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder), str(out), str(jobs)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    cores = os.cpu_count() or 1
    for package in ("extract", "parsers", "normalize", "kommunkompassen"):
        compileall.compile_dir(ROOT / package, quiet=1)
    print(f"kommunkompassen throughput; {cores} cores; sources: {', '.join(p.name for p in SOURCES)}")
    header = (
        f"{'reports':>7} {'pages':>6} {'rounds':>6} | {'(a) text p/s':>12} {'(b) 1 job p/s':>13} "
        f"{f'(c) {cores} jobs p/s':>15} | {'(b)/(a) time (range)':>20} {'(b)/(a) CPU':>11} "
        f"{'(c) speed-up':>12} | "
        f"{'RSS (b) MiB':>11} {'RSS (c) MiB':>11}"
    )
    print(header)
    print("-" * len(header))
    for n, rounds in SIZES.items():
        with tempfile.TemporaryDirectory(prefix="kk-bench-") as tmp:
            folder = Path(tmp) / "raw"
            folder.mkdir()
            pages = make_corpus(folder, n)
            print(_size_line(n, pages, [_round(folder, Path(tmp), cores) for _ in range(rounds)]))
    print_start()
    print(
        "targets: (b)/(a) time <= 2.5; speed-up >= 1.8 on 2 cores; RSS(200) < 1.5 x RSS(20); "
        "import <= 0.25 s; one report <= 0.5 s"
    )


def _round(folder: Path, tmp: Path, cores: int) -> dict:
    """(a), (b), (a) again and (c), one after another: their ratios are taken within the round."""
    before = plain_text_seconds(folder)
    b = ingest_run(folder, tmp / "out-b", 1)
    after = plain_text_seconds(folder)
    c = ingest_run(folder, tmp / "out-c", cores)
    assert b["failed"] == c["failed"] == 0, (b, c)  # copies of one evaluation: parsed, then skipped
    a, a_cpu = (statistics.fmean(pair) for pair in zip(before, after, strict=True))
    return {"a": a, "a_cpu": a_cpu, "b": b, "c": c}


def _size_line(n: int, pages: int, rounds: list[dict]) -> str:
    """The medians over the rounds, with the range of (b)/(a) in time: what the machine's noise did."""
    ratios = [r["b"]["seconds"] / r["a"] for r in rounds]
    median = statistics.median

    def rate(seconds: list[float]) -> str:
        return f"{pages / median(seconds):.0f}"

    return (
        f"{n:>7} {pages:>6} {len(rounds):>6} | {rate([r['a'] for r in rounds]):>12} "
        f"{rate([r['b']['seconds'] for r in rounds]):>13} {rate([r['c']['seconds'] for r in rounds]):>15} | "
        f"{f'{median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})':>20} "
        f"{median([r['b']['cpu'] / r['a_cpu'] for r in rounds]):>11.2f} "
        f"{median([r['b']['seconds'] / r['c']['seconds'] for r in rounds]):>12.2f} | "
        f"{max(r['b']['peak_mib'] for r in rounds):>11.0f} {max(r['c']['peak_mib'] for r in rounds):>11.0f}"
    )


_IMPORT = "import time; t = time.perf_counter(); import kommunkompassen.{}; print(time.perf_counter() - t)"


def print_start(rounds: int = 7) -> None:
    """The import of the ingest command, and one report ingested by the command, process and all."""
    imports = {
        module: statistics.median(
            float(subprocess.run([sys.executable, "-c", _IMPORT.format(module)], capture_output=True).stdout)
            for _ in range(rounds)
        )
        for module in ("command", "cli")
    }
    command = Path(sys.executable).with_name("kommunkompassen")
    whole, cpu = [], []
    with tempfile.TemporaryDirectory(prefix="kk-bench-") as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        (raw / SOURCES[0].name).write_bytes(SOURCES[0].read_bytes())
        for _ in range(rounds):
            used, started = _children_cpu(), time.perf_counter()
            subprocess.run(
                [command, "ingest", "--raw", raw, "--out", Path(tmp) / "out", "--no-cache"],
                check=True,
                capture_output=True,
            )
            whole.append(time.perf_counter() - started)
            cpu.append(_children_cpu() - used)
    print(
        f"start (median of {rounds}): import of the ingest command {imports['command']:.3f} s before its "
        f"first worker, {imports['cli']:.3f} s in all; "
        f"`kommunkompassen ingest` of one report ({SOURCES[0].name}), whole process "
        f"{statistics.median(whole):.2f} s (CPU {statistics.median(cpu):.2f} s)"
    )


def _children_cpu() -> float:
    """User and system time of the finished child processes, and of theirs."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


if __name__ == "__main__":
    main()
