"""Related posts as a pure function of Post values: the expected lists below
are worked out by hand from the formula in midcycle/related.py,

    score(p, q) = sum over shared tags t of 1 + ln(N / df(t)),

ranked by score, then closeness in time, then title (case-insensitively),
then key. The arithmetic is in the comments."""

from __future__ import annotations

import dataclasses
import datetime
import math
import random

import pytest

from midcycle.errors import BuildError
from midcycle.memo import LatestResult, remembered
from midcycle.indexes import build_site
from midcycle.model import Post
from midcycle.related import (document_frequency, exact_score, pin_key, rank_related, ranking, related_index,
                              resolve_pins, tag_weight)

UTC = datetime.timezone.utc


def post(slug: str, day: int, tags: str, title: str | None = None, related: tuple[str, ...] = (),
         path: str = "p", hour: int = 12) -> Post:
    return Post(source=f"{path}/{slug}.md", path=path, slug=slug, title=title or f"Post {slug}",
                date=datetime.datetime(2015, 3, day, hour, tzinfo=UTC),
                tags=tuple(t for t in tags.split() if t), related=related)


# N = 8 posts. df: common 8, half 4 (a c d e), y 3 (d e h), pair 2 (a b), x 1, x2 1.
# Weights 1 + ln(8/df): common 1.000, half 1 + ln 2 = 1.693, y 1 + ln(8/3) = 1.981,
#                       pair 1 + ln 4 = 2.386.
CORPUS = [
    post("a", 10, "common half pair x"),
    post("b", 1, "common pair"),
    post("c", 12, "common half"),
    post("d", 9, "common half y", title="Zebra crossings"),
    post("e", 11, "common half y", title="apple harvest"),
    post("f", 3, "common"),
    post("g", 20, "common x2"),
    post("h", 5, "common y"),
]


def keys(*slugs: str) -> tuple[str, ...]:
    return tuple(f"p/{slug}" for slug in slugs)


def test_weights_follow_the_formula():
    df = document_frequency(CORPUS)
    assert df == {"common": 8, "half": 4, "y": 3, "pair": 2, "x": 1, "x2": 1}
    assert tag_weight(8, 8) == 1.0                            # a tag on every post counts 1
    assert tag_weight(2, 8) == pytest.approx(1 + math.log(4))  # 2.386
    assert tag_weight(1, 8) > tag_weight(2, 8) > tag_weight(4, 8) > tag_weight(8, 8)


def test_hand_worked_lists():
    related = rank_related(CORPUS, 6)
    # a (day 10): b common+pair 1 + 2.386 = 3.386; c, d, e common+half 2.693;
    # f, g, h common 1.000. Among c d e: d and e are 1 day away, c 2 days;
    # d and e tie on time too, so title decides, case-insensitively: "apple
    # harvest" (e) before "Zebra crossings" (d) although "Z" < "a" in ASCII.
    # Then the 1.000s by distance: h 5 days, f 7, g 10; six fit, g does not.
    assert related["p/a"] == keys("b", "e", "d", "c", "h", "f")
    # b (day 1): a 3.386; everyone else shares only "common" (1.000), so by
    # distance: f 2 days, h 4, d 8, e 10, c 11 (g, 19 days, is seventh).
    assert related["p/b"] == keys("a", "f", "h", "d", "e", "c")
    # d (day 9): e common+half+y 1 + 1.693 + 1.981 = 4.674; h common+y 2.981;
    # a, c common+half 2.693 (a 1 day away, c 3); b, f, g 1.000 (f 6, b 8, g 11).
    assert related["p/d"] == keys("e", "h", "a", "c", "f", "b")
    # g (day 20) shares only "common" with all, so nearest first: c 8 days,
    # e 9, a 10, d 11, h 15, f 17; b (19 days) is seventh and cut.
    assert related["p/g"] == keys("c", "e", "a", "d", "h", "f")


def test_a_rare_shared_tag_beats_a_common_one():
    # b and c each share two tags with a, but b's "pair" (df 2, 2.386) is
    # rarer than c's "half" (df 4, 1.693): 3.386 > 2.693, although c is closer
    # in time (2 days against 9). Plain overlap counting would rank c first.
    related = rank_related(CORPUS, 6)["p/a"]
    assert related.index("p/b") < related.index("p/c")


