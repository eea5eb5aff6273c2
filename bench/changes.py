"""The edits ``make bench`` times: each one file changed one way, the
output file that must show it, and the way back.

A rebuild that did nothing would look fast, so every change names a text
its output file holds after the change and not before; the bench checks
it before the change, after the rebuild and after the undo, and the dev
server timing waits for that text to be served. Each change is undone
after every run, so every run measures the same change against the same
site.

The theme changes edit copies in a theme folder of the bench's own
(:func:`make_theme`), never midcycle's bundled theme.
"""

from __future__ import annotations

import datetime
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from corpus import post_text, tag_names, zipf_sampler
from measure import BenchError

#: midcycle's bundled theme, inside a project folder.
BUNDLED_THEME = Path("plugins", "midcycle", "theme")
#: The files of it the bench's theme overrides, to edit them.
CSS = Path("static", "css", "midcycle.css")
TEMPLATE = Path("templates", "tag.html")

EDIT_SENTENCE = "A sentence the benchmark appended to this post."
NEW_TITLE_ENDING = " (retitled by the benchmark)"
CSS_RULE = "/* edited by the benchmark */\nbody { outline: 0; }\n"
TEMPLATE_WORDS = ("Posts tagged", "Posts tagged (the benchmark edited this template)")


@dataclass
class Change:
    name: str
    """Its name on the command line (``--only``) and in the raw results."""
    key: str
    """Its letter in the table."""
    what: str
    """In a few words (``the body edit``)."""
    label: str
    undo_label: str
    file: Path
    after: bytes | None
    """The file after the change; ``None``: removed."""
    page: str
    """The output file that shows the change, relative to the output folder."""
    marker: str
    """Text ``page`` holds after the change, and not before."""
    before: bytes | None = field(init=False)

    def __post_init__(self) -> None:
        self.before = self.file.read_bytes() if self.file.exists() else None

    def apply(self) -> None:
        _put(self.file, self.after)

    def undo(self) -> None:
        _put(self.file, self.before)

    def shown(self, output: Path) -> bool:
        """Whether the built ``output`` shows the change."""
        page = output / self.page
        return page.is_file() and self.marker in page.read_text(encoding="utf-8")


def _put(file: Path, content: bytes | None) -> None:
    if content is None:
        file.unlink()
    else:
        file.write_bytes(content)


def _header(text: str, key: str) -> str:
    found = re.search(rf"^{key}: (.*)$", text, re.M)
    if found is None:
        raise BenchError(f"the bench's post has no {key}: line")
    return found.group(1)


def _with_header(text: str, key: str, value: str) -> str:
    return re.sub(rf"^{key}: .*$", lambda _match: f"{key}: {value}", text, count=1, flags=re.M)


def tags_of(post: Path) -> list[str]:
    return [tag.strip() for tag in _header(post.read_text(encoding="utf-8"), "Tags").split(",")]


def page_of(post: Path, corpus: Path) -> str:
    """A corpus post's page (``/{path}/{slug}.html``), relative to the output."""
    return post.relative_to(corpus).with_suffix(".html").as_posix()


def post_changes(corpus: Path, files: list[Path], seed: int) -> list[Change]:
    """Edits of the newest post (its body, its title, its tags) and a post
    added beside it."""
    newest = files[-1]
    text = newest.read_text(encoding="utf-8")
    page = page_of(newest, corpus)
    title = _header(text, "Title")
    tags = tags_of(newest)
    # A common tag the post lacks, in place of its last one: the post leaves
    # one tag's pages and joins a big tag's, and related lists are ranked again.
    new_tag = next(tag for tag in tag_names()[9:] if tag not in tags)
    # An hour after the newest, so it is the newest and on the first page of every listing it is on.
    date = datetime.datetime.strptime(_header(text, "Date"), "%Y-%m-%d %H:%M") + datetime.timedelta(hours=1)
    rng = random.Random(seed + 1)
    added = newest.with_name(f"post-{len(files):05d}.md")
    added_text = post_text(rng, len(files), date, zipf_sampler(rng)(5), None, newest.with_suffix(".html").name)
    edited = "midcycle, rebuild after {} the newest post's {}"
    return [
        Change("body", "d", "the body edit", edited.format("appending a sentence to", "body"),
               "midcycle, rebuild after undoing that edit", newest,
               after=(text + "\n" + EDIT_SENTENCE + "\n").encode(), page=page, marker=EDIT_SENTENCE),
        Change("title", "e", "the title edit", edited.format("changing", "`Title:`"),
               "midcycle, rebuild after changing it back", newest,
               after=_with_header(text, "Title", title + NEW_TITLE_ENDING).encode(), page=page,
               marker=NEW_TITLE_ENDING),
        Change("tag", "f", "the tag edit", edited.format("changing one of", f"`Tags:` (to {new_tag})"),
               "midcycle, rebuild after changing it back", newest,
               after=_with_header(text, "Tags", ", ".join([*tags[:-1], new_tag])).encode(), page=page,
               marker=f"tag/{new_tag}.html"),
        Change("add", "g", "the added post", "midcycle, rebuild after adding one post beside the newest",
               "midcycle, rebuild after deleting that post", added,
               after=added_text.encode(), page=page_of(added, corpus), marker=_header(added_text, "Title")),
    ]


def make_theme(source: Path, theme: Path) -> None:
    """A site theme in ``theme`` holding copies of the CSS file and the
    template the bench edits, from the bundled theme of project ``source``
    (a site's theme file of the same name wins over midcycle's)."""
    bundled = source / BUNDLED_THEME
    for name in (CSS, TEMPLATE):
        if not (bundled / name).is_file():
            raise BenchError(f"{bundled / name} is missing: the bench needs midcycle's bundled theme")
        (theme / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundled / name, theme / name)


def theme_changes(theme: Path, tag: str) -> list[Change]:
    """An edit of the theme's CSS file, and of its tag page template (shown
    on the page of ``tag``)."""
    css = (theme / CSS).read_text(encoding="utf-8")
    template = (theme / TEMPLATE).read_text(encoding="utf-8")
    if TEMPLATE_WORDS[0] not in template:
        raise BenchError(f"{theme / TEMPLATE} does not say {TEMPLATE_WORDS[0]!r}, which the bench edits")
    return [
        Change("css", "h", "the CSS edit", "midcycle, rebuild after editing the theme's CSS",
               "midcycle, rebuild after undoing that edit", theme / CSS,
               after=(css + CSS_RULE).encode(), page="theme/css/midcycle.css", marker=CSS_RULE.splitlines()[0]),
        Change("template", "i", "the template edit", "midcycle, rebuild after editing the theme's `tag.html`",
               "midcycle, rebuild after undoing that edit", theme / TEMPLATE,
               after=template.replace(*TEMPLATE_WORDS).encode(), page=f"tag/{tag}.html",
               marker=TEMPLATE_WORDS[1]),
    ]
