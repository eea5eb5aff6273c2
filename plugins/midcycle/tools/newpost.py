"""``make newpost DIR=openstack/juno TITLE="..."`` (``midcycle new``): start a post.

Writes ``content/<DIR>/<slug>.md`` with the title and the current local time
in the site's ``TIMEZONE``, and refuses to touch a file that already exists.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from ..sources import PAGES_FOLDER
from ..urls import unsafe_reason
from .siteconf import site_settings

SKELETON = """\
Title: {title}
Date: {date}
Tags: {tags}

Write the post here, in Markdown.
"""


def new_post(content: Path, folder: str, title: str, timezone: str = "UTC",
             now: datetime.datetime | None = None, tags: str = "",
             slug_substitutions: list | None = None) -> Path:
    """Create the post file and return its path; raise ``ValueError`` on bad
    input and ``FileExistsError`` rather than overwrite anything."""
    folder = folder.strip().strip("/")
    title = title.strip()
    if not title:
        raise ValueError('give the post a title: TITLE="..."')
    if "\n" in title or "\r" in title:
        raise ValueError("the title must be one line")
    if folder and unsafe_reason(f"{folder}/x.md"):
        raise ValueError(f"DIR must be a path inside the content folder, such as openstack/juno, not {folder!r}")
    if folder.split("/")[0] == PAGES_FOLDER:
        raise ValueError(f"{PAGES_FOLDER}/ holds pages, not posts: write a page there with a Title: line "
                         "and no date, or give the post another path")
    # The file name is the slug, so it follows the site's slug rules.
    slug = slugify(title, regex_subs=slug_substitutions or DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    if not slug:
        raise ValueError(f"cannot make a file name from the title {title!r}")
    moment = (now or datetime.datetime.now(ZoneInfo(timezone))).astimezone(ZoneInfo(timezone))
    target = content / folder / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = SKELETON.format(title=title, date=moment.strftime("%Y-%m-%d %H:%M"), tags=tags)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(text)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="midcycle new", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="", help="the post's path, e.g. openstack/juno")
    parser.add_argument("--title", default="")
    parser.add_argument("--tags", default="", help="comma separated")
    parser.add_argument("--settings", type=Path,
                        help="pelicanconf.py, for TIMEZONE and PATH (default: ./pelicanconf.py if there is one)")
    parser.add_argument("--content", type=Path, help="the content folder (default: PATH of the settings, or content)")
    args = parser.parse_args(argv)
    try:
        settings = site_settings(args.settings)
        timezone = settings.get("TIMEZONE") or "UTC"
        target = new_post(args.content or Path(settings["PATH"]), args.dir, args.title, timezone, tags=args.tags,
                          slug_substitutions=settings["SLUG_REGEX_SUBSTITUTIONS"])
    except ZoneInfoNotFoundError:
        print(f"midcycle new: unknown time zone {timezone!r} (TIMEZONE in the settings)", file=sys.stderr)
        return 2
    except FileExistsError as error:
        print(f"midcycle new: {error.filename} already exists; not overwriting it", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"midcycle new: {error}", file=sys.stderr)
        return 2
    print(f"midcycle new: wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