def test_limit_never_self_and_only_posts_that_share_a_tag():
    related = rank_related(CORPUS + [post("lonely", 2, "nothing-shared"), post("bare", 2, "")], 3)
    assert related["p/a"] == keys("b", "e", "d")     # the first three of the six above
    assert all(key not in keys_ for key, keys_ in related.items())
    assert related["p/lonely"] == ()
    assert related["p/bare"] == ()
    assert all("p/lonely" not in keys_ and "p/bare" not in keys_ for keys_ in related.values())


def test_equal_scores_on_paper_tie_for_real_and_time_decides():
    # N = 12. df: duo 2 (p q), eight 8 (p q s1..s6), f1 4 (p r s1 s2),
    # f2 4 (p r s3 s4), other 3 (u1..u3).
    # q shares duo+eight: (1 + ln 6) + (1 + ln 1.5) = 2 + ln 9 = 4.197
    # r shares f1+f2:     (1 + ln 3) + (1 + ln 3)   = 2 + ln 9 = 4.197, a tie,
    # s1..s4 share eight and an f: 2 + ln 4.5 = 3.504; s5, s6 eight: 1.405.
    # In floating point the two sums differ in the last bit, so a naive sum
    # would always put r first:
    assert tag_weight(2, 12) + tag_weight(8, 12) < tag_weight(4, 12) + tag_weight(4, 12)
    assert exact_score([2, 8], 12) == exact_score([4, 4], 12)

    def corpus(q_day: int, r_day: int) -> list[Post]:
        return [
            post("p", 15, "duo eight f1 f2"), post("q", q_day, "duo eight"), post("r", r_day, "f1 f2"),
            post("s1", 1, "eight f1"), post("s2", 2, "eight f1"), post("s3", 3, "eight f2"),
            post("s4", 4, "eight f2"), post("s5", 5, "eight"), post("s6", 6, "eight"),
            post("u1", 7, "other"), post("u2", 8, "other"), post("u3", 9, "other"),
        ]

    # Then the 3.504s by distance to day 15: s4 11 days, s3 12, s2 13, s1 14.
    assert rank_related(corpus(q_day=14, r_day=20), 6)["p/p"] == keys("q", "r", "s4", "s3", "s2", "s1")
    assert rank_related(corpus(q_day=20, r_day=14), 6)["p/p"] == keys("r", "q", "s4", "s3", "s2", "s1")


def test_last_tie_break_is_the_key():
    # Same tags, same moment, same title: only the key tells them apart.
    posts = [post("x", 5, "t"), post("b", 9, "t", title="Same", path="two"),
             post("a", 9, "t", title="Same", path="one")]
    assert rank_related(posts, 6)["p/x"] == ("one/a", "two/b")


def test_input_order_does_not_matter():
    shuffled = CORPUS[:]
    random.Random(3).shuffle(shuffled)
    assert rank_related(shuffled, 6) == rank_related(CORPUS, 6)


def reference(posts: list[Post], limit: int) -> dict[str, tuple[str, ...]]:
    """The definition, all pairs, for checking the indexed version."""
    df = document_frequency(posts)
    result = {}
    for p in posts:
        ranked = sorted(
            (-exact_score([df[t] for t in set(p.tags) & set(q.tags)], len(posts)),
             abs(p.date - q.date), q.title.casefold(), q.title, q.key)
            for q in posts if q is not p and set(p.tags) & set(q.tags))
        result[p.key] = tuple(row[-1] for row in ranked[:limit])
    return result


@pytest.mark.parametrize("seed", range(6))
def test_index_agrees_with_all_pairs_on_random_corpora(seed):
    # Few tags, skewed, and coarse dates: many ties, so every tie-break and
    # the early stop of the indexed walk get exercised.
    rng = random.Random(seed)
    vocabulary = [f"t{i}" for i in range(12)]
    posts = [
        post(f"n{i:03d}", rng.randint(1, 28), " ".join(rng.choices(vocabulary, weights=[1 / (r + 1) for r in
             range(12)], k=rng.randint(0, 5))), title=rng.choice(["Alpha", "beta", "Gamma"]),
             hour=rng.choice([0, 12]))
        for i in range(150)
    ]
    for limit in (1, 4, 6, 20):
        assert rank_related(posts, limit) == reference(posts, limit)


def tie_heavy_posts(rng: random.Random, vocabulary: list[str], fewest_tags: int) -> list[Post]:
    """120 posts with few tags, few titles and coarse dates: many ties."""
    return [
        post(f"n{i:03d}", rng.randint(1, 28), " ".join(rng.choices(vocabulary, k=rng.randint(fewest_tags, 4))),
             title=rng.choice(["Alpha", "beta", "Gamma"]), hour=rng.choice([0, 12]))
        for i in range(120)
    ]


