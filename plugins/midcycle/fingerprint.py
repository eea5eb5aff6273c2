"""The build's fingerprints: what shapes every post as read, and what
shapes every page and feed as rendered.

Two fingerprints, because the two kinds of work are kept apart between
builds:

- The **read fingerprint** names the folder of Pelican's content cache. It
  sums up what turns a post file into the article Pelican keeps: the
  settings (all but those only templates and the build's plumbing use), the
  plugin code that reads (reading.py and what it imports), the versions of
  Pelican, Python-Markdown, Pygments and the libraries of every Markdown
  extension, and the code of the other plugins. Editing a template or the
  CSS keeps every post read.
- The **render fingerprint** starts the digest of every page and feed. It
  sums up all settings, the whole plugin (but the tools and the command
  line, which are no part of a build, and its theme) and the libraries
  that shape output. Templates are summed up
  one by one (:class:`TemplateDigests`), so editing ``tag.html`` re-renders
  tag pages and nothing else. Static files (CSS, images) are copied as
  files and are in neither.

Settings may hold functions and objects (a Jinja filter, a Markdown
extension instance): :func:`stable` describes them by what they are (their
source code, their attributes), never by their memory address.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import importlib.metadata
import importlib.util
import inspect
import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateNotFound, meta

from .digests import digest
from .filetree import files_under

PACKAGE = Path(__file__).parent

#: Settings that say where things are or how the build runs, not what the
#: output holds; midcycle's run-time notes (``MIDCYCLE_PREVIOUS_OUTPUT``...)
#: among them.
PLACES = frozenset({
    "PATH", "OUTPUT_PATH", "CACHE_PATH", "DELETE_OUTPUT_DIRECTORY", "OUTPUT_RETENTION", "PORT", "BIND",
    "LOG_FILTER", "DEBUG", "CACHE_CONTENT", "LOAD_CONTENT_CACHE", "CONTENT_CACHING_LAYER", "GZIP_CACHE",
    "CHECK_MODIFIED_METHOD", "MIDCYCLE_WORKERS", "MARKDOWN_TIME_LIMIT", "MIDCYCLE_CACHE_ROOT",
    "MIDCYCLE_PREVIOUS_OUTPUT", "MIDCYCLE_STARTED", "MIDCYCLE_OUTPUT_FILES", "MIDCYCLE_READ_FINGERPRINT",
    "MIDCYCLE_RENDER_FINGERPRINT", "MIDCYCLE_DUE", "MIDCYCLE_POSTS", "MIDCYCLE_SESSION", "MIDCYCLE_SUMMARY",
    "MIDCYCLE_EDITED_POSTS",
})

#: Settings only templates, feeds and the build's plumbing use: a change to
#: one re-renders pages but reads no post again. Anything not named here
#: counts for reading too, so a setting a reader or another plugin uses is
#: never missed.
RENDER_ONLY = frozenset({
    "SITENAME", "SITESUBTITLE", "THEME", "THEME_STATIC_DIR", "THEME_STATIC_PATHS", "THEME_TEMPLATES_OVERRIDES",
    "DEFAULT_PAGINATION", "DEFAULT_ORPHANS", "PAGINATION_PATTERNS", "FEED_MAX_ITEMS", "RELATED_POSTS_MAX",
    "RECENT_COMMENTS_MAX", "MIDCYCLE_DRAFTS", "JINJA_ENVIRONMENT", "JINJA_FILTERS", "JINJA_GLOBALS", "JINJA_TESTS",
    "TEMPLATE_EXTENSIONS", "TEMPLATE_PAGES", "DIRECT_TEMPLATES", "PAGINATED_TEMPLATES", "MENUITEMS", "LINKS",
    "SOCIAL", "DISPLAY_PAGES_ON_MENU", "DISPLAY_CATEGORIES_ON_MENU", "CSS_FILE", "STATIC_PATHS",
    "STATIC_EXCLUDES", "STATIC_EXCLUDE_SOURCES", "STATIC_CREATE_LINKS", "STATIC_CHECK_IF_MODIFIED",
    "FAVICON", "SEARCH_INDEX", "FEED_ICON", "FEED_LOGO", "FEED_KEEP_RETIRED", "WEBSUB_HUB", "BROKEN_LINKS",
})

#: What in the plugin's folder shapes no page or feed: the tools and the
#: command line, which are no part of a build, and the theme, whose
#: templates are summed up one by one (TemplateDigests) and whose static
#: files are copied as they are.
NOT_RENDERING = frozenset({"tools", "cli.py", "theme"})

#: Where reading starts in the plugin; it and every module it imports shape
#: the posts Pelican caches.
READING_MODULE = "reading"

#: Libraries whose upgrade can change the bytes of a post as read...
READING_LIBRARIES = ("pelican", "markdown", "pygments", "beautifulsoup4")
#: ...or of a page or feed as rendered.
RENDERING_LIBRARIES = READING_LIBRARIES + ("jinja2", "markupsafe", "feedgen", "lxml", "pagefind_bin")

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def stable(value: Any, _seen: frozenset[int] = frozenset(), _depth: int = 0) -> Any:
    """A JSON-able description of ``value`` that is the same in every run
    for an equal value: plain data as it is, functions and classes by their
    module, name and source, other objects by their class and attributes."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if _depth > 8 or id(value) in _seen:
        return f"<{type(value).__qualname__}>"
    seen, depth = _seen | {id(value)}, _depth + 1
    if isinstance(value, bytes):
        return ["bytes", value.hex()]
    if isinstance(value, Mapping):
        return ["mapping", sorted(([stable(k, seen, depth), stable(v, seen, depth)] for k, v in value.items()),
                                  key=json.dumps)]
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [stable(item, seen, depth) for item in value]]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted((stable(item, seen, depth) for item in value), key=json.dumps)]
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta, datetime.tzinfo)):
        return ["time", repr(value)]
    if isinstance(value, re.Pattern):
        return ["pattern", value.pattern, value.flags]
    if isinstance(value, functools.partial):
        return ["partial", stable(value.func, seen, depth), stable(value.args, seen, depth),
                stable(value.keywords, seen, depth)]
    if inspect.ismethod(value):
        return ["method", stable(value.__func__, seen, depth), stable(value.__self__, seen, depth)]
    if inspect.isfunction(value) or inspect.isclass(value) or inspect.isbuiltin(value):
        return ["code", getattr(value, "__module__", ""), getattr(value, "__qualname__", ""), _source(value)]
    if inspect.ismodule(value):
        return ["module", value.__name__]
    attributes = getattr(value, "__dict__", None)
    return ["object", stable(type(value), seen, depth),
            stable(attributes, seen, depth) if isinstance(attributes, dict) else _ADDRESS.sub("", repr(value))]


