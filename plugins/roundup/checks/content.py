"""Content checks: one implementation for ``invoke check`` and the build.

Article-level checks (:mod:`roundup.article_checks`: header keys, dates, unsafe
markup) run inside the reader, so their problems travel (and are cached) with
``analysis.problems`` next to the digest problems found while rendering. Notes
on organisation names missing from the glossary (:func:`suggestion_problems`)
are looked for apart, only where they are shown. Site-level checks
(:func:`site_problems`: entity files, duplicate slugs, unmentioned entities)
run once per build, from ``pipeline.finish_reading``, and once per
``invoke check``, which reads every article with the same reader and writes
nothing. Pages (``PAGE_PATHS``) are checked for unsafe markup
(:func:`page_problems`), from ``pipeline.finish_pages`` in a build.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence

from ..analysis.matching import Matcher
from ..glossary.registry import Registry, load_registry
from ..models import Analysis, Problem
from ..settings import DEFAULTS
from .article import LEVEL_ORDER, check_article, parse_header, suggestions
from .sanitize import safe_website, unsafe_markup


# Every header key an article may use; anything else is probably a typo.
def entity_problems(registry: Registry) -> list[Problem]:
    """Unsafe markup in descriptions and websites that are not web addresses."""
    problems = []
    for entity in registry.entities.values():
        problems.extend(unsafe_markup(entity.path, entity.body, entity.body_line))
        if entity.website and not safe_website(entity.website):
            message = f"Website '{entity.website}' is not an http:// or https:// address"
            hint = "it becomes a link on the entity page; give the full https:// address"
            line = entity.lines.get("website", 1)
            problems.append(Problem(entity.path, line, "error", message, hint))
    return problems


def duplicate_slugs(articles: Iterable) -> list[Problem]:
    """Articles (Pelican content objects) sharing a slug and language."""
    from ..site.reader import display_path  # noqa: PLC0415 (reader imports this module)

    first: dict[tuple[str, str], str] = {}
    problems = []
    for article in sorted(articles, key=lambda a: a.source_path):
        slug = getattr(article, "slug", "")
        key = (slug, getattr(article, "lang", ""))
        if not slug or key not in first:
            first.setdefault(key, article.source_path)
            continue
        other = first[key]
        where = f"{display_path(other)}:{_slug_line(other)}"
        message = f"duplicate slug '{slug}': {where} has the same slug"
        hint = "give one of them a different Slug: line"
        source = article.source_path
        problems.append(Problem(display_path(source), _slug_line(source), "error", message, hint))
    return problems


def _slug_line(source_path: str) -> int:
    with open(source_path, encoding="utf-8-sig") as handle:
        fields, _ = parse_header(handle.read())
    lines = {f.key.lower(): f.line for f in fields}
    return lines.get("slug", lines.get("title", 1))


def unmentioned_entities(registry: Registry, analyses: Iterable[Analysis]) -> list[Problem]:
    """Entities no article mentions or lists in ``Entities:``."""
    mentioned = {slug for analysis in analyses for slug in analysis.entities}
    problems = []
    for slug, entity in sorted(registry.entities.items()):
        if entity.name and slug not in mentioned:
            message = f"entity '{entity.name}' is not mentioned in any article"
            hint = f"mention it, list 'Entities: {slug}' in an article, or delete the file"
            line = entity.lines.get("name", 1)
            problems.append(Problem(entity.path, line, "warning", message, hint))
    return problems


def site_problems(registry: Registry, articles: Sequence) -> list[Problem]:
    """Checks that need every article and entity at once."""
    analyses = [a.roundup for a in articles if getattr(a, "roundup", None) is not None]
    return [
        *entity_problems(registry),
        *duplicate_slugs(articles),
        *unmentioned_entities(registry, analyses),
    ]


def read_article(readers, base_path: str, relative: str):
    """(problems, article or None): read one article as the build does.

    When Pelican cannot make an article of the file (a date it cannot parse, a
    missing title...), its source is still checked, so the reason is reported
    with its line.
    """
    from pelican.contents import Article  # noqa: PLC0415

    from ..site.reader import display_path  # noqa: PLC0415 (reader imports this module)

    source = os.path.join(base_path, relative)
    try:
        article = readers.read_file(base_path=base_path, path=relative, content_class=Article)
    except Exception as error:  # Pelican's metadata processors raise on bad values
        with open(source, encoding="utf-8-sig") as handle:
            problems = check_article(display_path(source), handle.read())
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
    import fnmatch  # noqa: PLC0415

    base, found = settings["PATH"], set()
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
                if not ignored(d) and os.path.normpath(os.path.join(here, d)) not in excluded
            ]
            found.update(
                os.path.normpath(os.path.join(here, name))
                for name in files
                if not ignored(name) and os.path.splitext(name)[1][1:] in extensions
            )
    return sorted(found)


def check_content(settings_file: str = "pelicanconf.py", overrides: dict | None = None):
    """Every problem of the content, as the build would report them; writes nothing."""
    from pelican.readers import Readers  # noqa: PLC0415

    from ..build import load_settings  # noqa: PLC0415
    from ..site.reader import RoundupReader, display_path  # noqa: PLC0415

    settings = load_settings(settings_file, overrides)
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    registry = load_registry(settings["PATH"], settings["ENTITY_PATHS"], display_path)
    files = {slug: entity.source for slug, entity in registry.entities.items()}
    reader = RoundupReader(
        settings, registry, Matcher(registry.names), lambda slug: "{filename}/" + files[slug]
    )
    readers = Readers(settings)
    readers.readers.update(dict.fromkeys(reader.file_extensions, reader))
    problems, articles = list(registry.problems), []
    for relative in content_files(settings, reader.file_extensions):
        found, article = read_article(readers, settings["PATH"], relative)
        problems.extend(found)
        articles.extend([article] if complete(article) else [])
    problems.extend(page_problems(settings, reader.file_extensions))
    problems.extend(suggestion_problems(settings, reader.file_extensions, registry.names))
    return ordered([*problems, *site_problems(registry, articles)])


def page_problems(settings: Mapping, extensions: Iterable[str]) -> list[Problem]:
    """Unsafe markup in the pages' Markdown: pages are published like articles."""
    return [
        p for path, text in sources(settings, extensions, "PAGE") for p in unsafe_markup(path, text)
    ]


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
    """``(path for messages, text)`` of each source of ``kind`` (see :func:`content_files`)."""
    from ..site.reader import display_path  # noqa: PLC0415 (reader imports this module)

    for relative in content_files(settings, extensions, kind):
        source = os.path.join(settings["PATH"], relative)
        with open(source, encoding="utf-8-sig", errors="replace") as handle:
            yield display_path(source), handle.read()


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Without duplicates, by file and line (the order the build logs them in)."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


def render(problems: Sequence[Problem], fmt: str = "text") -> str:
    """``text``: one ``path:line: level: message (hint)`` per line; ``json``;
    ``github``: workflow commands that annotate a pull request."""
    if fmt == "json":
        return json.dumps([dataclasses.asdict(p) for p in problems], ensure_ascii=False, indent=1)
    if fmt == "github":
        return "\n".join(_annotation(p) for p in problems)
    if fmt == "text":
        return "\n".join(p.format() for p in problems)
    raise ValueError(f"unknown format {fmt!r}; use text, json or github")


def _annotation(problem: Problem) -> str:
    command = {"error": "error", "warning": "warning"}.get(problem.level, "notice")
    path = _escape(problem.path, properties=True)
    text = problem.message + (f" ({problem.hint})" if problem.hint else "")
    return f"::{command} file={path},line={problem.line},title=invoke check::{_escape(text)}"


def _escape(text: str, properties: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if properties else text


def summary(problems: Sequence[Problem]) -> str:
    counts = {level: sum(p.level == level for p in problems) for level in LEVEL_ORDER}
    return f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s)"
