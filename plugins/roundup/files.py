"""Small file helpers (pure, no Pelican).

Every file the plugin writes itself is replaced whole (:func:`replace_file`):
a build that stops half-way leaves the previous file, never half of a new
one, and a file that is a hard link into another site is never written
through. A file is known unchanged by its :func:`stamp_of` (size, inode,
modification time).

Every cache file is sealed (:func:`seal`): its bytes carry their own SHA-256,
checked whenever they are read (:func:`read_sealed`). A file cut short,
zero-filled, edited or written by other code reads as missing, with an info
line, and what it held is made again: a damaged cache costs time, never a
wrong byte in the site.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import tempfile
from collections.abc import Callable

logger = logging.getLogger(__name__)
Stamp = tuple[int, int, int]
SEAL = b"roundup-sealed-1\n"  # then the payload's SHA-256, then the payload
_DIGEST = hashlib.sha256().digest_size
# What unpickling verified bytes written by other code may still raise
# (TypeError, ValueError: a class whose constructor arguments changed).
UNREADABLE = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    AttributeError,
    ImportError,
    IndexError,
    KeyError,
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
    """Write ``data`` to ``path`` through a temporary file in the same folder
    (readable by all, as Pelican's files are); a failed write leaves no
    temporary file and raises."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o644)
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_text(path: str, text: str) -> None:
    """:func:`replace_file` with ``text`` as UTF-8."""
    replace_file(path, text.encode())


def seal(payload: bytes | memoryview) -> bytes:
    """``payload`` with the mark and digest :func:`unseal` checks."""
    return SEAL + hashlib.sha256(payload).digest() + bytes(payload)


def unseal(data: bytes) -> bytes | None:
    """The payload of :func:`seal`'s output, or ``None`` if ``data`` is not that."""
    start = len(SEAL) + _DIGEST
    if not data.startswith(SEAL) or len(data) < start:
        return None
    payload = data[start:]
    return payload if hashlib.sha256(payload).digest() == data[len(SEAL) : start] else None


def write_sealed(path: str, payload: bytes | memoryview) -> None:
    replace_file(path, seal(payload))


def read_sealed(path: str) -> bytes | None:
    """The payload sealed in ``path``; ``None`` if missing or damaged (said)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    except OSError as error:
        logger.info("cache: %s cannot be read (%s); made again", path, error.strerror)
        return None
    payload = unseal(data)
    if payload is None:
        logger.info("cache: %s is damaged; what it held is made again", path)
    return payload


def loads(payload: bytes, persistent_load: Callable | None = None, path: str = ""):
    """Unpickle verified bytes; ``None`` if they were written by other code."""
    unpickler = pickle.Unpickler(io.BytesIO(payload))
    if persistent_load is not None:
        unpickler.persistent_load = persistent_load
    try:
        return unpickler.load()
    except UNREADABLE as error:
        logger.info("cache: %s was made by other code (%s); made again", path, error)
        return None


def read_pickle(path: str) -> dict:
    """A dict sealed by :func:`write_pickle`; empty if missing or damaged."""
    payload = read_sealed(path)
    found = loads(payload, path=path) if payload is not None else None
    return found if isinstance(found, dict) else {}


def write_pickle(path: str, value: dict) -> None:
    write_sealed(path, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
