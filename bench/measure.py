"""Timing one build, and its memory, as ``make bench`` counts them.

Peak memory is the larger of two figures for a process tree: the largest
resident set of any single process in it, as the kernel counts it
(``os.wait4`` on the top process: its own peak and that of every descendant
it waited for), and the memory of all its processes together, sampled every
50 ms: the sum of each process's proportional set size (``Pss`` in
``/proc/PID/smaps_rollup``, where a page shared by forked workers counts
once in all, divided among them), the largest sum over the samples. For one
process the two agree and the first is exact. (Summing each process's own
peak resident set instead would count every page the forked workers share
with the parent once per process.)
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_EVERY = 0.05  # seconds between /proc samples of a tree's processes

#: The line a midcycle build ends with (plugin.py), and the one it says
#: instead when it found nothing to do (build.py).
PROGRESS = re.compile(r"^midcycle: (?P<posts>\d+) posts \((?P<read>\d+) read\), (?P<outputs>\d+) pages and feeds: "
                      r"(?P<rendered>\d+) rendered, (?P<written>\d+) written, (?P<unchanged>\d+) unchanged, ", re.M)
NOTHING_TO_DO = re.compile(r"^midcycle: \d+ posts, nothing changed since the last build", re.M)


class BenchError(Exception):
    pass


@dataclass
class Run:
    seconds: float
    peak_kib: int      # max(largest single process, all processes together)
    processes: int     # processes seen in the tree
    progress: str = ""  # a midcycle build's closing line, as it said it

    def counts(self) -> dict[str, int] | None:
        """What the build did by its progress line (``read``, ``rendered``,
        ``written``...); all zero for a build that found nothing to do;
        ``None`` for a run that says no such line (Pelican, the dev server)."""
        found = PROGRESS.search(self.progress)
        if found:
            return {name: int(value) for name, value in found.groupdict().items()}
        if NOTHING_TO_DO.search(self.progress):
            return {"read": 0, "rendered": 0, "written": 0}
        return None


def progress_line(log: str) -> str:
    """The last midcycle progress line in a build's output, or ``""``."""
    said = [line for line in log.splitlines() if PROGRESS.match(line) or NOTHING_TO_DO.match(line)]
    return said[-1] if said else ""


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from ``/proc/*/task/*/children``."""
    tree, stack = [], [pid]
    while stack:
        current = stack.pop()
        tree.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return tree


def _pss_kib(pid: int) -> int:
    """What ``pid`` holds of the machine's memory: its own pages, and its
    share of the pages it shares with other processes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Follows every process of a tree and keeps the largest memory they
    held together (see the module's docstring)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.seen: set[int] = set()
        self.together = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            tree = _process_tree(self.pid)
            self.seen.update(tree)
            self.together = max(self.together, sum(_pss_kib(pid) for pid in tree))
            self.done.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        self.done.set()
        self.join()

    def peak_kib(self, usage: os.struct_rusage | None) -> int:
        """The tree's peak: see the module's docstring."""
        return max(usage.ru_maxrss if usage else 0, self.together)

    def processes(self) -> int:
        return max(len(self.seen), 1)


def tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def measure(command: list[str], log: Path, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` in ``cwd``, its output to ``log``; its wall time
    (interpreter start included) and peak memory."""
    log.parent.mkdir(parents=True, exist_ok=True)
    # What earlier builds wrote (and the folders removed to start cold) goes
    # to disk now, not while this build is timed: each build pays for its
    # own writes only.
    os.sync()
    with log.open("wb") as out:
        began = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(child.pid)
        sampler.start()
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        sampler.stop()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise BenchError(f"{' '.join(command)} failed with exit code {child.returncode}; "
                         f"the end of {log}:\n{tail(log)}")
    said = log.read_text(encoding="utf-8", errors="replace")
    return Run(seconds, sampler.peak_kib(usage), sampler.processes(), progress_line(said))
