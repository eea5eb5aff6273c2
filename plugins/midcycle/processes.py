"""Work shared among forked processes, for the parts of a build that use a
core per process: reading Markdown, rendering pages and feeds."""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import Any

from .errors import BuildError

#: Fewer items than this are not worth starting a process for.
PARALLEL_FROM = 400


def in_parallel(items: list, work: Callable[[list], Any], workers: int) -> list:
    """``work`` over ``workers`` interleaved shares of ``items``, each share
    in a forked process (the parent takes the first), so the build uses
    every core; results come back pickled through a pipe, one per share.
    Forking shares the site model, settings and templates as they are,
    without pickling them. A failure in any share fails the build."""
    if workers < 2 or len(items) < PARALLEL_FROM or not hasattr(os, "fork"):
        return [work(items)]
    shares = [items[i::workers] for i in range(workers)]
    children = []
    sys.stdout.flush()
    sys.stderr.flush()
    for share in shares[1:]:
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do its share, report, and leave at once, whatever happens
            status = 1
            try:
                os.close(reading)
                try:
                    payload = ("done", work(share))
                except BaseException as error:  # noqa: BLE001 - reported by the parent
                    payload = ("failed", f"{type(error).__name__}: {error}")
                with os.fdopen(writing, "wb") as pipe:
                    pickle.dump(payload, pipe)
                status = 0
            finally:
                # Never return into the parent's code: that would be a second build.
                os._exit(status)
        os.close(writing)
        children.append((pid, reading))
    results, failures = [], []
    try:
        results.append(work(shares[0]))
    finally:
        for pid, reading in children:
            with os.fdopen(reading, "rb") as pipe:
                try:
                    status, value = pickle.load(pipe)
                except Exception:  # noqa: BLE001 - a child killed half-way through its report
                    status, value = "failed", "a worker process ended without finishing its report"
            os.waitpid(pid, 0)
            (results if status == "done" else failures).append(value)
    if failures:
        raise BuildError(failures)
    return results
