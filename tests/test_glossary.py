"""Entity glossary in a full build: pages, backlinks, index, feeds, export."""

from __future__ import annotations

import datetime
import json
import random
from itertools import combinations
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import SORA_PAGE
from roundup.glossary.facts import appearances, related
from roundup.glossary.registry import load_registry
from roundup.models import Analysis, Mention, Mentions

REGISTRY = load_registry("content", ["entities"])


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def local(site: Path, url: str, base: str) -> tuple[Path, str]:
    path, _, fragment = url.removeprefix(base).partition("#")
    return site / path.lstrip("/") / "index.html", fragment


@pytest.fixture(scope="session")
def export(site):
    return json.loads((site / "entities/entities.json").read_text(encoding="utf-8"))


def test_every_entity_has_a_page(site):
    for slug, entity in REGISTRY.entities.items():
        soup = soup_of(site, f"entities/{slug}/index.html")
        assert soup.h1.get_text(strip=True).startswith(entity.name)
        if entity.native_name:
            assert entity.native_name in soup.get_text()
        for alias in entity.aliases:
            assert alias in soup.get_text()


def test_backlinks_point_at_paragraphs_that_contain_the_mention(site, export, port):
    base = f"http://127.0.0.1:{port}"
    checked = 0
    for entity in export["entities"]:
        forms = [entity["name"], *entity["aliases"], entity["native_name"]]
        for mention in entity["mentions"]:
            page, _ = local(site, mention["article"], base)
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            assert mention["paragraphs"] == sorted(set(mention["paragraphs"]))
            for number in mention["paragraphs"]:
                paragraph = soup.find(id=f"para-{number}")
                assert paragraph is not None, mention
                text = paragraph.get_text()
                assert any(form and form in text for form in forms), (entity["slug"], mention)
                checked += 1
    assert checked > 50


def test_entity_page_lists_news_newest_first_with_sentences(site):
    soup = soup_of(site, "entities/openai/index.html")
    links = [a["href"] for a in soup.select("#in-the-news a[href*='#para-']")]
    assert links, "In the news links to paragraphs"
    dates = [t["datetime"] for t in soup.select("#in-the-news time[datetime]")]
    assert len(dates) == 2
    assert dates == sorted(dates, reverse=True)
    assert "2024/05/" in links[0] and any("2024/03/" in link for link in links)


def test_related_entities_ranked_by_shared_articles(site):
    soup = soup_of(site, "entities/nio/index.html")
    text = soup.get_text(" ")
    assert "Related" in text
    related = [
        a["href"].rstrip("/").split("/")[-1] for a in soup.select(".related a[href*='/entities/']")
    ]
    assert "faw-group" in related


def test_glossary_index_lists_all_entities_a_to_z(site, export):
    soup = soup_of(site, "entities/index.html")
    items = soup.select("[data-type]")
    slugs_on_page = {
        a["href"].rstrip("/").split("/")[-1]
        for item in items
        for a in item.select("a[href*='/entities/']")
    }
    assert set(REGISTRY.entities) <= slugs_on_page
    assert {item["data-type"] for item in items} >= {"company", "person", "government"}
    counts = {e["slug"]: e["mention_count"] for e in export["entities"]}
    assert counts["nio"] >= 2


def test_entity_feed_parses_and_lists_mentioning_articles(site):
    feed = feedparser.parse((site / "entities/nio/atom.xml").read_bytes())
    assert feed.bozo == 0, feed.bozo_exception
    assert "Nio Inc." in feed.feed.title
    assert [e.title for e in feed.entries] == ["Why There Are So Few Sora Copycats in China"]
    funds = feedparser.parse((site / "entities/xiaomi/atom.xml").read_bytes())
    assert [e.title for e in funds.entries] == [
        "Funds Pour Into Chinese Video Generation Challenging OpenAI"
    ]


