"""Tags and series spelt differently but naming the same page are one.

``Nova`` and ``nova`` both make ``/tag/nova.html``; rather than fail the
build or let one silently overwrite the other, every spelling is shown as
the one most posts use (ties go to the first in sorted order), so a reader
sees one tag with all its posts.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable

from .model import Post
from .urls import Slugify


def canonical_spellings(names: Iterable[tuple[str, str]], slugify: Slugify, what: str) -> tuple[dict[str, str], list[str]]:
    """From ``(name, source file)`` pairs, map each name to the spelling
    shown for its page name; a name that makes no page name is a problem."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    problems = []
    for name, source in names:
        slug = slugify(name)
        if not slug:
            problems.append(f"{source}: the {what} {name!r} has no letters or digits to name its page after")
            continue
        counts[slug][name] += 1
    chosen = {}
    for spellings in counts.values():
        best = min(spellings, key=lambda name: (-spellings[name], name.casefold(), name))
        chosen.update(dict.fromkeys(spellings, best))
    return chosen, problems


def merge_spellings(posts: list[Post], slugify: Slugify) -> tuple[list[Post], list[str]]:
    """Posts with every tag and series name in its shown spelling."""
    tags, tag_problems = canonical_spellings(
        ((tag, post.source) for post in posts for tag in post.tags), slugify, "tag")
    series, series_problems = canonical_spellings(
        ((post.series, post.source) for post in posts if post.series), slugify, "series")
    merged = []
    for post in posts:
        new_tags = tuple(dict.fromkeys(tags[tag] for tag in post.tags if tag in tags))
        new_series = series.get(post.series) if post.series else None
        if new_tags != post.tags or new_series != post.series:
            post = dataclasses.replace(post, tags=new_tags, series=new_series)
        merged.append(post)
    return merged, tag_problems + series_problems
