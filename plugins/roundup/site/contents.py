"""Pelican's content objects as the plugin looks at them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pelican.contents import Content

# Every list of contents an articles or pages generator keeps.
CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def contents(generator) -> Iterator[Content]:
    """Every article or page ``generator`` holds: published, hidden, draft,
    and their translations."""
    for name in CONTENT_LISTS:
        for content in getattr(generator, name, None) or []:
            if isinstance(content, Content):
                yield content


def last_modified(content) -> datetime | None:
    """When ``content`` last changed: its ``modified`` metadata, else its ``date``."""
    return getattr(content, "modified", None) or getattr(content, "date", None)
