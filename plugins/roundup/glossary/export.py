"""The glossary export (``ENTITY_EXPORT_JSON``): every article, then one entity per line.

Mentions name an article by URL and list its paragraphs; titles are in
``articles`` once, not repeated per mention (the file grows with every
roundup). Through the page cache (:mod:`roundup.pagecache`), an entity whose
articles did not change is not serialised again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

Absolute = Callable[[str], str]  # a site URL made absolute


def write(path: str, save_as: str, entities: Iterable[Any], articles: Iterable[Any],
          absolute: Absolute, writer: Any) -> None:  # fmt: skip
    """Write the export to ``path``: ``articles`` (the analysed ones), then
    ``entities`` by slug, each line through ``writer.cached_texts`` if it has one."""
    ordered = sorted(entities, key=lambda e: e.slug)

    def line(index: int) -> str:
        return json_line(entity_row(ordered[index], absolute))

    cached = getattr(writer, "cached_texts", None)
    if cached:
        inputs = [("export", save_as, entity) for entity in ordered]
        lines: Iterable[str] = cached(f"export {save_as}", inputs, line)
    else:
        lines = map(line, range(len(ordered)))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"articles": [')
        write_lines(handle, map(json_line, article_rows(articles, absolute)))
        handle.write('\n],\n"entities": [')
        write_lines(handle, lines)
        handle.write("\n]}\n")


def article_rows(articles: Iterable[Any], absolute: Absolute) -> list[dict]:
    """The articles, oldest first: URL, title, date."""
    rows = [
        {"url": absolute(a.url), "title": a.title, "date": a.date.date().isoformat()}
        for a in articles
    ]
    return sorted(rows, key=lambda row: (row["date"], row["url"]))


def entity_row(entity: Any, absolute: Absolute) -> dict:
    """An entity, with the articles that name it and in which paragraphs."""
    mentions = [
        {
            "article": absolute(appearance.article.url),
            "date": appearance.article.date.date().isoformat(),
            "paragraphs": appearance.paragraphs,
        }
        for appearance in entity.appearances
    ]
    return {
        "slug": entity.slug,
        "name": entity.name,
        "type": entity.type,
        "aliases": entity.aliases,
        "native_name": entity.native_name,
        "website": entity.website,
        "url": absolute(entity.url),
        "description": entity.short_description,
        "mention_count": entity.mention_count,
        "mentions": mentions,
    }


def json_line(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def write_lines(handle, lines: Iterable[str]) -> None:
    """The items of a JSON array, one per line."""
    for number, text in enumerate(lines):
        handle.write(",\n" if number else "\n")
        handle.write(text)
