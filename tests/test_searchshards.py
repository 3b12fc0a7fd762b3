"""The search index in bundles: grouping, digests, bundles, the site build's index."""

from __future__ import annotations

import errno
import json
import logging
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FUNDS_PAGE, add_sentence, snapshot
from roundup.accel.searchahead import SearchAhead, previous_bundles
from roundup.build import build_site
from roundup.search import pages as searchpages
from roundup.search.pages import indexed_bytes, shard_of
from roundup.search.shards import (
    FORMAT,
    LOW_ROOM,
    SearchIndexError,
    check_written,
    index_site,
    plan,
    primary_of,
)
from searchsite import PAGES, fresh_index, nio, page, write_site

cut = indexed_bytes  # the real one, for the counting stand-in


@pytest.mark.parametrize(
    ("page", "shard"),
    [
        ("2024/05/why/index.html", "2024"),
        ("2015/index.html", "2015"),
        ("entities/nio/index.html", "site"),
        ("about/index.html", "site"),
        ("index.html", "site"),
        ("2024.html", "site"),
        ("20245/x/index.html", "site"),
        ("y2024/x/index.html", "site"),
    ],
)
def test_pages_are_grouped_by_year_folder(page, shard):
    assert shard_of(page) == shard


@pytest.mark.parametrize(
    ("names", "primary"),
    [(["2015", "2016", "site"], "site"), (["2016", "2015"], "2015"), (["site"], "site")],
)
def test_primary_bundle_is_site_or_the_first_group(names, primary):
    assert primary_of(names) == primary


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        (
            b"<p>a</p><section class=x data-pagefind-ignore><p>b</p></section><p>c</p>",
            b"<p>a</p><p>c</p>",
        ),
        (b"<div data-pagefind-ignore><div>b</div><div>c</div></div><p>d</p>", b"<p>d</p>"),
        (b'<div data-pagefind-ignore="all"><DIV>b</DIV></div>d', b"d"),
        (
            b"<ul data-pagefind-ignore><li>a</li></ul><ol data-pagefind-ignore><li>b</li></ol>e",
            b"e",
        ),
        # Nested ignored elements go with the outer one.
        (b"<div data-pagefind-ignore><p data-pagefind-ignore>b</p></div>c", b"c"),
        # Filters, metadata and sort keys are read inside ignored elements: kept.
        (
            b'<ul data-pagefind-ignore><li data-pagefind-filter="entity">Nio</li></ul>',
            b'<ul data-pagefind-ignore><li data-pagefind-filter="entity">Nio</li></ul>',
        ),
        (
            b"<div data-pagefind-ignore><span data-pagefind-meta=date>1</span></div>",
            b"<div data-pagefind-ignore><span data-pagefind-meta=date>1</span></div>",
        ),
        # An element whose end cannot be found: nothing from it on is cut.
        (b"<div data-pagefind-ignore>a<div>b</div>", b"<div data-pagefind-ignore>a<div>b</div>"),
        (
            b"<img data-pagefind-ignore src=x><p data-pagefind-ignore>a</p>",
            b"<img data-pagefind-ignore src=x><p data-pagefind-ignore>a</p>",
        ),
        # The attribute named in text or another attribute's name is no marker.
        (b"<p>data-pagefind-ignore</p>", b"<p>data-pagefind-ignore</p>"),
        (b"<p data-pagefind-ignored>a</p>", b"<p data-pagefind-ignored>a</p>"),
    ],
)
def test_ignored_elements_do_not_count(html, kept):
    assert indexed_bytes(html) == kept


def test_groups_list_only_marked_pages_with_the_primary_first(tmp_path):
    shards = plan(write_site(tmp_path / "site", PAGES))
    assert [(s.name, s.path, s.pages) for s in shards] == [
        ("site", "", ("entities/nio/index.html",)),
        ("2015", "2015/", ("2015/01/a/index.html", "2015/02/b/index.html")),
        ("2016", "2016/", ("2016/03/c/index.html",)),
    ]


