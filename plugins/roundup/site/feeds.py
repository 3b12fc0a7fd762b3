"""Each Atom feed is identified by its own URL.

Pelican builds every feed with the site's address as the feed's ``<id>``
(feedgenerator's default), so the main feed, the digest feed and every tag and
entity feed claim to be one and the same feed. Atom (RFC 4287, 4.2.6) wants a
permanent identifier per feed, and feed readers may merge the entries of feeds
that share one. :class:`FeedIdWriter` gives each feed its absolute URL
(``FEED_DOMAIN`` + its path) as its id; every writer of a build derives from it.

It also makes an entity feed's entries faster: of the ~40,000 entries of
2,000 entity feeds, only the quoted sentences differ between two entries for
the same article, so the rest is made once per article (the feeds are byte for
byte Pelican's, ``tests/test_feeds.py``).
"""

from __future__ import annotations

from typing import Any

from feedgenerator import Atom1Feed
from pelican.writers import Writer

from ..accel.atom import AtomFeed
from ..glossary.facts import FeedEntry


class FeedIdWriter(Writer):
    """Pelican's writer, with each feed's ``<id>`` its own absolute URL (and
    Atom feeds written by :class:`atom.AtomFeed`: the same text, faster).

    An article is an entry of ~20 entity feeds, each quoting its own
    sentences: what the entry takes from the article (title without tags,
    link, tag URI, summary, categories, dates) is made once per article and
    site URL, not once per feed (:meth:`_add_item_to_the_feed`).
    """

    def _add_item_to_the_feed(self, feed, item) -> None:
        if type(item) is not FeedEntry or type(feed) is not AtomFeed:
            return super()._add_item_to_the_feed(feed, item)
        if "summary" not in item.metadata:  # Pelican's summary depends on the page
            return super()._add_item_to_the_feed(feed, item)
        fields = self._article_fields(item)
        content = item.get_content(self.site_url)
        description = None if fields["description"] == content else fields["description"]
        feed.add_item(**{**fields, "description": description, "content": content})
        return None

    def _article_fields(self, item: FeedEntry) -> dict[str, Any]:
        """Pelican's entry fields but ``content``, once per article and site URL."""
        memo = self.__dict__.setdefault("_roundup_entry_fields", {})
        key = (id(item.appearance.article), self.site_url)
        if key not in memo:
            captured: list[dict[str, Any]] = []
            super()._add_item_to_the_feed(_Capture(captured), _Article(item))
            memo[key] = captured[0]
        return memo[key]

    def _create_new_feed(self, feed_type, feed_title, context):
        feed = super()._create_new_feed(feed_type, feed_title, context)
        if type(feed) is Atom1Feed:  # Pelican names the class; the object is the same
            feed.__class__ = AtomFeed
        if "://" in (self.feed_url or ""):  # without FEED_DOMAIN: Pelican's id
            feed.feed["id"] = self.feed_url
        return feed


class _Capture(AtomFeed):
    """A feed that keeps the fields Pelican gives one entry (Atom, like the real one)."""

    def __init__(self, captured: list[dict[str, Any]]) -> None:  # no feed fields needed
        self.captured = captured

    def add_item(self, **fields: Any) -> None:
        self.captured.append(fields)


class _Article:
    """An entity feed's entry as Pelican sees it, with the article's own content."""

    __slots__ = ("entry",)

    def __init__(self, entry: FeedEntry) -> None:
        self.entry = entry

    def __getattr__(self, name: str) -> Any:
        return getattr(self.entry, name)

    def get_content(self, siteurl: str) -> None:
        return None  # made per entry; the summary is kept (never equal to None)
