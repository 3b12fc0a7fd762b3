"""sitemap.xml: dates, URLs, what is left out; and the settings on a real build."""

from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT
from roundup.build import build_site, load_settings
from roundup.site.sitemap import lastmod, listed, page_url, sitemap_xml

EIGHT = dt.timezone(dt.timedelta(hours=8))
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.datetime(2024, 5, 23, 8, 0, tzinfo=EIGHT), "2024-05-23T08:00:00+08:00"),
        (dt.datetime(2024, 5, 23, 8, 0, 5, 999), "2024-05-23T08:00:05-00:00"),
        (dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.UTC), "2024-01-02T03:04:00+00:00"),
    ],
)
def test_lastmod_is_a_w3c_datetime(date, expected):
    assert lastmod(date) == expected


@pytest.mark.parametrize(
    ("path", "content", "expected"),
    [
        ("/out/2024/05/a/index.html", SimpleNamespace(url="2024/05/a/"), "2024/05/a/"),
        ("/out/about/index.html", SimpleNamespace(url="about/index.html"), "about/"),
        ("/out/tags/index.html", None, "tags/"),
        ("/out/index.html", None, ""),
        ("/out/page/2/index.html", None, "page/2/"),
        ("/out/entities/nio/notindex.html", None, "entities/nio/notindex.html"),
    ],
)
def test_page_url_drops_a_trailing_index_html(path, content, expected):
    assert page_url(path, content, "/out") == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, True),
        (SimpleNamespace(status="published"), True),
        (SimpleNamespace(status="draft"), False),
        (SimpleNamespace(status="hidden"), False),
        (SimpleNamespace(status="published", private="True"), False),
        (SimpleNamespace(status="published", private="false"), True),
    ],
)
def test_only_published_public_contents_are_listed(content, expected):
    assert listed(content) is expected


def test_sitemap_is_sorted_escaped_and_names_each_url_once():
    early, late = dt.datetime(2024, 1, 1, tzinfo=EIGHT), dt.datetime(2024, 2, 1, tzinfo=EIGHT)
    text = sitemap_xml([("b/", late), ("a/?x=1&y=2", early), ("b/", early)], "https://e.org")
    root = ET.fromstring(text.encode())
    rows = [
        (u.findtext("s:loc", namespaces=NS), u.findtext("s:lastmod", namespaces=NS)) for u in root
    ]
    assert rows == [
        ("https://e.org/a/?x=1&y=2", "2024-01-01T00:00:00+08:00"),
        ("https://e.org/b/", "2024-02-01T00:00:00+08:00"),
    ]


def build(tmp_path: Path, **overrides) -> Path:
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(ROOT / "content", content)
    out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
    settings = {"PATH": str(content), "SITEURL": "https://example.org", **overrides}
    build_site(str(ROOT / "pelicanconf.py"), str(out), settings, search=False)
    return out


def locs(out: Path) -> list[str]:
    root = ET.parse(out / "sitemap.xml").getroot()
    return [u.findtext("s:loc", namespaces=NS) for u in root]


def test_sitemap_settings_exclude_pages_or_turn_it_off(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    every = locs(build(tmp_path))
    assert "https://example.org/entities/nio/" in every
    assert "https://example.org/search/" not in every  # SITEMAP_EXCLUDE in pelicanconf.py
    assert every == sorted(every)
    shipped = load_settings(str(ROOT / "pelicanconf.py"))["SITEMAP_EXCLUDE"]
    fewer = locs(build(tmp_path, SITEMAP_EXCLUDE=[*shipped, r"^entities/"]))
    assert fewer == [u for u in every if not u.startswith("https://example.org/entities/")]
    assert not (build(tmp_path, SITEMAP_SAVE_AS="") / "sitemap.xml").exists()
