"""The dev server's session (session.py): builds again and again in one
process, as ``make devserver`` does them, through ``safe_build`` with a
``Session`` and drafts shown.

- The early page: after an edit of a few posts (1 to ``EDITED_SHOWN_FIRST``
  read), the build gives ``Session.page_ready`` each read post's own page
  before it writes that page, with the very bytes it then writes; after a
  first build or an edit of more posts, nothing. A build that fails, before
  or after the early page, leaves the output folder as it was.
- The remembered inventory: what the output folder holds, kept from one
  session build to the next instead of walking the folder, and dropped
  when another build rewrote the folder's record. A file put in the folder
  by hand is never removed, a deleted post's page is, and the output is
  what a cold build of the same content makes.
- ``server.News``, without HTTP: early pages stored and announced, not
  while the last build failed, and not announced again once the build
  that made them finishes.
- Garbage: a build collects it only where it is made (reading, comments
  among them), and the server collects what each build left.

Every build is a real Pelican build of a small content tree in tmp_path.
"""

from __future__ import annotations

import gc
import json
import queue
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest

import midcycle.comments
from conftest import ROOT, run_build, snapshot, write_comment, write_post
from midcycle.build import Outcome, pelican_arguments, safe_build
from midcycle.commit import fresh_folder, owned_files, read_record, record_stamp, write_record
from midcycle.plugin import EDITED_SHOWN_FIRST
from midcycle.rewrite import absolute_links
from midcycle.server import News, Saves, build_and_tell
from midcycle.session import Session

#: The dev server's address, as ``make devserver`` gives it.
SITEURL = "http://127.0.0.1:8000"

#: source: (title, date, tags). More posts than EDITED_SHOWN_FIRST, so a
#: first build reads too many for an early page.
POSTS = {
    "wood/bowl.md": ("A walnut bowl", "2014-08-13 10:00", "wood, lathe"),
    "wood/spoon.md": ("A cherry spoon", "2014-08-20 10:00", "wood, spoon-carving"),
    "openstack/juno/nova.md": ("Nova at the Juno meetup", "2014-07-28 10:00", "nova"),
    "openstack/juno/cells.md": ("Cells v2", "2014-07-29 10:00", "nova, cells"),
    "openstack/kilo/ironic.md": ("Ironic at the Kilo meetup", "2015-02-03 10:00", "ironic"),
}
BOWL = "wood/bowl.md"


def page_of(source: str) -> str:
    """The output file of a post's own page."""
    return source.removesuffix(".md") + ".html"


def site_files(folder: Path) -> dict[str, bytes]:
    """The site's files and their bytes: all but midcycle's own folder (as
    conftest's ``BuiltSite.files`` counts them)."""
    return {name: data for name, data in snapshot(folder).items() if not name.startswith(".midcycle/")}


@dataclass
class EarlyPage:
    """One call of ``Session.page_ready``, and what the output held then."""

    file: str
    content: bytes
    in_output_then: bytes | None
    """The file in the output folder when the page came."""
    in_fresh_folder_then: bool
    """Whether the build had written it into its fresh folder yet."""


