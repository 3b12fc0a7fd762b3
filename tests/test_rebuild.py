"""The edit loop: a cached rebuild after an edit equals a clean build, byte for byte.

With the content cache on and the speed layer off, articles come from
Pelican's own content cache (its reader layer). With the speed layer, whole
articles come from its article cache (``roundup.accel.articlecache``), pages
whose inputs did not change from its page cache (``roundup.accel.pagecache``),
articles are read in worker processes (``roundup.accel.readahead``) and
unchanged files are linked from the site being replaced
(``roundup.accel.outputlinks``). None of that may change a single byte of the
site, nor touch the old one.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from pelican.contents import Article, Content
from pelican.readers import Readers
from pelican.settings import DEFAULT_CONFIG

from conftest import FUNDS_PAGE, ROOT, SKIP, SORA, SORA_PAGE, add_sentence, gone, noting, snapshot
from roundup import fingerprints
from roundup.accel import pagekeys
from roundup.accel.articlecache import FOLDER
from roundup.accel.outputlinks import OutputLinks
from roundup.accel.pagecache import PageCacheWriter, _CachedTemplate
from roundup.accel.prerender import Prerender
from roundup.build import BuildError, build_site
from roundup.glossary import export
from roundup.glossary import facts as glossary
from roundup.site.entities import EntityGenerator
from roundup.site.jobs import Feed
from roundup.site.reader import RoundupReader
from roundup.swap import replaced_sites

sys.path.insert(0, str(ROOT))
from bench.corpus import edit_article, write_corpus

MODES = {"accelerated": {}, "plugin alone": {"ROUNDUP_ACCELERATE": False}}


def build(content: Path, out: Path, cache: Path | None = None, **overrides) -> None:
    caching = {"LOAD_CONTENT_CACHE": bool(cache), "CACHE_CONTENT": bool(cache)}
    if cache:
        caching["CACHE_PATH"] = str(cache)
    settings = {"PATH": str(content), **caching, **overrides}
    build_site("pelicanconf.py", str(out), settings, search=False)


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Names of the templates rendered (pages not served from the page cache)."""
    return noting(monkeypatch, jinja2.Template, "render", lambda self, *a, **k: self.name)


def retitle(content: Path) -> None:
    path = content / SORA
    path.write_text(path.read_text().replace("Title: Why There", "Title: Why Are There", 1))


def retag(content: Path) -> None:
    path = content / SORA
    path.write_text(path.read_text().replace("Tags: AI,", "Tags: Robotics, AI,", 1))


def add_article(content: Path) -> None:
    text = (content / SORA).read_text().replace("Slug: why-so-few", "Slug: again-why-so-few")
    (content / "articles/2024-05-24-again.md").write_text(
        text.replace("Date: 2024-05-23", "Date: 2024-05-24")
    )


def remove_article(content: Path) -> None:
    (content / SORA).unlink()


def edit_entity(content: Path) -> None:
    path = content / "entities/nio.md"
    path.write_text(path.read_text().replace("Nio", "NIO", 3))


def add_translation(content: Path) -> None:
    text = (content / SORA).read_text().replace("Authors:", "Lang: zh\nAuthors:", 1)
    (content / "articles/2024-05-23-sora-zh.md").write_text(text)


