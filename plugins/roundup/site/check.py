"""``invoke check`` and the build's checks of articles Pelican dropped.

One implementation for both: articles are read with the build's reader
(:class:`~roundup.site.reader.RoundupReader`), so the problems found while
rendering (digest, citations) and the article-level checks
(:mod:`roundup.checks.article`) are the build's; site-level checks
(:mod:`roundup.checks.site`) follow. Pages (``PAGE_PATHS``) are checked for
unsafe markup (:func:`page_problems`). Notes on organisation names missing
from the glossary (:func:`suggestion_problems`) are looked for apart, only
where they are shown.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence

from pelican.contents import Article
from pelican.readers import Readers

from ..build import load_settings
from ..checks.article import check_article, suggestions
from ..checks.report import ordered
from ..checks.sanitize import unsafe_markup
from ..checks.site import site_problems
from ..checks.sources import loop_links, read_source, symlink_loops
from ..glossary.registry import Registry, load_registry
from ..models import Problem, display_path
from ..settings import apply_defaults
from .reader import RoundupReader


def read_article(readers, base_path: str, relative: str):
    """(problems, article or None): read one article as the build does.

    When Pelican cannot make an article of the file (a date it cannot parse, a
    missing title...), its source is still checked, so the reason is reported
    with its line.
    """
    source = os.path.join(base_path, relative)
    text, unreadable = read_source(source)
    if unreadable is not None:  # Pelican would not read it either
        return [unreadable], None
    try:
        article = readers.read_file(base_path=base_path, path=relative, content_class=Article)
    except Exception as error:  # Pelican's metadata processors raise on bad values
        problems = check_article(display_path(source), text)
        if not any(p.level == "error" for p in problems):
            message = f"could not read the article: {error}"
            problems.append(Problem(display_path(source), 1, "error", message))
        return problems, None
    analysis = getattr(article, "roundup", None)
    return list(analysis.problems) if analysis else [], article


def build_problems(generator, articles: Sequence, registry: Registry | None) -> list[Problem]:
    """For ``report_problems``: articles Pelican dropped, then site-level checks."""
    if registry is None:
        return []
    read = {os.path.abspath(a.source_path) for a in articles}
    settings, problems, recovered = generator.settings, [], []
    for relative in sorted(
        generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    ):
        if os.path.abspath(os.path.join(generator.path, relative)) not in read:
            found, article = read_article(generator.readers, generator.path, relative)
            problems.extend(found)
            recovered.extend([article] if complete(article) else [])
    return problems + site_problems(registry, [*articles, *recovered])


def complete(article) -> bool:
    """An article Pelican would publish: it has every mandatory property."""
    return article is not None and all(hasattr(article, p) for p in article.mandatory_properties)


def content_files(settings: Mapping, extensions: Iterable[str], kind: str = "ARTICLE") -> list[str]:
    """Sources of ``kind`` (``"ARTICLE"`` or ``"PAGE"``) relative to ``PATH``,
    found the way Pelican finds them (``<kind>_PATHS``, ``<kind>_EXCLUDES``)."""
    base, found = settings["PATH"], set()
    loops = loop_links(base)  # reported by symlink_loops; left out here
    excluded = {os.path.normpath(e) for e in settings.get(f"{kind}_EXCLUDES", [])}
    ignores, extensions = settings.get("IGNORE_FILES", []), tuple(extensions)

    def ignored(name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in ignores)

    for folder in settings[f"{kind}_PATHS"]:
        for dirpath, dirs, files in os.walk(os.path.join(base, folder), followlinks=True):
            here = os.path.relpath(dirpath, base)
            dirs[:] = [
                d
                for d in dirs
                if not ignored(d)
                and os.path.normpath(os.path.join(here, d)) not in excluded
                and os.path.abspath(os.path.join(dirpath, d)) not in loops
            ]
            found.update(
                os.path.normpath(os.path.join(here, name))
                for name in files
                if not ignored(name) and os.path.splitext(name)[1][1:] in extensions
            )
    return sorted(found)


def check_content(settings_file: str = "pelicanconf.py", overrides: dict | None = None):
    """Every problem of the content, as the build would report them; writes nothing."""
    settings = apply_defaults(load_settings(settings_file, overrides))
    registry = load_registry(settings["PATH"], settings["ENTITY_PATHS"], display_path)
    reader = RoundupReader(settings, registry)
    readers = Readers(settings)
    readers.readers.update(dict.fromkeys(reader.file_extensions, reader))
    # a loop stops a build (Pelican would list its files again and again);
    # here it is reported and left out, and everything else is looked at
    problems = [*symlink_loops([settings["PATH"]]), *registry.problems]
    articles = []
    for relative in content_files(settings, reader.file_extensions):
        found, article = read_article(readers, settings["PATH"], relative)
        problems.extend(found)
        articles.extend([article] if complete(article) else [])
    problems.extend(page_problems(settings, reader.file_extensions))
    problems.extend(suggestion_problems(settings, reader.file_extensions, registry.names))
    return ordered([*problems, *site_problems(registry, articles)])


def page_problems(settings: Mapping, extensions: Iterable[str]) -> list[Problem]:
    """Pages that cannot be read, and unsafe markup in the pages' Markdown:
    pages are published like articles."""
    problems = []
    for relative in content_files(settings, extensions, "PAGE"):
        text, unreadable = read_source(os.path.join(settings["PATH"], relative))
        if unreadable is not None:
            problems.append(unreadable)
        else:
            problems.extend(
                unsafe_markup(display_path(os.path.join(settings["PATH"], relative)), text)
            )
    return problems


def suggestion_problems(
    settings: Mapping, extensions: Iterable[str], names: Mapping[str, str]
) -> list[Problem]:
    """Notes (info) on every article source: organisations missing from the glossary.

    ``invoke check`` always lists them. A build looks for them only when its
    log shows info messages (``pelican -v``): they cost a tenth of reading a
    roundup, for lines a quiet build would not print.
    """
    return [
        p for path, text in sources(settings, extensions) for p in suggestions(path, text, names)
    ]


def sources(
    settings: Mapping, extensions: Iterable[str], kind: str = "ARTICLE"
) -> Iterator[tuple[str, str]]:
    """``(path for messages, text)`` of each readable source of ``kind`` (see
    :func:`content_files`; one that cannot be read is reported where it is read)."""
    for relative in content_files(settings, extensions, kind):
        source = os.path.join(settings["PATH"], relative)
        text, unreadable = read_source(source)
        if unreadable is None:
            yield display_path(source), text
