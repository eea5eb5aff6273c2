"""WebSub: tell a hub which feeds changed, so planets and readers that
subscribed through it learn of a new post at once instead of at their next
poll.

With ``WEBSUB_HUB`` set every feed names the hub (``rel="hub"``, see
feeds.py). After a successful build, :func:`record` notes the URLs of the
feeds whose bytes that build changed, in midcycle's own folder of the
output (``public/.midcycle/websub.json``, never uploaded); ``midcycle notify OUTPUT``
then sends them, one publish request per feed URL
(``hub.mode=publish``, ``hub.url=...``, as hubs take it), and forgets those
the hub accepted. ``make publish`` sends right after the build, ``make
upload`` only once rsync has put the files on the server, so the hub never
fetches a feed before it is there. A hub that cannot be reached keeps the
rest for the next time. Without ``WEBSUB_HUB`` nothing is recorded, what
was recorded is dropped, and nothing is sent anywhere.

The standard library's urllib is enough for form posts; the part that
decides what to send (:func:`changed_feeds`, :func:`publish_requests`) is
pure and tested on its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from . import urls
from .commit import OWN_FOLDER
from .storage import write_whole
from .feeds import KINDS

#: Seconds to wait for the hub to answer one request.
TIMEOUT = 10


def pending_file(output: Path) -> Path:
    """Where the builds of ``output`` note what is still to be sent: in
    midcycle's own folder of it, which is never published."""
    return output / OWN_FOLDER / "websub.json"


def changed_feeds(written: Iterable[str], siteurl: str) -> list[str]:
    """The URLs of the feeds among the files a build wrote, sorted."""
    return sorted(urls.absolute(siteurl, name) for name in written
                  if urls.feed_of_file(name, KINDS) is not None)


def publish_requests(hub: str, feeds: Iterable[str]) -> list[tuple[str, bytes]]:
    """``(hub, form body)`` of the publish request for each feed URL."""
    return [(hub, urlencode({"hub.mode": "publish", "hub.url": feed}).encode("ascii")) for feed in feeds]


def _read(path: Path) -> dict[str, Any]:
    try:
        pending = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ok = (isinstance(pending, dict) and isinstance(pending.get("hub"), str)
          and pending["hub"].startswith(("http://", "https://")) and isinstance(pending.get("feeds"), list)
          and all(isinstance(feed, str) for feed in pending["feeds"]))
    return pending if ok else {}


def _write(path: Path, hub: str | None, siteurl: str, feeds: list[str]) -> None:
    """Note ``feeds`` of the site at ``siteurl`` for ``hub``, or remove the
    note if there is nothing to send."""
    if not hub or not feeds:
        path.unlink(missing_ok=True)
        return
    write_whole(path, json.dumps({"hub": hub, "siteurl": siteurl, "feeds": feeds}, indent=1).encode("utf-8"))


def record(settings: Mapping[str, Any], output: Path, changed: Iterable[str]) -> None:
    """After a build of ``output`` moved in the files ``changed`` (those it
    wrote or removed, see commit.py): add the feeds it wrote to those still
    to be sent to ``WEBSUB_HUB`` (a removed feed has nothing to fetch). A new hub or a new
    ``SITEURL`` (a local build between two publishes) starts afresh: the
    hub hears only of the public feeds of the latest build. Without a hub,
    forget anything noted before."""
    hub, siteurl = settings.get("WEBSUB_HUB"), settings["SITEURL"]
    path = pending_file(output)
    earlier = _read(path)
    same = hub and earlier.get("hub") == hub and earlier.get("siteurl") == siteurl
    feeds = earlier["feeds"] if same else []
    written = [name for name in changed if (output / name).is_file()]
    try:
        _write(path, hub, siteurl, sorted(set(feeds).union(changed_feeds(written, siteurl))))
    except OSError as error:  # the build itself succeeded; planets will poll
        print(f"midcycle: could not note the changed feeds for the WebSub hub: {error}", file=sys.stderr)


def send(output: Path, timeout: float = TIMEOUT) -> tuple[int, str | None]:
    """Send what the builds of ``output`` noted; ``(sent, problem)``. Stops at
    the first failure and keeps what was not sent."""
    path = pending_file(output)
    pending = _read(path)
    if not pending:
        return 0, None
    hub, siteurl, feeds = pending["hub"], pending.get("siteurl", ""), list(pending["feeds"])
    sent = 0
    problem = None
    for (url, body), feed in zip(publish_requests(hub, feeds), list(feeds)):
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError) as error:
            problem = f"the WebSub hub {hub} did not take the notice for {feed}: {error}"
            break
        feeds.remove(feed)
        sent += 1
    _write(path, hub, siteurl, feeds)
    return sent, problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="midcycle notify",
                                     description="Tell the WebSub hub which feeds the last builds changed.")
    parser.add_argument("output", type=Path, help="the output folder the builds wrote")
    args = parser.parse_args(argv)
    output = args.output.resolve()
    sent, problem = send(output)
    if sent:
        print(f"midcycle: told the WebSub hub about {sent} changed feed{'s' if sent != 1 else ''}")
    if problem:
        left = len(_read(pending_file(output)).get("feeds", []))
        print(f"midcycle: {problem}; {left} kept for the next make publish or make upload", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
