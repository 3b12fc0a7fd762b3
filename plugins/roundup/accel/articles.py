"""Cheaper article objects: compressed bodies (``packed``), URLs made once (``urls``).

Pelican makes every article an :class:`~pelican.contents.Article`;
:func:`lighten` (``content_object_init``) makes it a :class:`LeanArticle`,
the same class but for what is listed here. Pinned by ``tests/test_accel.py``:
each override is shown to run, and the site to equal the plugin's alone.

``packed``:

- An article's body is the largest thing a build keeps per article, and a
  body that names one Chinese company is stored by Python at two bytes per
  character. A lean article keeps it as zlib-compressed UTF-8 (about an
  eighth of the size) and unpacks it whenever Pelican reads ``_content``.
  Workers that read ahead pack bodies themselves (:class:`PackedText`).
- Pelican looks for ``{static}`` and ``{attach}`` links in every body at
  every build; a body without either word has none (``get_static_links``).
- ``Content.get_content`` and ``get_summary`` are memoised for the whole
  process (Pelican's ``memoized``, one dict each, keyed by site URL), so
  every body a page or feed showed would stay in memory until exit, one copy
  per site URL. A lean article's ``get_content`` keeps its body for an
  absolute site URL (a feed's: the all-articles feed and several tag feeds
  show the same article) packed on the article, and renders it again for a
  page (each page shows it once); :func:`release_all` empties Pelican's
  memos at the end of a build.

``urls``:

- Pelican formats ``url`` and ``save_as`` from the metadata at every access;
  lists, feeds, the glossary and the sitemap ask thousands of times. Once
  every generator has its context, :func:`freeze_urls` stores both, and a
  lean article returns what was stored (not ``override_url``: that would
  tell Pelican's writer the article may overwrite another file).
- Every ``get_content`` resolves the body's ``{filename}`` links again (~25
  per roundup, most to entity pages). A link by absolute source path
  resolves the same in every article, so what it became is kept per site URL
  in the build's context (:data:`LINKS`); other links go to Pelican each time.
"""

from __future__ import annotations

import re
import zlib

from pelican.contents import Article, Content

STATIC_WORDS = ("static", "attach")  # the link kinds Content.get_static_links collects
LINKS = "roundup_resolved_links"  # context key: (site URL, link markup) -> resolved markup
MEMOISED = ("get_content", "get_summary")


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


class LeanArticle(Article):
    """A Pelican article with its body packed (if ``packed``) and its URLs
    frozen (once :func:`freeze_urls` ran)."""

    @property
    def _content(self) -> str | None:
        value = self.__dict__["_body"]
        return unpack(value) if isinstance(value, bytes) else value

    @_content.setter
    def _content(self, value: str | None) -> None:
        if type(value) is PackedText:  # packed by a worker that read ahead
            self.__dict__["_body"] = value.packed
        elif value is not None and self.__dict__.get("_pack", True):
            self.__dict__["_body"] = pack(value)
        else:
            self.__dict__["_body"] = value
        self.__dict__["_static_free"] = not value or not any(w in value for w in STATIC_WORDS)

    def get_content(self, siteurl: str) -> str:
        if not self.__dict__.get("_pack", True):
            return super().get_content(siteurl)
        feeds = self.__dict__.setdefault("_feed_bodies", {}) if "://" in siteurl else None
        if feeds and siteurl in feeds:
            return unpack(feeds[siteurl])
        content = self._get_content() if hasattr(self, "_get_content") else self._content
        content = self._update_content(content, siteurl)
        if feeds is not None:
            feeds[siteurl] = pack(content)
        return content

    def get_static_links(self) -> set[str]:
        if self.__dict__.get("_static_free"):
            return set()
        return super().get_static_links()

    @property
    def url(self) -> str:
        return self.__dict__.get("_url") or self.get_url_setting("url")

    @property
    def save_as(self) -> str:
        return self.__dict__.get("_save_as") or self.get_url_setting("save_as")

    def _link_replacer(self, siteurl: str, m: re.Match) -> str:
        if not self.__dict__.get("_url") or m.group("what") != "filename":
            return super()._link_replacer(siteurl, m)
        if not m.group("value").startswith("/"):
            return super()._link_replacer(siteurl, m)
        memo = self._context.setdefault(LINKS, {})
        key = (siteurl, m.group(0))
        found = memo.get(key)
        if found is None:
            found = super()._link_replacer(siteurl, m)
            if found != m.group(0):  # resolved; a miss warns again next time
                memo[key] = found
        return found


def lighten(content: Content, packed: bool) -> None:
    """``content_object_init``: an article becomes a :class:`LeanArticle`
    (its body packed from now on if ``packed``)."""
    if type(content) is not Article:
        return
    body = content.__dict__.pop("_content")
    content.__class__ = LeanArticle
    content.__dict__["_pack"] = packed
    content._content = body


def freeze_urls(articles) -> None:
    """Each lean article's URL and output path, made once from now on (a
    cached article has them already)."""
    for article in articles:
        if isinstance(article, LeanArticle) and "_url" not in article.__dict__:
            article.__dict__["_url"] = article.get_url_setting("url")
            article.__dict__["_save_as"] = article.get_url_setting("save_as")


def _memo(name: str) -> dict:
    return getattr(Content.__dict__.get(name), "cache", {})


def release_all() -> None:
    """End of a build: nothing memoised by it outlives it."""
    for name in MEMOISED:
        _memo(name).clear()
