"""Year groups indexed while the site is still being written: same bundles as afterwards."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from types import SimpleNamespace

import pytest

from conftest import FUNDS_PAGE, ROOT, SORA_PAGE, noting, snapshot
from roundup.accel.searchahead import SearchAhead
from roundup.build import BuildError, build_site
from roundup.search import shards as searchshards
from roundup.search.shards import index_site, plan, stage
from searchsite import PAGES, fresh_index, page, write_site

ARTICLES = {k: v for k, v in PAGES.items() if k[:4].isdigit()}
REST = {k: v for k, v in PAGES.items() if k not in ARTICLES}


def finish(ahead: SearchAhead) -> SimpleNamespace:
    """The site is complete: index it with ``ahead`` as the search generator
    does; which groups were indexed (here or ahead), made ahead, or kept."""
    index_site(ahead.site, source=ahead)
    ahead.close()
    names = [shard.name for shard in plan(ahead.site)]
    made = tuple(n for n in names if ahead.given.get(n) == "ahead")
    kept = tuple(n for n in names if ahead.given.get(n) == "kept")
    return SimpleNamespace(
        indexed=tuple(n for n in names if n not in kept), ahead=made, reused=kept
    )


def leftovers(folder):
    """Hidden files a build left beside its output, but its lock (kept: see roundup.swap)."""
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(".") and p.suffix != ".lock"
    )


def test_year_groups_started_ahead_give_the_same_index(tmp_path):
    site = write_site(tmp_path / "site", ARTICLES)
    with SearchAhead(str(site), None) as ahead:
        ahead.start()
        assert sorted(s.name for s in ahead.started) == ["2015", "2016"]
        write_site(site, REST)  # entity and site pages come later
        report = finish(ahead)
    assert report.ahead == ("2015", "2016")
    assert report.indexed == ("site", "2015", "2016")
    assert snapshot(site / "pagefind") == snapshot(fresh_index(tmp_path, "clean", PAGES))
    assert leftovers(tmp_path) == []


def test_the_site_group_started_once_its_pages_are_written_gives_the_same_index(tmp_path):
    site = write_site(tmp_path / "site", ARTICLES)
    with SearchAhead(str(site), None) as ahead:
        ahead.start()
        write_site(site, REST)
        ahead.start("site")
        assert sorted(s.name for s in ahead.started) == ["2015", "2016", "site"]
        ahead.start()  # every year group is started already: nothing more
        ahead.start("site")
        assert len(ahead.started) == 3
        report = finish(ahead)
    assert report.ahead == ("site", "2015", "2016") == report.indexed
    assert snapshot(site / "pagefind") == snapshot(fresh_index(tmp_path, "clean", PAGES))


def test_a_site_page_written_after_the_site_group_started_is_indexed_again(tmp_path):
    site = write_site(tmp_path / "site", PAGES)
    with SearchAhead(str(site), None) as ahead:
        ahead.start()
        ahead.start("site")
        later = {"about/index.html": page("About", "Who writes the roundup.")}
        write_site(site, later)
        report = finish(ahead)
    assert report.ahead == ("2015", "2016") and "site" in report.indexed
    final = {**PAGES, **later}
    assert snapshot(site / "pagefind") == snapshot(fresh_index(tmp_path, "clean", final))


def test_year_groups_started_ahead_use_one_thread_the_site_group_pagefinds_default(
    tmp_path, monkeypatch
):
    threads = {}
    run = subprocess.run

    def recording(command, *args, env=None, **kwargs):
        site = command[command.index("--site") + 1]
        threads[site.rsplit("/", 1)[-1]] = (env or os.environ).get("RAYON_NUM_THREADS")
        return run(command, *args, env=env, **kwargs)

    monkeypatch.setattr(searchshards.subprocess, "run", recording)
    monkeypatch.delenv("RAYON_NUM_THREADS", raising=False)
    site = write_site(tmp_path / "site", PAGES)
    with SearchAhead(str(site), None) as ahead:
        ahead.start()
        ahead.start("site")
        report = finish(ahead)
    assert threads == {"2015-pages": "1", "2016-pages": "1", "site-pages": None}
    assert report.ahead == ("site", "2015", "2016")


def test_staged_pages_are_links_to_the_sites_pages(tmp_path):
    site = write_site(tmp_path / "site", PAGES)
    (shard,) = [s for s in plan(site) if s.name == "2015"]
    staged = stage(site, shard, tmp_path / "work")
    assert sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*.html")) == [
        "2015/01/a/index.html",
        "2015/02/b/index.html",
    ]
    for name in shard.pages:
        assert (staged / name).stat().st_ino == (site / name).stat().st_ino


LATE = {
    "a page changed": {"2015/02/b/index.html": page("Chip exports", "Rules tighten again.")},
    "a page added": {"2016/09/e/index.html": page("Robots", "Unitree robots walk.")},
    "a page removed": {"2015/02/b/index.html": None},
}


@pytest.mark.parametrize("late", list(LATE))
def test_a_year_changed_after_the_start_is_indexed_again(tmp_path, late):
    changes = LATE[late]
    site = write_site(tmp_path / "site", ARTICLES)
    with SearchAhead(str(site), None) as ahead:
        ahead.start()
        write_site(site, {k: v for k, v in {**REST, **changes}.items() if v is not None})
        for name in (k for k, v in changes.items() if v is None):
            (site / name).unlink()
        report = finish(ahead)
    changed = next(iter(changes))[:4]
    assert changed not in report.ahead and changed in report.indexed
    final = {k: v for k, v in {**PAGES, **changes}.items() if v is not None}
    assert snapshot(site / "pagefind") == snapshot(fresh_index(tmp_path, "clean", final))


def test_a_reported_rewrite_is_read_again_even_if_its_stat_is_unchanged(tmp_path):
    """Same size, same inode, mtime within the clock's granularity: only the
    written-file report (Pelican's ``content_written``) reveals the change."""
    site = write_site(tmp_path / "site", PAGES)
    target = site / "2015/02/b/index.html"
    before = target.stat()
    with SearchAhead(str(site), None) as ahead:
        ahead.start()
        text = PAGES["2015/02/b/index.html"].replace("chips", "chip.")
        with open(target, "r+", encoding="utf-8") as handle:  # in place: same inode
            handle.write(text)
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert target.stat().st_size == before.st_size
        ahead.written(str(target))
        report = finish(ahead)
    assert report.ahead == ("2016",)
    final = {**PAGES, "2015/02/b/index.html": text}
    assert snapshot(site / "pagefind") == snapshot(fresh_index(tmp_path, "clean", final))


def test_without_a_site_group_the_first_year_becomes_the_primary(tmp_path):
    site = write_site(tmp_path / "site", ARTICLES)
    with SearchAhead(str(site), None) as ahead:
        ahead.start()
        report = finish(ahead)
    assert report.ahead == ("2016",)  # 2015 is the primary now: indexed with the UI
    assert (site / "pagefind/pagefind-ui.js").is_file()
    assert snapshot(site / "pagefind") == snapshot(fresh_index(tmp_path, "clean", ARTICLES))


def test_years_the_previous_site_has_are_not_started(tmp_path):
    old = write_site(tmp_path / "old", PAGES)
    index_site(old)
    changes = {"2016/03/c/index.html": page("Video models", "Shengshu ships two.")}
    site = write_site(tmp_path / "site", {**ARTICLES, **changes})
    with SearchAhead(str(site), str(old)) as ahead:
        ahead.start()
        assert [s.name for s in ahead.started] == ["2016"]
        write_site(site, REST)
        report = finish(ahead)
    assert report.indexed == ("2016",) and report.ahead == ("2016",)
    assert sorted(report.reused) == ["2015", "site"]
    final = {**PAGES, **changes}
    assert snapshot(site / "pagefind") == snapshot(fresh_index(tmp_path, "clean", final))


def test_leaving_without_finishing_removes_the_scratch_folder(tmp_path):
    site = write_site(tmp_path / "site", ARTICLES)
    with SearchAhead(str(site), None) as ahead:
        ahead.start()
        assert len(leftovers(site)) == 1
    assert leftovers(site) == []
    assert all(future.done() for future in ahead.started.values())
    assert not (site / "pagefind").exists()


def test_a_build_stopped_by_content_errors_starts_no_index(tmp_path, content, caplog):
    """Errors are found while reading: nothing is written, nothing indexed,
    and no scratch folder is left."""
    article = next((content / "articles").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nSee [para. 99].\n")
    with (
        caplog.at_level(logging.DEBUG, logger="roundup.accel.searchahead"),
        pytest.raises(BuildError),
    ):
        build_site("pelicanconf.py", str(tmp_path / "site"), {"PATH": str(content)})
    assert not [m for m in caplog.messages if "groups started ahead" in m]
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "site").exists()


def test_a_build_failing_while_writing_leaves_no_scratch_folder(tmp_path, content):
    """Indexing started ahead, then a template fails: nothing of it is left."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates/entity.html").write_text("{{ 1 / 0 }}")
    with pytest.raises(ZeroDivisionError):
        build_site(
            "pelicanconf.py",
            str(tmp_path / "site"),
            {"PATH": str(content), "THEME": str(theme), "RENDER_PROCESSES": 1},
        )
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "site").exists()


def test_indexing_starts_once_the_last_article_page_is_written(tmp_path, content, monkeypatch):
    """Not at the end of the articles generator's output step: its period
    archives, lists and feeds are written while the year groups are indexed."""

    def pages(self, group=None, overlay=None) -> set[str]:
        return {p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html")}

    seen = noting(monkeypatch, SearchAhead, "start", pages)
    build_site("pelicanconf.py", str(tmp_path / "site"), {"PATH": str(content)})
    first = seen[0]
    assert {SORA_PAGE, FUNDS_PAGE} <= first
    assert not any(page.startswith(("tags/", "2024/index.html")) for page in first)
    assert (tmp_path / "site/tags/index.html").is_file()


def test_the_site_group_is_indexed_once_the_entity_pages_are_in_place(
    tmp_path, content, monkeypatch, caplog
):
    """As soon as the render workers have made every entity page, from the
    files they wrote (before the build process puts them in place, writes the
    entity export, the digest hub and the sitemap); the index equals one made
    afterwards."""

    def note(self, group=None, overlay=None) -> tuple:
        files = {p.relative_to(self.site).as_posix() for p in self.site.rglob("*")}
        return group, files, dict(overlay or {})

    seen = noting(monkeypatch, SearchAhead, "start", note)
    site = tmp_path / "site"
    with caplog.at_level(logging.INFO, logger="roundup"):
        build_site("pelicanconf.py", str(site), {"PATH": str(content), "RENDER_PROCESSES": 3})
    (files, overlay), *later = [(f, o) for group, f, o in seen if group == "site"]
    entities = {f"entities/{p.stem}/index.html" for p in (content / "entities").glob("*.md")}
    assert set(overlay) == entities | {"entities/index.html"}  # the glossary index is not indexed
    assert not entities & files  # not in place yet
    assert all("/.roundup-prerender-" in path for path in overlay.values())  # rendered ahead
    assert "about/index.html" in files  # the pages generator's, written before
    assert not {"entities/entities.json", "sitemap.xml", "digest/index.html"} & files
    assert all(not o for _, o in later)  # once in place: planned already, nothing more
    # The years and the site group, all made while pages were written.
    assert "search index: 2 groups made while pages were written (site 2024), 0 kept ()" in (
        caplog.messages
    )
    after = tmp_path / "after"
    shutil.copytree(site, after, ignore=shutil.ignore_patterns("pagefind"))
    index_site(after)
    assert snapshot(site / "pagefind") == snapshot(after / "pagefind")


def test_each_year_is_indexed_once_its_article_pages_are_written(tmp_path, content, monkeypatch):
    """Pelican writes the newest roundups first: the newest year's group
    starts before older years' pages exist, and every group once the last
    article page is written. The index equals one made afterwards."""
    funds = content / "articles/2024-03-13-funds-pour-into-chinese-video-generation.md"
    older = funds.read_text(encoding="utf-8").replace("Date: 2024-03-13", "Date: 2023-03-13")
    older = older.replace("Slug: funds-pour-into-chinese-video-generation", "Slug: a-year-earlier")
    (content / "articles/2023-03-13-a-year-earlier.md").write_text(older, encoding="utf-8")
    earlier_page = "2023/03/a-year-earlier/index.html"

    def note(self, group=None, overlay=None) -> tuple:
        pages = {p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html")}
        return group, pages

    seen = noting(monkeypatch, SearchAhead, "start", note)
    site = tmp_path / "site"
    build_site("pelicanconf.py", str(site), {"PATH": str(content)})
    # The site group once the entity pages are rendered, and again (planned
    # already: nothing more) once they are in place.
    assert [group for group, _ in seen] == ["2024", None, None, "site", "site"]
    first, second = seen[0][1], seen[1][1]
    assert {SORA_PAGE, FUNDS_PAGE} <= first and earlier_page not in first
    assert earlier_page in second and not any(p.startswith("tags/") for p in second)
    assert (site / "pagefind/2023/pagefind-entry.json").is_file()
    after = tmp_path / "after"
    shutil.copytree(site, after, ignore=shutil.ignore_patterns("pagefind"))
    index_site(after)
    assert snapshot(site / "pagefind") == snapshot(after / "pagefind")
