"""Leave unchanged output as it is: link it from the site being replaced.

``build_site`` builds into a fresh staging folder (:mod:`roundup.build`), so a
page the page cache (:mod:`roundup.pagecache`) does not render again was still
read from the cache and written out, with everything Pelican does per file.
:class:`OutputLinks` remembers, for every page and feed a build wrote from a
cache key, that key, the store entry holding its text, and the file's size,
inode and modification time. The next build is given the folder of the site
it replaces (the ``ROUNDUP_PREVIOUS_OUTPUT`` setting, set by ``build_site``);
when a name comes with the same key and the old file is untouched since, the
file is hard-linked from there: no template, no cache read, no write.

The site being replaced stays live until the swap and must survive a failed
build, so nothing is ever written through a link: the writer unlinks a linked
name before anything writes it again (:meth:`OutputLinks.release`).
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile

logger = logging.getLogger(__name__)
MANIFEST = "outputs.pickle"
PREVIOUS_OUTPUT = "ROUNDUP_PREVIOUS_OUTPUT"  # set by build_site; not a user setting
LINKED = "roundup_linked"  # in content_written's context: the file is the old site's

Stamp = tuple[int, int, int]
Entry = tuple[str, str, Stamp]  # key, store key, stamp


def stamp_of(path: str) -> Stamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_ino, status.st_mtime_ns


class OutputLinks:
    """What this build wrote (name -> :data:`Entry`), and links from the last one."""

    def __init__(self, folder: str, previous: str | None, load: bool, save: bool) -> None:
        self.path = os.path.join(folder, MANIFEST)
        self.previous = previous if previous and os.path.isdir(previous) else None
        self.save_on = save
        self.earlier: dict[str, Entry] = read_pickle(self.path) if self.previous and load else {}
        self.now: dict[str, Entry] = {}
        self.linked: set[str] = set()  # paths in this build's output that are the old files

    def link(self, name: str, key: str, path: str) -> str | None:
        """Link ``name`` to ``path`` if the old site has it from ``key``, unchanged;
        returns the store key of its text (``None``: write it)."""
        earlier = self.earlier.get(name)
        if earlier is None or earlier[0] != key or path in self.linked:
            return None
        source = os.path.join(self.previous, name)
        if stamp_of(source) != earlier[2]:
            return None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            os.link(source, path)
        except OSError:  # another file system, or the name exists: write it instead
            return None
        self.linked.add(path)
        self.now[name] = earlier
        return earlier[1]

    def record(self, name: str, key: str, stored: str, path: str) -> None:
        """``path`` was just written with the text stored under ``stored``."""
        stamp = stamp_of(path)
        if stamp is not None:
            self.now[name] = (key, stored, stamp)

    def release(self, path: str) -> None:
        """Before ``path`` is written: if it is a link, write a file of its own."""
        if path in self.linked:
            self.linked.discard(path)
            os.unlink(path)

    def save(self) -> None:
        if self.save_on:
            write_pickle(self.path, self.now)
            logger.debug("output links: %d of %d files linked", len(self.linked), len(self.now))


def read_pickle(path: str) -> dict:
    """A dict pickled by :func:`write_pickle`; empty if missing or unreadable."""
    try:
        with open(path, "rb") as handle:
            found = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return {}
    return found if isinstance(found, dict) else {}


def write_pickle(path: str, value: dict) -> None:
    """Replace ``path`` whole (a reader never sees half a file)."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder)
    with os.fdopen(handle, "wb") as out:
        pickle.dump(value, out, pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)
