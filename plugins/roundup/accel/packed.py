"""Cheaper Pelican content objects for big sites: packed bodies, frozen URLs, released copies.

- An article's body is the largest thing a build keeps per article, from
  reading until its page is written, and a body that names one Chinese
  company is stored by Python at two bytes per character. :func:`pack_body`
  (``content_object_init``) makes each article a :class:`PackedArticle`,
  which keeps its body as zlib-compressed UTF-8 (about an eighth of the
  size) and unpacks it whenever Pelican asks for ``_content``; its
  ``get_content`` is not memoised, since the memo would hold the whole body
  again (feeds ask for the same article several times). Once articles are
  read, :func:`release_reader_cache` lets the reader cache drop its own
  references to the bodies (it has been saved by then).
- Every ``get_content`` resolves the body's ``{filename}`` links again, each
  through URL parsing and a lookup (~25 links per roundup, most of them to
  entity pages). A link by absolute source path resolves the same way in
  every article, so a :class:`PackedArticle` remembers what each one became,
  per site URL, in the build's context (``LINKS``); links relative to the
  article, other kinds and links that do not resolve (which warn) go to
  Pelican every time. Pelican also scans every body for ``{static}`` and
  ``{attach}`` links at every build; a body that contains neither word is
  known to have none when it is packed.

- Pelican recomputes ``article.url`` and ``save_as`` on every access (a
  format of its metadata, dates included); list pages, feeds, the glossary
  and the sitemap ask thousands of times. Once the articles are read (before
  Pelican saves them in its content cache, so cached articles keep theirs),
  and once every generator has its context, :func:`freeze_urls` stores each
  article's and page's URL and output path as its ``override_url`` and
  ``override_save_as`` (what Pelican itself returns first), so later
  accesses are free and give the same string.
- Python's full garbage collections scan every object a build holds, and a
  big build holds millions (articles, analyses, the glossary): in a
  4,000-article rebuild they took ~2 s. Once the articles are read,
  :func:`freeze_heap` moves what exists to the collector's permanent
  generation (``gc.freeze``), so later collections scan only what is made
  after; :func:`thaw_heap` gives it back when the build is over (at the end
  of ``build_site``, once Pelican's objects are gone), and at the start of
  the next one (``--autoreload``). Not at Pelican's ``finalized``: the build
  still holds everything then, and the first full collection after a thaw
  would scan it all (~1 s at 4,000 articles).
  Loading the content cache makes most of those objects at once, and the
  collections that the allocations trigger meanwhile walk all that was made
  so far, again and again (~40% of a 4,000-article load):
  :func:`heap_growing` pauses collection while it runs, and freezes what it made.
- ``Content.get_content`` is memoised per (object, site URL) in one dict for
  the whole process, so every page's rendered body stays in memory until
  exit (and each ``--autoreload`` build adds a copy). :func:`release_page`
  drops the copy once its page is written; :func:`release_all` empties the
  memo at the end of a build. A later caller just renders it again.
"""

from __future__ import annotations

import gc
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from pelican.contents import Article, Content

STATIC_WORDS = ("static", "attach")  # the link kinds Content.get_static_links collects
LINKS = "roundup_resolved_links"  # context key: (site URL, link markup) -> resolved markup
MEMOISED = ("get_content", "get_summary")
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


def pack(text: str) -> bytes:
    return zlib.compress(text.encode(), 1)


def unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode()


class PackedText(str):
    """A body as Pelican receives it, still carrying its packed bytes."""

    packed: bytes

    @classmethod
    def of(cls, packed: bytes) -> PackedText:
        text = cls(unpack(packed))
        text.packed = packed
        return text


class PackedArticle(Article):
    """A Pelican article whose body waits in memory compressed."""

    @property
    def _content(self) -> str:
        packed = self.__dict__["_packed_content"]
        return packed if packed is None else unpack(packed)

    @_content.setter
    def _content(self, value: str | None) -> None:
        if type(value) is PackedText:  # as the reader cache handed it over
            self.__dict__["_packed_content"] = value.packed
        else:
            self.__dict__["_packed_content"] = None if value is None else pack(value)
        self.__dict__["_static_free"] = not value or not any(w in value for w in STATIC_WORDS)

    def get_static_links(self) -> set[str]:
        """Pelican looks for ``{static}`` and ``{attach}`` links in every body at
        every build; a body without either word has none, and stays packed."""
        if self.__dict__.get("_static_free"):
            return set()
        return super().get_static_links()

    def get_content(self, siteurl: str) -> str:
        return self._update_content(self._content, siteurl)

    def _link_replacer(self, siteurl: str, m: re.Match) -> str:
        if m.group("what") != "filename" or not m.group("value").startswith("/"):
            return super()._link_replacer(siteurl, m)
        memo = self._context.setdefault(LINKS, {})
        key = (siteurl, m.group(0))
        found = memo.get(key)
        if found is None:
            found = super()._link_replacer(siteurl, m)
            if found != m.group(0):  # resolved; a miss warns again next time
                memo[key] = found
        return found


def pack_body(content: Content) -> None:
    """``content_object_init``: an article keeps its body packed from now on."""
    if type(content) is Article:
        body = content.__dict__.pop("_content")
        content.__class__ = PackedArticle
        content._content = body


def release_reader_cache(readers) -> None:
    """Once articles are read (and the cache saved): forget what was read.

    Each entry holds an article's body as the reader returned it; nothing
    reads the cache again in this build.
    """
    readers._cache = {}


def _memo(name: str) -> dict:
    return getattr(Content.__dict__.get(name), "cache", {})


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


def freeze_urls(generators) -> None:
    """``all_generators_finalized`` (articles: once read): compute each content's
    URL and output path once."""
    for generator in generators:
        for content in contents(generator):
            for key in ("url", "save_as"):
                if not hasattr(content, f"override_{key}"):
                    setattr(content, f"override_{key}", getattr(content, key))


def release_page(path: str, context: dict) -> None:
    """``content_written``: forget the memoised body of the page just written."""
    memo = _memo("get_content")
    for key in ("article", "page"):
        content = context.get(key)
        if content is not None:
            memo.pop((content, context.get("localsiteurl")), None)


def release_all(_pelican) -> None:
    """``finalized``: nothing memoised by this build outlives it."""
    for name in MEMOISED:
        _memo(name).clear()


def freeze_heap(*_args) -> None:
    """Once the articles are read: later collections skip what exists now."""
    gc.freeze()


@contextmanager
def heap_growing() -> Iterator[None]:
    """For a step that makes many objects which all live on: no collection
    while it runs, and then they are frozen like the articles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
    gc.freeze()


def thaw_heap(*_args) -> None:
    """When a build is over, and at the start of the next: everything is collectable again."""
    gc.unfreeze()