@pytest.mark.parametrize(
    ("include", "groups"),
    [
        (
            None,
            {"site": ["entities/nio/index.html", "index.html"], "2015": ["2015/01/a/index.html"]},
        ),
        (lambda group: group != "site", {"2015": ["2015/01/a/index.html"]}),
        (lambda group: group == "site", {"site": ["entities/nio/index.html", "index.html"]}),
    ],
)
def test_the_walk_leaves_out_the_bundle_other_groups_and_linked_folders(tmp_path, include, groups):
    marked = page("Marked", "x")
    site = write_site(
        tmp_path / "site",
        {
            "index.html": marked,
            "entities/nio/index.html": marked,
            "2015/01/a/index.html": marked,
            "2015/01/b/index.html": page("Unmarked", "x", marked=False),
            "2015/notes.txt": marked,
            "pagefind/fragment/x.html": marked,  # the bundle itself
        },
    )
    (site / "mirror").symlink_to(site / "entities", target_is_directory=True)
    found = searchpages.indexable_pages(site, include=include)
    assert {name: list(pages) for name, pages in found.items()} == groups


@pytest.mark.parametrize("include", [None, lambda group: group != "site"])
def test_a_whole_walk_leaves_the_memo_with_the_sites_pages_only(tmp_path, include):
    site = write_site(tmp_path / "site", PAGES)
    known = {"2015/09/gone/index.html": ((1, 2, 3), b"x"), "old.html": ((1, 2, 3), None)}
    searchpages.indexable_pages(site, known, include)
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    wanted = [p for p in pages if include is None or include(searchpages.shard_of(p))]
    assert set(wanted) <= known.keys()
    if include is None:  # a partial walk cannot tell what is gone
        assert known.keys() == pages
    else:
        assert {"2015/09/gone/index.html", "old.html"} <= known.keys()


def test_a_site_without_marked_pages_is_an_error(tmp_path):
    site = write_site(tmp_path / "site", {"index.html": page("Home", "x", marked=False)})
    with pytest.raises(SearchIndexError, match="data-pagefind-body"):
        plan(site)


def test_bundles_and_manifest(tmp_path):
    bundle = fresh_index(tmp_path, "site", PAGES)
    manifest = json.loads((bundle / "shards.json").read_text(encoding="utf-8"))
    assert manifest["format"] == FORMAT
    assert [(s["name"], s["path"]) for s in manifest["shards"]] == [
        ("site", ""),
        ("2015", "2015/"),
        ("2016", "2016/"),
    ]
    assert (bundle / "pagefind-ui.js").is_file() and (bundle / "wasm.en.pagefind").is_file()
    for year, count in (("2015", 2), ("2016", 1)):
        entry = json.loads((bundle / year / "pagefind-entry.json").read_bytes())
        assert entry["languages"]["en"]["page_count"] == count
        # Merged bundles share the primary's scripts and WebAssembly.
        assert not list((bundle / year).glob("*.js")) and not list((bundle / year).glob("wasm.*"))
    entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
    assert entry["languages"]["en"]["page_count"] == 1


EDITS = {
    "one year": ({"2016/03/c/index.html": page("Video models", "Shengshu ships two.")}, ["2016"]),
    "primary": ({"entities/nio/index.html": page("Nio", "Carmaker.")}, ["site"]),
    "new year": ({"2017/01/d/index.html": page("Robots", "Unitree robots.")}, ["2017"]),
    "unmarked page": ({"index.html": page("Home", "Other roundups.", marked=False)}, []),
    "ignored part": ({"entities/nio/index.html": nio("<li>Swapping</li><li>Chips</li>")}, []),
    "ignored filter": (
        {"entities/nio/index.html": nio('<li data-pagefind-filter="type">company</li>')},
        ["site"],
    ),
    "nothing": ({}, []),
}


def kept_from(old: Path, new: Path) -> SearchAhead:
    """The speed layer's bundle source, with nothing started ahead: it keeps
    the bundles of ``old`` made from the same pages."""
    return SearchAhead(str(new), str(old))


@pytest.mark.parametrize("edit", list(EDITS))
def test_only_changed_groups_are_indexed_again(tmp_path, edit):
    changes, expected = EDITS[edit]
    old = write_site(tmp_path / "old", PAGES)
    index_site(old)
    new = write_site(tmp_path / "new", {**PAGES, **changes})
    with kept_from(old, new) as source:
        report = index_site(new, source=source)
    assert list(report.indexed) == expected
    assert sorted(report.indexed + report.given) == sorted(s.name for s in plan(new))
    assert snapshot(new / "pagefind") == snapshot(
        fresh_index(tmp_path, "clean", {**PAGES, **changes})
    )


def test_a_group_that_is_gone_leaves_no_bundle_behind(tmp_path):
    old = write_site(tmp_path / "old", PAGES)
    index_site(old)
    pages = {k: v for k, v in PAGES.items() if not k.startswith("2016/")}
    new = write_site(tmp_path / "new", pages)
    with kept_from(old, new) as source:
        report = index_site(new, source=source)
    assert report.indexed == () and not (new / "pagefind/2016").exists()
    assert snapshot(new / "pagefind") == snapshot(fresh_index(tmp_path, "clean", pages))


