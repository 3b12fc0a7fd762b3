"""``sitemap.xml``: every page the build writes, with its date.

:class:`SitemapGenerator` runs after Pelican's and this plugin's page
generators (``get_generators`` puts it last; Pelican's static files come after
it and are not pages). It publishes an empty list in the context; every
``content_written`` signal of the build (a page rendered, taken from the page
cache or linked from the previous site) adds the page's path and its article
or page to that list (:func:`queue_page`), and ``generate_output`` writes the
sitemap from it. The list lives in the build's context, so a build that
crashed leaves nothing behind for the next one in the same process.

A page's ``lastmod`` is its article's or page's ``modified`` date, else its
``date``; pages without either (lists, the glossary) carry the newest
roundup's, not the build time, so the same content gives the same file.
Drafts, hidden and ``private`` contents, and URLs matching ``SITEMAP_EXCLUDE``,
are left out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.request import pathname2url
from xml.sax.saxutils import escape

from pelican.generators import Generator
from pelican.utils import sanitised_join

from ..files import write_text
from .contents import last_modified

SITEMAP_PAGES = "roundup_sitemap_pages"  # context key: (path, content or None) per page
HEADER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
_INDEX = re.compile(r"(?:^|(?<=/))index\.html$")


def queue_page(path: str, context: dict | None = None) -> None:
    """``content_written``: remember a written page for this build's sitemap."""
    pages = context.get(SITEMAP_PAGES) if context else None
    if pages is not None:
        pages.append((path, context.get("article") or context.get("page")))


def lastmod(date: datetime) -> str:
    """W3C date-time, as sitemaps want it (``-00:00``: no known offset)."""
    text = date.isoformat(timespec="seconds")
    return text if date.utcoffset() is not None else text + "-00:00"


def page_url(path: str, content: Any, output_path: str) -> str:
    """A page's URL relative to the site root, without a trailing ``index.html``."""
    url = content.url if content is not None else pathname2url(os.path.relpath(path, output_path))
    return _INDEX.sub("", url)


def listed(content: Any) -> bool:
    return getattr(content, "status", "published") == "published" and (
        str(getattr(content, "private", "")).lower() != "true"
    )


def sitemap_xml(entries: Iterable[tuple[str, datetime]], siteurl: str) -> str:
    """The sitemap of ``(url, date)`` entries, sorted by URL (the first date of a URL)."""
    unique: dict[str, datetime] = {}
    for url, date in entries:
        unique.setdefault(url, date)
    rows = [
        f"<url><loc>{escape(f'{siteurl}/{url}')}</loc><lastmod>{lastmod(date)}</lastmod></url>\n"
        for url, date in sorted(unique.items())
    ]
    return HEADER + "".join(rows) + "</urlset>\n"


def newest(contents: Iterable[Any]) -> datetime | None:
    return max(filter(None, map(last_modified, contents)), default=None)


class SitemapGenerator(Generator):
    """Writes ``SITEMAP_SAVE_AS`` from the pages the build wrote before it."""

    def generate_context(self) -> None:
        if self.settings["SITEMAP_SAVE_AS"]:  # else no page is queued
            self.context[SITEMAP_PAGES] = []

    def generate_output(self, writer) -> None:
        pages = self.context.pop(SITEMAP_PAGES, None)
        if pages is None:
            return
        undated = newest(self.context.get("articles", [])) or datetime(1970, 1, 1)
        exclude = [re.compile(pattern) for pattern in self.settings["SITEMAP_EXCLUDE"]]
        entries = []
        for path, content in pages:
            url = page_url(path, content, self.output_path)
            if listed(content) and not any(p.search(url) for p in exclude):
                entries.append((url, last_modified(content) or undated))
        text = sitemap_xml(entries, self.settings["SITEURL"])
        target = sanitised_join(self.output_path, self.settings["SITEMAP_SAVE_AS"])
        write_text(target, text)
