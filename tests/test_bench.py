"""The benchmark's own pieces (bench/), on a tiny corpus: each change it
times really reaches the page it looks at and is really undone, a change
that misses its page stops it, the dev server timing waits for the served
page, and the report gives each target the verdict its figures call for.
Nothing here is timed: speed is shown by ``make bench`` only."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, snapshot

sys.path.insert(0, str(ROOT / "bench"))
from bench import Bench, tree_differences  # noqa: E402
from changes import Change  # noqa: E402
from measure import BenchError, Run  # noqa: E402
from report import Check, Reference, Results, Scenario, latest_reference, merge, section  # noqa: E402

POSTS = 12


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A bench with its corpus, its theme and a cold build."""
    bench = Bench(tmp_path_factory.mktemp("bench"), POSTS, 1, seed=7)
    changes = {change.name: change for change in bench.prepare()}
    bench.cold_run("cold")
    return bench, changes, snapshot(bench.output)


def header(post: Path, key: str) -> str:
    return re.search(rf"^{key}: (.*)$", post.read_text(encoding="utf-8"), re.M).group(1)


def html(output: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((output / name).read_text(encoding="utf-8"), "html.parser")


def test_each_change_reaches_its_page_and_undoing_it_restores_the_cold_build(built):
    bench, changes, cold = built
    newest = bench.files[-1]
    page = newest.relative_to(bench.corpus).with_suffix(".html").as_posix()
    title = header(newest, "Title")
    tags = [tag.strip() for tag in header(newest, "Tags").split(",")]
    output = bench.output

    def rebuilt(name: str) -> Path:
        changes[name].apply()
        bench.build(name)
        changes[name].undo()
        return output

    body = html(rebuilt("body"), page).select_one("article.post .post-body").get_text()
    assert "A sentence the benchmark appended to this post." in body

    assert html(rebuilt("title"), page).select_one("article.post .post-title").get_text() == \
        f"{title} (retitled by the benchmark)"

    shown = [a.get_text() for a in html(rebuilt("tag"), page).select("article.post .post-tags a")]
    assert shown[:-1] == tags[:-1] and shown[-1] not in tags
    tag_page = html(output, f"tag/{shown[-1]}.html")
    assert f"{title}" in [a.get_text() for a in tag_page.select(".post-title a")]

    added = newest.with_name(f"post-{POSTS:05d}.md").relative_to(bench.corpus).with_suffix(".html").as_posix()
    assert html(rebuilt("add"), added).select_one(".post-title").get_text().startswith(f"Post {POSTS:05d}: ")

    css = (rebuilt("css") / "theme/css/midcycle.css").read_text(encoding="utf-8")
    bundled = (ROOT / "plugins/midcycle/theme/static/css/midcycle.css").read_text(encoding="utf-8")
    assert css.startswith(bundled) and "/* edited by the benchmark */" in css[len(bundled):]

    heading = html(rebuilt("template"), f"tag/{tags[0]}.html").select_one("h1.listing-title").get_text()
    assert heading == f"Posts tagged (the benchmark edited this template) {tags[0]}"
    # midcycle's bundled theme was never touched: the bench edits its own copy.
    assert "benchmark" not in (ROOT / "plugins/midcycle/theme/templates/tag.html").read_text(encoding="utf-8")

    bench.build("undone")
    assert snapshot(output) == cold


def test_the_bench_stops_when_a_change_does_not_reach_its_page(built):
    bench, changes, _cold = built
    body = changes["body"]
    # Saved, but the text the bench looks for is not the text written.
    missing = Change("body", "d", "the body edit", "", "", body.file, after=body.before + b"\nOther words.\n",
                     page=body.page, marker="Words nobody wrote.")
    try:
        with pytest.raises(BenchError, match="did not do its work: after the change"):
            bench.change_runs(missing)
    finally:
        missing.undo()
    bench.build("restored")


def test_the_dev_server_timing_waits_for_the_served_page_and_undoes_the_edit(built):
    bench, changes, _cold = built
    body = changes["body"]
    [scenario] = bench.server_runs([body])
    assert scenario.name == "server-body" and len(scenario.runs) == 1 and scenario.runs[0].seconds > 0
    assert scenario.runs[0].peak_kib > 0
    assert body.file.read_bytes() == body.before
    served = (bench.preview / body.page).read_text(encoding="utf-8")
    assert "A sentence the benchmark appended" not in served
    said = (bench.logs / "server.log").read_text(encoding="utf-8")
    edited = body.file.relative_to(bench.corpus).as_posix()
    # The edit and its undo, each one build of the server's.
    assert len(re.findall(rf"^midcycle: {re.escape(edited)}: \d+ files written or removed", said, re.M)) == 2


def test_tree_differences_name_every_file_not_the_same_in_both(tmp_path):
    for folder, files in (("rebuilt", {"same.html": "x", "changed.html": "old", "gone/a.rss": "y",
                                       "longer.html": "ab"}),
                          ("cold", {"same.html": "x", "changed.html": "new", "new.html": "z", "longer.html": "abc"})):
        for name, text in files.items():
            (tmp_path / folder / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / folder / name).write_text(text, encoding="utf-8")
    assert tree_differences(tmp_path / "rebuilt", tmp_path / "cold") == [
        "gone/a.rss only in the rebuilt output", "new.html only in the cold build", "changed.html differs",
        "longer.html differs"]
    assert tree_differences(tmp_path / "cold", tmp_path / "cold") == []


# -- the report, on figures made up by hand ---------------------------------

def runs(*seconds: float, mb: float = 100, progress: str = "") -> list[Run]:
    return [Run(s, int(mb * 1e6 / 1024), 1, progress) for s in seconds]


def verdicts(text: str) -> dict[str, tuple[str, str]]:
    """The targets table: each target's measured figure and result."""
    rows = re.findall(r"^\| (.+?) \| ([^|]+) \| (PASS|MISS|not measured) \|$", text, re.M)
    return {target: (measured, result) for target, measured, result in rows}


FACTS = {"date": "2026-11-30 10:00 UTC", "cores": "2 cores", "cpu": "a CPU", "memory": "1 GB", "system": "Linux",
         "python": "3.11", "pelican": "4.12", "midcycle": "abc1234"}


def test_the_targets_at_10000_posts_get_the_verdicts_their_figures_call_for():
    template = "midcycle: 10000 posts (3 read), 35000 pages and feeds: 600 rendered, 600 written, 34400 unchanged, 9 s"
    results = Results(10_000, [
        Scenario("pelican", "a", "Pelican", runs(100, 90, 110), "pelican"),
        Scenario("cold", "b", "cold", runs(20, 30, 25, mb=1200)),     # median 25: 0.25, on the limit
        Scenario("body", "d", "body", runs(2, 2, 2)),                 # 0.02
        Scenario("title", "e", "title", runs(4, 4, 4)),               # 0.04
        Scenario("noop", "c", "noop", runs(1.5, 1.5, 1.5)),           # 0.015
        Scenario("css", "h", "css", runs(5, 5, 5)),                   # 2.5 × the body edit
        Scenario("template", "i", "template", runs(3, 3, 3, progress=template)),
        Scenario("server-body", "j", "server body", runs(0.5, 1.4, 0.7), "server"),
        Scenario("server-title", "k", "server title", runs(1.0, 1.0, 1.0, mb=5000), "server"),
    ])
    text = section(results, "bench/bench.py --posts 10000", FACTS, 3, 7, {}, ("1", "1"))
    found = verdicts(text)
    assert found["(b) cold build ≤ 0.25 × (a) (issue 17)"] == ("0.250 ×", "PASS")
    assert found["(d) rebuild after the body edit ≤ 0.03 × (a) (issue 17)"] == ("0.020 ×", "PASS")
    assert found["(e) rebuild after the title edit ≤ 0.03 × (a) (issue 17)"] == ("0.040 ×", "MISS")
    assert found["(f) rebuild after the tag edit ≤ 0.03 × (a) (issue 17)"] == ("–", "not measured")
    assert found["(c) rebuild with nothing changed ≤ 0.02 × (a) (issue 17)"] == ("0.015 ×", "PASS")
    # The dev server's 5 GB is no build's; the cold build's 1.2 GB is.
    assert found["peak memory of every midcycle build < 1 GB"] == ("1200 MB", "MISS")
    assert found["(h) rebuild after the CSS edit ≤ about 2 × (d) the body edit (issue 12)"] == ("2.50 ×", "MISS")
    assert found["(i) rebuild after the template edit reads no post (issue 12)"] == ("3 posts read", "MISS")
    assert found["(j) dev server, body edit to page served, median < 1 s (issue 13)"] == ("0.70 s", "PASS")
    assert found["(k) dev server, title edit to page served, median < 1 s (issue 13)"] == ("1.00 s", "MISS")
    assert found["every incremental rebuild byte-identical to a cold build (issues 12, 17)"] == ("–", "not measured")
    assert "| (i) template | 3.00 | 3.00–3.00 | 100 | 0.030 | 1.00 | 3 / 600 / 600 |" in text
    assert text.startswith("## 10,000 posts\n") and "stated for 10,000 posts" in text


def test_without_pelican_the_ratios_are_not_measured_and_30000_posts_use_the_latest_10000_run(tmp_path):
    for stamp, title in (("20261128T100000", [9.0, 9.0, 9.0]), ("20261129T100000", [5.0, 6.0, 7.0])):
        raw = {"facts": {"date": f"{stamp[:8]} UTC"}, "scenarios": {"title": {"runs": [{"seconds": s} for s in title]}}}
        (tmp_path / f"bench-10000-{stamp}.json").write_text(json.dumps(raw), encoding="utf-8")
    # A later 10,000-post run that measured only the cold build has no title edit to offer.
    (tmp_path / "bench-10000-20261130T100000.json").write_text(
        json.dumps({"facts": {"date": "x"}, "scenarios": {"cold": {"runs": [{"seconds": 1}]}}}), encoding="utf-8")
    reference = latest_reference(tmp_path)
    assert reference == Reference("bench-10000-20261129T100000.json", "20261129 UTC", 6.0)

    results = Results(30_000, [Scenario("noop", "c", "noop", runs(4, 6, 5)),
                               Scenario("title", "e", "title", runs(19, 17, 18))], reference=reference,
                      checks=[Check("(d) the body edit", []), Check("(e) the title edit", ["index.html differs"])])
    text = section(results, "bench/bench.py --posts 30000 --peers none", FACTS, 3, 7, {}, ("1", "1"))
    found = verdicts(text)
    assert found["(c) rebuild with nothing changed ≤ 5 s (issue 17)"] == ("5.00 s", "PASS")
    assert found["(e) title edit ≤ 3 × the title edit at 10,000 posts (6.00 s in bench-10000-20261129T100000.json, "
                 "measured 20261129 UTC) (issue 17)"] == ("3.00 ×", "PASS")
    assert found["every incremental rebuild byte-identical to a cold build (issues 12, 17)"] == ("1 differ", "MISS")
    assert "after (e) the title edit: 1 differ (index.html differs)" in text
    assert "| (c) noop | 5.00 | 4.00–6.00 | 100 | – | – |  |" in text
    assert "no ratios" in text

    missing = Results(30_000, results.scenarios)
    assert verdicts(section(missing, "", FACTS, 3, 7, {}, ("1", "1")))[
        "(e) title edit ≤ 3 × the title edit at 10,000 posts (missing: no 10,000-post results with a title edit "
        "in bench/results/) (issue 17)"] == ("–", "not measured")


def test_the_100000_post_cold_build_is_held_to_its_own_targets():
    results = Results(100_000, [Scenario("cold", "b", "cold", runs(400, mb=1900))])
    found = verdicts(section(results, "", FACTS, 1, 7, {}, ("1", "1")))
    assert found == {"(b) cold build < 6 minutes (issue 17)": ("400 s", "MISS"),
                     "peak memory of every midcycle build < 2 GB": ("1900 MB", "PASS")}


def test_a_run_replaces_the_section_of_its_size_and_keeps_the_others():
    old = ("# midcycle benchmark\n\nold words\n\n## 10,000 posts\n\nten thousand, superseded\n\n"
           "## 100,000 posts\n\na hundred thousand\n")
    text = merge(old, 30_000, "## 30,000 posts\n\nthirty thousand\n")
    text = merge(text, 10_000, "## 10,000 posts\n\nten thousand, after\n")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == ["10,000 posts", "30,000 posts", "100,000 posts"]
    assert "ten thousand, after" in text and "superseded" not in text
    assert "thirty thousand" in text and "a hundred thousand" in text
    assert "old words" not in text and text.startswith("# midcycle benchmark\n")
