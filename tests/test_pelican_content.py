"""Pelican's own test content builds, with the speed layer on and off, as Pelican builds it.

Every Markdown file of ``pelican/tests/content`` (shipped inside the pelican
package, written by Pelican's authors) joins the shipped roundups: enough
articles that parallel reading runs. A file without ``Title:`` or ``Date:``
gets them, as the content contract requires; nothing else is changed. The
build must succeed, equal itself with the speed layer off, and publish,
list, hide and skip the same articles plain Pelican does (drafts, ``hidden``,
``skip``; an empty ``Tags:``).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pelican
import pytest
from pelican import Pelican

from conftest import ROOT, snapshot
from roundup.accel.readahead import MIN_ARTICLES
from roundup.build import build_site, load_settings

PELICAN_CONTENT = Path(pelican.__file__).parent / "tests" / "content"
MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")
_KEY = re.compile(r"^(\w[\w-]*):", re.MULTILINE)


def pelican_markdown() -> list[Path]:
    return sorted(p for p in PELICAN_CONTENT.iterdir() if p.suffix in MARKDOWN)


def with_title_and_date(path: Path) -> str:
    """The file's text with ``Title:`` and ``Date:`` added where missing."""
    text = path.read_text(encoding="utf-8-sig")
    header = text.split("\n\n", 1)[0] if text.strip() else ""
    keys = {key.lower() for key in _KEY.findall(header)}
    added = []
    if "title" not in keys:
        added.append(f"Title: {path.stem}")
    if "date" not in keys:
        added.append("Date: 2012-11-30 10:00")
    if not added:
        return text
    glue = "\n" if keys else "\n\n"  # into the header, or a header of its own
    return "\n".join(added) + glue + (text if text.strip() else "")


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pelican-content") / "content"
    shutil.copytree(ROOT / "content", folder)
    target = folder / "articles" / "pelican"
    target.mkdir()
    for path in pelican_markdown():
        (target / path.name).write_text(with_title_and_date(path), encoding="utf-8")
    return folder


def test_the_suite_is_there_and_large_enough():
    names = {p.name for p in pelican_markdown()}
    assert len(names) >= 12
    assert {"article_with_markdown_and_empty_tags.md", "article_draft.md"} <= names
    assert {"article_hidden.md", "article_skip.md"} <= names
    assert len(names) + 2 >= MIN_ARTICLES  # with the two roundups: read in parallel


@pytest.fixture(scope="module")
def builds(content, tmp_path_factory) -> dict[str, Path]:
    """The content built with the speed layer on, off, and by plain Pelican."""
    out = tmp_path_factory.mktemp("pelican-builds")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        for name, overrides in (("on", {}), ("off", {"ROUNDUP_ACCELERATE": False})):
            build_site("pelicanconf.py", str(out / name), {"PATH": str(content), **overrides})
        settings = load_settings(
            "pelicanconf.py",
            {"PATH": str(content), "OUTPUT_PATH": str(out / "plain"), "PLUGINS": []},
        )
        Pelican(settings).run()
    finally:
        os.chdir(cwd)
    return {name: out / name for name in ("on", "off", "plain")}


def test_built_with_the_speed_layer_on_and_off_alike(builds):
    on = snapshot(builds["on"])
    assert len(on) > 100
    assert on == snapshot(builds["off"])


def article_pages(site: Path) -> set[str]:
    """Article pages and drafts (the year folders and drafts/), as written."""
    found = set()
    for path in site.rglob("*.html"):
        relative = path.relative_to(site).as_posix()
        first = relative.split("/", 1)[0]
        if first == "drafts" or (first.isdigit() and relative.count("/") == 3):
            found.add(relative)
    return found


def test_the_same_articles_are_published_drafted_hidden_and_skipped(builds):
    ours, plain = article_pages(builds["on"]), article_pages(builds["plain"])
    assert ours == plain
    assert any(page.startswith("drafts/") for page in ours)  # Status: draft
    assert "2024/06/skipped-article/index.html" not in ours  # Status: skip
    hidden = "2012/10/hidden-article/index.html"
    assert hidden in ours  # Status: hidden: written, not listed
    listed = (builds["on"] / "archives/index.html").read_text(encoding="utf-8")
    assert "hidden-article" not in listed and "Article with markdown and empty tags" in listed


def test_empty_tags_give_no_tags(builds):
    page = builds["on"] / "2012/11/article-with-markdown-and-empty-tags/index.html"
    text = page.read_text(encoding="utf-8")
    assert 'href="../../../tags/' not in text.split("<article", 1)[1].split("</article>")[0]
