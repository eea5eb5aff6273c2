"""How long related posts take for a large blog, without Pelican.

Generates 10,000 synthetic posts (fixed seed) whose tags follow the same
Zipf-like distribution as the benchmark corpus (:func:`corpus.zipf_sampler`):
tag ``tag0001`` is drawn about twice as often as ``tag0002`` and a thousand
times as often as ``tag1000``, so a few tags sit on thousands of posts (like
"openstack") and most on a handful (like "db2"). Prints the median time of a
few runs of :func:`midcycle.related.rank_related` over all of them.
``make bench`` reports the same figure beside the build timings.

    .venv/bin/python bench/related_bench.py [--posts 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import datetime
import random
import statistics
import time

from corpus import SEED, TAGS_PER_POST, zipf_sampler
from midcycle.model import Post
from midcycle.related import document_frequency, rank_related


def synthetic_posts(count: int, seed: int = SEED) -> list[Post]:
    """``count`` posts, one every ~9 hours from 2010, with 3 to 8 distinct
    tags each, tag of rank r drawn with probability proportional to 1/r."""
    rng = random.Random(seed)
    draw = zipf_sampler(rng)
    start = datetime.datetime(2010, 1, 1, tzinfo=datetime.timezone.utc)
    posts = []
    for i in range(count):
        tags = draw(rng.randint(*TAGS_PER_POST))
        posts.append(Post(
            source=f"bench/{i:05d}.md",
            path=f"bench/{i % 50:02d}",
            slug=f"post-{i:05d}",
            title=f"Synthetic post {i:05d}",
            date=start + datetime.timedelta(minutes=rng.randint(8 * 60, 10 * 60) * i),
            tags=tags,
        ))
    return posts


def time_related(posts: list[Post], runs: int, limit: int = 6, workers: int = os.cpu_count() or 1) -> list[float]:
    """Seconds each of ``runs`` runs of related posts for all ``posts`` took,
    with as many processes as a build uses (``MIDCYCLE_WORKERS``: every core)."""
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        related = rank_related(posts, limit, workers=workers)
        timings.append(time.perf_counter() - began)
        assert len(related) == len(posts)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=6, help="RELATED_POSTS_MAX")
    args = parser.parse_args()

    posts = synthetic_posts(args.posts)
    df = sorted(document_frequency(posts).values(), reverse=True)
    print(f"{len(posts)} posts, {len(df)} tags, {sum(len(p.tags) for p in posts) / len(posts):.1f} tags a post; "
          f"commonest tags on {', '.join(str(n) for n in df[:5])} posts")
    timings = time_related(posts, args.runs, args.limit)
    print(f"related posts for all {len(posts)} posts: median {statistics.median(timings):.2f} s "
          f"of {args.runs} runs (min {min(timings):.2f} s, max {max(timings):.2f} s)")


if __name__ == "__main__":
    main()
