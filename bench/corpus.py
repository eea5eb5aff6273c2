"""A synthetic blog for benchmarks: ``N`` Markdown posts, fixed seed.

Shaped like the blogs midcycle is for: posts in nested paths two and three
levels deep (``project3/release12/team4``), tags drawn from a Zipf-like
distribution (a few tags on thousands of posts, most on a handful), about one
post in five in a series, and bodies with paragraphs, links, emphasis and a
fenced code block. File stems are unique across the corpus so plain Pelican,
which puts every post at ``/{slug}.html``, builds it without collisions.

Posts are about fifteen hours apart from 2006 on, closer together in a
corpus too large to end by 2025 (30,000 posts, 100,000): no post is dated in
the future, where midcycle would leave it unpublished and a large corpus
would build a smaller blog than it says.

    python bench/corpus.py OUTDIR [--posts 10000] [--seed 20140813]
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import posixpath
import random
from pathlib import Path

SEED = 20140813
FIRST_POST = datetime.datetime(2006, 1, 1, 9, 0)
LAST_POST = datetime.datetime(2025, 12, 31, 9, 0)
#: Minutes between two posts, unless the corpus would then run past LAST_POST.
SPACING = 15 * 60
VOCABULARY = 2000
TAGS_PER_POST = (3, 8)
WORDS = ("nova scheduler cells upgrade database migration placement quota api "
         "lathe bowl gouge bevel walnut finish oil wax grain spindle chuck "
         "meeting review patch release blueprint spec testing gate").split()


def tag_names(vocabulary: int = VOCABULARY) -> list[str]:
    return [f"tag{rank:04d}" for rank in range(1, vocabulary + 1)]


def zipf_sampler(rng: random.Random, vocabulary: int = VOCABULARY, exponent: float = 1.0):
    """A function drawing ``k`` distinct tags, tag of rank r with weight 1/r^exponent."""
    names = tag_names(vocabulary)
    cumulative = list(itertools.accumulate(1 / rank**exponent for rank in range(1, vocabulary + 1)))

    def draw(k: int) -> tuple[str, ...]:
        chosen: dict[str, None] = {}
        while len(chosen) < k:
            chosen[names[bisect.bisect(cumulative, rng.random() * cumulative[-1])]] = None
        return tuple(chosen)

    return draw


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    words[0] = words[0].capitalize()
    i = rng.randrange(len(words))
    words[i] = f"*{words[i]}*"
    return " ".join(words) + "."


def post_text(rng: random.Random, index: int, date: datetime.datetime, tags: tuple[str, ...],
              series: str | None, earlier: str) -> str:
    """A post's file; ``earlier`` is the relative URL of the post before it,
    which its second paragraph links to (the build warns of a broken link)."""
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(rng.randint(2, 5))]
    paragraphs.insert(1, f"See [the earlier post]({earlier}) and "
                         f"[the project site](https://example.org/{rng.choice(WORDS)}) for **details**.")
    paragraphs.append("```python\ndef step(x):\n    return x * %d  # %s\n```" % (index % 7 + 2, rng.choice(WORDS)))
    header = [f"Title: Post {index:05d}: {' '.join(rng.choice(WORDS) for _ in range(4))}",
              f"Date: {date:%Y-%m-%d %H:%M}", f"Tags: {', '.join(tags)}"]
    if series:
        header.append(f"Series: {series}")
    return "\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, posts: int, seed: int = SEED) -> list[Path]:
    """Write the corpus under ``folder``; return the post files, oldest first."""
    rng = random.Random(seed)
    draw = zipf_sampler(rng)
    spacing = min(SPACING, int((LAST_POST - FIRST_POST).total_seconds() // 60) // max(posts, 1))
    # Each post up to two thirds of the spacing late, so they stay in order.
    lateness = spacing * 2 // 3
    files = []
    earlier = "post-00000.html"  # the first post links to itself
    for index in range(posts):
        depth = rng.choice((2, 3))
        parts = [f"project{rng.randint(1, 8)}", f"release{rng.randint(1, 20)}", f"team{rng.randint(1, 5)}"][:depth]
        series = f"Meetup {parts[0]} {parts[1]}" if rng.random() < 0.2 else None
        date = FIRST_POST + datetime.timedelta(minutes=index * spacing + rng.randint(0, lateness))
        path = folder.joinpath(*parts, f"post-{index:05d}.md")
        path.parent.mkdir(parents=True, exist_ok=True)
        here = "/".join(parts)
        link = posixpath.relpath(earlier, here) if index else earlier
        path.write_text(post_text(rng, index, date, draw(rng.randint(*TAGS_PER_POST)), series, link),
                        encoding="utf-8")
        files.append(path)
        earlier = f"{here}/post-{index:05d}.html"
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    files = write_corpus(args.folder, args.posts, args.seed)
    print(f"wrote {len(files)} posts under {args.folder}")


if __name__ == "__main__":
    main()
