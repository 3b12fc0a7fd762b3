"""Pelican's reader cache for articles: bodies packed, one file per article.

Whatever the caching settings, the articles generator's reader cache is a
:class:`PackedCache`: it keeps each body as compressed UTF-8
(:func:`roundup.lean.pack`) and hands Pelican a :class:`roundup.lean.PackedText`
that still carries the packed bytes, so the article made from it
(:func:`roundup.lean.pack_body`) keeps them without compressing again. The
workers that read ahead (:mod:`roundup.prefetch`) pack bodies themselves.

Pelican keeps its reader cache (``path -> (stamp, (content, metadata))``) in
one gzip'd pickle that it loads whole and saves whole on every build: with
thousands of analysed roundups that is seconds of work to re-read one edited
file. :func:`install` swaps the articles generator's cache for a
:class:`ShardedCache`: every entry is its own uncompressed pickle under
``CACHE_PATH/roundup-articles/``, loaded at the start of a build and saved
only when it changed. Pickles refer to the build's settings and to the
registry's names by reference, so loaded entries share them as freshly read
ones do.

With ``CONTENT_CACHING_LAYER = "generator"`` (this project's setting) the
sharded cache is the generator's own: an entry is the finished article,
under ``CACHE_PATH/roundup-article-objects/``, so an unchanged file skips
Pelican's reader, its metadata parsing and the article's construction as
well. An article refers to the build's settings and context by reference,
and to other articles (its translations, set again by every build) not at
all. Pages get the same, under ``roundup-page-objects/``.

Compiled templates are kept too (:func:`cache_templates`), under
``roundup-templates/``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle

from jinja2 import FileSystemBytecodeCache
from pelican.contents import Content

from ..files import UNREADABLE, replace_file
from .fingerprint import pages_digest
from .packed import PackedText, heap_growing, pack

logger = logging.getLogger(__name__)
FOLDERS = {"reader": "roundup-articles", "generator": "roundup-article-objects"}
PAGES_FOLDER = "roundup-page-objects"
TEMPLATES_FOLDER = "roundup-templates"
# Key of a pseudo-entry: what the cached entries were made with (see attach).
FINGERPRINT_KEY = "\0roundup-registry"


class PackedCache(dict):
    """``path -> (stamp, (content, metadata))`` with every body stored packed."""

    def __setitem__(self, key, value) -> None:
        stamp, data = value
        if isinstance(data, tuple) and isinstance(data[0], str):
            data = (pack(data[0]), *data[1:])
        super().__setitem__(key, (stamp, data))

    def get(self, key, default=None):
        value = super().get(key, default)
        if value is default:
            return value
        stamp, data = value
        if isinstance(data, tuple) and isinstance(data[0], bytes):
            data = (PackedText.of(data[0]), *data[1:])
        return stamp, data

    def stamp(self, key):
        """The stamp stored for ``key`` (``None`` if none), without unpacking."""
        return super().get(key, (None, None))[0]


class ShardedCache(PackedCache):
    """A cache that remembers which keys changed, and which were asked for."""

    def __init__(self, folder: str, shared: dict[int, tuple]) -> None:
        super().__init__()
        self.folder = folder
        self.shared = shared  # id(object) -> persistent id
        self.changed: set[str] = set()
        self.used: set[str] = set()
        self.cleared = False

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.changed.add(key)
        self.used.add(key)

    def get(self, key, default=None):
        self.used.add(key)
        return super().get(key, default)

    def clear(self) -> None:
        super().clear()
        self.changed.clear()
        self.cleared = True

    def path_of(self, key: str) -> str:
        name = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
        return os.path.join(self.folder, name[:2], name + ".pickle")

    def load(self, resolve, fingerprint: str) -> None:
        """Read every stored entry (``resolve`` turns persistent ids into objects)
        if they were made with ``fingerprint`` (their entry under
        :data:`FINGERPRINT_KEY` says): entries made by other plugin code are
        never unpickled, as their classes may have changed since."""
        if not os.path.isdir(self.folder):
            return
        marked = self.path_of(FINGERPRINT_KEY)
        mark = _read(marked, resolve)
        if mark is None or mark[1][0] != fingerprint:
            return
        dict.__setitem__(self, *mark)
        with heap_growing():
            for root, _, names in os.walk(self.folder):
                for name in names:
                    path = os.path.join(root, name)
                    if name.endswith(".pickle") and path != marked:
                        entry = _read(path, resolve)
                        if entry is not None:
                            dict.__setitem__(self, entry[0], entry[1])

    def save(self) -> None:
        """Write changed entries; forget removed ones and those of deleted files."""
        unused = set(self) - self.used
        for key in unused:
            del self[key]
        if self.cleared or unused:
            self._remove_all_but(set(self))
        for key in self.changed:
            if key in self:
                self._write(key, dict.__getitem__(self, key))
        self.changed.clear()
        self.cleared = False

    def _write(self, key: str, value) -> None:
        buffer = io.BytesIO()
        try:
            _Pickler(buffer, self.shared, value[1]).dump((key, value))
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            logger.warning("%s: not cached, it cannot be pickled (%s)", key, error)
            return
        replace_file(self.path_of(key), buffer.getbuffer())

    def _remove_all_but(self, keys: set[str]) -> None:
        keep = {self.path_of(key) for key in keys}
        for root, _, names in os.walk(self.folder):
            for name in names:
                path = os.path.join(root, name)
                if path not in keep:
                    os.remove(path)


def _read(path: str, resolve):
    try:
        with open(path, "rb") as handle:
            return _Unpickler(handle, resolve).load()
    except UNREADABLE as error:
        logger.debug("ignoring unreadable cache entry %s: %s", path, error)
        return None


class _Pickler(pickle.Pickler):
    def __init__(self, file, shared: dict[int, tuple], root: object = None) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self._shared, self._root = shared, root

    def persistent_id(self, obj: object):
        found = self._shared.get(id(obj))
        if found is None and isinstance(obj, Content) and obj is not self._root:
            return ("content",)  # a translation: every build links them again
        return found


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, resolve) -> None:
        super().__init__(file)
        self._resolve = resolve

    def persistent_load(self, pid: tuple):
        return self._resolve(pid)


def caching(settings: dict) -> bool:
    """Whether Pelican's content cache is on (loaded, saved or both)."""
    return bool(settings.get("LOAD_CONTENT_CACHE") or settings.get("CACHE_CONTENT"))


