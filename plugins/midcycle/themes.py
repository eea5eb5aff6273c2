"""midcycle's own theme, and a site's theme laid over it.

midcycle ships a theme of its own as package data (``theme/templates/``,
``theme/static/``): a template for every page it writes and the CSS they
use. A site's ``THEME`` may override any of those files and needs only the
ones it changes: templates are looked up in the site's theme first and in
midcycle's after it (:func:`with_fallback`), static files are copied from
midcycle's theme first and from the site's after, so a theme file of the
same name wins (:func:`theme_settings`, :func:`theme_static_files`).

Pelican's own themes (``notmyidea``, Pelican's default ``THEME``, and
``simple``) render Pelican's pages, not midcycle's: their ``article.html``
expects an ``article``. A site using one of them, or not naming a theme at
all, gets midcycle's theme alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pelican
from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PrefixLoader

from .filetree import files_under

THEME = Path(__file__).parent / "theme"
TEMPLATES = THEME / "templates"
STATIC = THEME / "static"
#: Pelican's built-in themes live here.
PELICAN_THEMES = Path(pelican.__file__).parent / "themes"
#: A theme's template may extend midcycle's own by this prefix
#: (``{% extends "!midcycle/article.html" %}``), as Pelican offers ``!simple``.
PREFIX = "!midcycle"


def _same(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def theme_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The ``THEME`` and ``THEME_STATIC_PATHS`` a build uses.

    With one of Pelican's own themes, midcycle's theme instead. With a
    theme of the site's, midcycle's static folder first, then the site's
    theme's static folders that exist (a theme overriding only templates
    has none, and Pelican would warn about each missing one on every build).
    """
    theme = settings["THEME"]
    if _same(Path(theme).parent, PELICAN_THEMES) or _same(theme, THEME):
        return {"THEME": str(THEME), "THEME_STATIC_PATHS": ["static"]}
    own = [path for path in settings["THEME_STATIC_PATHS"]
           if not _same(os.path.join(theme, path), STATIC) and os.path.exists(os.path.join(theme, path))]
    return {"THEME_STATIC_PATHS": [str(STATIC), *own]}


def with_fallback(env: Environment) -> None:
    """Let ``env`` (a Pelican generator's) find midcycle's templates where
    the site's theme lacks them: after the theme's own folder, before
    Pelican's ``simple`` theme, which Pelican puts next in line and whose
    templates expect Pelican's pages, not midcycle's."""
    own: BaseLoader = FileSystemLoader(str(TEMPLATES))
    prefixed = PrefixLoader({PREFIX: own})
    loader = env.loader
    if isinstance(loader, ChoiceLoader) and loader.loaders:
        env.loader = ChoiceLoader([loader.loaders[0], own, prefixed, *loader.loaders[1:]])
    else:
        env.loader = ChoiceLoader([loader, own, prefixed] if loader else [own, prefixed])


def theme_static_files(theme: str, static_paths: Iterable[str], static_dir: str) -> list[tuple[str, str]]:
    """``(output file, source)`` of every static file Pelican copies from
    the theme: each of ``static_paths`` (folders of ``theme``, or absolute)
    goes to the output's ``static_dir``, in order, so a file of a later
    folder replaces one of the same name from an earlier folder."""
    files: dict[str, str] = {}
    for folder in static_paths:
        root = os.path.join(theme, folder)
        if os.path.isdir(root):
            origin = "midcycle's theme file " if _same(root, STATIC) else f"theme file {folder}/"
            files.update((f"{static_dir}/{name}", f"{origin}{name}") for name, _entry in files_under(root))
    return sorted(files.items())
