"""DigestGenerator: the site-wide Digest Hub pages and the digest feed.

Every roundup's key points, newest first: HTML pages at
``DIGEST_INDEX_SAVE_AS`` (split by Pelican's ``Paginator``, later pages named by
``PAGINATION_PATTERNS``) and an Atom feed at ``DIGEST_FEED_ATOM`` with one entry
per roundup. Modelled on Pelican's generators: ``generate_context`` publishes
``digest_entries`` into the context, ``generate_output`` writes through the
writer.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from pelican.generators import Generator
from pelican.paginator import Paginator

from .contents import last_modified


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """One roundup in the digest, shaped like the items ``Writer.write_feed`` takes."""

    article: Any  # a Pelican Article
    points: tuple[str, ...]  # key points, HTML; citations are "#para-N" links

    @property
    def url(self) -> str:
        """Where the entry leads: the roundup's own Digest Hub."""
        return f"{self.article.url}#digest"

    @property
    def title(self) -> str:
        return self.article.title

    @property
    def date(self):
        return self.article.date

    @property
    def modified(self):
        return last_modified(self.article)

    @property
    def author(self):
        return getattr(self.article, "author", "")

    @property
    def summary(self) -> str:
        return getattr(self.article, "summary", "") or ""

    def linked_points(self, siteurl: str) -> list[str]:
        """The points with in-article links (``#para-N``) pointing into the article."""
        base = f"{siteurl.rstrip('/')}/{self.article.url}"
        return [point.replace('href="#', f'href="{base}#') for point in self.points]

    def get_content(self, siteurl: str) -> str:
        """Feed entry content: the key points and links to the roundup."""
        items = "".join(f"<li>{point}</li>" for point in self.linked_points(siteurl))
        base = f"{siteurl.rstrip('/')}/{self.article.url}"
        title = html.escape(self.title)
        return (
            f"<ul>{items}</ul>"
            f'<p><a href="{base}#digest">Digest Hub</a> and full text of '
            f'<a href="{base}">{title}</a>.</p>'
        )


def digest_entries(articles) -> list[DigestEntry]:
    """Newest first; a roundup without key points is represented by its summary."""
    entries = []
    for article in sorted(articles, key=lambda a: (a.date, a.url), reverse=True):
        analysis = getattr(article, "roundup", None)
        points = tuple(analysis.digest.points) if analysis is not None else ()
        if not points and getattr(article, "summary", ""):
            points = (article.summary,)
        entries.append(DigestEntry(article, points))
    return entries


class DigestGenerator(Generator):
    """Writes the Digest Hub index pages and the digest Atom feed."""

    def generate_context(self) -> None:
        articles = list(self.context.get("articles", []))
        self.entries = digest_entries(articles)
        self.context["digest_entries"] = self.entries
        # No feed without entries: an empty feed's <updated> would be the build time.
        self.context["digest_feed_url"] = self.settings["DIGEST_FEED_ATOM"] if self.entries else ""
        self.context["digest_url"] = (
            self.settings["DIGEST_INDEX_URL"] if self.settings["DIGEST_INDEX_SAVE_AS"] else ""
        )

    def generate_output(self, writer) -> None:
        if self.settings["DIGEST_INDEX_SAVE_AS"]:
            self._write_pages(writer)
        if self.context["digest_feed_url"]:
            writer.write_feed(
                self.entries,
                self.context,
                self.settings["DIGEST_FEED_ATOM"],
                feed_title="Digest: the key points of every roundup",
            )

    def _write_pages(self, writer) -> None:
        paginator = Paginator(
            self.settings["DIGEST_INDEX_SAVE_AS"],
            self.settings["DIGEST_INDEX_URL"],
            self.entries,
            self.settings,
            self.settings["DIGEST_PAGINATION"],
        )
        template = self.get_template("digest")
        for number in paginator.page_range:
            page = paginator.page(number)
            writer.write_file(
                page.save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=page.url,
                digest_paginator=paginator,
                digest_page=page,
                digest_previous_page=paginator.page(number - 1) if number > 1 else None,
                digest_next_page=paginator.page(number + 1) if page.has_next() else None,
            )
