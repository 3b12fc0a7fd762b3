"""What a visitor gets: Digest Hub index, feeds, navigation, metadata, search.

The browser tests drive Debian's Chromium (fixtures in conftest.py): Pagefind
search in English and Chinese, axe-core in light and dark, no console errors,
and the layout at 375 px and 1280 px (screenshots in test-artifacts/).
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from conftest import ROOT
from roundup.build import build_site

SORA = "2024/05/why-so-few-sora-copycats-in-china/"
FUNDS = "2024/03/funds-pour-into-chinese-video-generation/"
NEWEST = "2024-05-23T08:00:00+08:00"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
# Home, an article, an entity page, the glossary, search (with results), the digest index.
AUDITED = ["", SORA, "entities/shengshu-technology/", "entities/", "search/?q=tariffs", "digest/"]


def soup_of(site: Path, path: str) -> BeautifulSoup:
    file = site / path / "index.html" if not path.endswith(".html") else site / path
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[str]:
    """Site-relative URL of every page ("" for the home page)."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    return [p.removesuffix("index.html") for p in pages if not p.startswith("pagefind/")]


# ---- Digest Hub index and feed ------------------------------------------------


def test_digest_index_lists_every_roundups_key_points_newest_first(site):
    soup = soup_of(site, "digest/")
    entries = soup.select("ol.digest-index > li")
    titles = [li.select_one("h2 a").get_text(strip=True) for li in entries]
    assert titles == [
        "Why There Are So Few Sora Copycats in China",
        "Funds Pour Into Chinese Video Generation Challenging OpenAI",
    ]
    for entry, path in zip(entries, [SORA, FUNDS], strict=True):
        article = soup_of(site, path)
        points = [
            li.get_text(" ", strip=True) for li in article.select("#digest .digest-points li")
        ]
        assert [li.get_text(" ", strip=True) for li in entry.select(".digest-points li")] == points
        assert entry.select_one(".digest-more a")["href"].endswith(f"/{path}#digest")
        assert entry.select_one("time[datetime]")
    assert soup.select_one('.site-nav a[aria-current="page"]').get_text() == "Digest"


def test_digest_index_is_paginated(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    build_site("pelicanconf.py", str(out), {"DIGEST_PAGINATION": 1}, search=False)
    first, second = soup_of(out, "digest/"), soup_of(out, "digest/page/2/")
    assert first.select_one("a[rel=next]")["href"].endswith("digest/page/2/")
    assert second.select_one("a[rel=prev]")["href"].endswith("digest/")
    assert "Page 2 of 2" in second.select_one(".page-count").get_text()
    assert [a.get_text() for a in second.select(".digest-index h2 a")] == [
        "Funds Pour Into Chinese Video Generation Challenging OpenAI"
    ]
    assert "digest/page/2/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_digest_feed_has_each_roundups_key_points_with_links(site, server):
    feed = feedparser.parse((site / "feeds/digest.atom.xml").read_bytes())
    assert not feed.bozo
    assert [e.link for e in feed.entries] == [f"{server}/{SORA}#digest", f"{server}/{FUNDS}#digest"]
    for entry, path in zip(feed.entries, [SORA, FUNDS], strict=True):
        content = BeautifulSoup(entry.content[0].value, "html.parser")
        article = soup_of(site, path)
        points = [
            li.get_text(" ", strip=True) for li in article.select("#digest .digest-points li")
        ]
        assert [li.get_text(" ", strip=True) for li in content.select("li")] == points
        hrefs = [a["href"] for a in content.select("a")]
        assert f"{server}/{path}" in hrefs
        assert all(h.startswith(f"{server}/{path}") for h in hrefs)
    head = soup_of(site, "")
    assert head.select_one(f'link[rel=alternate][href="{server}/feeds/digest.atom.xml"]')


# ---- Navigation --------------------------------------------------------------


def test_previous_and_next_roundup_links(site, server):
    newer, older = soup_of(site, SORA), soup_of(site, FUNDS)
    assert newer.select_one(".article-nav a[rel=prev]")["href"] == f"{server}/{FUNDS}"
    assert newer.select_one(".article-nav a[rel=next]") is None
    assert older.select_one(".article-nav a[rel=next]")["href"] == f"{server}/{SORA}"
    assert older.select_one(".article-nav a[rel=prev]") is None


def test_month_archives_and_tags_are_linked(site, server):
    archives = {a["href"] for a in soup_of(site, "archives/").select("main a")}
    assert {f"{server}/2024/05/", f"{server}/2024/03/"} <= archives
    month = soup_of(site, "2024/05/")
    assert [a["href"] for a in month.select(".card-title a")] == [f"{server}/{SORA}"]
    tags = [a["href"] for a in soup_of(site, SORA).select("a[rel=tag]")]
    assert f"{server}/tags/ai/" in tags and all(
        (site / t[len(server) + 1 :]).is_dir() for t in tags
    )


# ---- Metadata, sitemap, robots.txt ----------------------------------------------


def meta(soup: BeautifulSoup, key: str) -> str:
    tag = soup.select_one(f'meta[name="{key}"], meta[property="{key}"]')
    return tag["content"] if tag else ""


def test_every_page_has_title_description_canonical_and_social_tags(site, server):
    titles = {}
    for path in html_pages(site):
        soup = soup_of(site, path)
        title = soup.title.get_text(strip=True)
        assert title and meta(soup, "description"), path
        for key in ("og:title", "og:description", "og:url", "og:type", "twitter:card"):
            assert meta(soup, key), (path, key)
        if meta(soup, "robots") == "noindex":
            assert path in {"404.html", "search/"}
            continue
        canonical = soup.select_one("link[rel=canonical]")["href"]
        assert canonical == meta(soup, "og:url") == f"{server}/{path}"
        titles.setdefault(title, []).append(path)
    assert {t: p for t, p in titles.items() if len(p) > 1} == {}
    article = soup_of(site, SORA)
    assert meta(article, "og:type") == "article"
    assert meta(article, "og:title") == "Why There Are So Few Sora Copycats in China"
    assert meta(article, "article:published_time") == NEWEST


def test_sitemap_lists_every_indexable_page_with_stable_dates(site, server):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(site / "sitemap.xml").getroot()
    dates = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in root
    }
    expected = {f"{server}/{p}" for p in html_pages(site) if p not in {"404.html", "search/"}}
    assert set(dates) == expected
    assert dates[f"{server}/{SORA}"] == NEWEST
    assert dates[f"{server}/{FUNDS}"] == "2024-03-13T08:00:00+08:00"
    # Pages without a date of their own carry the newest roundup's, not the build time.
    assert dates[f"{server}/"] == dates[f"{server}/entities/nio/"] == NEWEST
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert re.search(rf"^Sitemap: {re.escape(server)}/sitemap\.xml$", robots, re.MULTILINE)
    assert robots.startswith("User-agent: *")


