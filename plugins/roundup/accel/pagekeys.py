"""What a rendered page depends on, as short digests (for :mod:`roundup.accel.pagecache`).

A page is a function of the *site* (settings, theme, plugin code, entity
files, static files, and the list of articles and pages with their titles,
URLs, dates, summaries, tags: what any page may show about any article) and
of *its own objects*: the article, page or entity it shows (an entity with
every article that mentions it) and the articles it lists. An article or page
is identified by its source file's path, size and modification stamp; all it
becomes is computed from that file and the site.
"""

from __future__ import annotations

import datetime
import operator
import os
from collections.abc import Iterable
from typing import Any

from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper

from ..fingerprints import code_digest, digest, settings_digest, stable_repr, theme_digest

SITE_LISTS = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages")
LISTED = ("url", "save_as", "title", "subtitle", "summary", "date", "modified", "status", "lang")
_SOURCE_PATH = operator.attrgetter("source_path")
_PLAIN = (str, int, float, type(None), datetime.date)  # and subclasses: SafeDatetime, Markup


class UncacheableError(Exception):
    """A page input that cannot be summarised; the page is always rendered."""


def _stable(value: object) -> object:
    """``value`` itself if its ``repr`` holds no address (the digest takes the
    ``repr`` of the whole), else :func:`stable_repr`."""
    return value if isinstance(value, _PLAIN) else stable_repr(value)


class Fingerprints:
    """Digests of one build's site and of its pages' objects, memoised."""

    def __init__(self, context: dict, settings: dict, registry: Any = None) -> None:
        self.context = context
        self._site_lists = {id(context[k]) for k in (*SITE_LISTS, "dates") if k in context}
        self._summaries: dict[int, Any] = {}  # id(value) -> its summary
        self._kept: list[object] = []  # every value summarised: their ids stay theirs
        self.site = digest(
            settings_digest(settings),
            theme_digest(settings),
            code_digest(settings.get("PLUGINS", [])),
            stable_repr(sorted(registry.entities.items())) if registry else "",
            sorted(context.get("static_content", {})),
            sorted(context.get("generated_content", {})),
            self._listing(),
        )

    def _listing(self) -> list:
        """Title, URL, date... of every article and page, translations included."""
        rows = []
        for key in SITE_LISTS:
            for item in self.context.get(key, []):
                for content in (item, *getattr(item, "translations", [])):
                    rows.append(self._listed(content))
        return sorted(rows)

    def _listed(self, content: Content) -> tuple:
        fields = tuple(_stable(getattr(content, name, None)) for name in LISTED)
        wrappers = [getattr(content, "category", None), *getattr(content, "tags", [])]
        people = [str(a) for a in getattr(content, "authors", [])]
        return (content.source_path, fields, [str(w) for w in wrappers], people)

    def owns(self, value: object) -> bool:
        """Whether ``value`` is a page's own object (not site-wide data)."""
        if isinstance(value, (Content, Page)):
            return True
        return isinstance(value, list) and id(value) not in self._site_lists and bool(value)

    def order(self, items: list) -> tuple:
        """Which contents a list holds, in order (what they say is site data)."""
        try:
            return tuple(map(_SOURCE_PATH, items))
        except AttributeError:
            return tuple(getattr(item, "source_path", None) for item in items)

    def of(self, value: object) -> Any:
        """A digestible summary of ``value``; raises :class:`UncacheableError`."""
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        summary = self._summaries.get(id(value))
        if summary is None:
            summary = self._summary(value)
            self._kept.append(value)
            self._summaries[id(value)] = summary
        return summary

    def of_all(self, items: Iterable[object]) -> tuple:
        """``tuple(map(self.of, items))``, in one C-level pass when every item
        was summarised before (list pages name thousands, each many times)."""
        items = items if isinstance(items, (list, tuple)) else list(items)
        try:
            return tuple(map(self._summaries.__getitem__, map(id, items)))
        except KeyError:
            return tuple(map(self.of, items))

    def known(self, value: object) -> Any:
        """The summary already made of ``value`` (``None``: not made yet)."""
        return self._summaries.get(id(value))

    def learn(self, value: object, summary: Any) -> None:
        """Take ``summary`` of ``value`` from a render worker (a fork of this build)."""
        if id(value) not in self._summaries:
            self._kept.append(value)
            self._summaries[id(value)] = summary

    def _summary(self, value: object) -> Any:
        if isinstance(value, (list, tuple)):
            if id(value) in self._site_lists:
                return ("site list", len(value))
            return self.of_all(value)
        if isinstance(value, Content):
            return self._content(value)
        return self._wrapper(value)

    def _wrapper(self, value: object) -> Any:
        if isinstance(value, Page):
            return ("page", value.number, value.paginator.num_pages, self.of(value.object_list))
        if isinstance(value, Paginator):
            return ("paginator", value.count, value.num_pages, value.per_page)
        if isinstance(value, URLWrapper):
            return (type(value).__name__, value.name, value.slug)
        inner = getattr(value, "article", None) or getattr(value, "appearance", None)
        if inner is None:
            raise UncacheableError(type(value).__name__)
        return (type(value).__name__, self.of(inner))  # digest and feed entries, references

    def _content(self, content: Content) -> str:
        """One short digest per content: an entity's page key names hundreds of
        articles, and a key is the ``repr`` of what it names."""
        appearances = getattr(content, "appearances", None)
        if appearances is not None:  # an entity: everything comes from these articles
            return digest("entity", content.slug, [self.of(a.article) for a in appearances])
        path = content.source_path
        try:
            stat = os.stat(path)
        except (OSError, TypeError) as error:
            raise UncacheableError(str(path)) from error
        return digest("content", path, stat.st_size, stat.st_mtime_ns)