def test_json_export_is_complete(export, site):
    by_slug = {e["slug"]: e for e in export["entities"]}
    assert set(by_slug) == set(REGISTRY.entities)
    mentions = by_slug["shengshu-technology"]["mentions"]
    assert all(set(m) == {"article", "date", "paragraphs"} for m in mentions)
    assert {m["date"] for m in mentions} == {"2024-03-13", "2024-05-23"}
    assert (
        sum(len(m["paragraphs"]) for m in mentions)
        <= by_slug["shengshu-technology"]["mention_count"]
    )
    articles = {a["url"]: a for a in export["articles"]}
    assert len(articles) == len(list(site.glob("20[0-9][0-9]/*/*/index.html")))
    assert [a["date"] for a in export["articles"]] == sorted(a["date"] for a in articles.values())
    for mention in mentions:
        assert articles[mention["article"]]["date"] == mention["date"]
    titles = {a["title"] for a in articles.values()}
    assert "Funds Pour Into Chinese Video Generation Challenging OpenAI" in titles


def test_jsonld_entity_and_article_mentions(site):
    entity = json.loads(
        soup_of(site, "entities/nfra/index.html")
        .select_one("script[type='application/ld+json']")
        .string
    )
    assert entity["@type"] == "GovernmentOrganization"
    assert "NFRA" in entity["alternateName"]
    person = json.loads(
        soup_of(site, "entities/li-xiang/index.html")
        .select_one("script[type='application/ld+json']")
        .string
    )
    assert person["@type"] == "Person"
    article = soup_of(site, SORA_PAGE)
    data = json.loads(article.select_one("script[type='application/ld+json']").string)
    assert data["@type"] == "NewsArticle"
    mentioned = [m["@id"].split("/")[-2] for m in data["mentions"]]
    listed = [li["data-entity"] for li in article.select("#entities li[data-entity]")]
    assert mentioned == listed


def shared_articles(lists: list[list[str]]) -> dict[str, dict[str, int]]:
    """By the definition: for each pair of entities, the articles naming both."""
    counts: dict[str, dict[str, int]] = {}
    for slugs in lists:
        for a, b in combinations(sorted(set(slugs)), 2):
            counts.setdefault(a, {}).setdefault(b, 0)
            counts.setdefault(b, {}).setdefault(a, 0)
            counts[a][b] += 1
            counts[b][a] += 1
    return counts


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("limit", [0, 1, 3, 50])
def test_related_are_the_entities_sharing_most_articles(seed, limit):
    rng = random.Random(seed)
    slugs = [f"e{n:02d}" for n in range(30)]
    names = {slug: rng.choice(["Nio", "byd", "Ant", "zeekr"]) + slug for slug in slugs}
    lists = [rng.sample(slugs, rng.randint(0, 6)) * rng.randint(1, 2) for _ in range(40)]
    got = related([Analysis(entities=entities) for entities in lists], names, limit)
    for slug, others in shared_articles(lists).items():
        best = sorted(others.items(), key=lambda item: (-item[1], names[item[0]].casefold()))
        assert got[slug] == best[:limit]
    assert all(got[slug] == [] for slug in got if slug not in shared_articles(lists))


def test_appearances_list_each_distinct_sentence_once_per_entity():
    article = SimpleNamespace(url="a/", title="A", date=datetime.datetime(2024, 5, 1))
    records = [
        Mention("nio", 1, "Nio", "Nio and BYD."),
        Mention("nio", 1, "NIO", "Nio and BYD."),  # the same sentence again
        Mention("byd", 1, "BYD", "Nio and BYD."),
        Mention("nio", 2, "Nio", "Nio again."),
        Mention("byd", 3, "BYD", "BYD alone."),
    ]
    analysis = Analysis(mentions=Mentions(records), entities=["nio", "byd"])
    found = appearances([article], [analysis])
    [nio], [byd] = found["nio"], found["byd"]
    assert (nio.rows, byd.rows) == ([0, 3], [2, 4])
    assert (nio.paragraphs, byd.paragraphs) == ([1, 2], [1, 3])
    assert [(m.para, m.sentence, m.url) for m in nio.mentions] == [
        (1, "Nio and BYD.", "a/#para-1"),
        (2, "Nio again.", "a/#para-2"),
    ]
    assert nio.found is byd.found  # one pass over the article's mentions for both
