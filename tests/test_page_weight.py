"""Article pages stay light: at most 60 KiB of HTML, CSS and JS, no render-blocking script.

Measured on the shipped roundups built as for production (the ``site``
fixture), uncompressed: the page itself plus every stylesheet and script it
loads from the site (images and fonts are not counted; the theme uses none).

Why 60 KiB: it is the site's standing page-weight requirement for article
pages (docs/performance.md), not a figure fitted to the pages of the day, so
a feature makes room for itself within it instead of raising it. The
citation previews and "Entities in context" first took the largest roundup
(29 entities, 10 stories) to 69.8 KiB; they fit once each entity showed a
14-word excerpt of its first mention's sentence instead of the whole
sentence, roundup.js became one popup for entity tooltips and citation
previews (3.5 KB minified), and the glossary's type filter moved to
glossary.js, which only the glossary loads. That roundup now weighs about
59 KiB at the production address.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import FUNDS_PAGE, SORA_PAGE

BUDGET = 60 * 1024
NOT_CODE = {"application/ld+json", "application/json", "text/template"}


def article_pages(site: Path) -> list[Path]:
    return sorted(site.glob("20[0-9][0-9]/[0-9][0-9]/*/index.html"))


def local_file(site: Path, url: str) -> Path:
    """The file in ``site`` that a URL on a page points to."""
    return site / urlparse(url).path.lstrip("/")


def assets(site: Path, soup: BeautifulSoup) -> list[Path]:
    """Stylesheets and scripts the page loads (deduplicated, in order)."""
    urls = [link["href"] for link in soup.select("link[rel~=stylesheet][href]")]
    urls += [script["src"] for script in soup.select("script[src]")]
    return list(dict.fromkeys(local_file(site, url) for url in urls))


def weight(site: Path, page: Path) -> tuple[int, dict[str, int]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    parts = {page.relative_to(site).as_posix(): page.stat().st_size}
    for asset in assets(site, soup):
        assert asset.is_file(), f"{page}: missing {asset}"
        parts[asset.relative_to(site).as_posix()] = asset.stat().st_size
    return sum(parts.values()), parts


def test_there_are_roundups_to_weigh(site):
    assert [p.relative_to(site).as_posix() for p in article_pages(site)] == [FUNDS_PAGE, SORA_PAGE]


@pytest.mark.parametrize("path", [FUNDS_PAGE, SORA_PAGE])
def test_article_page_with_its_css_and_js_fits_the_budget(site, path):
    page = site / path
    total, parts = weight(site, page)
    assert any(name.endswith(".css") for name in parts), parts
    assert any(name.endswith(".js") for name in parts), parts
    assert total <= BUDGET, f"{total} bytes > {BUDGET}: {parts}"


@pytest.mark.parametrize("index", [0, 1])
def test_no_render_blocking_script(site, index):
    soup = BeautifulSoup(article_pages(site)[index].read_text(encoding="utf-8"), "html.parser")
    scripts = soup.select("script")
    assert scripts, "the theme's script is expected on article pages"
    for script in scripts:
        kind = (script.get("type") or "text/javascript").lower()
        if kind in NOT_CODE:
            continue
        blocking = not (script.has_attr("defer") or script.has_attr("async") or kind == "module")
        in_head = script.find_parent("head") is not None
        assert not (blocking and script.has_attr("src")), f"render-blocking: {script}"
        assert not (blocking and in_head), f"inline script blocks rendering: {script}"


def test_budget_check_counts_assets(tmp_path):
    """The measurement itself: a page over budget because of its stylesheet fails."""
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme/big.css").write_text("a{}" * 30000)
    page = tmp_path / "index.html"
    page.write_text('<html><head><link rel="stylesheet" href="/theme/big.css"></head></html>')
    total, parts = weight(tmp_path, page)
    assert total > BUDGET and "theme/big.css" in parts
