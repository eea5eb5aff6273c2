"""``make init`` (``midcycle init``): make the blog yours in one step.

Sets the site's name, its author and time zone in ``pelicanconf.py`` and
its public address in ``publishconf.py`` (writing both files if the folder
has none, so ``midcycle init`` in an empty folder starts a site), and moves
the sample posts out of ``content/`` into ``samples/``, never deleting
anything. Values come from the command line; in a terminal it asks for
those not given. Every value is checked before any file is touched: a time
zone must be one the system knows (with a suggestion for a typo), the
address an http(s) URL that is not the sample's.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from ..settings import SAMPLE_SITEURL, siteurl_problem
from ..text import control_character

#: The longest site name or author name taken: they head every page and feed.
MAX_TEXT = 200

PELICANCONF = '''"""Settings for building the site locally (midcycle build, make html).

publishconf.py starts from these and sets the public SITEURL. midcycle's
own settings and their defaults are listed in its README.
"""

AUTHOR = ""
SITENAME = ""
# Where the local preview shows the site; publishconf.py sets the public URL.
SITEURL = "http://127.0.0.1:8000"

PATH = "content"
CACHE_PATH = "cache"
TIMEZONE = ""
DEFAULT_LANG = "en"

PLUGINS = ["midcycle"]

# Images and attachments beside the posts are copied to the same place.
STATIC_PATHS = ["."]
'''

PUBLISHCONF = '''"""Settings for the public site (midcycle build -s publishconf.py, make
publish): pelicanconf.py plus the absolute URL readers and planets see."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F401,F403

