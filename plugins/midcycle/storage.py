"""Files the build keeps for itself: in the cache (the related lists, the
manifest of written files, the record of the last build) and the record of
the files a build made, in the output folder.

They are written whole or not at all: into a temporary file beside the
target, then renamed over it, so a full disk or a killed build leaves the
old file or the new one, never half of one. They are read back, or dropped
with a warning: a cache file that cannot be read (truncated by an older
version, or damaged) costs the work it saved, never a build.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

logger = logging.getLogger(__name__)


@contextmanager
def replacing(path: str | os.PathLike) -> Iterator[IO[bytes]]:
    """A file to write ``path``'s new bytes into; they replace ``path`` in
    one rename when the block ends without an error, and are thrown away
    otherwise."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            yield handle
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_whole(path: str | os.PathLike, data: bytes) -> None:
    """Replace ``path``'s bytes with ``data``, all at once."""
    with replacing(path) as handle:
        handle.write(data)


#: For :func:`load_pickles`: any first value will do.
ANY = object()


def load_pickles(path: str | os.PathLike, count: int = 1, first: Any = ANY) -> list[Any] | None:
    """The first ``count`` values pickled one after the other in ``path``,
    or ``None`` if there is no such file or it cannot be read back; a file
    that cannot be read is removed, with a warning saying so. With
    ``first``, a file whose first value is another is left unread after it
    (what follows may be large, and is stale): ``None`` too."""
    try:
        with open(path, "rb") as handle:
            values = [pickle.load(handle)]
            if first is not ANY and values[0] != first:
                return None
            return values + [pickle.load(handle) for _ in range(count - 1)]
    except OSError as error:
        if not isinstance(error, FileNotFoundError):
            logger.warning("midcycle: cannot read the cache file %s (%s); what it held is made again", path, error)
        return None
    # Whatever unpickling a damaged file raises (EOFError when truncated,
    # UnpicklingError, or a class that is no longer there): drop it.
    except Exception as error:  # noqa: BLE001
        logger.warning("midcycle: dropping the damaged cache file %s (%s: %s); what it held is made again",
                       path, type(error).__name__, error)
        try:
            Path(path).unlink(missing_ok=True)
        except OSError:
            pass  # the next build warns again; nothing worse
        return None
