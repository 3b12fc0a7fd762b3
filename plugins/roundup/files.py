"""Small file helpers shared by the caches (pure, no Pelican).

Every cache file is replaced whole (:func:`replace_file`): a build that stops
half-way leaves the previous file, never half of a new one. A file is known
unchanged by its :func:`stamp_of` (size, inode, modification time).
"""

from __future__ import annotations

import os
import pickle
import tempfile

Stamp = tuple[int, int, int]
# What loading a pickle written by another version, or cut short, may raise.
UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError)


def stamp_of(path: str | os.PathLike) -> Stamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_ino, status.st_mtime_ns


def replace_file(path: str, data: bytes | memoryview) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def read_pickle(path: str) -> dict:
    """A dict pickled by :func:`write_pickle`; empty if missing or unreadable."""
    try:
        with open(path, "rb") as handle:
            found = pickle.load(handle)
    except UNREADABLE:
        return {}
    return found if isinstance(found, dict) else {}


def write_pickle(path: str, value: dict) -> None:
    replace_file(path, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