class Preview:
    """A content folder built again and again into one output folder by one
    process, as the dev server does: one ``Session``, drafts shown."""

    def __init__(self, tmp_path: Path, **settings: object) -> None:
        self.tmp_path = tmp_path
        self.content = tmp_path / "content"
        self.output = tmp_path / "preview"
        self.cache = tmp_path / "cache"
        self.settings = settings
        self.session = Session()
        self.session.page_ready = self._page_ready
        self.early: list[EarlyPage] = []
        for source, (title, date, tags) in POSTS.items():
            write_post(self.content, source, title, date, tags=tags, body=f"About {title}.")

    def _page_ready(self, file: str, content: bytes) -> None:
        live = self.output / file
        self.early.append(EarlyPage(file, content, live.read_bytes() if live.is_file() else None,
                                    (fresh_folder(self.output) / file).exists()))

    def build(self, session: bool = True) -> Outcome:
        """One build, with the session or (``session=False``) as another
        process would build the same settings; the early pages it gave are
        in ``self.early``."""
        self.early = []
        return safe_build(*self.arguments(session))

    def arguments(self, session: bool = True) -> tuple[Any, dict[str, object]]:
        """The parsed command line and the extra settings of a build."""
        overrides = {"CACHE_PATH": str(self.cache), "SITEURL": SITEURL, **self.settings}
        args = pelican_arguments([str(self.content), "-o", str(self.output), "-s", str(ROOT / "pelicanconf.py"),
                                  "-q", "-e", *(f"{key}={json.dumps(value)}" for key, value in overrides.items())])
        extra: dict[str, object] = {"MIDCYCLE_DRAFTS": True}
        if session:
            extra["MIDCYCLE_SESSION"] = self.session
        return args, extra

    def built(self, session: bool = True) -> Outcome:
        outcome = self.build(session)
        assert outcome.ok, outcome.failure
        return outcome

    def append(self, source: str, text: str) -> None:
        with (self.content / source).open("a", encoding="utf-8") as handle:
            handle.write(f"\n{text}\n")

    def cold_build(self, name: str = "cold") -> dict[str, bytes]:
        """The same content built by ``make html`` (drafts shown) into a
        fresh folder with a fresh cache: the site's files."""
        folder = self.tmp_path / name
        result = run_build(self.content, folder, SITEURL, CACHE_PATH=str(self.tmp_path / f"{name}-cache"),
                           MIDCYCLE_DRAFTS=True, **self.settings)
        assert result.returncode == 0, result.stdout + result.stderr
        return site_files(folder)

    def assert_same_as_cold_build(self) -> None:
        rebuilt, cold = site_files(self.output), self.cold_build()
        assert sorted(rebuilt) == sorted(cold), (f"extra: {sorted(rebuilt.keys() - cold.keys())}, "
                                                 f"missing: {sorted(cold.keys() - rebuilt.keys())}")
        assert sorted(name for name in cold if rebuilt[name] != cold[name]) == []


@pytest.fixture
def preview(tmp_path: Path) -> Preview:
    """The site after the first build of its session."""
    site = Preview(tmp_path)
    site.built()
    return site


# The early page ------------------------------------------------------------


def test_no_early_page_on_a_first_build_nor_on_a_build_that_read_no_post(tmp_path):
    site = Preview(tmp_path)
    assert f"({len(POSTS)} read)" in site.built().summary  # more than EDITED_SHOWN_FIRST
    assert site.early == []
    assert "(0 read)" in site.built().summary  # nothing changed
    assert site.early == []
    (site.content / "wood/spoon.md").unlink()  # a deletion reads nothing either
    site.built()
    assert site.early == []
    assert not (site.output / "wood/spoon.html").exists()


def test_an_edited_body_comes_early_with_the_bytes_then_written(preview):
    before = (preview.output / page_of(BOWL)).read_bytes()
    preview.append(BOWL, "A paragraph with marker-5b1e.")
    preview.built()
    assert [page.file for page in preview.early] == [page_of(BOWL)]
    [page] = preview.early
    assert b"marker-5b1e" in page.content
    # Early: before the build wrote the page anywhere, even in its fresh folder.
    assert page.in_output_then == before
    assert not page.in_fresh_folder_then
    assert (preview.output / page_of(BOWL)).read_bytes() == page.content


def test_an_edited_title_comes_early_and_the_rest_of_the_site_follows(preview):
    title, date, tags = POSTS[BOWL]
    write_post(preview.content, BOWL, "A walnut bowl, oiled", date, tags=tags, body=f"About {title}.")
    preview.built()
    [page] = preview.early
    assert page.file == page_of(BOWL)
    assert b"A walnut bowl, oiled" in page.content
    assert (preview.output / page_of(BOWL)).read_bytes() == page.content
    # The build went on through the other pages: the home page lists the new title.
    assert b"A walnut bowl, oiled" in (preview.output / "index.html").read_bytes()


