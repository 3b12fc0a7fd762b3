"""Cheaper Pelican content objects for big sites: frozen URLs, released copies.

- Pelican recomputes ``article.url`` on every access (a format of its
  metadata, dates included); list pages, feeds and the sitemap ask thousands
  of times. Once every generator has its context, :func:`freeze_urls` stores
  each article's and page's URL as its ``override_url`` (what Pelican itself
  returns first), so later accesses are free and give the same string.
- ``Content.get_content`` is memoised per (object, site URL) in one dict for
  the whole process, so every page's rendered body stays in memory until
  exit (and each ``--autoreload`` build adds a copy). :func:`release_page`
  drops the copy once its page is written; :func:`release_all` empties the
  memo at the end of a build. A later caller just renders it again.
"""

from __future__ import annotations

from pelican.contents import Content

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
)


def _memo(name: str) -> dict:
    return getattr(Content.__dict__.get(name), "cache", {})


def freeze_urls(generators) -> None:
    """``all_generators_finalized``: compute each content URL once."""
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                if isinstance(content, Content) and not hasattr(content, "override_url"):
                    content.override_url = content.url


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