EDITS: dict[str, Callable[[Path], None]] = {
    "body": add_sentence,
    "title": retitle,
    "tags": retag,
    "new article": add_article,
    "removed article": remove_article,
    "entity": edit_entity,
    "new translation": add_translation,
}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("edit", list(EDITS))
def test_cached_rebuild_after_an_edit_equals_a_clean_build(content, tmp_path, edit, mode):
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(content, site, cache, **MODES[mode])
    EDITS[edit](content)
    build(content, site, cache, **MODES[mode])
    build(content, tmp_path / "clean", ROUNDUP_ACCELERATE=False)
    rebuilt, clean = snapshot(site), snapshot(tmp_path / "clean")
    assert len(clean) > 50
    assert rebuilt == clean


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Articles read in the build process (with ``READ_PROCESSES=1``, all of them):
    the plugin's reader and the speed layer's end each reading in ``finish``."""
    return noting(monkeypatch, RoundupReader, "finish", lambda self, path, *_: path)


@pytest.fixture
def exported(monkeypatch) -> list[str]:
    """Entities whose line of the export was made (not found in the page store)."""
    return noting(monkeypatch, export, "entity_row", lambda entity, absolute: entity.slug)


def test_unchanged_pages_are_not_rendered_again(content, tmp_path, renders, reads, exported):
    cache = tmp_path / "cache"
    serial = {"RENDER_PROCESSES": 1}  # every render counted in this process
    build(content, tmp_path / "site", cache, **serial)
    first, first_lines = list(renders), list(exported)
    renders.clear()
    reads.clear()
    exported.clear()
    add_sentence(content)
    build(content, tmp_path / "site", cache, **serial)
    assert [Path(p).name for p in reads] == [Path(SORA).name]  # the rest from the cache
    (folder,) = cache.glob("v-*")  # the build's cache folder
    assert any((folder / FOLDER).iterdir())
    assert not list(folder.glob("*Generator*"))  # Pelican's own cache files are not written
    assert first.count("article.html") == 2 and renders.count("article.html") == 1
    # Only the entities the edited roundup mentions, of 36.
    assert 0 < renders.count("entity.html") < first.count("entity.html") / 2
    assert 0 < len(exported) < len(first_lines) / 2 and len(set(first_lines)) > 20
    assert len(renders) < len(first) / 2, renders
    assert any((folder / "roundup-pages").iterdir())


def test_related_entities_are_counted_again_only_after_a_change_to_them(
    content, tmp_path, monkeypatch
):
    counted = noting(monkeypatch, glossary, "related", lambda analyses, names, limit: limit)
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(content, site, cache)
    assert len(counted) == 1
    retitle(content)  # no article names other entities
    build(content, site, cache)
    assert len(counted) == 1
    edit_entity(content)  # an entity's name: ranks may change
    build(content, site, cache)
    add_article(content)  # one more article naming them
    build(content, site, cache)
    build(content, site, cache, ENTITY_RELATED_LIMIT=2)
    assert len(counted) == 4


SITE_ONLY = {"archives.html", "tags.html", "search.html", "404.html"}


def test_pages_showing_site_data_only_are_rendered_when_it_changes(content, tmp_path, renders):
    cache, serial = tmp_path / "cache", {"RENDER_PROCESSES": 1}
    build(content, tmp_path / "site", cache, **serial)
    assert SITE_ONLY | {"entities.html"} <= set(renders)
    renders.clear()
    build(content, tmp_path / "site", cache, **serial)  # nothing changed
    assert renders == ["extra/robots.txt"]  # a template page not listed: every build
    add_sentence(content)  # new mentions: the glossary index's counts change
    build(content, tmp_path / "site", cache, **serial)
    assert "entities.html" in renders and not SITE_ONLY & set(renders)
    renders.clear()
    retitle(content)  # what the archives and every page may show of an article
    build(content, tmp_path / "site", cache, **serial)
    assert set(renders) >= SITE_ONLY


def test_only_the_listed_templates_are_keyed_on_the_site_alone(content, tmp_path, renders):
    cache = tmp_path / "cache"
    listed = {"RENDER_PROCESSES": 1, "PAGE_CACHE_SITE_TEMPLATES": ["tags", "search", "404"]}
    build(content, tmp_path / "site", cache, **listed)
    renders.clear()
    build(content, tmp_path / "site", cache, **listed)
    assert sorted(renders) == ["archives.html", "extra/robots.txt"]


@pytest.fixture
def pelican_reads(monkeypatch) -> list[str]:
    """Articles and pages Pelican's readers were asked for (cached or not)."""

    def markdown(self, base_path, path, *args, **kwargs):
        return Path(path).name if path.endswith(".md") else SKIP

    return noting(monkeypatch, Readers, "read_file", markdown)


