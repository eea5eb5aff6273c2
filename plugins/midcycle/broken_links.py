"""Links and images in posts that point inside the site at a file the build
does not make: a post linking to one that became a draft or was deleted,
a mistyped file name, an image left behind.

Such a link is dead on every page and in every feed the post is on, so the
build names the post and the link: a warning, or with ``BROKEN_LINKS =
"error"`` a failed build. Links were noted when each post was read
(``Post.links``, absolute already), so the check is string work on a few
links per post, not a parse of every body on every build.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from urllib.parse import unquote

from .model import Post


def site_file(url: str, siteurl: str) -> str | None:
    """The output file ``url`` points at if it is inside the site at
    ``siteurl`` (same scheme, host, port and folder), else ``None``. A URL
    ending in ``/`` means the folder's ``index.html``; a query or a fragment
    does not change the file."""
    root = siteurl.rstrip("/")
    if url != root and not url.startswith(root + "/") and not url.startswith(root + "#"):
        return None
    rest = url[len(root):].split("#", 1)[0].split("?", 1)[0].lstrip("/")
    # Output names are NFC (see load.py): café typed decomposed is the same file.
    name = unicodedata.normalize("NFC", unquote(rest))
    return name + "index.html" if name == "" or name.endswith("/") else name


def broken_links(posts: Iterable[Post], made: Collection[str], siteurl: str) -> list[str]:
    """A message for each link of each post into the site at a file not in
    ``made`` (every file the build makes, pages, feeds and copied files). A
    link to a folder without its ``/`` counts when the folder has an
    ``index.html``: web servers redirect it there."""
    messages = []
    for post in sorted(posts, key=lambda post: post.source):
        for url in dict.fromkeys(post.links):  # each link once, in order
            name = site_file(url, siteurl)
            if name is None or name in made or f"{name}/index.html" in made:
                continue
            messages.append(f"{post.source}: the link {url} points at {name}, which this build does not make "
                            "(a draft, a post dated in the future, a deleted or renamed file?)")
    return messages
