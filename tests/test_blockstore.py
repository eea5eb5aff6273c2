"""The rendered post blocks kept between builds (blockstore.py): kept and
found again by another process, added to by forked workers side by side, a
damaged file dropped, stale blocks forgotten; and a real rebuild's listing
pages made from the blocks an earlier build rendered."""

from __future__ import annotations

import logging
import sqlite3

from markupsafe import Markup

from conftest import run_build, write_post
from midcycle.blockstore import NAME, BlockStore
from midcycle.processes import PARALLEL_FROM, in_parallel

SITEURL = "http://blog.test"


def test_a_block_is_found_by_the_next_process_as_it_was_kept(tmp_path):
    path = tmp_path / "blocks.sqlite"
    kept = BlockStore(path)
    kept["d1"] = Markup("<article>One &amp; two</article>"), True
    kept["d2"] = Markup("<article>Two</article>"), False
    found = BlockStore(path)  # as the next build opens it
    assert "d3" not in found
    assert found["d1"] == (Markup("<article>One &amp; two</article>"), True)
    assert isinstance(found["d1"][0], Markup)  # not escaped again where a template shows it
    assert found["d2"] == (Markup("<article>Two</article>"), False)
    assert found.stored() == 2


def test_memory_holds_the_most_recently_used_blocks_within_the_budget_and_the_rest_stay_found(tmp_path):
    store = BlockStore(tmp_path / "blocks.sqlite", budget=25)
    store["a"] = Markup("a" * 10), False
    store["b"] = Markup("b" * 10), False
    assert store["a"][0] == "a" * 10  # a is now used more recently than b
    store["c"] = Markup("c" * 10), True  # 30 characters: the least recently used goes
    assert set(store.known) == {"a", "c"}
    assert store.kept == 20
    assert store["b"] == (Markup("b" * 10), False)  # read from the database again
    assert set(store.known) == {"c", "b"}
    store["huge"] = Markup("h" * 100), False  # over the budget on its own: kept until the next
    assert list(store.known) == ["huge"]
    del store["huge"]
    assert store.kept == 0 and not store.known
    assert [store[digest][0][0] for digest in "abc"] == ["a", "b", "c"]


def test_forked_workers_add_blocks_side_by_side(tmp_path):
    path = tmp_path / "blocks.sqlite"
    store = BlockStore(path)  # opened by the parent, as a build does before it forks
    store["before"] = Markup("made before the fork"), False

    def render(chunk: list[int]) -> list[int]:
        for number in chunk:
            store[f"d{number}"] = Markup(f"<p>{number}</p>"), False
            assert store["before"][0] == "made before the fork"
        return chunk

    numbers = list(range(PARALLEL_FROM))
    assert sum(in_parallel(numbers, render, workers=2), []) == numbers
    found = BlockStore(path)
    assert found.stored() == PARALLEL_FROM + 1
    assert all(found[f"d{number}"] == (Markup(f"<p>{number}</p>"), False) for number in numbers)


def test_a_damaged_file_is_dropped_with_a_warning_and_blocks_are_rendered_afresh(tmp_path, caplog):
    path = tmp_path / "blocks.sqlite"
    path.write_bytes(b"not a database, but long enough to look like one's header" * 20)
    with caplog.at_level(logging.WARNING):
        store = BlockStore(path)
        assert "d1" not in store
        store["d1"] = Markup("<p>kept in memory</p>"), False
    assert str(path) in caplog.text and "rendered afresh" in caplog.text
    assert store["d1"][0] == "<p>kept in memory</p>"  # this build goes on
    assert not path.exists()  # and the next starts afresh
    BlockStore(path)["d2"] = Markup("<p>2</p>"), False
    assert BlockStore(path)["d2"][0] == "<p>2</p>"


def test_keep_only_forgets_every_other_block(tmp_path):
    store = BlockStore(tmp_path / "blocks.sqlite")
    for number in range(5):
        store[f"d{number}"] = Markup(str(number)), False
    store.keep_only(["d1", "d3", "not stored"])
    found = BlockStore(tmp_path / "blocks.sqlite")
    assert found.stored() == 2 and "d1" in found and "d3" in found and "d0" not in found


def stored_blocks(cache) -> dict[str, str]:
    with sqlite3.connect(cache / NAME) as db:
        return dict(db.execute("SELECT digest, html FROM blocks"))


def test_a_rebuild_shows_on_its_listings_the_blocks_an_earlier_build_rendered(tmp_path, content):
    write_post(content, "wood/bowl.md", "A walnut bowl", "2014-08-13 10:00", tags="wood", body="Bowl words.")
    write_post(content, "wood/spoon.md", "A cherry spoon", "2014-08-20 10:00", tags="wood", body="Spoon words.")
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert run_build(content, output, SITEURL, CACHE_PATH=str(cache)).returncode == 0
    blocks = stored_blocks(cache)
    bowl = [digest for digest, html in blocks.items() if "Bowl words." in html]
    assert len(blocks) == 2 and len(bowl) == 1
    # Marked in the store: a listing rendered again takes the bowl's block
    # from there instead of rendering it.
    with sqlite3.connect(cache / NAME) as db:
        db.execute("UPDATE blocks SET html = replace(html, 'Bowl words.', 'Bowl words, from the store.')")
    (content / "wood/spoon.md").write_text(
        (content / "wood/spoon.md").read_text(encoding="utf-8").replace("Spoon words.", "Spoon words, edited."),
        encoding="utf-8")
    assert run_build(content, output, SITEURL, CACHE_PATH=str(cache)).returncode == 0
    listing = (output / "wood/index.html").read_text(encoding="utf-8")
    assert "Spoon words, edited." in listing and "Bowl words, from the store." in listing


def test_blocks_of_posts_as_they_were_are_forgotten_once_they_outnumber_the_posts(tmp_path, content):
    write_post(content, "wood/bowl.md", "A walnut bowl", "2014-08-13 10:00", tags="wood")
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert run_build(content, output, SITEURL, CACHE_PATH=str(cache)).returncode == 0
    store = BlockStore(cache / NAME)
    for number in range(200):  # more than 2 per post and 100 besides
        store[f"stale{number}"] = Markup("<p>old</p>"), False
    write_post(content, "wood/spoon.md", "A cherry spoon", "2014-08-20 10:00", tags="wood")
    assert run_build(content, output, SITEURL, CACHE_PATH=str(cache)).returncode == 0
    left = stored_blocks(cache)
    assert not [digest for digest in left if digest.startswith("stale")]
    assert len(left) == 2  # the blocks of the two posts as they are


def test_a_cache_folder_it_cannot_write_in_costs_the_blocks_not_the_build(tmp_path, caplog):
    (tmp_path / "cache").write_text("a file where the cache folder goes", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        store = BlockStore(tmp_path / "cache" / "blocks.sqlite")
        store["d1"] = Markup("<p>1</p>"), False
    assert store["d1"][0] == "<p>1</p>" and "rendered afresh" in caplog.text
    assert (tmp_path / "cache").read_text(encoding="utf-8") == "a file where the cache folder goes"
