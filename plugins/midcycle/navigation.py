"""The ways around the site: top-level paths, breadcrumbs, sub-paths,
older and newer posts, and the archive's years and months.

Plain functions of the site model's indexes (keys and names, never post
objects), so each is tested without Pelican. What every page shows (the
top-level paths in the header) is kept small on purpose: every page's
digest includes it, so only adding or removing a top-level path re-renders
every page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .paths import ancestors


def top_paths(paths: Iterable[str]) -> tuple[str, ...]:
    """The paths at the top of the tree (``openstack``, ``wood``), sorted."""
    return tuple(sorted(path for path in paths if path and "/" not in path))


def path_children(paths: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each path's paths one level below it (``""``: the top ones), sorted;
    a path with none below it is not a key."""
    children: dict[str, list[str]] = {}
    for path in paths:
        if path:
            children.setdefault(path.rpartition("/")[0], []).append(path)
    return {parent: tuple(sorted(below)) for parent, below in children.items()}


def breadcrumb(path: str) -> tuple[tuple[str, str], ...]:
    """``"openstack/juno"`` gives ``(("openstack", "openstack"), ("juno",
    "openstack/juno"))``: each level's own name and the path it leads to."""
    return tuple((level.rsplit("/", 1)[-1], level) for level in ancestors(path))


@dataclass(frozen=True, slots=True)
class DateNeighbours:
    """The posts just before and after one post in the timeline."""

    older: str | None
    newer: str | None


def date_neighbours(timeline: Sequence[str]) -> dict[str, DateNeighbours]:
    """Each post's older and newer neighbour, from the timeline (newest
    first, ties already broken by key, so every post has one place)."""
    last = len(timeline) - 1
    return {key: DateNeighbours(timeline[i + 1] if i < last else None, timeline[i - 1] if i > 0 else None)
            for i, key in enumerate(timeline)}


@dataclass(frozen=True, slots=True)
class ArchiveYear:
    year: int
    count: int
    months: tuple[tuple[int, int], ...]
    """``(month, number of posts)``, newest month first."""


def archive_years(archives: Mapping[tuple[int, ...], Sequence[str]]) -> tuple[ArchiveYear, ...]:
    """Every year with posts, newest first, with its months and their counts."""
    months: dict[int, list[tuple[int, int]]] = {}
    for period, keys in archives.items():
        if len(period) == 2:
            months.setdefault(period[0], []).append((period[1], len(keys)))
    return tuple(ArchiveYear(period[0], len(keys), tuple(sorted(months.get(period[0], ()), reverse=True)))
                 for period, keys in sorted(archives.items(), reverse=True) if len(period) == 1)
