"""Leave unchanged output as it is: link it from the site being replaced (``links``).

``build_site`` builds into a fresh staging folder (:mod:`roundup.build`), so a
page the page cache (:mod:`roundup.accel.pagecache`) does not render again was
still read from the cache and written out, with everything Pelican does per file.
:class:`OutputLinks` remembers, for every page and feed a build wrote from a
cache key, that key, the store entry holding its text, and the file's size,
inode and modification time. The next build is given the folder of the site
it replaces (the ``ROUNDUP_PREVIOUS_OUTPUT`` setting, set by ``build_site``);
when a name comes with the same key and the old file is untouched since, the
file is hard-linked from there: no template, no cache read, no write. A
whole ``write_file`` call is linked before Pelican sees it (an article, an
entity page, a feed); so is every page of a paginated call whose key as a
whole (its list's order and each listed item) is the one its pages were
written from last time (:meth:`LinkingWriter.link_list`). Render workers
(:mod:`roundup.accel.prerender`) link entity pages and feeds ahead, into their
scratch folder; the build process moves them into place (:meth:`LinkingWriter.adopt`).

The site being replaced stays live until the swap and must survive a failed
build, so nothing is ever written through a link: a call that may overwrite
another file (``override_output``) is never linked, and Pelican's one opening
of an output file (``Writer._open_w``) first unlinks a linked name
(:meth:`OutputLinks.release`), so the file written is a new one. Pelican's
record of the files written (``_written_files``) notes each linked file as
its own opening would, so overwriting one is caught as strictly as Pelican
catches it. ``tests/test_accel.py`` pins both.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from pelican import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from ..files import Stamp, make_folder, read_pickle, stamp_of, write_pickle

logger = logging.getLogger(__name__)
MANIFEST = "outputs.pickle"
LISTS = "output-lists.pickle"
LINKED = "roundup_linked"  # in content_written's context: the file is the old site's

Entry = tuple[str, str, Stamp]  # key, store key, stamp


class OutputLinks:
    """What this build wrote (name -> :data:`Entry`), and links from the last one."""

    def __init__(self, folder: str, previous: str | None, load: bool, save: bool) -> None:
        self.path = os.path.join(folder, MANIFEST)
        self.previous = previous if previous and os.path.isdir(previous) else None
        self.save_on = save
        self.earlier: dict[str, Entry] = read_pickle(self.path) if self.previous and load else {}
        self.now: dict[str, Entry] = {}
        # Paginated calls: key of the whole call -> the names of its pages.
        self.lists_path = os.path.join(folder, LISTS)
        self.lists_earlier: dict[str, tuple[str, ...]] = (
            read_pickle(self.lists_path) if self.earlier else {}
        )
        self.lists_now: dict[str, tuple[str, ...]] = {}
        self.expected: dict[str, tuple[str, str, str]] = {}  # name -> key, stored, path
        self.clashed: set[str] = set()  # written more than once: never linked next time
        self.linked: set[str] = set()  # paths in this build's output that are the old files
        self.folders: set[str] = set()  # folders of the output known to exist

    def link(self, name: str, key: str, path: str) -> str | None:
        """Link ``name`` to ``path`` if the old site has it from ``key``, unchanged;
        returns the store key of its text (``None``: write it)."""
        earlier = self.earlier.get(name)
        if earlier is None or earlier[0] != key or path in self.linked:
            return None
        source = os.path.join(self.previous, name)
        if stamp_of(source) != earlier[2]:
            return None
        try:
            self.place(os.link, source, path)
        except OSError:  # another file system, or the name exists: write it instead
            return None
        self.adopt(name, path, earlier)
        return earlier[1]

    def place(self, action, source: str, path: str) -> None:
        """``action(source, path)`` (``os.link``, ``os.rename``) into this build's
        output, making the folder first unless this build made or used it
        already: a site's pages are mostly each in a folder of their own."""
        folder = os.path.dirname(path)
        if folder not in self.folders:
            make_folder(folder)
            self.folders.add(folder)
        action(source, path)

    def adopt(self, name: str, path: str, entry: Entry) -> None:
        """``path`` is the old site's file for ``name``, as ``entry`` says."""
        self.linked.add(path)
        if self._first(name):
            self.now[name] = entry

    def record(self, name: str, key: str, stored: str, path: str) -> None:
        """``path`` was just written with the text stored under ``stored``."""
        stamp = stamp_of(path)
        if stamp is not None and self._first(name):
            self.now[name] = (key, stored, stamp)

    def expect(self, name: str, key: str, stored: str, path: str) -> None:
        """``path`` is about to be written with that text: noted when saving."""
        if self._first(name):
            self.expected[name] = (key, stored, path)

    def _first(self, name: str) -> bool:
        """Whether this is the build's only write of ``name`` so far."""
        if name in self.now or name in self.expected or name in self.clashed:
            self.now.pop(name, None)
            self.expected.pop(name, None)
            self.clashed.add(name)
            return False
        return True

    def forget(self, name: str, path: str) -> None:
        """Undo :meth:`link` of ``name`` at ``path`` (nothing was announced yet)."""
        self.release(path)
        self.now.pop(name, None)

    def release(self, path: str) -> None:
        """Before ``path`` is written: if it is a link, write a file of its own."""
        if path in self.linked:
            self.linked.discard(path)
            os.unlink(path)

    def save(self) -> None:
        expected, self.expected = self.expected, {}
        for name, (key, stored, path) in expected.items():
            self.record(name, key, stored, path)
        if self.save_on:
            write_pickle(self.path, self.now)
            # A list is kept only if each of its pages is (not written twice, say).
            lists = self.lists_now.items()
            write_pickle(self.lists_path, {k: v for k, v in lists if set(v) <= self.now.keys()})
            logger.debug("output links: %d of %d files linked", len(self.linked), len(self.now))


