"""Whole articles kept between builds, one file each (``articlecache``).

With Pelican's content cache at the reader layer, an unchanged article is
not converted again, but its metadata is parsed again (``dateutil``) and its
``Article`` made again, and the cache is one pickle of every article, loaded
and saved whole: seconds at 4,000 roundups to re-read one edited file.
:func:`attach` gives the articles generator a :class:`ArticleStore` in
``CACHE_PATH/roundup-articles/`` instead: one pickle per finished article,
read when Pelican asks for it (``get_cached_data``), written when Pelican
caches it (``cache_data``) and only then; Pelican's own layers are switched
off for the build (:data:`ACCEL_LAYER`). An article refers to the build's
settings and context by reference, and to other articles (its translations,
linked again by every build) not at all, so a cached article takes the
current build's context. The folder is the build's (named after the entity
names, settings and code: :mod:`roundup.site.caching`), so an entry never
meets other code. The three methods are replaced on the generator object
(Pelican's ``FileDataCacher`` API); ``tests/test_accel.py`` pins them.
Each entry is sealed (:func:`roundup.files.seal`): a damaged one is read again
from its article.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle

from pelican.contents import Content

from ..files import loads, make_folder, read_sealed, stamp_of, write_sealed
from .heap import growing

logger = logging.getLogger(__name__)
FOLDER = "roundup-articles"
# CONTENT_CACHING_LAYER while the store is on: neither of Pelican's layers caches.
ACCEL_LAYER = "roundup.accel"


class ArticleStore:
    """``relative path -> finished article`` for one generator, one file each."""

    def __init__(self, generator, shared: dict[int, tuple], resolve, heap: bool) -> None:
        settings = generator.settings
        self.base = generator.path
        self.folder = os.path.join(settings["CACHE_PATH"], FOLDER)
        self.load, self.save_on = settings["LOAD_CONTENT_CACHE"], settings["CACHE_CONTENT"]
        self.shared, self.resolve, self.heap = shared, resolve, heap
        self.changed: dict[str, tuple] = {}  # name -> (stamp, article) to write
        self.used: set[str] = set()
        self.peeked: dict[str, object] = {}  # loaded by peek(), for Pelican's get()
        self.given: set[str] = set()  # what get() gave

    def path_of(self, name: str) -> str:
        label = hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
        return os.path.join(self.folder, label[:2], label + ".pickle")

    def get(self, name: str, default=None):
        """``get_cached_data``: the article cached for ``name`` if its file is unchanged."""
        found = self.peeked.pop(name, None)
        if found is None:
            found = self._load(name)
        if found is None:
            return default
        self.given.add(name)
        return found

    def peek(self, name: str) -> bool:
        """Whether :meth:`get` gave or will give an article for ``name`` (loaded
        now, once)."""
        if name not in self.peeked and name not in self.given:
            found = self._load(name)
            if found is None:
                return False
            self.peeked[name] = found
        return True

    def _load(self, name: str):
        self.used.add(name)
        stamp = stamp_of(os.path.join(self.base, name))
        if not self.load or stamp is None:
            return None
        entry = self._read(self.path_of(name))
        if entry is None or entry[0] != name or entry[1] != stamp:
            return None
        return entry[2]

    def put(self, name: str, article) -> None:
        """``cache_data``: keep ``article`` for ``name`` (written by :meth:`save`)."""
        self.used.add(name)
        self.changed[name] = (stamp_of(os.path.join(self.base, name)), article)

    def save(self) -> None:
        """``save_cache``: write what changed, remove entries of deleted files."""
        if not self.save_on:
            return
        for name, (stamp, article) in self.changed.items():
            self._write(name, stamp, article)
        self.changed.clear()
        keep = {self.path_of(name) for name in self.used}
        for root, _, names in os.walk(self.folder):
            for file in names:
                if os.path.join(root, file) not in keep:
                    os.remove(os.path.join(root, file))

    def _read(self, path: str):
        """The entry sealed in ``path``; ``None`` if missing, damaged or made by
        other code (said: its article is read again)."""
        payload = read_sealed(path)
        if payload is None:
            return None
        with growing(self.heap):
            entry = loads(payload, self.resolve, path)
        return entry if isinstance(entry, tuple) and len(entry) == 3 else None

    def _write(self, name: str, stamp, article) -> None:
        buffer = io.BytesIO()
        try:
            _Pickler(buffer, self.shared, article).dump((name, stamp, article))
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            logger.warning("%s: not cached, it cannot be pickled (%s)", name, error)
            return
        path = self.path_of(name)
        make_folder(os.path.dirname(path))
        write_sealed(path, buffer.getbuffer())


class _Pickler(pickle.Pickler):
    def __init__(self, file, shared: dict[int, tuple], root: object) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self._shared, self._root = shared, root

    def persistent_id(self, obj: object):
        found = self._shared.get(id(obj))
        if found is None and isinstance(obj, Content) and obj is not self._root:
            return ("content",)  # a translation: every build links them again
        return found


def attach(generator, registry, heap: bool) -> ArticleStore:
    """Give the articles ``generator`` an :class:`ArticleStore` (see the module)."""
    settings, context = generator.settings, generator.context
    names = {**{n: n for n in registry.names}, **{s: s for s in registry.entities}}
    # A persistent id holds a name as bytes: it may not contain the object itself.
    shared = {id(v): ("name", v.encode()) for v in names.values()}
    shared.update({id(settings): ("settings",), id(context): ("context",)})
    fixed = {"settings": settings, "context": context, "content": None}

    def resolve(pid: tuple):
        if pid[0] in fixed:
            return fixed[pid[0]]
        name = pid[1].decode()
        return names.get(name, name)

    store = ArticleStore(generator, shared, resolve, heap)
    generator.article_store = store
    generator.get_cached_data = store.get
    generator.cache_data = store.put
    generator.save_cache = store.save
    return store