def test_search_page_uses_pagefind_from_the_site(site, server):
    soup = soup_of(site, "search/")
    assets = [t.get("src") or t.get("href") for t in soup.select("script[src], link[href]")]
    assert f"{server}/pagefind/pagefind-ui.js" in assets
    assert f"{server}/pagefind/pagefind-ui.css" in assets
    form = soup_of(site, "").select_one("form.site-search")
    assert form["action"] == f"{server}/search/" and form["method"] == "get"
    assert form.select_one("input[name=q]")
    article = soup_of(site, SORA)
    assert article.select_one("article[data-pagefind-body]")
    filters = [a.get_text() for a in article.select('#entities [data-pagefind-filter="entity"]')]
    assert "Shengshu Technology" in filters and len(filters) == len(article.select("#entities li"))


# ---- In the browser --------------------------------------------------------------


LINKS = "[...document.querySelectorAll('.pagefind-ui__result-link')].map(a => a.href)"


def result_links(page, expected: list[str] = ()) -> list[str]:
    """Result links once all ``expected`` URLs (or any result) are shown.

    Pagefind's UI renders results one by one, so the first link is no sign
    that the others are there yet.
    """
    # A timeout is no failure here: the caller's assertion shows what was found.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            f"urls => {{ const shown = {LINKS};"
            " return shown.length > 0 && urls.every(u => shown.includes(u)); }",
            arg=list(expected),
            timeout=15_000,
        )
    return page.evaluate(LINKS)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tariffs", [SORA]),
        ("Xiaomi", [FUNDS]),
        ("生数科技", [SORA, FUNDS]),
        ("爱诗科技", [SORA, FUNDS]),
    ],
)
def test_search_finds_the_roundup(page, server, query, expected):
    page.goto(f"{server}/search/?q={query}")
    links = result_links(page, [f"{server}/{path}" for path in expected])
    for path in expected:
        assert f"{server}/{path}" in links, links
    assert page.input_value(".pagefind-ui__search-input") == query


@pytest.mark.browser
def test_search_shows_story_sub_results(page, server):
    page.goto(f"{server}/search/?q=tariffs")
    story = f"{server}/{SORA}#us-proposes-higher-tariffs-on-some-chinese-imports-from-aug-1"
    assert story in result_links(page, [story])


