"""Tags and series: which names are one, and whether each can have a page.

A tag is its name whatever the case: ``Nova``, ``nova`` and ``NOVA`` are one
tag, shown everywhere in the spelling most posts use (on a tie, the first
in sorted order). Names are compared in Unicode's composed form, case
folded (so ``Straße`` and ``STRASSE`` are one too); accents count, so
``café`` and ``cafe`` are two names. Series names work the same way.

A tag's page and feeds are named after the slug of its name (urls.py), and
a slug can lose what told two names apart: ``C++``, ``C#`` and ``C`` all
make ``c``, ``café`` and ``cafe`` both ``cafe``. Two tags never silently
share a page and a feed, and they do not get made-up URLs either (``c-2``
would move whenever another tag came or went, under a planet's
subscription): such names are an error naming both names and a post using
each, and the author renames one (``cpp``, ``csharp``). So is a name that
makes no slug at all, one whose page is the site's own (``index``: the list
of all tags), and one too long for a file name.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from .model import Post
from .urls import NAME_AFFIXES, SERIES_INDEX_FILE, SLUG_MAX_BYTES, TAG_INDEX_FILE, Slugify, name_bytes, \
    series_file, tag_file

#: Each kind's page file, and its list of them all, by kind.
PAGES = {"tag": (tag_file, TAG_INDEX_FILE), "series": (series_file, SERIES_INDEX_FILE)}


def name_key(name: str) -> str:
    """What two names must share to be one tag (or series)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name.strip()).casefold())


def _page_problem(name: str, slug: str, kind: str) -> str | None:
    """Why the tag or series ``name`` (slug ``slug``) can have no page."""
    page, index = PAGES[kind]
    if not slug:
        return f"the {kind} {name!r} has no letters or digits to name its page after"
    if page(slug) == index:
        return f"the {kind} {name!r} would have the page {index}, the list of every {kind}: rename it"
    if name_bytes(slug) > SLUG_MAX_BYTES:
        return (f"the {kind} {name[:40]!r}... is too long: its page name takes {name_bytes(slug)} bytes, and "
                f"file names hold {SLUG_MAX_BYTES} (less {NAME_AFFIXES!r} than 255): shorten it")
    return None


def canonical_spellings(names: Iterable[tuple[str, str]], slugify: Slugify, kind: str
                        ) -> tuple[dict[str, str], list[str]]:
    """From ``(name, source file)`` pairs, map each name to the spelling
    shown for it; the problems name the file (and for two names on one
    page, both names and a file using each)."""
    pairs = list(names)
    uses = Counter(name for name, _source in pairs)
    # Each distinct name once: a blog has thousands of posts and few names.
    spellings: dict[str, list[str]] = defaultdict(list)
    for name in uses:
        spellings[name_key(name)].append(name)
    chosen, refused = {}, []
    pages: dict[str, list[str]] = defaultdict(list)
    for group in spellings.values():
        best = min(group, key=lambda name: (-uses[name], name.casefold(), name))
        slug = slugify(best)
        problem = _page_problem(best, slug, kind)
        if problem:
            refused.append((best, problem))
            continue
        chosen.update(dict.fromkeys(group, best))
        pages[slug].append(best)
    shared = [(slug, shown) for slug, shown in sorted(pages.items()) if len(shown) > 1]
    if not refused and not shared:
        return chosen, []
    sources: dict[str, str] = {}
    for name, source in pairs:
        sources[name] = min(source, sources.get(name, source))
    problems = [f"{sources[best]}: {problem}" for best, problem in refused]
    for slug, shown in shared:
        named = " and ".join(f"{name!r} ({sources[name]})" for name in sorted(shown))
        problems.append(f"the {kind} names {named} would share one page and feed, {PAGES[kind][0](slug)}, "
                        f"as their page name is the same ({slug!r}): rename one of them")
    return chosen, problems


def merge_spellings(posts: list[Post], slugify: Slugify) -> tuple[list[Post], list[str]]:
    """Posts with every tag and series name in its shown spelling."""
    tags, tag_problems = canonical_spellings(
        ((tag, post.source) for post in posts for tag in post.tags), slugify, "tag")
    series, series_problems = canonical_spellings(
        ((post.series, post.source) for post in posts if post.series), slugify, "series")
    # Most posts already use the shown spellings, once each: they stay as they are.
    shown_tags = {name for name, best in tags.items() if name == best}
    shown_series = {name for name, best in series.items() if name == best}
    merged = []
    for post in posts:
        if (shown_tags.issuperset(post.tags) and len(set(post.tags)) == len(post.tags)
                and (not post.series or post.series in shown_series)):
            merged.append(post)
            continue
        new_tags = tuple(dict.fromkeys(tags[tag] for tag in post.tags if tag in tags))
        new_series = series.get(post.series) if post.series else None
        if new_tags != post.tags or new_series != post.series:
            post = dataclasses.replace(post, tags=new_tags, series=new_series)
        merged.append(post)
    return merged, tag_problems + series_problems
