"""Articles read on every core before Pelican's loop asks for them (``readahead``).

Pelican reads articles one after another, and Python-Markdown is most of a
build. Just before Pelican reads its first article (``article_generator_preread``),
:func:`prepare` puts the speed layer's reader in place of the plugin's
(:mod:`roundup.accel.reader`) and reads every article the article cache does
not hold in forked worker processes (:mod:`roundup.accel.workers`); the
reader then answers Pelican's loop from what they read (:class:`AheadReader`).
A file a worker could not read cleanly (an error, a warning) is left to the
reader, so Pelican reports it as usual. What comes back is what the reader
would return, but for Pelican's ``_DISCARD`` marker (an empty ``Tags:``,
say): it is compared by identity, so the workers drop it before sending.

Entity descriptions (Markdown) are rendered alongside, and remembered in
``CACHE_PATH`` with their source, so an unchanged description is not
rendered again (:func:`descriptions`).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

from ..files import read_pickle, write_pickle
from ..glossary.registry import Registry
from ..site.entities import markdown_converter
from .articles import PackedText, pack
from .heap import growing
from .reader import RoundupReader
from .workers import available_workers, fork_map

DESCRIPTIONS_MEMO = "roundup-descriptions.pickle"  # in CACHE_PATH
MIN_ARTICLES = 8  # fewer than this: forking costs more than it saves


class AheadReader(RoundupReader):
    """The speed layer's reader, answering first from what workers read."""

    ahead: dict[str, tuple] | None = None

    def read(self, source_path: str):
        found = (self.ahead or {}).pop(os.path.abspath(source_path), None)
        if found is not None:
            content, metadata = found
            return (PackedText.of(content) if isinstance(content, bytes) else content), metadata
        return super().read(source_path)


def uncached(generator, extensions) -> list[str]:
    """Absolute paths of the article files Pelican will read (not cached)."""
    settings = generator.settings
    names = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    store = getattr(generator, "article_store", None)  # the speed layer's article cache
    paths = []
    for name in sorted(names):
        if file_suffix(name) in extensions and not (store and store.peek(name)):
            paths.append(os.path.abspath(os.path.join(generator.path, name)))
    return paths


def shared_objects(settings: dict, registry: Registry) -> list:
    """What results refer to and the parent already has: settings, names, slugs."""
    return [settings, *registry.names, *registry.entities]


def read_ahead(
    reader: AheadReader, paths: list[str], bodies: dict[str, str], options: dict
) -> dict[str, str]:
    """Read ``paths`` and render the description ``bodies`` (slug -> Markdown)
    in workers: articles land in ``reader.ahead``; returns the descriptions
    rendered (slug -> HTML). ``options``: ``settings``, ``registry``,
    ``workers``, ``packed``, ``heap``."""
    slugs = list(bodies)
    convert = markdown_converter(options["settings"]["MARKDOWN"])
    packed = options["packed"]

    def task(index: int):
        if index < len(paths):
            content, metadata = reader.read(paths[index])
            metadata = _filter_discardable_metadata(metadata)
            return (pack(content) if packed and content else content), metadata
        return convert(bodies[slugs[index - len(paths)]])

    reader.ahead, described = {}, {}
    shared = shared_objects(options["settings"], options["registry"])
    results = fork_map(task, len(paths) + len(slugs), options["workers"], shared)
    with growing(options["heap"]):  # what arrives lives to the end of the build
        for index, result in results:
            if index < len(paths):
                reader.ahead[paths[index]] = result
            else:
                described[slugs[index - len(paths)]] = result
    return described


def worth_it(settings: dict, count: int) -> int:
    """Worker processes for reading ``count`` articles (0: read in this process)."""
    workers = available_workers(settings["READ_PROCESSES"])
    return workers if count >= MIN_ARTICLES else 0


def descriptions(
    settings: dict, registry: Registry, render: Callable[[dict[str, str]], dict[str, str]]
) -> dict[str, str]:
    """Every entity's description as HTML: remembered ones whose Markdown is
    unchanged, the others through ``render`` (slug -> Markdown to slug -> HTML)."""
    bodies = {slug: e.body for slug, e in registry.entities.items() if e.name}
    memo = os.path.join(settings["CACHE_PATH"], DESCRIPTIONS_MEMO)
    remembered = read_pickle(memo) if settings["LOAD_CONTENT_CACHE"] else {}
    found = {s: remembered[s][1] for s, b in bodies.items() if remembered.get(s, (None,))[0] == b}
    todo = {s: b for s, b in bodies.items() if s not in found}
    found.update(render(todo) if todo else {})
    convert = markdown_converter(settings["MARKDOWN"])
    for slug, body in todo.items():
        if slug not in found:
            found[slug] = convert(body)
    keep = {s: (bodies[s], found[s]) for s in bodies}
    if settings["CACHE_CONTENT"] and keep != remembered:
        write_pickle(memo, keep)
    return found