def test_a_new_post_comes_early(preview):
    write_post(preview.content, "wood/platter.md", "An ash platter", "2014-09-01 10:00", tags="wood",
               body="Turned green.")
    preview.built()
    [page] = preview.early
    assert page.file == "wood/platter.html"
    assert page.in_output_then is None
    assert (preview.output / "wood/platter.html").read_bytes() == page.content


def test_as_many_edited_posts_as_shown_first_each_come_early(preview):
    markers = {page_of(source): f"Edit marker-{number}." for number, source in
               enumerate(list(POSTS)[:EDITED_SHOWN_FIRST])}
    for file, marker in markers.items():
        preview.append(file.removesuffix(".html") + ".md", marker)
    preview.built()
    assert sorted(page.file for page in preview.early) == sorted(markers)
    for page in preview.early:
        assert markers[page.file].encode() in page.content
        assert (preview.output / page.file).read_bytes() == page.content


@pytest.mark.parametrize("count", [EDITED_SHOWN_FIRST + 1, len(POSTS)])
def test_more_edited_posts_than_shown_first_come_with_the_build(preview, count):
    edited = list(POSTS)[:count]
    for number, source in enumerate(edited):
        preview.append(source, f"Edit marker-{number}.")
    preview.built()
    assert preview.early == []
    for number, source in enumerate(edited):
        assert f"Edit marker-{number}.".encode() in (preview.output / page_of(source)).read_bytes()


def test_a_build_failing_on_a_broken_date_in_the_same_change_changes_nothing(preview):
    before = snapshot(preview.output, times=True)
    preview.append(BOWL, "A paragraph with marker-77c2.")
    (preview.content / "wood/broken.md").write_text("Title: Broken\nDate: 2014-13-45 10:00\n\nBody\n",
                                                    encoding="utf-8")
    outcome = preview.build()
    assert "wood/broken.md" in outcome.failure
    assert snapshot(preview.output, times=True) == before
    assert not fresh_folder(preview.output).exists()
    # Fixed, the next session build puts the site right.
    (preview.content / "wood/broken.md").unlink()
    preview.built()
    assert b"marker-77c2" in (preview.output / page_of(BOWL)).read_bytes()
    preview.assert_same_as_cold_build()


def test_a_build_failing_after_the_early_page_changes_nothing(tmp_path):
    site = Preview(tmp_path, BROKEN_LINKS="error")
    site.built()
    before = snapshot(site.output, times=True)
    site.append(BOWL, f"See [the platter]({SITEURL}/wood/platter.html).")
    outcome = site.build()
    assert "wood/platter.html, which this build does not make" in outcome.failure
    assert [page.file for page in site.early] == [page_of(BOWL)]  # it failed after the early page
    assert snapshot(site.output, times=True) == before
    assert not fresh_folder(site.output).exists()


def test_a_build_collects_no_garbage_outside_its_shared_work_and_the_process_collects_again_after(tmp_path):
    site = Preview(tmp_path, BROKEN_LINKS="error")
    site.built()
    collecting = []
    # The early page is rendered while the site model is built, outside the shared work.
    site.session.page_ready = lambda file, content: collecting.append(gc.isenabled())
    before = gc.get_threshold()
    site.append(BOWL, "A paragraph with marker-0c4d.")
    site.built()
    site.append(BOWL, f"See [the platter]({SITEURL}/wood/platter.html).")
    assert not site.build().ok  # it fails after the early page
    assert collecting == [False, False]  # while each build ran
    assert gc.isenabled() and gc.get_threshold() == before and not gc.get_freeze_count()


# The remembered inventory --------------------------------------------------


def assert_remembers_what_the_folder_holds(site: Preview) -> None:
    """The session's inventory of the output folder is what walking it finds."""
    remembered, stamp = site.session.inventories[site.output]
    walked, problems = owned_files(site.output, ())
    assert problems == []
    assert stamp == record_stamp(site.output)
    assert sorted(remembered.present) == sorted(walked.present)
    assert (remembered.linked, remembered.record, remembered.owned) == (walked.linked, walked.record, walked.owned)