def test_cached_articles_keep_their_urls(content, tmp_path, monkeypatch):
    """URLs are frozen before Pelican saves its cache: a cached article's is not
    formatted from the settings again (the edited one's is)."""

    def article(self, *args, **kwargs):
        return self.source_path if isinstance(self, Article) else SKIP

    formatted = noting(monkeypatch, Content, "_expand_settings", article)
    cache = tmp_path / "cache"
    build(content, tmp_path / "site", cache, RENDER_PROCESSES=1)
    assert formatted
    formatted.clear()
    add_sentence(content)
    build(content, tmp_path / "site", cache, RENDER_PROCESSES=1)
    assert {Path(p).name for p in formatted} == {Path(SORA).name}


@pytest.mark.parametrize("mode", list(MODES))
def test_the_article_cache_skips_pelicans_reader_for_unchanged_files(
    content, tmp_path, pelican_reads, mode
):
    cache = tmp_path / "cache"
    build(content, tmp_path / "site", cache, **MODES[mode])
    everything = sorted(pelican_reads)
    pelican_reads.clear()
    add_sentence(content)
    build(content, tmp_path / "site", cache, **MODES[mode])
    assert len(everything) == 3  # two roundups and a page
    if mode == "accelerated":  # the edited file and the page; the rest whole cached objects
        assert sorted(pelican_reads) == sorted([Path(SORA).name, "about.md"])
    else:  # every file, its reader output from Pelican's cache
        assert sorted(pelican_reads) == everything


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("change", ["setting", "plugin code", "entity"])
def test_cached_articles_are_read_again_after_a_setting_code_or_entity_change(
    content, tmp_path, reads, monkeypatch, change, mode
):
    cache, serial = tmp_path / "cache", {"READ_PROCESSES": 1, **MODES[mode]}
    build(content, tmp_path / "site", cache, **serial)
    articles = len(reads)
    reads.clear()
    build(content, tmp_path / "site", cache, **serial)
    assert articles >= 2 and reads == []
    if change == "setting":
        serial["SUMMARY_MAX_LENGTH"] = 20
    elif change == "plugin code":
        monkeypatch.setattr(fingerprints, "code_digest", lambda plugins: "edited plugin")
    else:
        edit_entity(content)
    build(content, tmp_path / "site", cache, **serial)
    assert len(reads) == articles


def test_without_the_content_cache_every_page_is_rendered(content, tmp_path, renders):
    build(content, tmp_path / "a", RENDER_PROCESSES=1)
    first = len(renders)
    renders.clear()
    build(content, tmp_path / "b", RENDER_PROCESSES=1)
    assert len(renders) == first > 60
    assert not (tmp_path / "cache").exists()


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """Names of the templates Jinja compiled from source in this process."""

    def name(self, source, name=None, *args, **kwargs):
        return name

    return noting(monkeypatch, jinja2.Environment, "compile", name)


def test_templates_compile_once_for_each_configuration(content, tmp_path, compiles):
    """Compiled templates are kept with the content cache, under the settings
    that compiled them: a changed setting compiles again, with its own result."""
    cache, serial = tmp_path / "cache", {"RENDER_PROCESSES": 1}
    build(content, tmp_path / "site", cache, **serial)
    assert "article.html" in compiles
    compiles.clear()
    build(content, tmp_path / "site", cache, **serial)
    assert compiles == []
    build(content, tmp_path / "site", cache, SLIM_TEMPLATES=False, **serial)
    assert "article.html" in compiles
    build(content, tmp_path / "clean", SLIM_TEMPLATES=False)
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")
    compiles.clear()
    build(content, tmp_path / "site", cache, **serial)  # back: compiled before
    assert compiles == []
    assert snapshot(tmp_path / "site") != snapshot(tmp_path / "clean")


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    """A synthetic corpus big enough for pagination and parallel reading."""
    monkeypatch.chdir(ROOT)
    write_corpus(str(tmp_path / "corpus"), articles=24, entities=40, seed=3)
    return tmp_path / "corpus/content"


