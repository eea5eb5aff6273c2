"""Feeds and pages that the previous output had and this build drops.

A feed disappears when its last post leaves it (a tag's only post retagged
or drafted, a series renamed); its subscribers then get "404 Not Found"
and their reader reports an error. That must never happen silently: the
build names every feed and page it drops in a warning, and with
``FEED_KEEP_RETIRED`` it keeps each retired feed as a valid feed with no
entries (its JSON Feed says ``"expired": true``).

What was published comes from the previous output folder itself, never
from the cache (a build must not need its cache): its file names say which
feeds and pages it had (see :func:`midcycle.urls.feed_of_file`), and a
retired feed kept by an earlier build is known by its JSON Feed's
``expired``, so it is announced once, not on every build.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from . import urls

PAGE_SUFFIX = ".html"


@dataclass(frozen=True, slots=True)
class Dropped:
    """What the previous output had and this build does not make."""

    feeds: dict[str, list[str]] = field(default_factory=dict)
    """Feed base (``tag/nova``, ``openstack``) to its files, sorted."""
    pages: list[str] = field(default_factory=list)


def dropped(previous: Iterable[str], made: Collection[str], kinds: tuple[str, ...]) -> Dropped:
    """The feeds and pages among the files ``previous`` that are not in
    ``made`` (every file this build makes, pages, feeds and copied files)."""
    feeds: dict[str, list[str]] = defaultdict(list)
    pages = []
    for name in previous:
        if name in made:
            continue
        feed = urls.feed_of_file(name, kinds)
        if feed is not None:
            feeds[feed[0]].append(name)
        elif name.endswith(PAGE_SUFFIX):
            pages.append(name)
    return Dropped({base: sorted(files) for base, files in sorted(feeds.items())}, sorted(pages))


def warnings(gone: Dropped, expired: Collection[str], keep: bool) -> list[str]:
    """One message per dropped feed and per dropped page. A feed an earlier
    build already kept as retired (its base in ``expired``) is named again
    only when it is removed now, because ``keep`` was turned off."""
    messages = []
    for base, files in gone.feeds.items():
        named = f"the feed {base or '(whole site)'} ({', '.join(files)})"
        if not keep:
            messages.append(f"{named} has no posts any more and is removed: its subscribers will get "
                            "'404 Not Found'; set FEED_KEEP_RETIRED = True to keep it as an empty feed")
        elif base not in expired:
            messages.append(f"{named} has no posts any more; it is kept as an empty feed (FEED_KEEP_RETIRED)")
    messages += [f"the page {page} is removed: this build no longer makes it" for page in gone.pages]
    return messages


def expired_feeds(previous: str | os.PathLike, bases: Iterable[str]) -> set[str]:
    """The feeds among ``bases`` that an earlier build kept as retired: their
    JSON Feed in the output folder ``previous`` says ``"expired": true``."""
    found = set()
    for base in bases:
        try:
            with open(os.path.join(previous, urls.feed_file(base, "json")), "rb") as handle:
                if json.load(handle).get("expired") is True:
                    found.add(base)
        except (OSError, ValueError, AttributeError):
            continue  # not there, or not a feed of ours: it counts as live
    return found