def test_the_session_remembers_what_the_output_folder_holds_after_each_build(tmp_path):
    site = Preview(tmp_path)
    site.built()
    assert_remembers_what_the_folder_holds(site)
    site.append(BOWL, "An edit.")
    site.built()
    assert_remembers_what_the_folder_holds(site)
    write_post(site.content, "wood/platter.md", "An ash platter", "2014-09-01 10:00", tags="wood, platters")
    site.built()
    assert_remembers_what_the_folder_holds(site)
    (site.content / "wood/spoon.md").unlink()
    site.built()
    assert_remembers_what_the_folder_holds(site)


def test_the_inventory_is_given_once_and_only_while_the_record_is_unchanged(preview):
    output = preview.output
    remembered = preview.session.inventories[output][0]
    assert preview.session.inventory(output) is remembered
    assert preview.session.inventory(output) is None  # given to one build
    preview.session.keep_inventory(output, remembered)
    write_record(output, read_record(output))  # another build wrote the record again
    assert preview.session.inventory(output) is None


def test_a_file_put_in_by_hand_is_never_removed_by_session_builds(preview):
    notes = preview.output / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    (preview.content / "wood/spoon.md").unlink()
    preview.built()
    assert not (preview.output / "wood/spoon.html").exists()
    assert not (preview.output / "tag/spoon-carving.html").exists()
    (preview.content / "openstack/kilo/ironic.md").unlink()  # its whole path goes
    preview.append(BOWL, "An edit.")
    preview.built()
    assert not (preview.output / "openstack/kilo").exists()
    assert notes.read_text(encoding="utf-8") == "my notes\n"


def test_a_file_put_in_by_hand_where_the_build_writes_is_refused_and_kept(preview):
    # The session does not walk the folder before each build; moving in
    # looks at each new file it does not know, and refuses to replace one
    # it did not make, where a page goes or where a page needs a folder.
    mine = preview.output / "wood/platter.html"
    mine.write_text("my own page\n", encoding="utf-8")
    in_the_way = preview.output / "tag"  # a folder the build has
    write_post(preview.content, "wood/platter.md", "An ash platter", "2014-09-01 10:00", tags="wood, platters")
    before = snapshot(preview.output)
    outcome = preview.build()
    assert "holds files midcycle did not make: wood/platter.html" in outcome.failure
    assert snapshot(preview.output) == before and mine.read_text(encoding="utf-8") == "my own page\n"
    assert in_the_way.is_dir()
    mine.unlink()
    (preview.output / "openstack/kilo").rename(preview.output / "kilo-moved")  # a folder the build needs, gone
    (preview.output / "openstack/kilo").write_text("a file where a folder goes\n", encoding="utf-8")
    outcome = preview.build()
    assert "holds files midcycle did not make: openstack/kilo." in outcome.failure, outcome.failure
    assert (preview.output / "openstack/kilo").read_text(encoding="utf-8") == "a file where a folder goes\n"


def test_a_failed_build_keeps_the_inventory_and_the_fix_needs_no_walk(preview):
    remembered = preview.session.inventories[preview.output][0]
    broken = preview.content / BOWL
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("2014-08-13 10:00", "2014-02-30 10:00"), encoding="utf-8")
    assert not preview.build().ok
    assert preview.session.inventories[preview.output][0] is remembered  # the folder is as it was
    broken.write_text(good + "\nFixed.\n", encoding="utf-8")
    preview.built()
    assert_remembers_what_the_folder_holds(preview)
    preview.assert_same_as_cold_build()


def test_a_deleted_post_leaves_what_a_cold_build_makes(preview):
    (preview.content / "wood/spoon.md").unlink()
    outcome = preview.built()
    assert "wood/spoon.html" in outcome.changed
    assert not (preview.output / "wood/spoon.html").exists()
    assert not (preview.output / "tag/spoon-carving.html").exists()
    preview.assert_same_as_cold_build()


