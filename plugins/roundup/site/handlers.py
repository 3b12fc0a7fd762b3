"""Signal handlers: the thin glue between Pelican and the pure modules.

Per-build state lives in the generator context (a fresh dict every build), so
``pelican --autoreload`` rebuilds pick up edited entity files. Content
problems are collected while reading (:data:`PROBLEMS`) and reported all at
once when every generator has its context; any error stops the build there,
before a file is written (:func:`stop_on_errors`).
"""

from __future__ import annotations

import logging
import os

from pelican.readers import MarkdownReader

from ..analysis.text import excerpt
from ..checks.report import ordered
from ..checks.site import DUPLICATE_SLUG, output_collisions
from ..checks.sources import symlink_loops, unpublishable
from ..errors import ContentError
from ..glossary.registry import Registry, load_registry
from ..models import Problem, display_path
from ..search.generator import SearchGenerator
from ..settings import apply_defaults
from .caching import (
    seal_pelican_caches,
    set_cache_folder,
    use_reader_layer,
    verify_pelican_caches,
)
from .check import build_problems, page_problems, suggestion_problems
from .contents import contents
from .digest_hub import DigestGenerator
from .entities import REGISTRY, EntityGenerator
from .outputs import planned_outputs
from .reader import RoundupReader, sanitize_readers
from .sitemap import SitemapGenerator

logger = logging.getLogger(__name__)
PROBLEMS = "roundup_problems"  # context key: content problems found so far
CHECKED = "roundup_checked"  # context key: the problems were reported
LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO}


def prepare_settings(pelican) -> None:
    """``initialized``: every plugin setting has its default; Pelican caches
    at the reader layer (:mod:`roundup.site.caching`); every build shows
    every message of the plugin."""
    apply_defaults(pelican.settings)
    use_reader_layer(pelican.settings)
    show_every_message()
    filters = pelican.settings.setdefault("JINJA_FILTERS", {})
    filters.setdefault("excerpt", excerpt)  # "Entities in this article" quotes with it


def show_every_message() -> None:
    """Pelican's loggers drop a message they showed before in the same process
    (``LimitLogger``), so a second build in one process (``invoke livereload``)
    would not repeat a warning that still holds: not for the plugin's."""
    for name, found in list(logging.Logger.manager.loggerDict.items()):
        if name.split(".")[0] == "roundup" and hasattr(found, "disable_filter"):
            found.disable_filter()


def get_generators(pelican):
    """``get_generators``, at the start of every build: a content folder that
    loops stops the build; the content caches' folder for this build; then
    the plugin's generators, the sitemap's after every page, the search
    index's last."""
    loops = symlink_loops([pelican.settings["PATH"]])
    if loops:  # Pelican would list the same files again and again
        report(loops)
    verify_pelican_caches(set_cache_folder(pelican.settings))
    return EntityGenerator, DigestGenerator, SitemapGenerator, SearchGenerator


def ensure_registry(context: dict, settings: dict, content_path: str) -> Registry:
    """The registry of this build, loaded on first use."""
    registry = context.get(REGISTRY)
    if registry is None:
        registry = load_registry(content_path, settings["ENTITY_PATHS"], display_path)
        context[REGISTRY] = registry
    return registry


def install_reader(generator) -> None:
    """``article_generator_init``: the roundup reader reads Markdown articles;
    articles in other formats are cleaned like pages."""
    registry = ensure_registry(generator.context, generator.settings, generator.path)
    reader = RoundupReader(generator.settings, registry)
    for extension in reader.file_extensions:
        generator.readers.readers[extension] = reader
    sanitize_readers(generator.readers)


def install_page_readers(generator) -> None:
    """``page_generator_init``: pages are published like articles, so what
    their readers return is cleaned (body and formatted fields)."""
    ensure_registry(generator.context, generator.settings, generator.path)
    sanitize_readers(generator.readers)


def collect_article_problems(generator) -> None:
    """``article_generator_finalized``: Pelican's caches are saved (they get
    their checksums); the problems of the entity files, of every article
    (found while reading it) and of the site as a whole."""
    seal_pelican_caches(_cache_folder(generator.settings))
    registry: Registry = generator.context[REGISTRY]
    problems = _problems(generator.context)
    problems.extend(registry.problems)
    everything = list(contents(generator))
    for article in everything:
        analysis = getattr(article, "roundup", None)
        if analysis is not None:
            problems.extend(analysis.problems)
    problems.extend(build_problems(generator, everything, registry))
    if logger.isEnabledFor(logging.INFO):
        extensions = MarkdownReader.file_extensions
        problems.extend(suggestion_problems(generator.settings, extensions, registry.names))


def collect_page_problems(generator) -> None:
    """``page_generator_finalized``: Pelican's caches get their checksums;
    unsafe markup in the pages' sources."""
    seal_pelican_caches(_cache_folder(generator.settings))
    _problems(generator.context).extend(
        page_problems(generator.settings, MarkdownReader.file_extensions)
    )


def stop_on_errors(generators) -> None:
    """``all_generators_finalized``: report every problem, and stop the build
    (:class:`~roundup.errors.ContentError`) if one is an error: nothing is
    written. Only the first call of a build does anything."""
    context = generators[0].context
    if context.get(CHECKED):
        return
    context[CHECKED] = True
    problems = _problems(context)
    flagged = {p.path for p in problems if p.message.startswith(DUPLICATE_SLUG)}
    problems.extend(output_collisions(planned_outputs(generators), flagged))
    content = generators[0].settings["PATH"]
    statics = context.get("staticfiles", [])
    problems.extend(unpublishable(os.path.join(content, s.source_path) for s in statics))
    report(problems)


def report(problems: list[Problem]) -> None:
    """Log ``problems`` in order; if one is an error, stop the build
    (:class:`~roundup.errors.ContentError`): nothing is written."""
    reported = ordered(problems)
    for problem in reported:
        logger.log(LEVELS[problem.level], "%s", problem.format())
    errors = sum(problem.level == "error" for problem in reported)
    if errors:
        summary = f"{errors} content error(s); nothing was written"
        logger.critical("%s", summary)
        raise ContentError(summary)


def _cache_folder(settings: dict) -> str | None:
    return settings["CACHE_PATH"] if settings.get("CACHE_CONTENT") else None


def _problems(context: dict) -> list[Problem]:
    return context.setdefault(PROBLEMS, [])
