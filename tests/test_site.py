"""Full Pelican builds of the shipped content: the rendered contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FUNDS_PAGE, SORA_PAGE


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def article_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("20[0-9][0-9]/[0-9][0-9]/*/index.html"))


def test_both_roundups_built(site):
    assert [p.relative_to(site).as_posix() for p in article_pages(site)] == [FUNDS_PAGE, SORA_PAGE]


@pytest.mark.parametrize("path", [SORA_PAGE, FUNDS_PAGE])
def test_paragraphs_numbered_from_one_with_self_links(site, path):
    soup = page(site, path)
    body = soup.select_one(".article-body")
    blocks = soup.select("[id^=para-]")
    assert all(b.find_parent(class_="article-body") is body for b in blocks)
    numbers = [int(b["id"].removeprefix("para-")) for b in blocks]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 14
    for block in blocks:
        link = block.select_one("a.para-num")
        assert link["href"] == f"#{block['id']}"
        assert link.get_text(strip=True) == f"¶ {block['id'].removeprefix('para-')}"


def test_sora_digest_is_authored_and_cites_real_paragraphs(site):
    soup = page(site, SORA_PAGE)
    digest = soup.select_one("#digest")
    assert digest is not None and not digest.has_attr("data-generated")
    assert len(digest.select("ul.digest-points > li")) == 3
    cites = digest.select("a.cite")
    # The first key point cites a run, "[para. 2–3]": a link per paragraph.
    first = digest.select_one("ul.digest-points > li")
    assert "[para. 2–3]" in first.get_text()
    assert [a["href"] for a in first.select("a.cite")] == ["#para-2", "#para-3"]
    for cite in cites:
        if cite.find_parent(class_="cite-run") is None:
            assert re.fullmatch(r"\[para\. \d+\]", cite.get_text())
        assert soup.select_one(cite["href"]) is not None
    # The digest comes first and is not part of the numbered text.
    first_para = soup.select_one("#para-1")
    assert digest.sourceline < first_para.sourceline
    assert not digest.select("[id^=para-]")


def test_funds_digest_is_generated_and_covers_every_story(site):
    soup = page(site, FUNDS_PAGE)
    digest = soup.select_one("#digest")
    assert digest["data-generated"] == "true"
    assert "generated" in digest.select_one(".digest-label").get_text().lower()
    story_titles = [h.get_text(strip=True) for h in soup.select(".article-body h2[id]")]
    assert len(story_titles) == 10
    stories = [
        [p["id"] for p in h.find_next_siblings() if p.get("id", "").startswith("para-")]
        for h in soup.select(".article-body h2[id]")
    ]
    # Key points: a cited sentence from each of the first five stories.
    points = digest.select("ul.digest-points > li")
    assert len(points) == 5
    for point, story in zip(points, stories, strict=False):
        [cite] = point.select("a.cite")
        target = soup.select_one(cite["href"])
        assert cite["href"].removeprefix("#") in story
        assert point.get_text().removesuffix(cite.get_text()).strip() in target.get_text()
    opening, *labelled = digest.select("p:not(.digest-note)")
    tags = [a.get_text() for a in soup.select(".tag-line a")]
    assert opening.get_text().startswith("This roundup covers ten stories on AI, video generation")
    assert len(tags) > 2 and all(tag.lower() in opening.get_text().lower() for tag in tags)
    assert [p.strong.get_text() for p in labelled] == story_titles
    for paragraph in labelled:
        assert 1 <= len(paragraph.select("a.cite")) <= 2
        for cite in paragraph.select("a.cite"):
            assert soup.select_one(cite["href"]) is not None


def test_target_highlight_exists_without_javascript(site):
    css = "\n".join(p.read_text() for p in (site / "theme").rglob("*.css"))
    assert re.search(r"\[id\^=[\"']?para-[\"']?\]:target", css)


def test_entities_section_in_first_mention_order(site):
    soup = page(site, SORA_PAGE)
    links = [a["data-entity"] for a in soup.select(".article-body a.entity")]
    listed = [li["data-entity"] for li in soup.select("#entities li[data-entity]")]
    assert listed[: len(links)] == list(dict.fromkeys(links))
    assert len(links) == len(set(links)), "only the first mention of an entity is linked"


def test_home_lists_roundups_newest_first_with_key_points(site):
    soup = page(site, "index.html")
    titles = [a.get_text(strip=True) for a in soup.select("main h2 a, main h3 a")]
    assert titles.index("Why There Are So Few Sora Copycats in China") < titles.index(
        "Funds Pour Into Chinese Video Generation Challenging OpenAI"
    )
    assert len(soup.select("ul.digest-points li")) == 3 + 5  # Sora's three, five generated


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "archives/index.html",
        "tags/index.html",
        "404.html",
        "about/index.html",
        "feeds/all.atom.xml",
        "entities/index.html",
    ],
)
def test_site_pages_exist(site, path):
    assert (site / path).stat().st_size > 200


def test_no_external_requests(site):
    for html in site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("script[src], link[rel=stylesheet], img[src], link[rel=icon]"):
            url = tag.get("src") or tag.get("href")
            assert url.startswith(("/", "http://127.0.0.1")) or "://" not in url, (html, url)