def test_a_build_by_another_process_in_between_is_noticed(preview):
    output = preview.output
    write_post(preview.content, "wood/platter.md", "An ash platter", "2014-09-01 10:00", tags="wood, platters")
    preview.built(session=False)
    assert (output / "wood/platter.html").is_file()
    assert (output / "tag/platters.html").is_file()
    assert preview.session.inventories[output][1] != record_stamp(output)  # the record was written again
    (preview.content / "wood/platter.md").unlink()
    preview.built()
    assert not (output / "wood/platter.html").exists()
    assert not (output / "tag/platters.html").exists()
    preview.assert_same_as_cold_build()


# The server's news ---------------------------------------------------------


def messages(listener: queue.Queue) -> list[dict]:
    """What ``listener`` was sent, oldest first."""
    sent = []
    while not listener.empty():
        sent.append(json.loads(listener.get_nowait()))
    return sent


def test_comments_are_read_where_garbage_is_collected(tmp_path, monkeypatch):
    """Parsing a comment's HTML makes reference cycles, and a build collects
    garbage only in the work that makes them (build.py)."""
    site = Preview(tmp_path)
    write_comment(site.content, BOWL, "a", "Alice", "2014-08-14 09:00", "See <a href='spoon.html'>the spoon</a>.")
    collecting = []

    def parse(*args, **kwargs):
        collecting.append(gc.isenabled())
        return absolute_links(*args, **kwargs)

    monkeypatch.setattr(midcycle.comments, "absolute_links", parse)
    site.built()
    assert collecting == [True]
    assert f'href="{SITEURL}/wood/spoon.html"' in (site.output / page_of(BOWL)).read_text(encoding="utf-8")


def test_the_server_frees_what_each_build_leaves_behind(tmp_path):
    site = Preview(tmp_path)
    news = News()
    for number in range(3):
        site.append(BOWL, f"Paragraph {number}.")
        build_and_tell(news, *site.arguments(), "a save")
        assert not news.failure
    # A build's Jinja environment and site model refer to each other, and a
    # build collects no garbage itself (build.py): the server must, or it
    # would keep every build's.
    assert not [thing for thing in gc.get_objects() if isinstance(thing, jinja2.Environment)]


def test_news_serves_an_early_page_and_tells_every_listener():
    news = News()
    first, second = news.listen(), news.listen()
    news.page_ready("wood/bowl.html", b"<p>bowl</p>")
    assert news.early_page("wood/bowl.html") == b"<p>bowl</p>"
    assert news.early_page("index.html") is None
    for listener in (first, second):
        assert messages(listener) == [{"changed": ["wood/bowl.html"], "reload_all": False}]
    news.forget(second)
    news.page_ready("wood/spoon.html", b"<p>spoon</p>")
    assert messages(second) == []
    assert messages(first) == [{"changed": ["wood/spoon.html"], "reload_all": False}]


def test_news_of_the_finished_build_leaves_out_the_pages_served_early():
    news = News()
    listener = news.listen()
    news.page_ready("wood/bowl.html", b"<p>bowl</p>")
    news.tell(Outcome(changed=["index.html", "wood/bowl.html", "tag/wood.html"]))
    assert messages(listener)[1:] == [{"changed": ["index.html", "tag/wood.html"], "reload_all": False}]
    assert news.early_page("wood/bowl.html") is None  # the output holds it now
    # The next build's news names it again.
    news.tell(Outcome(changed=["wood/bowl.html"]))
    assert messages(listener) == [{"changed": ["wood/bowl.html"], "reload_all": False}]


def test_news_of_a_failed_build_reloads_all_and_holds_back_early_pages_until_a_success():
    news = News()
    listener = news.listen()
    news.page_ready("wood/bowl.html", b"<p>bowl</p>")
    news.tell(Outcome("wood/broken.md:2: cannot read the date"))
    assert messages(listener)[1:] == [{"changed": [], "reload_all": True}]
    assert news.failure and news.early_page("wood/bowl.html") is None
    news.page_ready("wood/bowl.html", b"<p>bowl, again</p>")  # the error page stays
    assert news.early_page("wood/bowl.html") is None
    assert messages(listener) == []
    news.tell(Outcome(changed=["wood/bowl.html"]))  # coming back: every page reloads
    assert messages(listener) == [{"changed": ["wood/bowl.html"], "reload_all": True}]
    assert not news.failure
    news.page_ready("wood/bowl.html", b"<p>bowl, once more</p>")
    assert news.early_page("wood/bowl.html") == b"<p>bowl, once more</p>"


