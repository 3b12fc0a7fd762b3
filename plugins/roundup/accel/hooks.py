"""Signal handlers of the speed layer: which mechanism runs where.

Each handler does nothing for a mechanism that is off (:func:`active`).
Per-build state lives on the generators and in the context. None of them
relies on running before or after the plugin's own handler of the same
signal: where the order matters, the handler calls the plugin's (made to run
once per build) first.
"""

from __future__ import annotations

import functools
import os

from pelican.writers import Writer

from ..build import PREVIOUS_OUTPUT, build_ended
from ..fingerprints import digest
from ..search.generator import SearchGenerator
from ..settings import apply_defaults
from ..site import handlers
from ..site.caching import caching
from ..site.contents import contents
from ..site.entities import DESCRIPTIONS, EntityGenerator
from . import articles, heap, periods, taxonomies, templates
from .articlecache import ACCEL_LAYER, attach
from .outputlinks import LINKED
from .pagecache import PageCacheWriter, site_prints
from .pagestore import memoised
from .prerender import Prerender
from .readahead import AheadReader, descriptions, read_ahead, uncached, worth_it
from .searchahead import MEMO, SearchAhead, year_ends
from .switch import active
from .workers import available_workers

RELATED_MEMO = "roundup-related.pickle"  # in CACHE_PATH
SEARCH = "roundup_search_ahead"  # context key: the build's SearchAhead
READ = "roundup_read_ahead"  # context key: the articles were read ahead (once a build)


def prepare(pelican) -> None:
    """``initialized``: the settings' defaults, as the plugin's own handler sets them."""
    apply_defaults(pelican.settings)


def start_build(pelican) -> None:
    """``get_generators``, at the start of every build: a heap left frozen by
    a failed build is given back; with the article cache on, neither of
    Pelican's caching layers is used."""
    settings = pelican.settings
    heap.thaw()
    if active(settings, "articlecache") and caching(settings):
        settings["CONTENT_CACHING_LAYER"] = ACCEL_LAYER


def generator_made(generator) -> None:
    """``generator_init``: compiled templates kept; the entity generator's
    related counts kept; the search generator's bundles made ahead."""
    settings = generator.settings
    if active(settings, "templates") and caching(settings):
        templates.cache_templates(generator)
    kept = caching(settings) and active(settings, "related")
    if isinstance(generator, EntityGenerator) and kept:
        generator.related_memo = functools.partial(_related_memo, settings)
    searching = settings["SEARCH_INDEX"] and active(settings, "searchahead")
    if isinstance(generator, SearchGenerator) and searching:
        memo = os.path.join(settings["CACHE_PATH"], MEMO) if caching(settings) else None
        ahead = SearchAhead(generator.output_path, settings.get(PREVIOUS_OUTPUT), memo)
        generator.bundle_source = generator.context[SEARCH] = ahead
        build_ended.connect(ahead.stop, sender=settings)  # a failed build_site: stop first


def _related_memo(settings: dict, key, make):
    path = os.path.join(settings["CACHE_PATH"], RELATED_MEMO)
    load, save = settings["LOAD_CONTENT_CACHE"], settings["CACHE_CONTENT"]
    return memoised(path, digest(key), make, load, save)


def articles_generator_made(generator) -> None:
    """``article_generator_init``: the article cache; period archives in one pass."""
    settings = generator.settings
    if active(settings, "articlecache") and caching(settings):
        registry = handlers.ensure_registry(generator.context, settings, generator.path)
        attach(generator, registry, active(settings, "heap"))
    if active(settings, "periods"):
        periods.group_periods(generator)


def before_first_read(generator) -> None:
    """``article_generator_preread``, before Pelican reads its first article:
    the speed layer's reader, and the articles read ahead."""
    settings, context = generator.settings, generator.context
    gated, ahead = active(settings, "inline"), active(settings, "readahead")
    if context.get(READ) or not (gated or ahead):
        return
    context[READ] = True
    registry = handlers.ensure_registry(context, settings, generator.path)
    plugin_reader = generator.readers.readers.get("md")
    matcher = getattr(getattr(plugin_reader, "extension", None), "matcher", None)
    reader = AheadReader(settings, registry, matcher, gated=gated)
    for extension in reader.file_extensions:
        generator.readers.readers[extension] = reader
    if not ahead:
        return
    paths = uncached(generator, reader.file_extensions)
    options = {
        "settings": settings,
        "registry": registry,
        "workers": worth_it(settings, len(paths)),
    }
    options.update(packed=active(settings, "packed"), heap=active(settings, "heap"))
    context[DESCRIPTIONS] = descriptions(
        settings, registry, lambda bodies: read_ahead(reader, paths, bodies, options)
    )