class LinkingWriter:
    """The writer's side (mixed into :class:`roundup.pagecache.PageCacheWriter`,
    before Pelican's ``Writer``): link a page instead of writing it, and do
    what Pelican does around a write."""

    links: OutputLinks | None
    store: Any  # the page store: linked pages keep their entry in use
    output_path: str
    _written_files: set[str]
    _overridden_files: set[str]

    def path_of(self, name: str) -> str:
        return sanitised_join(self.output_path, name)

    def _linked(self, name: str, key: str, override: bool) -> str | None:
        """Link ``name`` from the site being replaced, noted as Pelican notes a
        file it writes; its store entry stays in use. Returns the path linked
        (``None``: write it)."""
        path = self.path_of(name)
        if self.links is None or override or path in self._written_files:
            return None
        stored = self.links.link(name, key, path)
        if stored is None:
            return None
        self.store.used.add(stored)
        self._noted(path)
        return path

    def link_list(self, whole: str, context: dict, relative_urls: bool, override: bool,
                  kwargs: dict) -> bool:  # fmt: skip
        """Link every page a paginated call wrote last time under the key of the
        whole call, ``whole`` (:meth:`PageCacheWriter.list_key`), and announce
        them; ``False`` (nothing done: pages linked are taken back, nothing was
        announced) unless each one can be linked."""
        names = self.links.lists_earlier.get(whole) if self.links is not None else None
        if not names:
            return False
        done: list[tuple[str, str]] = []
        for name in names:
            earlier = self.links.earlier.get(name)
            path = self._linked(name, earlier[0], override) if earlier else None
            if path is None:  # a page changed in the old site: take back the ones linked
                for undone, undone_path in done:
                    self._written_files.discard(undone_path)
                    self.links.forget(undone, undone_path)
                return False
            done.append((name, path))
        for name, path in done:
            self._announce(path, name, context, relative_urls, kwargs)
        self.links.lists_now[whole] = names
        return True

    def _noted(self, path: str) -> None:
        """What ``Writer._open_w`` notes of a file written without
        ``override_output`` (never linked otherwise): Pelican's bookkeeping."""
        self._written_files.add(path)

    def _link_ahead(self, name: str, key: str | None, target: str) -> Entry | None:
        """In a render worker: link ``target`` (a scratch file) to the old
        site's file for ``name`` if it holds ``key``; the entry for :meth:`adopt`."""
        if key is None or self.links is None or self.links.link(name, key, target) is None:
            return None
        return self.links.earlier[name]

    def adopt(self, name: str, entry: Entry, source: str) -> str | None:
        """Move a file linked ahead (``source``) to ``name``, noted as if this
        writer had linked it; ``None`` if ``name`` was written meanwhile."""
        path = self.path_of(name)
        if self.links is None or path in self._written_files or os.path.lexists(path):
            return None
        self.links.place(os.rename, source, path)
        self.links.adopt(name, path, entry)
        self.store.used.add(entry[1])
        self._noted(path)
        return path

    def _announce(self, path: str, name: str, context: dict, relative_urls: bool,
                  kwargs: dict) -> None:  # fmt: skip
        """What ``Writer.write_file`` does besides writing: ``localsiteurl``, the signal."""
        localsiteurl = context.get("localsiteurl")
        extra = {**kwargs, "output_file": name, LINKED: True}
        if relative_urls:
            localsiteurl = extra["SITEURL"] = path_to_url(get_relative_path(name))
        extra["localsiteurl"] = localsiteurl
        if localsiteurl:
            context["localsiteurl"] = localsiteurl
        # A copy, as Pelican sends: cheaper than a ChainMap its receivers query.
        signals.content_written.send(path, context={**context, **extra})

    def _open_w(self, filename, encoding, override=False):
        """Pelican's opening of an output file, after unlinking a linked name."""
        if self.links is not None:
            self.links.release(filename)  # never write through a link to the old site
        return super()._open_w(filename, encoding, override)

    def _record(self, name: str, key: str, stored: str, path: str) -> None:
        """``name`` was written at ``path`` from ``key``, its text stored under ``stored``."""
        if self.links is not None:
            self.links.record(name, key, stored, path)
