"""The search index in real builds: made by Pagefind only with
SEARCH_INDEX, holding every published post and nothing else, written like
any output (restored when damaged, removed when no longer made, untouched
by a failed build). The browser tests search it."""

from __future__ import annotations

import gzip
import json
import os

from conftest import SITEURL, failing_build, run_build, snapshot, write_post

#: Pagefind's compressed files start with this after gunzip.
SIGNATURE = b"pagefind_dcd"


def fragments(output) -> dict[str, dict]:
    """Each indexed page's record, by URL (Pagefind's fragments are gzipped JSON)."""
    found = {}
    for path in (output / "pagefind/fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE)
        record = json.loads(data[len(SIGNATURE):])
        found[record["url"]] = record
    return found


def small_site(content):
    write_post(content, "openstack/juno/db2.md", "DB2 support", "2014-08-13 23:57", body="Ardvarks & <b>bold</b> text.")
    write_post(content, "wood/bowl.md", "A bowl", "2015-02-01 12:00", body="Sycamore shavings.")
    write_post(content, "wood/secret.md", "Secret", "2015-02-02 12:00", status="draft", body="Unpublished quokka.")


def test_without_search_index_there_is_no_index_and_the_page_says_so(content, build):
    small_site(content)
    site = build(content)
    assert not [name for name in site.files() if name.startswith("pagefind/")]
    form = site.html("search.html").select_one("form.search-form")
    assert not form.has_attr("data-bundle")
    assert form["action"] == f"{SITEURL}/search.html"


def test_the_index_holds_every_published_post_and_no_draft(content, build):
    small_site(content)
    site = build(content, SEARCH_INDEX=True)
    form = site.html("search.html").select_one("form.search-form")
    assert form["data-bundle"] == f"{SITEURL}/pagefind/pagefind.js"
    assert form["data-root"] == "/"
    files = [name for name in site.files() if name.startswith("pagefind/")]
    for needed in ("pagefind/pagefind.js", "pagefind/pagefind-worker.js", "pagefind/pagefind-entry.json",
                   "pagefind/wasm.en.pagefind"):
        assert needed in files
    # Pagefind's own search interfaces are not used, so not published.
    assert not [name for name in files if "-ui." in name or "highlight" in name]
    records = fragments(site.output)
    assert sorted(records) == ["/openstack/juno/db2.html", "/wood/bowl.html"]
    db2 = records["/openstack/juno/db2.html"]
    assert db2["meta"]["title"] == "DB2 support"
    assert db2["meta"]["date"] == "2014-08-13"
    assert "Ardvarks" in db2["content"]
    assert not any("quokka" in record["content"] for record in records.values())
    entry = json.loads(site.file("pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2


def test_the_index_is_an_output_like_any_other(content, tmp_path):
    small_site(content)
    output, cache = tmp_path / "site", tmp_path / "cache"

    def rebuild(**settings):
        result = run_build(content, output, CACHE_PATH=str(cache), **settings)
        assert result.returncode == 0, result.stderr
        return snapshot(output)

    first = rebuild(SEARCH_INDEX=True)
    # Damaged or removed in the output: made again by the next build that
    # runs (a post touched, the same bytes: the posts and so the index's
    # record in the cache are as before), the same bytes.
    (output / "pagefind/pagefind.js").unlink()
    fragment = next((output / "pagefind/fragment").iterdir())
    fragment.write_bytes(b"damaged")
    later = (content / "wood/bowl.md").stat().st_mtime + 60
    os.utime(content / "wood/bowl.md", (later, later))
    assert rebuild(SEARCH_INDEX=True) == first
    # The same posts make the same index; a changed post, a new one.
    write_post(content, "wood/bowl.md", "A bowl", "2015-02-01 12:00", body="Walnut shavings.")
    changed = rebuild(SEARCH_INDEX=True)
    assert changed["pagefind/pagefind.js"] == first["pagefind/pagefind.js"]
    assert "walnut" in json.dumps(fragments(output)).lower()
    # A failed build leaves the index as it was.
    write_post(content, "wood/broken.md", "Broken", "2014-02-30 10:00")
    text = failing_build(content, output, CACHE_PATH=str(cache), SEARCH_INDEX=True)
    assert "wood/broken.md" in text
    assert snapshot(output) == changed
    (content / "wood/broken.md").unlink()
    # Switched off: the index goes with the rest of what the build no longer makes.
    after = rebuild()
    assert not [name for name in after if name.startswith("pagefind/")]
    # Pagefind worked in the cache folder and left nothing behind there or in the content.
    assert not [path for path in cache.rglob("search-*") if path.is_dir()]
    assert not [path for path in content.rglob("*") if "pagefind" in path.name]