def _source(code: Any) -> str:
    """A digest of the source of a function or class, or of its compiled
    code when the source is not at hand (a lambda typed in a shell)."""
    try:
        return digest(inspect.getsource(code))
    except (OSError, TypeError):
        compiled = getattr(code, "__code__", None)
        return digest(compiled.co_code, repr(compiled.co_consts)) if compiled else ""


def _files_digest(folder: Path, skip: frozenset[str] = frozenset()) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for name, entry in files_under(folder, enter=lambda name, entry: entry.name != "__pycache__" and name not in skip):
        if not name.endswith((".pyc", ".pyo")) and name not in skip:
            hasher.update(name.encode())
            hasher.update(Path(entry.path).read_bytes())
    return hasher.hexdigest()


#: A relative import, ``from .x import ...`` or ``from . import x, y``,
#: wherever it stands (in a function too), with what it imports: to the
#: closing bracket, or to the line's end (a backslash goes on to the next).
_RELATIVE_IMPORT = re.compile(r"^[ \t]*from[ \t]*\.(\w*)(?:\.\w+)*[ \t]*import\b[ \t]*(\([^)]*\)|(?:[^\n\\]|\\\n?)*)",
                              re.MULTILINE)


def relative_imports(source: str) -> set[str]:
    """The modules of its own package a module's ``source`` may import:
    every ``from .x import`` module, and every word a ``from . import``
    names. Found by pattern, not by parsing (parsing the reading modules
    cost 70 ms at every build's start), so a word too many may come too
    (an alias, a line of a docstring that reads like an import): a module
    too many in the read fingerprint costs a reading after an edit, a
    module missed would keep stale posts."""
    found = set()
    for module, names in _RELATIVE_IMPORT.findall(source):
        if module:
            found.add(module)
        else:
            found.update(re.findall(r"[^\W\d]\w*", re.sub(r"#[^\n]*", "", names)))
    return found


def _imports_in_package(module: str) -> set[str]:
    """The plugin's own modules that ``module`` imports."""
    return relative_imports((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))


@functools.cache
def reading_modules() -> tuple[str, ...]:
    """The plugin's reading module and every module of the plugin it uses,
    directly or not."""
    found, pending = set(), [READING_MODULE]
    while pending:
        module = pending.pop()
        if module not in found and (PACKAGE / f"{module}.py").is_file():
            found.add(module)
            pending.extend(_imports_in_package(module))
    return tuple(sorted(found))


# Installed libraries do not change while a build runs; the dev server
# starts again when midcycle changes, not when a library is upgraded.
@functools.lru_cache(maxsize=None)
def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def _module_origin(name: str) -> Path | None:
    """The file or package folder of an importable module, if found."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin in (None, "built-in", "frozen"):
        return None
    origin = Path(spec.origin)
    return origin.parent if origin.name == "__init__.py" else origin


@functools.lru_cache(maxsize=None)
def _code_of(name: str) -> str:
    """What a module other than midcycle is, as installed: its files' digest."""
    origin = _module_origin(name)
    if origin is None:
        return "-"
    return _files_digest(origin) if origin.is_dir() else digest(origin.read_bytes())