@pytest.mark.parametrize("seed", range(4))
def test_remembered_lists_after_title_edits_agree_with_all_pairs(seed):
    # The same tie-heavy corpora; a few titles change at a time, and the
    # lists ranked again only where a title decided must be the definition's.
    rng = random.Random(seed)
    posts = tie_heavy_posts(rng, [f"t{i}" for i in range(12)], 1)
    rank = remembered(ranking, {})
    for _edit in range(5):
        for i in rng.sample(range(len(posts)), 3):
            posts[i] = dataclasses.replace(posts[i], title=rng.choice(["Alpha", "beta", "Gamma", "delta"]))
        assert related_index(posts, 4, rank)[0] == reference(posts, 4)


@pytest.mark.parametrize("seed", range(4))
def test_remembered_lists_after_tag_and_title_edits_agree_with_all_pairs(seed):
    # Tags added, dropped or swapped on a few posts at a time (sometimes
    # with a title too): the lists ranked again only where a changed tag
    # weight or a title can reach must be the definition's, every time.
    rng = random.Random(seed)
    vocabulary = [f"t{i}" for i in range(10)]
    posts = tie_heavy_posts(rng, vocabulary, 0)
    calls = []
    rank = remembered(counting_ranking(calls), {})
    for _edit in range(6):
        for i in rng.sample(range(len(posts)), rng.randint(1, 3)):
            tags = tuple(dict.fromkeys(rng.choices(vocabulary, k=rng.randint(0, 4))))
            title = rng.choice(["Alpha", "beta", "delta", posts[i].title])
            posts[i] = dataclasses.replace(posts[i], tags=tags, title=title)
        assert related_index(posts, 4, rank)[0] == reference(posts, 4)
    assert calls[0] is None and all(only is not None for only in calls[1:])  # never all of them again


def test_pins_come_first_in_the_order_written_and_count_towards_the_limit():
    posts = [post("a", 10, "common half pair x", related=("p/g", "/p/f.html"))] + CORPUS[1:]
    related, problems = related_index(posts, 4)
    assert problems == []
    # g and f pinned, then the two best scored that are not pinned: b, e.
    assert related["p/a"] == keys("g", "f", "b", "e")
    # Pins are one-way: g's own list is scored as before (the first four of
    # its hand-worked list in test_hand_worked_lists).
    assert related["p/g"] == keys("c", "e", "a", "d")


def test_pin_names_are_url_paths():
    assert pin_key(" /openstack/juno/db2-support.html ") == "openstack/juno/db2-support"
    assert pin_key("openstack/juno/db2-support") == "openstack/juno/db2-support"
    assert pin_key("top-level.html") == "top-level"


def test_bad_pins_are_problems_naming_the_file():
    posts = [post("a", 1, "t", related=("p/missing", "p/a")),
             post("b", 2, "t", related=("p/a", "p/c", "p/d")),
             post("c", 3, "t"), post("d", 4, "t")]
    pins, problems = resolve_pins(posts, 2)
    assert pins["p/a"] == ()                       # bad names are dropped, never guessed
    assert len(problems) == 3
    assert any(p.startswith("p/a.md:") and "'p/missing' is not a published post" in p for p in problems)
    assert any(p.startswith("p/a.md:") and "names the post itself" in p for p in problems)
    assert any(p.startswith("p/b.md:") and "names 3 posts but RELATED_POSTS_MAX is 2" in p for p in problems)


@pytest.mark.parametrize("name", ["/", " / ", ".html", "/.html"])
def test_a_pin_naming_no_post_at_all_is_a_problem(name):
    posts = [post("a", 1, "t", related=(name,)), post("b", 2, "t")]
    pins, problems = resolve_pins(posts, 2)
    assert pins["p/a"] == ()
    assert problems == ["p/a.md: Related: names the site's address alone, not a post "
                        "(name a post by its URL path, e.g. 'openstack/juno/db2-support')"]


def test_build_site_fills_related_and_fails_on_bad_pins():
    site = build_site(CORPUS, related_max=2)
    assert site.related["p/a"] == keys("b", "e")
    with pytest.raises(BuildError) as error:
        build_site(CORPUS + [post("z", 1, "common", related=("p/draft-post",))])
    assert "p/z.md" in str(error.value) and "p/draft-post" in str(error.value)