# Where the site is served from; no trailing slash.
SITEURL = ""
'''


def checked_text(what: str) -> Callable[[str], tuple[str | None, str | None]]:
    def check(value: str) -> tuple[str | None, str | None]:
        value = value.strip()
        if not value:
            return None, f"the {what} is empty"
        bad = control_character(value)
        if bad is not None:
            return None, f"the {what} holds the control character U+{ord(bad):04X}"
        if len(value) > MAX_TEXT:
            return None, f"the {what} is longer than {MAX_TEXT} characters"
        return value, None
    return check


def checked_timezone(value: str) -> tuple[str | None, str | None]:
    value = value.strip()
    zones = available_timezones()
    if value in zones:
        return value, None
    close = difflib.get_close_matches(value, sorted(zones), n=1)
    hint = f"; did you mean {close[0]}?" if close else " (a name such as Europe/Berlin or America/New_York)"
    return None, f"unknown time zone {value!r}{hint}"


def checked_siteurl(value: str) -> tuple[str | None, str | None]:
    """The public address: absolute (feeds need absolute links), http or
    https, a host, no query, fragment or password, no trailing slash."""
    value = value.strip().rstrip("/")
    problem = siteurl_problem(value)
    if problem:
        return None, f"the address {problem}"
    if value == SAMPLE_SITEURL:
        return None, f"{SAMPLE_SITEURL} is the sample's address; give your site's"
    return value, None


@dataclass(frozen=True)
class Field:
    setting: str
    question: str
    publish: bool
    """In publishconf.py (the public address), not pelicanconf.py."""
    check: Callable[[str], tuple[str | None, str | None]]
    sample: str
    """The sample site's value: one that must be replaced."""


FIELDS = (
    Field("SITENAME", "Site name", False, checked_text("site name"), "Robin's midcycle notes"),
    Field("AUTHOR", "Author", False, checked_text("author"), "Robin Carter"),
    Field("TIMEZONE", "Time zone of your posts' dates (such as Europe/Berlin)", False, checked_timezone,
          "Australia/Sydney"),
    Field("SITEURL", "Public address of the site (such as https://blog.example.net)", True, checked_siteurl,
          SAMPLE_SITEURL),
)


def current_value(text: str, setting: str) -> str | None:
    """The string ``setting`` is last given at the top level of a settings
    file's ``text``, if it is given one plainly."""
    value = None
    for node in ast.parse(text).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == setting):
            value = node.value.value if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str) \
                else None
    return value


def with_setting(text: str, setting: str, value: str) -> str:
    """A settings file's ``text`` with its last top-level ``setting = ...``
    giving ``value`` instead (a line added at the end if there is none);
    everything else, comments included, as it was."""
    literal = json.dumps(value, ensure_ascii=False)  # a valid Python string literal too
    assert ast.literal_eval(literal) == value
    last = None
    for node in ast.parse(text).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == setting):
            last = node.value
    if last is None:
        return f"{text}{'' if text.endswith(chr(10)) or not text else chr(10)}{setting} = {literal}\n"
    # Python's line breaks only: str.splitlines also breaks at form feeds,
    # U+2028 and others, which would put ast's positions elsewhere.
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)

    def offset(line: int, column: int) -> int:  # ast counts columns in UTF-8 bytes
        return sum(len(earlier) for earlier in lines[:line - 1]) + len(lines[line - 1].encode()[:column].decode())

    start, end = offset(last.lineno, last.col_offset), offset(last.end_lineno, last.end_col_offset)
    changed = text[:start] + literal + text[end:]
    if current_value(changed, setting) == value:
        return changed
    # The file's layout defeated the edit in place: a line at the end wins.
    return f"{text}{'' if text.endswith(chr(10)) else chr(10)}{setting} = {literal}\n"


def move_samples(content: Path, samples: Path) -> list[str]:
    """Move everything in ``content`` into ``samples`` (made here); return
    what moved. Done once: with ``samples`` there already, nothing moves,
    so posts written since are never taken for samples."""
    if samples.exists() or not content.is_dir():
        return []
    entries = sorted(content.iterdir())
    samples.mkdir(parents=True)
    for entry in entries:
        shutil.move(str(entry), str(samples / entry.name))
    return [entry.name for entry in entries]


def _ask(field: Field, current: str | None) -> str:
    offered = current if current and current != field.sample and field.check(current)[0] else None
    while True:
        try:
            answer = input(f"{field.question}{f' [{offered}]' if offered else ''}: ")
        except EOFError:
            raise SystemExit("\nmidcycle init: stopped; nothing was changed") from None
        value, problem = field.check(answer or offered or "")
        if value is not None:
            return value
        print(f"  {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="midcycle init", description=__doc__.splitlines()[0])
    for field in FIELDS:
        parser.add_argument(f"--{field.setting.lower()}", metavar=field.setting, help=field.question)
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"), help="default: pelicanconf.py")
    parser.add_argument("--publish-settings", type=Path, default=Path("publishconf.py"),
                        help="default: publishconf.py")
    parser.add_argument("--content", type=Path, default=Path("content"), help="default: content")
    parser.add_argument("--samples", type=Path, help="where the sample posts go (default: samples beside content)")
    args = parser.parse_args(argv)
    interactive = sys.stdin.isatty()
    files = {False: args.settings, True: args.publish_settings}
    texts = {}
    for publish, path in files.items():
        try:
            texts[publish] = path.read_text(encoding="utf-8") if path.exists() else \
                (PUBLISHCONF if publish else PELICANCONF)
            ast.parse(texts[publish])
        except (OSError, UnicodeDecodeError, SyntaxError) as error:
            print(f"midcycle init: cannot read {path}: {error}", file=sys.stderr)
            return 2
    values, problems, missing = {}, [], []
    for field in FIELDS:
        given = getattr(args, field.setting.lower())
        current = current_value(texts[field.publish], field.setting)
        if given is not None:
            value, problem = field.check(given)
            if problem:
                problems.append(f"{field.setting}: {problem}")
            values[field] = value
        elif interactive:
            values[field] = None  # asked below, once every given value is known to be good
        elif not current or current == field.sample:
            missing.append(field.setting)
    problems += [f"give {name}=... (the sample's value, or none, is in the settings)" for name in missing]
    if problems:
        for problem in problems:
            print(f"midcycle init: {problem}", file=sys.stderr)
        print("midcycle init: nothing was changed; for example: make init SITENAME=\"Notes\" AUTHOR=\"Ann Lee\" "
              "TIMEZONE=Europe/Berlin SITEURL=https://notes.example.net", file=sys.stderr)
        return 2
    for field, value in values.items():
        values[field] = value or _ask(field, current_value(texts[field.publish], field.setting))
        texts[field.publish] = with_setting(texts[field.publish], field.setting, values[field])
    for publish, path in files.items():
        path.write_text(texts[publish], encoding="utf-8")
    moved = move_samples(args.content, args.samples or args.content.parent / "samples")
    args.content.mkdir(parents=True, exist_ok=True)
    for field, value in values.items():
        print(f"midcycle init: {field.setting} = {value!r} in {files[field.publish]}")
    if moved:
        print(f"midcycle init: moved the sample posts ({', '.join(moved)}) from {args.content} "
              f"to {args.samples or args.content.parent / 'samples'}")
    print("midcycle init: next, write a post (make newpost DIR=notes TITLE=Hello, or midcycle new --dir notes "
          f"--title Hello) and an About page ({args.content / 'pages/about.md'}), then build and preview "
          "(make html serve, or midcycle build and midcycle serve)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
