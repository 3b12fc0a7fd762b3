"""Read every article ahead of Pelican's serial loop, on every core.

Pelican reads articles one after another, and Python-Markdown is most of a
build. When the articles generator is made (``article_generator_init``),
:func:`read_ahead` reads the articles that are not cached yet with the
roundup reader in worker processes (:mod:`roundup.parallel`) and stores each
result in the generator's reader cache, as ``Readers.read_file`` would have
(``path -> (stamp, (content, metadata))``, the body already packed, see
:mod:`roundup.contentcache`); Pelican's loop then finds them there.
Anything a worker could not do (an error, a warning) is left out, so
Pelican reads that file itself and reports it as usual.

Entity descriptions (Markdown) are rendered alongside, and remembered in the
content cache under :data:`DESCRIPTIONS_KEY`, so with ``CACHE_CONTENT`` an
unchanged description is not rendered again.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from markdown import Markdown
from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

from ..glossary.registry import Registry
from .inline import gated_markdown
from .packed import heap_growing, pack
from .workers import available_workers, fork_map

DESCRIPTIONS_KEY = "\0roundup-descriptions"
MIN_ARTICLES = 8  # fewer than this: forking costs more than it saves


def article_paths(generator, extensions) -> dict[str, object]:
    """The article files Pelican is about to read and has not cached: absolute
    path -> the file's stamp, as the reader cache stores it."""
    settings, readers = generator.settings, generator.readers
    names = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    by_generator = settings["CONTENT_CACHING_LAYER"] == "generator"
    paths = {}
    for name in sorted(names):
        if file_suffix(name) not in extensions:
            continue
        if by_generator and generator.get_cached_data(name, None) is not None:
            continue
        path = os.path.abspath(os.path.join(generator.path, name))
        stamp = readers._get_file_stamp(path)
        if readers._cache.stamp(path) != stamp:
            paths[path] = stamp
    return paths


def shared_objects(settings: dict, registry: Registry) -> list:
    """What results refer to and the parent already has: settings, names, slugs."""
    return [settings, *registry.names, *registry.entities]


def converter(config: dict) -> Callable[[str], str]:
    """Markdown to HTML with one instance, made on first use."""
    made: list[Markdown] = []

    def convert(text: str) -> str:
        if not made:
            made.append(gated_markdown(config))
        made[0].reset()
        return made[0].convert(text)

    return convert


def read_ahead(generator, reader, registry: Registry, memo: dict) -> dict[str, str]:
    """Prime the reader cache with the articles; return ``{slug: description HTML}``.

    Descriptions are remembered in ``memo`` (the content cache that lasts).
    """
    bodies = {slug: e.body for slug, e in registry.entities.items() if e.name}
    readers = generator.readers
    remembered = memo.get(DESCRIPTIONS_KEY, (None, {}))[1]
    # (body, HTML) of each description rendered before; an empty body is a body too.
    same = [s for s, b in bodies.items() if remembered.get(s, (None,))[0] == b]
    described = {s: remembered[s][1] for s in same}
    slugs = [slug for slug in bodies if slug not in described]
    workers = available_workers(generator.settings["READ_PROCESSES"])
    found = article_paths(generator, reader.file_extensions) if workers else {}
    paths, stamps = list(found), list(found.values())
    convert = converter(generator.settings["MARKDOWN"])
    if len(paths) >= MIN_ARTICLES:

        def task(index: int):
            if index < len(paths):
                content, metadata = reader.read(paths[index])
                return pack(content), metadata
            return convert(bodies[slugs[index - len(paths)]])

        shared = shared_objects(generator.settings, registry)
        results = fork_map(task, len(paths) + len(slugs), workers, shared)
        with heap_growing():  # what arrives lives to the end of the build
            for index, result in results:
                if index < len(paths):
                    content, metadata = result
                    data = (content, _filter_discardable_metadata(metadata))
                    readers._cache[paths[index]] = (stamps[index], data)
                else:
                    described[slugs[index - len(paths)]] = result
    for slug in slugs:
        if slug not in described:
            described[slug] = convert(bodies[slug])
    remember = {s: (bodies[s], described[s]) for s in bodies}
    if remember != remembered:
        memo[DESCRIPTIONS_KEY] = (None, remember)
    return described
