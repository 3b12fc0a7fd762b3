"""The speed layer: the same site, byte for byte, and every private override pinned.

``ROUNDUP_ACCELERATE = False`` builds the reference site with Pelican's
public extension points only; with the speed layer on, or any one of its
mechanisms off (what ``invoke bench --ablate`` measures), the site must be
the same, search index included, in a full build and in a cached rebuild.

Each private part of Pelican the speed layer relies on has a test here that
fails if the speed layer's code stops running on the pinned versions (an
upstream rename would otherwise disable it silently), beside the tests that
its output equals the plugin's alone.
"""

from __future__ import annotations

import inspect
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from pelican import readers as pelican_readers
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, CachingGenerator
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import Writer

from bench.corpus import edit_article, write_corpus
from conftest import ROOT, add_sentence, build, noting
from roundup.accel import MECHANISMS, articlecache, periods
from roundup.accel import reader as accel_reader
from roundup.accel.outputlinks import LinkingWriter, OutputLinks
from roundup.accel.readahead import AheadReader, read_ahead
from roundup.glossary.registry import Registry
from roundup.site.reader import RoundupReader

OFF = {"ROUNDUP_ACCELERATE": False}
ACCEL = ROOT / "plugins" / "roundup" / "accel"


def test_the_shipped_site_is_the_same_with_the_speed_layer_off(content, tmp_path):
    on = build(content, tmp_path / "on")
    assert any(name.startswith("pagefind/2024/") for name in on) and len(on) > 100
    assert build(content, tmp_path / "off", **OFF) == on


@pytest.mark.parametrize("mode", ["on", "off"])
def test_a_cached_rebuild_with_search_equals_a_clean_build(content, tmp_path, mode):
    overrides = OFF if mode == "off" else {}
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(content, site, cache, **overrides)
    add_sentence(content)
    rebuilt = build(content, site, cache, **overrides)
    assert rebuilt == build(content, tmp_path / "clean", **OFF)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A small synthetic corpus (bench/corpus.py): every kind of page, read in parallel."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(str(folder), articles=14, entities=30, seed=5)
    return folder / "content"


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict[str, dict[str, str]]:
    """The corpus built by the plugin alone: as is, and after an edit."""
    out = tmp_path_factory.mktemp("reference")
    first = build(corpus, out / "first", **OFF)
    edited = tmp_path_factory.mktemp("edited") / "content"
    shutil.copytree(corpus, edited)
    edit_article(str(sorted((edited / "articles").iterdir())[3]), 1)
    return {"first": first, "edited": build(edited, out / "edited", **OFF)}


@pytest.mark.parametrize("off", ["", *MECHANISMS])
def test_every_mechanism_alone_off_gives_the_same_site(corpus, reference, tmp_path, off):
    """The speed layer, then each of its mechanisms off in turn (as the bench's
    ablation runs them): a full build, and a cached rebuild after an edit."""
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    overrides = {"ROUNDUP_ACCEL_OFF": [off] if off else []}
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(content, site, cache, **overrides) == reference["first"]
    edit_article(str(sorted((content / "articles").iterdir())[3]), 1)
    assert build(content, site, cache, **overrides) == reference["edited"]


def test_every_mechanism_is_switched_where_it_runs():
    """Each name of MECHANISMS is asked for by the code, and only those are."""
    source = "\n".join(path.read_text(encoding="utf-8") for path in ACCEL.glob("*.py"))
    asked = set(re.findall(r"active\([^,()]+, \"(\w+)\"\)", source))
    assert asked == set(MECHANISMS)


# Pins: each private part of Pelican (or Python-Markdown) the speed layer uses.


def test_pin_reader_privates_run_and_read_as_pelicans(tmp_path):
    """The speed layer's reader makes a gated Markdown per file through
    MarkdownReader's ``_md`` and ``_parse_metadata``: its ``read`` runs (not
    Pelican's), and gives what the plugin's reader gives, file after file."""
    from markdown.treeprocessors import InlineProcessor

    assert "_parse_metadata" in vars(MarkdownReader)
    assert "self._md = Markdown(" in inspect.getsource(MarkdownReader.read)
    settings = {**DEFAULT_CONFIG, "MARKDOWN": {"extensions": ["markdown.extensions.extra"]}}
    files = sorted((ROOT / "content").rglob("*.md")) + sorted(
        (Path(pelican_readers.__file__).parent / "tests/content").glob("*.md")
    )
    ours = accel_reader.RoundupReader(settings, Registry())
    plugin = RoundupReader(settings, Registry())
    instances = []  # kept alive, so no two share an id
    for path in files:
        got, expected = ours.read(str(path)), plugin.read(str(path))
        assert got[0] == expected[0], path
        assert {k: v for k, v in got[1].items() if k != "roundup"} == {
            k: v for k, v in expected[1].items() if k != "roundup"
        }, path
        inline = ours._md.treeprocessors["inline"]
        assert type(inline) is not InlineProcessor  # the gated one: this read ran
        instances.append(ours._md)
    assert len({id(md) for md in instances}) == len(files)  # one per file, as in Pelican


