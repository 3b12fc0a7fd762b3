"""Each Atom feed is identified by its own URL.

Pelican builds every feed with the site's address as the feed's ``<id>``
(feedgenerator's default), so the main feed, the digest feed and every tag and
entity feed claim to be one and the same feed. Atom (RFC 4287, 4.2.6) wants a
permanent identifier per feed, and feed readers may merge the entries of feeds
that share one. :class:`FeedIdWriter` gives each feed its absolute URL
(``FEED_DOMAIN`` + its path) as its id; every writer of a build derives from it.
"""

from __future__ import annotations

from feedgenerator import Atom1Feed
from pelican.writers import Writer

from .atom import AtomFeed


class FeedIdWriter(Writer):
    """Pelican's writer, with each feed's ``<id>`` its own absolute URL (and
    Atom feeds written by :class:`atom.AtomFeed`: the same text, faster)."""

    def _create_new_feed(self, feed_type, feed_title, context):
        feed = super()._create_new_feed(feed_type, feed_title, context)
        if type(feed) is Atom1Feed:  # Pelican names the class; the object is the same
            feed.__class__ = AtomFeed
        if "://" in (self.feed_url or ""):  # without FEED_DOMAIN: Pelican's id
            feed.feed["id"] = self.feed_url
        return feed
