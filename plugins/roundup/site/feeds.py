"""Each Atom feed is identified by its own URL.

Pelican builds every feed with the site's address as the feed's ``<id>``
(feedgenerator's default), so the main feed, the digest feed and every tag and
entity feed claim to be one and the same feed. Atom (RFC 4287, 4.2.6) wants a
permanent identifier per feed, and feed readers may merge the entries of feeds
that share one. :func:`own_feed_id` (Pelican's ``feed_generated`` signal,
sent before a feed is written) gives each feed its absolute URL
(``FEED_DOMAIN`` + its path) as its id.
"""

from __future__ import annotations


def own_feed_id(context, feed) -> None:
    """``feed_generated``: the feed's ``<id>`` is its own absolute URL (when
    it has one: without ``FEED_DOMAIN`` Pelican's id stays)."""
    url = feed.feed.get("feed_url") or ""
    if "://" in url:
        feed.feed["id"] = url
