"""Signal handlers: the thin glue between Pelican and the pure modules.

Per-build state lives in the generator context (a fresh dict every build), so
``pelican --autoreload`` rebuilds pick up edited entity files.
"""

from __future__ import annotations

import logging

from pelican.readers import MarkdownReader

from ..accel import articlecache as contentcache
from ..accel.fingerprint import pages_digest, reader_digest
from ..accel.members import index_taxonomies
from ..accel.packed import contents, freeze_heap, freeze_urls, release_reader_cache
from ..accel.pagecache import PageCacheWriter, site_prints, writer_class
from ..accel.readahead import read_ahead
from ..analysis.matching import Matcher
from ..checks.content import build_problems, ordered, page_problems, suggestion_problems
from ..checks.sanitize import sanitize_html
from ..glossary.registry import Registry, load_registry
from ..models import Problem
from .digest_hub import DigestGenerator
from .entities import DESCRIPTIONS, REGISTRY, EntityGenerator
from .reader import RoundupReader, display_path
from .sitemap import SitemapGenerator

logger = logging.getLogger(__name__)
LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO}


def ensure_registry(context: dict, settings: dict, content_path: str) -> Registry:
    """The registry of this build, loaded on first use."""
    registry = context.get(REGISTRY)
    if registry is None:
        registry = load_registry(content_path, settings["ENTITY_PATHS"], display_path)
        context[REGISTRY] = registry
    return registry


def prepare_reader(generator) -> None:
    """``article_generator_init``: install the roundup reader and the content
    cache, once per build.

    Cached articles read with other entity names, settings or plugin code are
    dropped (:func:`contentcache.attach`). Then every article not cached is
    read ahead, in parallel (:mod:`roundup.prefetch`).
    """
    if REGISTRY in generator.context:
        return
    registry = ensure_registry(generator.context, generator.settings, generator.path)
    matcher = Matcher(registry.names)
    sources = {slug: e.source for slug, e in registry.entities.items()}

    def href(slug: str) -> str:
        return "{filename}/" + sources[slug]

    reader = RoundupReader(generator.settings, registry, matcher, href)
    for extension in reader.file_extensions:
        generator.readers.readers[extension] = reader
    cache = contentcache.install(generator, registry, reader_digest(generator.settings, registry))
    generator.context[DESCRIPTIONS] = read_ahead(generator, reader, registry, cache)


def prepare_pages(generator) -> None:
    """``page_generator_init``: the pages' content cache (generator layer only)."""
    contentcache.install_pages(generator, pages_digest(generator.settings))


def finish_reading(generator) -> None:
    """``article_generator_finalized``: report problems, then let the reader
    cache go (it is saved, and problems were the last to read from it). What
    exists now lives to the end of the build: the garbage collector stops
    scanning it (:func:`lean.freeze_heap`).
    Tag and category lists answer membership at once (:mod:`roundup.members`)."""
    report_problems(generator)
    release_reader_cache(generator.readers)
    index_taxonomies(generator)
    freeze_heap()


def freeze_article_urls(generator) -> None:
    """``article_generator_pretaxonomy``: every article is read; its URL and
    output path are computed once (:func:`lean.freeze_urls`), before Pelican
    saves its content cache, so cached articles keep them for later builds."""
    freeze_urls([generator])


def report_problems(generator) -> None:
    """Log every content problem of this build."""
    registry: Registry | None = generator.context.get(REGISTRY)
    problems: list[Problem] = list(registry.problems) if registry else []
    everything = list(contents(generator))
    for article in everything:
        analysis = getattr(article, "roundup", None)
        if analysis is not None:
            problems.extend(analysis.problems)
    problems.extend(build_problems(generator, everything, registry))
    if registry is not None and logger.isEnabledFor(logging.INFO):
        extensions = MarkdownReader.file_extensions
        problems.extend(suggestion_problems(generator.settings, extensions, registry.names))
    _log(problems)


def finish_pages(generator) -> None:
    """``page_generator_finalized``: pages are published like articles, so
    their unsafe markup is reported and their HTML cleaned."""
    _log(page_problems(generator.settings, MarkdownReader.file_extensions))
    for page in contents(generator):
        page._content = sanitize_html(page._content)
        if isinstance(getattr(page, "_summary", None), str):
            page._summary = sanitize_html(page._summary)


def _log(problems: list[Problem]) -> None:
    for problem in ordered(problems):
        logger.log(LEVELS[problem.level], "%s", problem.format())


def start_rendering(generators) -> None:
    """``all_generators_finalized``: URLs frozen, entity pages start rendering.

    Worker processes forked here render (or link from the site being
    replaced) while Pelican writes its own pages. What the generators made
    lives to the end of the build, like the articles (:func:`lean.freeze_heap`).
    """
    freeze_urls(generators)
    freeze_heap()
    for generator in generators:
        if isinstance(generator, EntityGenerator):
            kind = writer_class(generator.settings)
            if kind is PageCacheWriter:  # made once, before forking: workers key pages too
                prints = site_prints(generator.context, generator.settings)
                # Summaries the build process makes anyway (its article pages'
                # keys), made now so that workers keying entity pages inherit them.
                prints.of_all(generator.context.get("articles", []))
            generator.start_rendering(kind)


def get_generators(pelican):
    """The plugin's generators; the sitemap's last, to list every page written."""
    return EntityGenerator, DigestGenerator, SitemapGenerator