def markdown_extensions(settings: Mapping[str, Any]) -> list[str]:
    """The top-level modules of the Markdown extensions in ``MARKDOWN``."""
    extensions = (settings.get("MARKDOWN") or {}).get("extensions") or ()
    modules = set()
    for extension in extensions:
        module = extension if isinstance(extension, str) else type(extension).__module__
        modules.add(module.split(":")[0].split(".")[0])
    return sorted(modules)


def _libraries(settings: Mapping[str, Any], names: tuple[str, ...]) -> list[Any]:
    """Versions of ``names``, of the Markdown extensions' packages, and the
    code of every other plugin."""
    versions = [(name, _version(name)) for name in names]
    versions += [(module, _code_of(module)) for module in markdown_extensions(settings)]
    for plugin in settings.get("PLUGINS") or ():
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", repr(plugin))
        if name.split(".")[-1] != "midcycle":
            found = next((candidate for candidate in (name, f"pelican.plugins.{name}")
                          if _module_origin(candidate) is not None), name)
            versions.append((name, _code_of(found)))
    return versions + [("python", sys.version)]


def _settings(settings: Mapping[str, Any], leave_out: frozenset[str]) -> str:
    chosen = {key: value for key, value in settings.items() if key.isupper() and key not in leave_out}
    return json.dumps(stable(chosen), sort_keys=True)


def read_fingerprint(settings: Mapping[str, Any]) -> str:
    code = [(module, digest((PACKAGE / f"{module}.py").read_bytes())) for module in reading_modules()]
    return digest("read", _settings(settings, PLACES | RENDER_ONLY), code,
                  _libraries(settings, READING_LIBRARIES))


def render_fingerprint(settings: Mapping[str, Any]) -> str:
    return digest("render", _settings(settings, PLACES), _files_digest(PACKAGE, skip=NOT_RENDERING),
                  _libraries(settings, RENDERING_LIBRARIES))


#: What each template source text refers to (see TemplateDigests): the dev
#: server's builds parse a template again only when its text changed.
_REFERENCED: dict[tuple[tuple[str, ...], str], tuple[str | None, ...]] = {}


class TemplateDigests:
    """The digest of each template with everything it extends, includes or
    imports, read through the environment's own loader (so a theme's
    template and the one it overrides are told apart)."""

    def __init__(self, env: Environment, extensions: tuple[str, ...] = (".html",)):
        self.env = env
        self.extensions = extensions
        self._sources: dict[str, str | None] = {}
        self._digests: dict[tuple[str, ...], str] = {}

    def _source(self, name: str) -> str | None:
        if name not in self._sources:
            try:
                self._sources[name] = self.env.loader.get_source(self.env, name)[0]
            except TemplateNotFound:
                self._sources[name] = None
        return self._sources[name]

    def _full_name(self, name: str) -> str:
        """A name as Pelican asks for it (``article``) as found (``article.html``)."""
        return next((name + ext for ext in self.extensions if self._source(name + ext) is not None), name)

    def _closure(self, names: tuple[str, ...]) -> list[tuple[str, str | None]]:
        found: dict[str, str | None] = {}
        pending = [self._full_name(name) for name in names]
        while pending:
            name = pending.pop()
            if name in found:
                continue
            source = found[name] = self._source(name)
            if source is None:
                continue
            for referenced in self._referenced(source):
                if referenced is None:  # a name computed while rendering: it may be any template
                    pending.extend(self.env.loader.list_templates())
                else:
                    pending.append(referenced)
        return sorted(found.items())

    def _referenced(self, source: str) -> tuple[str | None, ...]:
        """The templates ``source`` extends, includes or imports; parsed once
        per source text, however many closures hold it."""
        key = (tuple(sorted(self.env.extensions)), source)  # an extension may add tags
        if key not in _REFERENCED:
            _REFERENCED[key] = tuple(meta.find_referenced_templates(self.env.parse(source)))
        return _REFERENCED[key]

    def others_mention(self, word: str, own_folder: str | os.PathLike) -> bool:
        """Whether any template found outside ``own_folder`` (midcycle's
        bundled templates) holds ``word`` anywhere in its text."""
        own = os.path.realpath(own_folder) + os.sep
        for name in self.env.loader.list_templates():
            try:
                source, filename, _uptodate = self.env.loader.get_source(self.env, name)
            except TemplateNotFound:
                continue
            if word in source and not (filename and os.path.realpath(filename).startswith(own)):
                return True
        return False

    def __call__(self, *names: str) -> str:
        """The digest of the templates ``names`` (as Pelican names them,
        with or without extension) and of everything they use."""
        if names not in self._digests:
            self._digests[names] = digest(self._closure(names))
        return self._digests[names]