def test_news_of_a_real_edit_names_the_edited_page_once(preview):
    news = News()
    preview.session.page_ready = news.page_ready  # as the server wires it
    listener = news.listen()
    title, date, tags = POSTS[BOWL]
    write_post(preview.content, BOWL, "A walnut bowl, oiled", date, tags=tags, body=f"About {title}.")
    outcome = preview.built()
    early = news.early_page(page_of(BOWL))
    assert early == (preview.output / page_of(BOWL)).read_bytes()
    news.tell(outcome)
    first, second = messages(listener)
    assert first == {"changed": [page_of(BOWL)], "reload_all": False}
    assert page_of(BOWL) in outcome.changed and "index.html" in outcome.changed
    assert page_of(BOWL) not in second["changed"] and "index.html" in second["changed"]
    assert second["reload_all"] is False


# Watching for saves --------------------------------------------------------


def test_a_save_made_as_soon_as_the_watch_is_made_is_seen(tmp_path):
    # The server makes its watch before its first build and before it says
    # it is serving: a save made at once after must come back as a change.
    folder = tmp_path / "content"
    folder.mkdir()
    saves = Saves([folder])
    try:
        (folder / "new.md").write_text("Title: New\n", encoding="utf-8")
        changes = saves.next()
        assert changes is not None and str(folder / "new.md") in {path for _change, path in changes}
    finally:
        saves.close()


# Saves the watch reported ----------------------------------------------------


def saved(preview: Preview, *changes: tuple[str, str]) -> None:
    """Tell the session what the watch saw, as the server does: (kind, post source)."""
    preview.session.saved = {(kind, str((preview.content / source).resolve())) for kind, source in changes}


def test_posts_edited_in_place_are_all_a_build_looks_at(preview):
    # The watch says only bowl.md was written: the build reads it and takes
    # every other post as the store has it, without looking at the files.
    preview.append(BOWL, "Edited, and the watch saw it.")
    preview.append("wood/spoon.md", "Edited behind the watch's back.")
    saved(preview, ("modified", BOWL))
    outcome = preview.built()
    assert "(1 read)" in outcome.summary
    assert b"Edited, and the watch saw it." in (preview.output / "wood/bowl.html").read_bytes()
    assert b"behind the watch" not in (preview.output / "wood/spoon.html").read_bytes()
    # Without word from the watch, the build looks at every file again.
    outcome = preview.built()
    assert "(1 read)" in outcome.summary and b"behind the watch" in (preview.output / "wood/spoon.html").read_bytes()
    preview.assert_same_as_cold_build()


def test_anything_but_posts_edited_in_place_makes_the_build_look_at_everything(preview):
    write_post(preview.content, "wood/platter.md", "An ash platter", "2014-09-01 10:00", tags="wood")
    saved(preview, ("added", "wood/platter.md"))  # not a post the last walk found
    assert "(1 read)" in preview.built().summary and (preview.output / "wood/platter.html").is_file()
    (preview.content / "wood/platter.md").unlink()
    saved(preview, ("deleted", "wood/platter.md"))
    preview.built()
    assert not (preview.output / "wood/platter.html").exists()
    # A post turned into a link is judged as every link is, not taken as an edit.
    spoon = preview.content / "wood/spoon.md"
    spoon.unlink()
    spoon.symlink_to("/etc/hostname")
    saved(preview, ("modified", "wood/spoon.md"))
    outcome = preview.build()
    assert "wood/spoon.md: a link to /etc/hostname, outside the content folder" in outcome.failure
    assert preview.session.saved is None  # each batch is answered once