def test_two_processes_rank_what_one_ranks():
    from midcycle.processes import PARALLEL_FROM

    rng = random.Random(11)
    vocabulary = [f"t{i}" for i in range(40)]
    posts = [post(f"n{i:04d}", rng.randint(1, 28), " ".join(rng.sample(vocabulary, rng.randint(1, 5))))
             for i in range(PARALLEL_FROM + 50)]
    one = rank_related(posts, 6)
    two = rank_related(posts, 6, workers=2)
    assert two == one
    assert list(two) == [p.key for p in posts]


def counting_ranking(calls: list):
    """``ranking``, noting which posts each call ranks (``None``: all)."""
    def rank(posts, limit, pins, only=None):
        calls.append(None if only is None else sorted(only))
        return ranking(posts, limit, pins, only=only)
    return rank


def test_a_memo_reuses_lists_ranked_from_the_same_inputs_only():
    calls = []
    memo = {}
    rank = remembered(counting_ranking(calls), memo)
    first, _ = related_index(CORPUS, 3, rank)
    assert calls == [None] and first == rank_related(CORPUS, 3)
    # A new body changes nothing the ranking reads: the remembered lists come back.
    edited = [dataclasses.replace(p, body="<p>rewritten</p>") if p.slug == "a" else p for p in CORPUS]
    again, _ = related_index(edited, 3, rank)
    assert again is first and calls == [None]
    # c trades "half" for "pair": the lists of c and of every post carrying
    # half or pair (whose weights changed) are ranked again, no others (f, g
    # and h carry only common and y, x2, whose weights stayed).
    retagged = [dataclasses.replace(p, tags=("common", "pair")) if p.slug == "c" else p for p in CORPUS]
    changed, _ = related_index(retagged, 3, rank)
    assert calls == [None, list(keys("a", "b", "c", "d", "e"))] and changed == rank_related(retagged, 3)
    assert changed["p/a"] != first["p/a"]
    # Keys, dates or pins changing rank everything afresh.
    moved = [dataclasses.replace(p, date=p.date + datetime.timedelta(hours=1)) if p.slug == "f" else p
             for p in retagged]
    assert related_index(moved, 3, rank)[0] == rank_related(moved, 3) and calls[-1] is None


def test_a_new_title_ranks_again_only_the_lists_it_decided():
    calls = []
    rank = remembered(counting_ranking(calls), {})
    first, _ = related_index(CORPUS, 3, rank)
    # For a (day 10): b scores 3.386 (common, pair); d (day 9) and e (day 11)
    # both 2.693 (common, half) one day away: their titles decide, "apple
    # harvest" before "Zebra crossings". No other list has d in such a tie.
    assert first["p/a"] == keys("b", "e", "d")
    renamed = [dataclasses.replace(p, title="Aardvark") if p.slug == "d" else p for p in CORPUS]
    again, _ = related_index(renamed, 3, rank)
    assert calls == [None, ["p/a"]]
    assert again["p/a"] == keys("b", "d", "e")
    assert again == rank_related(renamed, 3)
    # A title no tie depends on ranks nothing.
    retitled = [dataclasses.replace(p, title="Something else") if p.slug == "g" else p for p in renamed]
    assert related_index(retitled, 3, rank)[0] == again and calls == [None, ["p/a"]]


def test_latest_result_keeps_one_value_on_disk(tmp_path):
    memo = LatestResult(tmp_path / "cache" / "related.pickle")
    assert memo.get("k1") is None
    memo["k1"] = {"p/a": ("p/b",)}
    assert LatestResult(tmp_path / "cache" / "related.pickle").get("k1") == {"p/a": ("p/b",)}
    memo["k2"] = {"p/a": ()}
    assert memo.get("k1") is None and memo.get("k2") == {"p/a": ()}
    (tmp_path / "cache" / "related.pickle").write_bytes(b"not a pickle")
    assert LatestResult(tmp_path / "cache" / "related.pickle").get("k2", "missing") == "missing"
    assert not (tmp_path / "cache" / "related.pickle").exists()  # dropped


def test_a_latest_result_kept_in_memory_reads_its_file_once_and_never_writes_it(tmp_path):
    path = tmp_path / "related.pickle"
    LatestResult(path)["k1"] = "on disk"
    kept = LatestResult(path, write=False)
    assert kept.get("k1") == "on disk"
    path.unlink()
    assert kept.get("k1") == "on disk"  # from memory
    kept["k2"] = "in memory"
    assert kept.get("k2") == "in memory" and kept.get("k1") is None and not path.exists()
