"""Work shared among forked processes, for the parts of a build that use a
core per process: reading Markdown, ranking related posts, rendering pages
and feeds."""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import BuildError

#: Where cgroups (v2, then v1) say how much CPU time a container may use.
_CPU_QUOTAS = (("/sys/fs/cgroup/cpu.max",), ("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_period_us"))


def _cpu_quota() -> int | None:
    """CPUs' worth of time a container quota allows, rounded up; ``None``
    without a quota."""
    for files in _CPU_QUOTAS:
        try:
            words = " ".join(Path(name).read_text(encoding="ascii") for name in files).split()
            quota, period = int(words[0]), int(words[1])
        except (OSError, ValueError, IndexError):
            continue
        if quota > 0 and period > 0:
            return max(1, -(-quota // period))
    return None


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, not the machine's
    count), within a container's CPU quota."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        count = os.cpu_count() or 1
    quota = _cpu_quota()
    return max(1, min(count, quota) if quota else count)

#: Fewer items than this are not worth starting a process for.
PARALLEL_FROM = 400

#: Chunks the items are cut into. Each process takes the next chunk when it
#: is done with one, so a process slowed by other work on the machine takes
#: fewer, and no core waits long for the last one. At most 255, so a chunk's
#: number is one byte (see :func:`_take`).
CHUNKS = 240


def _take(queue: int) -> int | None:
    """The next chunk number from the queue, or ``None`` when it is empty.
    A one-byte read from a pipe is never split between two readers."""
    byte = os.read(queue, 1)
    return byte[0] if byte else None


def _work_through(queue: int, chunks: list[list], work: Callable[[list], Any]) -> list[tuple[int, Any]]:
    done = []
    while (number := _take(queue)) is not None:
        done.append((number, work(chunks[number])))
    return done


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``TimeoutError`` in the block once it has run ``seconds``: a
    worker stuck on one input must say so, not hold the build for ever. It
    takes the process's alarm signal, so it works in the main thread of a
    process (as builds and workers run); elsewhere there is no limit."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signal: int, _frame: Any) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: Python collects garbage after this many new objects (700 by default).
#: Reading and rendering make many that live until the work is done (posts
#: read, pages rendered), which each collection went over again: when a
#: whole build collected at the default, that took 0.6 s of a 3.5 s rebuild
#: after an edit; at this, 0.15 s.
COLLECT_AFTER = 10_000


@contextmanager
def collecting() -> Iterator[None]:
    """Collect garbage (every :data:`COLLECT_AFTER` new objects) while the
    block runs, whatever the process did before, and as before afterwards.
    Markdown, BeautifulSoup and Jinja make reference cycles for every post
    read and every page rendered, so the work :func:`in_parallel` shares
    out needs it, and so does reading comments and pages (plugin.py); the
    build collects nowhere else (see :func:`midcycle.build.collecting_only_in_work`)."""
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    # What the process holds already is not looked at again: the first
    # collection would otherwise go over every object made while nothing
    # was collected (0.06 s at 10,000 posts). Work within work leaves it
    # to the outer one to give them back.
    outermost = not gc.get_freeze_count()
    gc.freeze()
    gc.set_threshold(COLLECT_AFTER, *threshold[1:])
    gc.enable()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not enabled:
            gc.disable()
        if outermost:
            gc.unfreeze()


def in_parallel(items: list, work: Callable[[list], Any], workers: int) -> list:
    """``work`` over chunks of ``items`` in ``workers`` processes (the
    parent and forked children), the results in the order of the chunks,
    whoever did them, so the build's output never depends on timing. Results
    come back pickled through a pipe. Forking shares the site model,
    settings and templates as they are, without pickling them. A failure in
    any process fails the build. Garbage is collected while the work runs
    (see :func:`collecting`)."""
    with collecting():
        return _in_parallel(items, work, workers)


def _in_parallel(items: list, work: Callable[[list], Any], workers: int) -> list:
    if workers < 2 or len(items) < PARALLEL_FROM or not hasattr(os, "fork"):
        return [work(items)]
    size = -(-len(items) // CHUNKS)
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    queue, feed = os.pipe()
    os.write(feed, bytes(range(len(chunks))))  # far below a pipe's capacity
    os.close(feed)  # an empty queue now reads as the end
    children = []
    done, failures = [], []
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        for _ in range(workers - 1):
            children.append(_fork(queue, chunks, work))
        done.extend(_work_through(queue, chunks, work))
    finally:
        # If this process failed, empty the queue so the children stop soon.
        while _take(queue) is not None:
            pass
        os.close(queue)
        for pid, reading in children:
            with os.fdopen(reading, "rb") as pipe:
                try:
                    status, value = pickle.load(pipe)
                except Exception:  # noqa: BLE001 - a child killed half-way through its report
                    status, value = "failed", ["a worker process ended without finishing its report"]
            os.waitpid(pid, 0)
            if status == "done":
                done.extend(value)
            else:
                failures.extend(value)
    if failures:
        raise BuildError(dict.fromkeys(failures))  # each child may meet the same problem
    return [result for _number, result in sorted(done, key=lambda pair: pair[0])]


def _fork(queue: int, chunks: list[list], work: Callable[[list], Any]) -> tuple[int, int]:
    """A child that works through the queue and reports its results, or its
    failure, pickled; returns its pid and the pipe its report comes on."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do chunks, report, and leave at once, whatever happens
        status = 1
        try:
            os.close(reading)
            try:
                payload = ("done", _work_through(queue, chunks, work))
            except BuildError as error:  # already said as the author should read it
                payload = ("failed", error.problems)
            except BaseException as error:  # noqa: BLE001 - reported by the parent
                payload = ("failed", [f"{type(error).__name__}: {error}"])
            with os.fdopen(writing, "wb") as pipe:
                pickle.dump(payload, pipe)
            status = 0
        finally:
            # Never return into the parent's code: that would be a second build.
            os._exit(status)
    os.close(writing)
    return pid, reading
