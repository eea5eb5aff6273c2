"""processes.in_parallel: every item done once, results in a fixed order
whoever did them, failures anywhere fail the build."""

from __future__ import annotations

import gc
import os
import time

import pytest

from midcycle.errors import BuildError
from midcycle.processes import CHUNKS, COLLECT_AFTER, PARALLEL_FROM, in_parallel, time_limit


def test_every_item_is_done_once_and_results_keep_the_items_order():
    items = list(range(PARALLEL_FROM * 5 + 7))

    def work(chunk):
        time.sleep(0.002)  # slow enough that the children start before the parent is done
        return [(item, os.getpid()) for item in chunk]

    results = in_parallel(items, work, workers=3)
    done = [item for chunk in results for item, _pid in chunk]
    assert done == items
    # Forked processes did some of the work, not the parent alone.
    assert len({pid for chunk in results for _item, pid in chunk}) > 1


def test_few_items_stay_in_this_process():
    assert in_parallel([1, 2, 3], lambda chunk: (os.getpid(), sum(chunk)), workers=4) == [(os.getpid(), 6)]


def test_a_failure_in_any_process_fails_the_whole():
    parent = os.getpid()

    def work(chunk):
        if os.getpid() != parent:
            raise ValueError("broken in a child")
        time.sleep(0.002)
        return chunk

    with pytest.raises(BuildError) as error:
        in_parallel(list(range(PARALLEL_FROM * 4)), work, workers=2)
    assert "ValueError: broken in a child" in str(error.value)


def test_a_childs_build_problems_are_reported_as_they_are_and_once():
    parent = os.getpid()

    def work(chunk):
        if os.getpid() != parent:
            raise BuildError(["theme/templates/article.html:2: 'article' is undefined"])
        time.sleep(0.002)
        return chunk

    with pytest.raises(BuildError) as error:
        in_parallel(list(range(PARALLEL_FROM * 4)), work, workers=3)
    assert error.value.problems == ["theme/templates/article.html:2: 'article' is undefined"]


def test_a_failure_here_stops_the_children_soon_and_fails_the_whole(tmp_path):
    parent = os.getpid()

    def work(chunk):
        if os.getpid() == parent:
            raise ValueError("broken here")
        (tmp_path / str(chunk[0])).touch()  # the chunks a child did
        time.sleep(0.005)
        return chunk

    with pytest.raises(ValueError):
        in_parallel(list(range(PARALLEL_FROM * 4)), work, workers=2)
    # The queue was emptied: the child did not go on through all 240 chunks.
    assert len(list(tmp_path.iterdir())) < CHUNKS // 2


def test_a_build_error_in_a_child_keeps_its_problems_as_they_were():
    parent = os.getpid()

    def work(chunk):
        if os.getpid() != parent:
            raise BuildError([f"a/{chunk[0]}.md: something named"])
        time.sleep(0.002)
        return chunk

    with pytest.raises(BuildError) as error:
        in_parallel(list(range(PARALLEL_FROM * 4)), work, workers=2)
    assert error.value.problems and all(p.startswith("a/") and p.endswith(".md: something named")
                                        for p in error.value.problems)


def test_a_time_limit_stops_work_that_runs_too_long():
    with pytest.raises(TimeoutError), time_limit(0.05):
        while True:  # never ends by itself
            pass
    with time_limit(60):  # a limit not reached changes nothing, and is lifted after
        total = sum(range(1000))
    assert total == 499500


@pytest.mark.parametrize("count", [1, PARALLEL_FROM])
def test_the_work_collects_garbage_even_in_a_build_that_does_not(count):
    """A build turns collection off (build.py); reading and rendering make
    reference cycles, so every process doing the work collects."""
    def work(chunk):
        time.sleep(0.005)  # long enough that the forked process takes chunks too
        return [(os.getpid(), gc.isenabled(), gc.get_threshold()[0]) for _item in chunk]

    threshold = gc.get_threshold()
    gc.disable()
    try:
        seen = {state for result in in_parallel(list(range(count)), work, 2) for state in result}
        assert not gc.isenabled() and gc.get_threshold() == threshold and not gc.get_freeze_count()
    finally:
        gc.enable()
    assert {(enabled, after) for _pid, enabled, after in seen} == {(True, COLLECT_AFTER)}
    assert len({pid for pid, _enabled, _after in seen}) == (1 if count == 1 else 2)


def test_work_within_work_collects_and_leaves_nothing_frozen():
    def inner(chunk):
        return [(gc.isenabled(), gc.get_freeze_count() > 0) for _item in chunk]

    def outer(chunk):
        states = in_parallel(chunk, inner, 1)[0]
        return [*states, (gc.isenabled(), gc.get_freeze_count() > 0)]  # still frozen after the inner work

    assert in_parallel([1, 2], outer, 1)[0] == [(True, True)] * 3
    assert not gc.get_freeze_count()
