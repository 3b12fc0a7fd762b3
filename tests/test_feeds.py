"""Entity feeds: an article's share of an entry made once, the feeds unchanged."""

from __future__ import annotations

import pytest
from pelican.writers import Writer
from test_build import build, project  # noqa: F401 (fixture)

from conftest import snapshot
from roundup.glossary.facts import FeedEntry
from roundup.site.feeds import FeedIdWriter, _Article


@pytest.mark.parametrize("siteurl", [None, "https://example.org"])
def test_feeds_are_pelicans_own(project, monkeypatch, siteurl):  # noqa: F811
    """The site, entity feeds included, equals one whose entries Pelican made whole."""
    overrides = (
        {"SITEURL": siteurl, "RELATIVE_URLS": False, "FEED_DOMAIN": siteurl} if siteurl else {}
    )
    build(project, project / "shared", **overrides)
    monkeypatch.setattr(FeedIdWriter, "_add_item_to_the_feed", Writer._add_item_to_the_feed)
    build(project, project / "whole", **overrides)
    shared = snapshot(project / "shared")
    assert shared == snapshot(project / "whole")
    assert sum(name.endswith("/atom.xml") for name in shared) > 20


def test_an_article_is_made_into_entry_fields_once(project, monkeypatch):  # noqa: F811
    seen: list[str] = []
    original = Writer._add_item_to_the_feed

    def note(self, feed, item):
        seen.append(type(item).__name__)
        return original(self, feed, item)

    monkeypatch.setattr(Writer, "_add_item_to_the_feed", note)
    build(project, project / "out", RENDER_PROCESSES=1)
    entries = seen.count(_Article.__name__)
    assert entries == 2  # the two shipped roundups, each once for every entity feed
    assert FeedEntry.__name__ not in seen
    feeds = list((project / "out/entities").glob("*/atom.xml"))
    assert sum(path.read_text(encoding="utf-8").count("<entry>") for path in feeds) > 10 * entries