def cache_templates(generator) -> None:
    """``generator_init``: with the content cache on, this generator's Jinja
    environment keeps compiled templates under ``CACHE_PATH/roundup-templates/``
    (Jinja checks each against its template's source), so a rebuild does not
    compile them again."""
    env = getattr(generator, "env", None)
    if env is None or not caching(generator.settings):
        return
    folder = os.path.join(generator.settings["CACHE_PATH"], TEMPLATES_FOLDER)
    os.makedirs(folder, exist_ok=True)
    env.bytecode_cache = TemplateCache(folder, pages_digest(generator.settings))


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's bytecode cache, each template filed under ``made_with`` as well:
    how a template compiles depends on settings (options, extensions) and on
    plugin and package code, which Jinja's own key (name and source) leaves out."""

    def __init__(self, folder: str, made_with: str) -> None:
        super().__init__(folder)
        self.made_with = made_with

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.made_with}\0{name}", filename)


def install(generator, registry, fingerprint: str) -> PackedCache:
    """Give the articles generator's readers a packed cache, and the lasting
    cache to the layer ``CONTENT_CACHING_LAYER`` names; returns the lasting
    cache (the plugin keeps entries of its own there), else the readers'.

    Without ``LOAD_CONTENT_CACHE`` and ``CACHE_CONTENT`` the readers' cache
    lives for this build only. ``fingerprint``: see :func:`attach`.
    """
    settings, readers = generator.settings, generator.readers
    readers._cache = PackedCache()
    layer = settings["CONTENT_CACHING_LAYER"]
    if layer not in FOLDERS or not caching(settings):
        return readers._cache
    names = {**{n: n for n in registry.names}, **{s: s for s in registry.entities}}
    # The id holds the name as bytes: a persistent id may not contain the object.
    shared = {id(v): ("name", v.encode()) for v in names.values()}
    owner = generator if layer == "generator" else readers
    return attach(owner, FOLDERS[layer], fingerprint, generator.context, shared, names)


def attach(owner, folder: str, fingerprint: str, context: dict, shared: dict,
           names: dict) -> ShardedCache:  # fmt: skip
    """Make ``owner``'s (Pelican's ``FileStampDataCacher``) cache a
    :class:`ShardedCache` in ``CACHE_PATH/folder``, loaded if the settings say
    so, and dropped whole if it was made with another ``fingerprint`` (entity
    names, settings, plugin code): Pelican keys its caches on the file alone."""
    settings = owner.settings
    shared = {id(settings): ("settings",), id(context): ("context",), **shared}
    fixed = {"settings": settings, "context": context, "content": None}

    def resolve(pid: tuple):
        if pid[0] in fixed:
            return fixed[pid[0]]
        name = pid[1].decode()
        return names.get(name, name)

    cache = ShardedCache(os.path.join(settings["CACHE_PATH"], folder), shared)
    if settings["LOAD_CONTENT_CACHE"]:
        cache.load(resolve, fingerprint)
    if cache.get(FINGERPRINT_KEY, (None, None))[0] != fingerprint:
        cache.clear()
        cache[FINGERPRINT_KEY] = (fingerprint, None)
    owner._cache = cache
    owner.save_cache = _saver(cache, owner, settings["CACHE_CONTENT"])
    return cache


def install_pages(generator, fingerprint: str) -> None:
    """With the generator layer and the content cache on: the pages generator's
    cache is sharded too (Pelican's would pickle the whole context with each page)."""
    if generator.settings["CONTENT_CACHING_LAYER"] == "generator" and caching(generator.settings):
        attach(generator, PAGES_FOLDER, fingerprint, generator.context, {}, {})


def _saver(cache: ShardedCache, owner, save: bool):
    """Replaces ``owner.save_cache``: Pelican's one big file is not written."""

    def save_cache() -> None:
        if not save:
            return
        cache.save()
        monolith = getattr(owner, "_cache_path", "")
        if monolith and os.path.exists(monolith):
            os.remove(monolith)  # else Pelican would load it on every build

    return save_cache
