"""Checks that need every article and entity at once (pure but for reading a
file's header for a line number).

They run once per build, when every article is read
(:mod:`roundup.site.handlers`), and once per ``invoke check``.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Sequence

from ..glossary.registry import Registry
from ..models import Analysis, Problem, display_path
from .article import parse_header
from .sanitize import safe_website, unsafe_markup

DUPLICATE_SLUG = "duplicate slug"  # how a duplicate slug's message starts


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
        message = f"{DUPLICATE_SLUG} '{slug}': {where} has the same slug"
        hint = "give one of them a different Slug: line"
        source = article.source_path
        problems.append(Problem(display_path(source), _slug_line(source), "error", message, hint))
    return problems


def _slug_line(source_path: str) -> int:
    """The line of the header that names a content's output: ``Save_as:``,
    else ``Slug:``, else ``Title:``; else 1."""
    with open(source_path, encoding="utf-8-sig", errors="replace") as handle:
        fields, _ = parse_header(handle.read())
    lines = {f.key.lower(): f.line for f in fields}
    return lines.get("save_as", lines.get("slug", lines.get("title", 1)))


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


def output_collisions(
    outputs: Iterable[tuple[str, str, bool]], flagged: Iterable[str] = ()
) -> list[Problem]:
    """Two things the build would write to one output path: only one would
    survive. ``outputs`` is ``(save_as, source, is_file)`` per file the build
    plans: ``source`` is a content's source path (``is_file``) or a label for
    what the settings make (``"TAGS_SAVE_AS"``). A collision is reported on a
    content's file, unless one of the two is in ``flagged`` (paths for
    messages already reported, for a duplicate slug say)."""
    flagged = set(flagged)
    first: dict[str, tuple[str, bool]] = {}
    problems = []
    for save_as, source, is_file in outputs:
        key = posixpath.normpath(save_as.replace(os.sep, "/")).lstrip("/")
        if key not in first:
            first[key] = (source, is_file)
            continue
        pair = [(source, is_file), first[key]]
        files = [display_path(path) for path, on_disk in pair if on_disk]
        if not files or flagged.intersection(files) or pair[0][0] == pair[1][0]:
            continue
        (content, _), (rival, rival_is_file) = pair if is_file else pair[::-1]
        flagged.add(display_path(content))
        where = f"{display_path(rival)}:{_slug_line(rival)}" if rival_is_file else rival
        message = f"'{key}' is written twice: {where} writes it too"
        hint = "give one of them another Slug: (or Save_as:) line"
        problems.append(Problem(display_path(content), _slug_line(content), "error", message, hint))
    return problems
