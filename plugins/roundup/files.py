"""Small file helpers (pure, no Pelican).

Every file the plugin writes itself is replaced whole (:func:`replace_file`):
a build that stops half-way leaves the previous file, never half of a new
one, and a file that is a hard link into another site is never written
through. A file is known unchanged by its :func:`stamp_of` (size, inode,
modification time).
"""

from __future__ import annotations

import os
import pickle
import tempfile

Stamp = tuple[int, int, int]
# What loading a pickle written by another version, or cut short, may raise
# (TypeError, ValueError: a class whose constructor arguments changed).
UNREADABLE = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    AttributeError,
    ImportError,
    TypeError,
    ValueError,
)


def stamp_of(path: str | os.PathLike) -> Stamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_ino, status.st_mtime_ns


def make_folder(folder: str) -> None:
    """``folder`` exists afterwards (usually its parent does: one ``mkdir``)."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


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


def write_text(path: str, text: str) -> None:
    """:func:`replace_file` with ``text`` as UTF-8."""
    replace_file(path, text.encode())