def test_pin_the_discard_marker_is_dropped_by_workers(tmp_path):
    """Pelican drops metadata a processor discards (an empty ``Tags:``) by
    identity with ``_DISCARD``; read-ahead workers drop it before sending."""
    assert pelican_readers._filter_discardable_metadata({"tags": pelican_readers._DISCARD}) == {}
    paths = []
    for n in range(3):
        path = tmp_path / f"a{n}.md"
        path.write_text(f"Title: A{n}\nDate: 2024-01-0{n + 1}\nTags:\n\nText.\n")
        paths.append(str(path))
    settings = {**DEFAULT_CONFIG, "MARKDOWN": {"extensions": []}}
    reader = AheadReader(settings, Registry())
    options = {"settings": settings, "registry": Registry(), "workers": 2}
    read_ahead(reader, paths, {}, {**options, "packed": False, "heap": False})
    assert set(reader.ahead) == set(paths)
    for _content, metadata in reader.ahead.values():
        assert "tags" not in metadata


def test_pin_period_archives_are_grouped_by_the_speed_layer(content, tmp_path, monkeypatch):
    """Pelican's ``_build_period_archives`` is replaced on the generator and runs."""
    assert "_build_period_archives" in vars(ArticlesGenerator)
    signature = inspect.signature(ArticlesGenerator._build_period_archives)
    assert list(signature.parameters) == ["self", "sorted_articles", "articles", "settings"]
    called = noting(monkeypatch, periods, "period_archives", lambda *a: True)
    build(content, tmp_path / "site")
    assert called


def test_pin_the_article_cache_replaces_pelicans_cache_methods(content, tmp_path, monkeypatch):
    """Pelican asks its generator's ``get_cached_data`` for every article, and
    ``cache_data``/``save_cache`` keep them: the article store's run."""
    for name in ("get_cached_data", "cache_data", "save_cache"):
        assert callable(getattr(CachingGenerator, name))
    source = inspect.getsource(ArticlesGenerator.generate_context)
    assert "self.get_cached_data(f, None)" in source and "self.cache_data(f, article)" in source
    asked = noting(monkeypatch, articlecache.ArticleStore, "get", lambda self, name, *a: name)
    kept = noting(monkeypatch, articlecache.ArticleStore, "put", lambda self, name, *a: name)
    build(content, tmp_path / "site", tmp_path / "cache")
    assert len(kept) == 2  # each article asked for once by Pelican, then kept
    assert Counter(asked) == Counter(dict.fromkeys(kept, 1))


def test_pin_a_linked_file_is_released_before_pelican_writes_it(tmp_path):
    """Pelican opens every output file through ``Writer._open_w``; the speed
    layer's writer unlinks a file linked from the old site first, so the old
    site is never written through, and a second write without
    ``override_output`` fails as Pelican's does."""
    assert "_open_w" in vars(Writer)
    assert list(inspect.signature(Writer._open_w).parameters) == [
        "self",
        "filename",
        "encoding",
        "override",
    ]
    old, new, store = tmp_path / "old", tmp_path / "new", tmp_path / "store"
    (old / "a").mkdir(parents=True)
    (old / "a/index.html").write_text("old page")
    earlier = OutputLinks(str(store), None, True, True)
    earlier.record("a/index.html", "key", "stored", str(old / "a/index.html"))
    earlier.save()

    class Linking(LinkingWriter, Writer):
        pass

    writer = Linking(str(new), settings={**DEFAULT_CONFIG, "OUTPUT_PATH": str(new)})
    writer.links = OutputLinks(str(store), str(old), True, True)
    writer.store = type("Store", (), {"used": set()})()
    assert writer._linked("a/index.html", "key", False) == str(new / "a/index.html")
    assert (new / "a/index.html").stat().st_ino == (old / "a/index.html").stat().st_ino
    with pytest.raises(RuntimeError, match="already written"):  # Pelican's own check
        writer._open_w(str(new / "a/index.html"), "utf-8")
    assert (old / "a/index.html").read_text() == "old page"
    with writer._open_w(str(new / "a/index.html"), "utf-8", override=True) as handle:
        handle.write("new page")
    assert (old / "a/index.html").read_text() == "old page"
    assert (new / "a/index.html").read_text() == "new page"
    assert writer._linked("b/index.html", "key", True) is None  # may overwrite: never linked


def test_pin_the_gated_inline_step_runs_in_markdowns_place(monkeypatch):
    """Python-Markdown's ``InlineProcessor.run`` calls its name-mangled
    ``__handleInline``; the gated processor's method of that name runs."""
    from markdown.treeprocessors import InlineProcessor

    from roundup.accel.inline import GatedInlineProcessor, gated_markdown

    assert "_InlineProcessor__handleInline" in vars(InlineProcessor)
    assert "self.__handleInline(" in inspect.getsource(InlineProcessor)
    ran = noting(monkeypatch, GatedInlineProcessor, "_InlineProcessor__handleInline", lambda *a: 1)
    html = gated_markdown({"extensions": ["extra"]}).convert("A *b* [c](u) `d`.")
    assert ran and html == '<p>A <em>b</em> <a href="u">c</a> <code>d</code>.</p>'


def test_pin_memoised_copies_live_where_the_speed_layer_releases_them():
    assert isinstance(Content.__dict__["get_content"].cache, dict)
    assert isinstance(Content.__dict__["get_summary"].cache, dict)


def test_pin_articles_are_made_lean_where_pelican_builds_their_link(content, tmp_path):
    """``LeanArticle._link_replacer`` and ``get_static_links`` override
    Pelican's methods of those names, which ``get_content`` and the generator
    call."""
    assert "_link_replacer" in vars(Content) and "get_static_links" in vars(Content)
    assert "_link_replacer" in inspect.getsource(Content._update_content)
    assert "add_static_links" in inspect.getsource(ArticlesGenerator.generate_context)