@pytest.mark.browser
def test_typing_a_query_searches_and_updates_the_address(page, server):
    page.goto(f"{server}/search/")
    page.fill(".pagefind-ui__search-input", "battery swapping")
    assert f"{server}/{SORA}" in result_links(page, [f"{server}/{SORA}"])
    page.wait_for_function("new URLSearchParams(location.search).get('q') === 'battery swapping'")


MERGED_PAGEFIND = """
    const pagefind = await import('/pagefind/pagefind.js');
    const {shards} = await (await fetch('/pagefind/shards.json')).json();
    for (const shard of shards.filter(s => s.path)) {
        await pagefind.mergeIndex('/pagefind/' + shard.path);
    }
"""


def with_pagefind(page, body: str):
    """The value of the JavaScript ``body``, run with ``pagefind``: the site's
    Pagefind with every bundle merged, as the search page has it."""
    return page.evaluate("async () => {" + MERGED_PAGEFIND + body + "}")


@pytest.mark.browser
def test_entity_filter_narrows_results(page, server):
    page.goto(f"{server}/search/")
    filters = with_pagefind(
        page,
        """
        const all = await pagefind.filters();
        const nio = await pagefind.search(null, {filters: {entity: 'Nio Inc.'}});
        return {entity: all.entity, nio: await Promise.all(nio.results.map(r => r.data()))};
        """,
    )
    assert filters["entity"]["Shengshu Technology"] == 2
    assert filters["entity"]["Nio Inc."] == 1
    assert [r["url"] for r in filters["nio"]] == [f"/{SORA}"]


@pytest.mark.browser
def test_generated_digests_are_searched_in_the_body_only(page, server):
    """A generated digest repeats body sentences under a stock note: neither is indexed."""
    page.goto(f"{server}/search/")
    found = with_pagefind(
        page,
        """
        const urls = async (q) => Promise.all(
            (await pagefind.search(q)).results.map(async r => (await r.data()).url));
        return {note: await urls('summarised'), story: await urls('Xiaomi')};
        """,
    )
    assert f"/{FUNDS}" not in found["note"]  # the note's "Summarised", in every generated one
    assert f"/{SORA}" in found["note"]  # "summarise" in its body (authored digest)
    assert f"/{FUNDS}" in found["story"]


@pytest.mark.browser
def test_header_search_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/{FUNDS}")
    page.fill("#site-search-q", "生数科技")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.evaluate("new URLSearchParams(location.search).get('q')") == "生数科技"
    assert page.locator(".search-nojs").is_visible()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", AUDITED)
def test_axe_finds_no_violations(page, server, path, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{server}/{path}")
    if path.startswith("search/"):
        result_links(page)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document)).violations.map(v =>
            `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"""
    )
    assert violations == [], "\n".join(violations)


@pytest.mark.browser
def test_no_console_errors_on_any_page(page, server, site):
    errors: list[str] = []
    current = [""]
    page.on(
        "console", lambda m: errors.append(f"{current[0]}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda exc: errors.append(f"{current[0]}: {exc}"))
    # Leaving a page aborts its pending favicon request: not a failure (a 404 is, below).
    page.on(
        "requestfailed",
        lambda r: (
            None if r.failure == "net::ERR_ABORTED" else errors.append(f"{current[0]}: {r.url}")
        ),
    )
    page.on(
        "response",
        lambda r: errors.append(f"{current[0]}: {r.status} {r.url}") if r.status >= 400 else None,
    )
    pages = [p for p in html_pages(site) if p != "404.html"]
    assert len(pages) > 50
    for path in [*pages, "search/?q=生数科技"]:
        current[0] = path
        page.goto(f"{server}/{path}", wait_until="load")
        if path.startswith("search/?q="):
            result_links(page)
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", AUDITED)
def test_layout_fits_the_screen(browser, server, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/{path}")
    if path.startswith("search/"):
        result_links(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    layout = page.evaluate(
        """() => {
            const root = document.documentElement;
            const main = document.querySelector('main .wrap').getBoundingClientRect();
            const wide = [...document.querySelectorAll('main *')].filter(el => {
                const r = el.getBoundingClientRect();
                return r.width > 0 && (r.right > root.clientWidth + 1 || r.left < -1)
                    && !el.closest('[hidden], .visually-hidden, .skip-link');
            }).map(el => el.tagName + '.' + el.className);
            return {scroll: root.scrollWidth, client: root.clientWidth, main: main.width,
                    wide, h1: !!document.querySelector('h1')};
        }"""
    )
    assert layout["scroll"] <= layout["client"], layout
    assert layout["wide"] == [], layout
    assert layout["h1"] and layout["main"] >= min(width - 40, 600) * 0.9, layout
    context.close()