def test_parallel_and_cached_builds_equal_a_serial_clean_build(corpus, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(corpus, site, cache)  # read in worker processes
    edit_article(str(sorted((corpus / "articles").iterdir())[5]), 1)
    build(corpus, site, cache)
    build(corpus, tmp_path / "serial", READ_PROCESSES=1, RENDER_PROCESSES=1)
    serial = snapshot(tmp_path / "serial")
    assert len(serial) > 100
    assert snapshot(site) == serial


def test_entity_pages_are_rendered_ahead_by_workers(content, tmp_path, renders):
    build(content, tmp_path / "serial", RENDER_PROCESSES=1)
    serial = renders.count("entity.html")
    renders.clear()
    build(content, tmp_path / "ahead", RENDER_PROCESSES=3)
    assert serial == 36
    assert renders.count("entity.html") < serial  # the rest were rendered by workers
    assert snapshot(tmp_path / "ahead") == snapshot(tmp_path / "serial")


@pytest.fixture
def adopted(monkeypatch) -> list[str]:
    """Names the build process took over from render workers, linked ahead."""
    names: list[str] = []
    original = PageCacheWriter.adopt

    def recording(self, name, *args):
        path = original(self, name, *args)
        if path is not None:
            names.append(name)
        return path

    monkeypatch.setattr(PageCacheWriter, "adopt", recording)
    return names


@pytest.fixture
def feeds_made(monkeypatch) -> tuple[list[str], list[list[str]]]:
    """Entity feeds whose items the build process made (workers make their own),
    and the feeds of each task it rendered itself (taken beside the workers)."""
    made = noting(monkeypatch, EntityGenerator, "_feed_entries", lambda _, e: e.feed_url)

    def feeds(self, index: int) -> list[str]:
        return [job.path for job in self.tasks[index] if isinstance(job, Feed)]

    return made, noting(monkeypatch, Prerender, "render", feeds)


@pytest.mark.parametrize("edit", ["body", "title"])
def test_workers_link_unchanged_entity_pages_ahead(content, tmp_path, adopted, feeds_made, edit):
    """After a body edit workers link nearly every entity page and feed from the
    old site; after a title edit (every key changes) they render them all."""
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(content, site, cache, RENDER_PROCESSES=2)
    assert adopted == []  # nothing to link from
    before = inodes(site, "entities/xiaomi/index.html", "entities/xiaomi/atom.xml")
    EDITS[edit](content)
    for noted in feeds_made:
        noted.clear()
    build(content, site, cache, RENDER_PROCESSES=2)
    after = inodes(site, "entities/xiaomi/index.html", "entities/xiaomi/atom.xml")
    entities = [n for n in adopted if n.startswith("entities/")]
    if edit == "body":
        assert after == before and len(entities) == len(adopted) > 40
        assert "entities/xiaomi/index.html" in adopted
        # A feed only moved into place is not made by the build process, unless
        # it took the feed's task itself.
        made, taken = feeds_made
        adopted_feeds = {n for n in adopted if n.endswith("atom.xml")}
        assert len(adopted_feeds) > 20
        assert adopted_feeds & set(made) <= {path for paths in taken for path in paths}
    else:
        assert adopted == [] and after[0] != before[0]
    build(content, tmp_path / "clean")
    assert snapshot(site) == snapshot(tmp_path / "clean")


def inodes(site: Path, *pages: str) -> list[int]:
    return [(site / page).stat().st_ino for page in pages]


def test_unchanged_files_are_linked_from_the_site_they_replace(content, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(content, site, cache)
    edited = SORA_PAGE
    unchanged = [FUNDS_PAGE, "entities/xiaomi/index.html", "entities/xiaomi/atom.xml"]
    unchanged += ["tags/quantum/index.html", "feeds/tag-quantum.atom.xml"]  # a paginated page
    before = inodes(site, edited, *unchanged)
    add_sentence(content)
    build(content, site, cache)
    after = inodes(site, edited, *unchanged)
    assert after[0] != before[0]  # the edited roundup was written again
    assert after[1:] == before[1:]  # the rest is the same file, linked
    assert all(gone(Path(p)) for p in replaced_sites(str(site)))  # deleted in the background
    assert all((site / page).stat().st_nlink == 1 for page in unchanged)  # old site gone
    build(content, tmp_path / "clean")
    assert snapshot(site) == snapshot(tmp_path / "clean")


@pytest.mark.parametrize("tampered", [False, True])
def test_unchanged_paginated_lists_are_linked_whole(content, tmp_path, monkeypatch, tampered):
    """A tag list the edited roundup is not in is linked without Pelican
    paginating it (no page of it is keyed), unless a page of it changed in the
    old site; the edited roundup's are keyed page by page; the site equals a
    clean build."""

    def page(self, localcontext):
        return localcontext["output_file"]

    keyed = noting(monkeypatch, _CachedTemplate, "render", page)
    cache, site, serial = tmp_path / "cache", tmp_path / "site", {"RENDER_PROCESSES": 1}
    build(content, site, cache, **serial)
    assert {"tags/quantum/index.html", "tags/trade/index.html"} <= set(keyed)
    before = inodes(site, "tags/quantum/index.html")
    if tampered:  # by hand, say: the old file is not what was recorded
        with (site / "tags/quantum/index.html").open("a", encoding="utf-8") as page:
            page.write("\n")
    keyed.clear()
    add_sentence(content)  # the roundup tagged Trade, not Quantum
    build(content, site, cache, **serial)
    assert "tags/trade/index.html" in keyed
    quantum = [page for page in keyed if page.startswith("tags/quantum/")]
    assert quantum == (["tags/quantum/index.html"] if tampered else [])
    assert (inodes(site, "tags/quantum/index.html") == before) is not tampered
    build(content, tmp_path / "clean")
    assert snapshot(site) == snapshot(tmp_path / "clean")


def test_a_list_not_linked_whole_after_all_is_written_page_by_page(content, tmp_path, monkeypatch):
    """The index's second page was changed in the old site: its first page,
    linked as part of the whole list, is taken back, and the list goes page by
    page, from the page store; the site equals a clean build."""

    def page(self, localcontext):
        return localcontext["output_file"]

    keyed = noting(monkeypatch, _CachedTemplate, "render", page)
    cache, site = tmp_path / "cache", tmp_path / "site"
    settings = {"RENDER_PROCESSES": 1, "DEFAULT_PAGINATION": 1}
    build(content, site, cache, **settings)
    pages = ["index.html", "page/2/index.html"]
    assert set(pages) <= set(keyed)
    before = inodes(site, *pages)
    with (site / pages[1]).open("a", encoding="utf-8") as second:
        second.write("\n")
    keyed.clear()
    build(content, site, cache, **settings)  # nothing else changed
    assert [p for p in keyed if p in pages] == pages
    after = inodes(site, *pages)
    assert after[0] != before[0] and after[1] != before[1]
    build(content, tmp_path / "clean", **settings)
    assert snapshot(site) == snapshot(tmp_path / "clean")


def test_a_failed_build_leaves_the_site_and_its_linked_files_untouched(content, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(content, site, cache)
    add_sentence(content)
    build(content, site, cache)  # now most files are linked from the first build
    before, numbers = snapshot(site), inodes(site, FUNDS_PAGE)
    path = content / SORA
    path.write_text(path.read_text().replace("Tags:", "Entities: no-such-entity\nTags:", 1))
    with pytest.raises(BuildError):
        build(content, site, cache)
    assert snapshot(site) == before and inodes(site, FUNDS_PAGE) == numbers
    assert gc.get_freeze_count() == 0  # nothing kept from the collector after a failure
    hidden = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert hidden == [f".{site.name}.lock"]  # the lock stays (roundup.swap)


def test_a_linked_file_is_never_written_through(tmp_path):
    old, new, store = tmp_path / "old", tmp_path / "new", tmp_path / "store"
    (old / "a").mkdir(parents=True)
    (old / "a/index.html").write_text("old page")
    earlier = OutputLinks(str(store), None, True, True)
    earlier.record("a/index.html", "key", "stored", str(old / "a/index.html"))
    earlier.save()
    links = OutputLinks(str(store), str(old), True, True)
    target = str(new / "a/index.html")
    assert links.link("a/index.html", "other key", target) is None  # inputs changed
    assert links.link("a/index.html", "key", target) == "stored"
    assert (new / "a/index.html").stat().st_ino == (old / "a/index.html").stat().st_ino
    links.release(target)  # before anything writes that name again
    (new / "a/index.html").write_text("new page")
    assert (old / "a/index.html").read_text() == "old page"
    (old / "a/index.html").write_text("edited by hand")  # size and mtime change
    again = OutputLinks(str(store), str(old), True, True)
    assert again.link("a/index.html", "key", str(tmp_path / "x/index.html")) is None


def test_code_digest_names_the_code_this_process_runs(tmp_path, monkeypatch):
    """An edit to a loaded plugin changes the digest for new processes only."""
    (tmp_path / "probe_plugin").mkdir()
    source = tmp_path / "probe_plugin/__init__.py"
    source.write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "probe_plugin", raising=False)
    __import__("probe_plugin")
    before = fingerprints.code_digest(["probe_plugin"])
    source.write_text("VALUE = 2\n")
    assert fingerprints.code_digest(["probe_plugin"]) == before  # still running VALUE = 1
    fresh = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path), str(ROOT / "plugins")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert fresh.stdout.strip() not in ("", before)


PROBE = """
import sys
sys.path[:0] = sys.argv[1:]
import probe_plugin
from roundup.fingerprints import code_digest
print(code_digest(["probe_plugin"]))
"""


def test_a_list_is_summarised_as_its_items_are(tmp_path):
    (tmp_path / "a.md").write_text("text")
    (tmp_path / "b.md").write_text("other text")
    prints = pagekeys.Fingerprints({}, {"PLUGINS": [], "THEME": str(tmp_path)})
    a, b = (
        Content("", settings={**DEFAULT_CONFIG}, source_path=str(tmp_path / name))
        for name in ("a.md", "b.md")
    )
    mixed = [a, None, "text", 3, a]
    assert prints.of_all(mixed) == tuple(map(prints.of, mixed))  # some never summarised
    assert prints.of_all([b, a]) == (prints.of(b), prints.of(a)) and prints.of(a) != prints.of(b)
    assert prints.of_all(x for x in [a, b]) == (prints.of(a), prints.of(b))
    assert prints.order([a, SimpleNamespace()]) == (a.source_path, None)
    with pytest.raises(pagekeys.UncacheableError):
        prints.of_all([a, SimpleNamespace()])


def test_digests_learned_from_a_worker_are_used_as_made_here(tmp_path):
    """What a render worker made of an entity (sent back with its task) spares
    the build process making it again, and never replaces what it made itself."""
    (tmp_path / "a.md").write_text("text")
    prints = pagekeys.Fingerprints({}, {"PLUGINS": [], "THEME": str(tmp_path)})
    entity = SimpleNamespace()  # summarised here, it would raise UncacheableError
    assert prints.known(entity) is None
    prints.learn(entity, "made by a worker")
    assert prints.known(entity) == prints.of(entity) == "made by a worker"
    content = Content("", settings={**DEFAULT_CONFIG}, source_path=str(tmp_path / "a.md"))
    made = prints.of(content)
    prints.learn(content, "made by a worker")
    assert prints.of(content) == made and len(made) == 32