def content_made(content) -> None:
    """``content_object_init``: articles become lean (:mod:`roundup.accel.articles`)."""
    settings = getattr(content, "settings", {})
    packed, urls = active(settings, "packed"), active(settings, "urls")
    if packed or urls:
        articles.lighten(content, packed)


def articles_listed(generator) -> None:
    """``article_generator_pretaxonomy``: every article is read; its URL and
    output path are made once (before the article cache saves it, so a
    cached article keeps them)."""
    if active(generator.settings, "urls"):
        articles.freeze_urls(contents(generator))


def articles_read(generator) -> None:
    """``article_generator_finalized``: tag lists answer membership at once;
    descriptions not read ahead are remembered ones or rendered now; what
    exists lives to the end of the build."""
    settings, context = generator.settings, generator.context
    if active(settings, "taxonomies"):
        taxonomies.index_taxonomies(generator)
    remembered = active(settings, "articlecache") and caching(settings)
    if DESCRIPTIONS not in context and (active(settings, "readahead") or remembered):
        registry = handlers.ensure_registry(context, settings, generator.path)
        context[DESCRIPTIONS] = descriptions(settings, registry, lambda bodies: {})
    if active(settings, "heap"):
        heap.freeze()


def contexts_complete(generators) -> None:
    """``all_generators_finalized``: the content is checked (the plugin's
    check, which stops a build with errors before anything is written, is
    run first); entity pages start rendering in workers."""
    handlers.stop_on_errors(generators)
    settings = generators[0].settings
    if active(settings, "heap"):
        heap.freeze()
    if active(settings, "prerender"):
        for generator in generators:
            if isinstance(generator, EntityGenerator):
                _start_rendering(generator)


def _start_rendering(generator: EntityGenerator) -> None:
    kind = writer_class(generator.settings) or Writer
    if kind is PageCacheWriter:  # made once, before forking: workers key pages too
        prints = site_prints(generator.context, generator.settings)
        # Summaries the build process makes anyway (its article pages' keys),
        # made now so that workers keying entity pages inherit them.
        prints.of_all(generator.context.get("articles", []))
    tasks, first = generator.tasks
    workers = max(available_workers(generator.settings["RENDER_PROCESSES"]) - 1, 0)
    args = (tasks, generator.context, generator.settings, generator.output_path, kind, workers)
    prerender = Prerender(*args, first=first)
    generator.task_writer = prerender.write
    ahead = generator.context.get(SEARCH)
    if ahead is not None:  # the site group need not wait for the files to move
        prerender.on_rendered = functools.partial(ahead.start, "site")
    build_ended.connect(prerender.stop, sender=generator.settings)


def writer_class(settings: dict) -> type[Writer] | None:
    """The writer of a build with ``settings``: the page cache's when it is on."""
    return PageCacheWriter if active(settings, "pagecache") and caching(settings) else None


def get_writer(pelican):
    """``get_writer``: see :func:`writer_class` (``None``: Pelican's own)."""
    return writer_class(pelican.settings)


def article_page_writing(generator, content) -> None:
    """``article_generator_write_article``, first call: which page of the
    articles generator completes each year's search group."""
    ahead = generator.context.get(SEARCH)
    if ahead is not None and ahead.ends is None:
        ahead.ends = year_ends(generator)


def page_written(path, context=None) -> None:
    """``content_written``: the search planner reads the page again, and
    starts a year's group once its last page is written."""
    ahead = context.get(SEARCH) if context else None
    if ahead is None:
        return
    if not context.get(LINKED):  # a link to the old file: unchanged
        ahead.written(path)
    ends = ahead.ends or {}
    if path in ends:  # Pelican's and the page cache's paths are absolute, normalised
        ahead.start(ends.pop(path))


def article_pages_written(generator, writer) -> None:
    """``article_writer_finalized``: every year's pages are written."""
    ahead = generator.context.get(SEARCH)
    if ahead is not None:
        ahead.start()


def entity_pages_written(generator) -> None:
    """The entity pages are in place: the ``site`` search group can start."""
    ahead = generator.context.get(SEARCH)
    if ahead is not None:
        ahead.start("site")


def build_done(sender) -> None:
    """``finalized``, and the end of ``build_site`` (failed or not): memoised
    copies let go, the heap given back."""
    settings = getattr(sender, "settings", sender)
    if active(settings, "packed"):
        articles.release_all()
    heap.thaw()