@pytest.mark.parametrize(
    "manifest",
    [None, "not json", json.dumps({"format": FORMAT + 1, "shards": []})],
)
def test_an_unknown_previous_index_is_not_reused(tmp_path, manifest):
    folder = tmp_path / "old" / "pagefind"
    folder.mkdir(parents=True)
    if manifest is not None:
        (folder / "shards.json").write_text(manifest, encoding="utf-8")
    assert previous_bundles(tmp_path / "old") == {}
    assert previous_bundles(None) == {}


def test_a_bundle_missing_from_the_previous_site_is_indexed_again(tmp_path):
    old = write_site(tmp_path / "old", PAGES)
    index_site(old)
    shutil.rmtree(old / "pagefind/2015")
    new = write_site(tmp_path / "new", PAGES)
    with kept_from(old, new) as source:
        assert index_site(new, source=source).indexed == ("2015",)


def extend_about(content: Path) -> None:
    about = content / "pages/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA new closing line.\n")


def pages_read(monkeypatch) -> set[str]:
    """Pages the search planner reads (rather than knows by size, inode and mtime)."""
    read, calls = set(), []
    digest = searchpages._page_digest

    def recording(path, page, known):
        before = len(calls)
        result = digest(path, page, known)
        if len(calls) > before:
            read.add(page)
        return result

    monkeypatch.setattr(searchpages, "indexed_bytes", lambda html: calls.append(1) or cut(html))
    monkeypatch.setattr(searchpages, "_page_digest", recording)
    return read


@pytest.mark.parametrize("cached", [False, True])
@pytest.mark.parametrize(("edit", "made"), [(add_sentence, "2024"), (extend_about, "site")])
def test_rebuilt_site_with_search_equals_a_clean_build(
    tmp_path, content, caplog, monkeypatch, edit, made, cached
):
    """``invoke build`` twice, with an edit between: one bundle is indexed again
    (while Pelican still writes the other pages: a year's, or the site
    group's before the entity export). With the content cache, unchanged
    pages are linked from the old site and not read again."""
    site, settings = tmp_path / "site", {"PATH": str(content)}
    if cached:
        settings |= {"LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True}
        settings["CACHE_PATH"] = str(tmp_path / "cache")
    build_site("pelicanconf.py", str(site), settings)
    before = (site / "entities/aisphere/index.html").read_bytes()
    edit(content)
    read = pages_read(monkeypatch)
    with caplog.at_level(logging.INFO, logger="roundup"):
        build_site("pelicanconf.py", str(site), settings)
    kept = ({"2024", "site"} - {made}).pop()
    assert (
        f"search index: 1 groups made while pages were written ({made}), 1 kept ({kept})"
        in caplog.messages
    )
    read = set(read)  # before plan() below reads every page again
    pages = {page for shard in plan(site) for page in shard.pages}
    assert (FUNDS_PAGE in read) is not cached and read <= pages
    assert len(read) < len(pages) if cached else read == pages
    changed = (site / "entities/aisphere/index.html").read_bytes() != before
    assert changed == (edit is add_sentence)
    build_site("pelicanconf.py", str(tmp_path / "clean"), {"PATH": str(content)})
    assert snapshot(site) == snapshot(tmp_path / "clean")


# Pagefind exits 0 when its writes fail; the bundle is checked instead.


def test_an_empty_file_in_a_bundle_is_a_search_error(tmp_path):
    (tmp_path / "fragment").mkdir()
    (tmp_path / "fragment" / "en_1.pf_fragment").write_bytes(b"\x1f\x8b")
    check_written(tmp_path, tmp_path / "pagefind")
    (tmp_path / "pagefind-entry.json").write_bytes(b"")
    with pytest.raises(SearchIndexError, match=r"empty file: pagefind-entry\.json"):
        check_written(tmp_path, tmp_path / "pagefind")


def test_a_bundle_on_a_full_disk_is_a_failed_write(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], check=True)
    try:
        (disk / "fragment").write_bytes(b"x" * (256 * 1024 - LOW_ROOM + 4096))
        with pytest.raises(OSError, match="No space left") as failure:
            check_written(disk, tmp_path / "pagefind")
        assert failure.value.errno == errno.ENOSPC
        assert failure.value.filename == str(tmp_path / "pagefind")
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
