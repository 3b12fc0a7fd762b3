"""Every Atom feed is identified by its own URL (``roundup.site.feeds``)."""

from __future__ import annotations

import re

import pytest
from test_build import build, project  # noqa: F401 (fixture)

from roundup.site.feeds import own_feed_id


class _Feed:
    def __init__(self, url: str | None) -> None:
        self.feed = {"feed_url": url, "id": "https://site.example/"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://site.example/feeds/all.atom.xml", "https://site.example/feeds/all.atom.xml"),
        ("feeds/all.atom.xml", "https://site.example/"),  # no FEED_DOMAIN: Pelican's id stays
        (None, "https://site.example/"),
    ],
)
def test_own_feed_id(url, expected):
    feed = _Feed(url)
    own_feed_id({}, feed)
    assert feed.feed["id"] == expected


def test_every_feed_of_a_build_has_its_own_id(project):  # noqa: F811
    site = "https://example.org"
    build(project, project / "out", SITEURL=site, FEED_DOMAIN=site, RELATIVE_URLS=False)
    feeds = sorted((project / "out").rglob("*.xml"))
    feeds = [path for path in feeds if path.name != "sitemap.xml"]
    ids = {}
    for path in feeds:
        text = path.read_text(encoding="utf-8")
        ids[path] = re.search(r"<feed [^>]*>.*?<id>([^<]+)</id>", text, re.S).group(1)
    assert len(feeds) > 20  # the site feed, the digest feed, tag and entity feeds
    for path, feed_id in ids.items():
        assert feed_id == f"{site}/{path.relative_to(project / 'out').as_posix()}"
