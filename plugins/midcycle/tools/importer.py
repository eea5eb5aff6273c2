"""``make import SRC=<datadir>`` (``midcycle import``): move a PyBlosxom blog
over without breaking a link or losing a comment.

- ``<datadir>/<path>/<stem>.txt`` becomes the post ``<dest>/<path>/<stem>.html``,
  so its permalink ``/<path>/<stem>.html`` is the one readers and planets know;
- other files beside the entries (images, attachments) are copied as they are;
- ``<comments>/<path>/<stem>-<time>.cmt`` becomes
  ``<dest>/<path>/<stem>.comments/<time>.comment`` (see comments.py).

It is safe to run again and again: an existing file is never replaced
without ``--force``, ``--dry-run`` writes nothing, and the closing report
lists what was written, every warning, and every file skipped with its reason.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


from ..comments import FOLDER_SUFFIX, comment_file_text
from ..filetree import files_under, not_hidden, overlap
from ..sanitize import safe_href
from .siteconf import site_settings
from .pyblosxom import (commenter_link, comment_file_parts, decode, parse_comment, parse_entry,
                        post_html, published, split_tags)

ENTRY_SUFFIX = ".txt"
#: PyBlosxom's own files that are no part of the blog's content: flavour
#: templates (``story.html``, ``head.rss``...) and the comment plugin's.
TEMPLATE_NAMES = frozenset({
    "content_type", "head", "foot", "story", "date_head", "date_foot", "comment", "comment-head",
    "comment-story", "comment-form", "comment-preview", "trackback", "pingback",
})
#: Flavours' extensions: ``story.png`` is an attachment, ``story.rss`` a template.
FLAVOUR_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".rss", ".rss20", ".atom", ".rdf", ".xml", ".esf"})
#: Files Pelican would read as posts: copied beside the posts they would
#: break the build (no date), so they are reported instead.
POST_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown", ".html", ".htm", ".rst")
KINDS = ("entries", "comments", "files")
_ONE = {"entries": "entry", "comments": "comment", "files": "file"}


@dataclass(frozen=True, slots=True)
class Planned:
    target: str
    """Relative to the destination, ``/``-separated."""
    kind: str
    """One of :data:`KINDS`."""
    source: Path
    content: bytes | None = None
    """What to write; ``None`` copies ``source`` as it is."""


@dataclass
class Report:
    """What one run did; made fresh by each run and printed at its end."""

    written: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self, dry_run: bool) -> Iterator[str]:
        verb = "would write" if dry_run else "wrote"
        yield f"{verb}: " + ", ".join(
            f"{self.written[kind]} {_ONE[kind] if self.written[kind] == 1 else kind}" for kind in KINDS)
        for warning in self.warnings:
            yield f"warning: {warning}"
        for name, reason in self.skipped:
            yield f"skipped: {name}: {reason}"
        if dry_run:
            yield "dry run: nothing was written"


class Importer:
    """One run over one datadir: plans every write, then carries it out."""

    def __init__(self, src: Path, comments: Path, timezone: ZoneInfo):
        self.src = src
        self.comments = comments
        self.timezone = timezone
        self.report = Report()
        self.entries: set[str] = set()

    def skip(self, name: str, reason: str) -> None:
        self.report.skipped.append((name, reason))

    def warn(self, message: str) -> None:
        self.report.warnings.append(message)

    def plan(self) -> list[Planned]:
        planned = list(self._plan_datadir())
        if self.comments.is_dir():
            planned += self._plan_comments()
        return planned

    def _enter(self, name: str, entry: os.DirEntry) -> bool:
        """Walk every folder of the datadir but hidden ones, the comment
        folder and flavour folders (reported)."""
        if entry.name.startswith(".") or Path(entry.path).resolve() == self.comments.resolve():
            return False
        if entry.name.endswith(".flav"):
            self.skip(f"{name}/", "a PyBlosxom flavour folder")
            return False
        return True

    def _plan_datadir(self) -> Iterator[Planned]:
        for name, found in files_under(self.src, enter=self._enter):
            path = Path(found.path)
            base = found.name
            stem, dot, suffix = base.rpartition(".")
            suffix = dot + suffix.lower()
            if base.startswith("."):
                self.skip(name, "a hidden file")
            elif suffix == ENTRY_SUFFIX:
                entry = self._plan_entry(name, path)
                if entry is not None:
                    yield entry
            elif suffix == ".cmt":
                self.skip(name, f"a PyBlosxom comment outside the comment folder {self.comments}")
            elif stem in TEMPLATE_NAMES and suffix in FLAVOUR_SUFFIXES:
                self.skip(name, "a PyBlosxom flavour template")
            elif suffix in POST_SUFFIXES:
                self.skip(name, "Pelican would read it as a post and fail; rename it or copy it by hand")
            else:
                yield Planned(name, "files", path)

    def _plan_entry(self, name: str, path: Path) -> Planned | None:
        try:
            data = path.read_bytes()
            mtime = path.stat().st_mtime
        except OSError as error:
            self.skip(name, f"unreadable ({error.strerror})")
            return None
        text, latin1 = decode(data)
        if latin1:
            self.warn(f"{name}: not UTF-8; read as Latin-1")
        entry = parse_entry(text)
        if entry is None:
            self.skip(name, "no title line (an entry's first line is its title)")
            return None
        key = name[: -len(ENTRY_SUFFIX)]
        date = None
        if entry.get("published"):
            date = published(entry.get("published") or "", self.timezone)
            if date is None:
                self.warn(f"{name}: #published {entry.get('published')!r} is not YYYY-MM-DD HH:MM; "
                          "used the file's modification time")
        if date is None:
            date = datetime.datetime.fromtimestamp(mtime, self.timezone)
        parser = entry.get("parser")
        if parser and parser.lower() not in ("html", "plain"):
            self.warn(f"{name}: '#parser {parser}': imported as HTML, as written; check how it reads")
        if key.rsplit("/", 1)[-1] == "index":
            self.warn(f"{name}: its permalink {key}.html is also the path's page; rename it before building")
        extra = [(k, v) for k, v in entry.metadata if k not in ("tags", "published")]
        html = post_html(entry.title, date, split_tags(entry.get("tags") or ""), extra, entry.body)
        self.entries.add(key)
        return Planned(f"{key}.html", "entries", path, html.encode("utf-8"))

    def _plan_comments(self) -> list[Planned]:
        planned = []
        for name, found in files_under(self.comments, enter=not_hidden):
            path = Path(found.path)
            shown = f"{self.comments.name}/{name}"
            parts = comment_file_parts(found.name)
            if parts is None:
                self.skip(shown, "not a PyBlosxom comment (<entry>-<time>.cmt)")
                continue
            folder = name.rpartition("/")[0]
            key = f"{folder}/{parts[0]}" if folder else parts[0]
            if key not in self.entries:
                self.skip(shown, f"no entry {key}{ENTRY_SUFFIX} was imported for it")
                continue
            try:
                old, latin1 = parse_comment(path.read_bytes())
            except OSError as error:
                self.skip(shown, f"unreadable ({error.strerror})")
                continue
            except ValueError as error:
                self.skip(shown, f"unreadable: {error}")
                continue
            if latin1:
                self.warn(f"{shown}: not in its declared encoding; read as Latin-1")
            if not old.body:
                self.skip(shown, "the comment is empty")
                continue
            if not old.author:
                self.warn(f"{shown}: no author; shown as Anonymous")
            link = safe_href(commenter_link(old.link), relative=False) if old.link else None
            if old.link and link is None:
                self.warn(f"{shown}: dropped the link {old.link!r} (only http, https and mailto are kept)")
            date = datetime.datetime.fromtimestamp(old.time if old.time is not None else float(parts[1]),
                                                   self.timezone)
            text = comment_file_text(old.author or "Anonymous", date, old.body, link, old.title)
            planned.append(Planned(f"{key}{FOLDER_SUFFIX}/{parts[1]}.comment", "comments", path,
                                   text.encode("utf-8")))
        return planned

    def run(self, dest: Path, force: bool = False, dry_run: bool = False) -> Report:
        for item in self.plan():
            target = dest / item.target
            if target.exists() and not force:
                self.skip(target.as_posix(), "already exists; left alone (--force replaces it)")
                continue
            if not dry_run:
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if item.content is None:
                        shutil.copy2(item.source, target)
                    else:
                        target.write_bytes(item.content)
                except OSError as error:
                    self.skip(item.source.as_posix(), f"could not write {target} ({error.strerror})")
                    continue
            self.report.written[item.kind] += 1
        return self.report


def import_blog(src: Path, dest: Path, comments: Path | None = None, timezone: str = "UTC",
                force: bool = False, dry_run: bool = False) -> Report:
    """Import the PyBlosxom datadir ``src`` into the content folder ``dest``."""
    return Importer(src, comments or src / "comments", ZoneInfo(timezone)).run(dest, force, dry_run)


def _timezone(args: argparse.Namespace) -> str:
    if args.timezone:
        return args.timezone
    return site_settings(args.settings).get("TIMEZONE") or "UTC"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="midcycle import", description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="the PyBlosxom datadir")
    parser.add_argument("dest", type=Path, nargs="?", default=Path("content"),
                        help="the content folder to write into (default: content)")
    parser.add_argument("--comments", type=Path, help="PyBlosxom's comment folder (default: SRC/comments)")
    parser.add_argument("--settings", type=Path,
                        help="pelicanconf.py, for TIMEZONE (default: ./pelicanconf.py if there is one)")
    parser.add_argument("--timezone", help="the time zone of #published lines and file times (overrides --settings)")
    parser.add_argument("--force", action="store_true", help="replace files that already exist")
    parser.add_argument("--dry-run", action="store_true", help="report what would be written, write nothing")
    args = parser.parse_args(argv)
    problems = []
    if not args.src.is_dir():
        problems.append(f"{args.src} is not a folder (give the PyBlosxom datadir)")
    elif overlap(args.src, args.dest):
        problems.append(f"{args.dest} and {args.src} overlap; import into a folder outside the datadir")
    if args.comments is not None and not args.comments.is_dir():
        problems.append(f"the comment folder {args.comments} is not a folder")
    try:
        timezone = _timezone(args)
    except ValueError as error:  # the settings file
        problems.append(str(error))
    else:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError) as error:
            problems.append(f"unknown time zone: {error}")
    if problems:
        for problem in problems:
            print(f"midcycle import: {problem}", file=sys.stderr)
        return 2
    report = import_blog(args.src, args.dest, args.comments, timezone, args.force, args.dry_run)
    print(f"midcycle import: {args.src} -> {args.dest} (time zone {timezone})")
    for line in report.lines(args.dry_run):
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
