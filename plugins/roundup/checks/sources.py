"""Source files that cannot be read as text, and folders that loop.

:func:`read_source` reads a content file as UTF-8 text or says, with its
line, why it cannot: a binary file, a byte that is not UTF-8, no permission.
:func:`symlink_loops` finds a symbolic link that leads back into a folder
it is in, which would make Pelican list the same files again and again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ..models import Problem, display_path

BOM = "\ufeff"


def read_source(path: str) -> tuple[str | None, Problem | None]:
    """The text of ``path`` (without a byte-order mark), or why not."""
    where = display_path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        return None, Problem(where, 1, "error", f"cannot be read: {reason}", _HINT_ACCESS)
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        hint = "content files are UTF-8 text; move it out of content/ or save it as text"
        return None, Problem(where, line, "error", "binary file, not text", hint)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"not valid UTF-8: byte {error.start} (0x{data[error.start]:02x})"
        return None, Problem(where, line, "error", message, "save the file as UTF-8")
    return text.removeprefix(BOM), None


_HINT_ACCESS = "make the file readable by the user who builds the site"


def symlink_loops(folders: Iterable[str]) -> list[Problem]:
    """A problem for each symbolic link below ``folders`` that leads back to
    one of its own parent folders (each loop once)."""
    problems, seen = [], set()
    for folder in folders:
        for link, target in _loops(folder):
            key = os.path.realpath(link)
            if key in seen:
                continue
            seen.add(key)
            message = f"symbolic link loop: it leads back to {display_path(target)}"
            hint = "remove the link, or point it outside the folders it is in"
            problems.append(Problem(display_path(link), 1, "error", message, hint))
    return problems


def loop_links(folder: str) -> frozenset[str]:
    """The absolute paths of the links :func:`symlink_loops` reports below
    ``folder``: a walk that leaves them out lists each file once."""
    return frozenset(os.path.abspath(link) for link, _ in _loops(folder))


def _loops(folder: str) -> Iterator[tuple[str, str]]:
    """``(link, folder it leads back to)`` for each loop below ``folder``."""
    if not os.path.isdir(folder):
        return
    stack = [(folder, ((_identity(folder), folder),))]
    while stack:
        current, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if not entry.is_dir():  # follows links, as Pelican's walk does
                continue
            identity = _identity(entry.path)
            back = next((path for ident, path in ancestors if ident == identity), None)
            if back is not None:
                yield entry.path, back
            else:
                stack.append((entry.path, (*ancestors, (identity, entry.path))))


def _identity(path: str) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_dev, status.st_ino


def unpublishable(paths: Iterable[str]) -> list[Problem]:
    """A problem for each static file that is not a regular file (a named
    pipe, a socket, a device, a broken link): Pelican would skip it silently."""
    return [
        Problem(
            display_path(path),
            1,
            "error",
            "not a regular file, so it cannot be published",
            "replace it with the file it stands for, or remove it",
        )
        for path in paths
        if not os.path.isfile(path)
    ]
