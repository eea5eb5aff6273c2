"""A site's settings file as the tools (new, import) read it.

Only the values they need (``PATH``, ``TIMEZONE``, the slug rules), without
the checks a build makes: Pelican's ``read_settings`` refuses a settings
file whose content folder does not exist yet, which is just when a first
post is started.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

#: The settings file a site folder has, as Pelican names it.
DEFAULT_NAME = "pelicanconf.py"


def site_settings(path: Path | None = None) -> dict[str, Any]:
    """The values of the settings file ``path`` (by default the current
    folder's pelicanconf.py, if there is one) over Pelican's defaults, with
    ``PATH`` taken relative to the file as Pelican takes it; without any
    file, the content folder is ``content``. Raises ``ValueError`` in one
    line for a file that cannot be run."""
    if path is None and Path(DEFAULT_NAME).is_file():
        path = Path(DEFAULT_NAME)
    if path is None:
        return {**DEFAULT_CONFIG, "PATH": "content"}
    try:
        own = get_settings_from_file(str(path))
    except Exception as error:  # noqa: BLE001 - the author's Python: say what, not where in Pelican
        raise ValueError(f"cannot read the settings file {path}: {type(error).__name__}: {error}") from None
    return {**DEFAULT_CONFIG, **own, "PATH": os.path.join(path.parent, own.get("PATH", os.curdir))}
