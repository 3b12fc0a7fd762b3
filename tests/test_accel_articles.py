"""The speed layer's articles: packed bodies, frozen URLs, links resolved once,
whole articles cached one file each.

None of it may change a page (the byte-for-byte builds of ``test_accel.py``
cover that); these tests check that each mechanism runs, that memory is let
go, and that Pelican still sees an ordinary article.
"""

from __future__ import annotations

import copy
import datetime
import gc
import pickle
from pathlib import Path
from types import SimpleNamespace

import pytest
from pelican import signals
from pelican.contents import Article, Content, Page
from pelican.settings import DEFAULT_CONFIG

from roundup.accel.articlecache import attach
from roundup.accel.articles import (
    LINKS,
    LeanArticle,
    PackedText,
    freeze_urls,
    lighten,
    pack,
    release_all,
    unpack,
)
from roundup.accel.heap import growing, thaw
from roundup.build import build_site
from roundup.files import read_pickle
from roundup.glossary.jsonld import Deferred
from roundup.glossary.registry import Registry
from roundup.models import Mentions

BODY = (
    '<p id="para-1">Nio (蔚来) and <a href="{index}">the index</a> again.</p>\n' * 40
)  # long enough for compression to show; a CJK name makes Python store it wide


def settings_alone() -> dict:
    """Pelican's defaults; if another test registered the speed layer, its
    ``content_object_init`` handler leaves these articles to the test."""
    return {**copy.deepcopy(DEFAULT_CONFIG), "ROUNDUP_ACCEL_OFF": ["packed", "urls"]}


def make(kind=Article, body: str = BODY, packed: bool = True) -> Content:
    settings = settings_alone()
    metadata = {"title": "Tariffs", "date": datetime.datetime(2024, 5, 23), "slug": "tariffs"}
    content = kind(body, metadata=metadata, settings=settings, context={"localsiteurl": ""})
    lighten(content, packed)  # what content_object_init does with the speed layer on
    return content


@pytest.mark.parametrize("text", ["", "plain", "蔚来汽车 Nio", "emoji 🚗 and\nlines", BODY])
def test_pack_round_trip(text):
    assert unpack(pack(text)) == text


def test_an_article_keeps_its_body_packed_and_gives_it_back():
    article = make()
    assert type(article) is LeanArticle and isinstance(article, Article)
    assert "_content" not in vars(article)
    assert len(article.__dict__["_body"]) < len(BODY.encode()) / 5
    assert article._content == BODY
    expected = article._update_content(BODY, "../..")
    assert article.get_content("../..") == expected != BODY  # {index} resolved
    # Pelican's URL settings are the article's, not the subclass's.
    assert article.url == "tariffs.html" and article.save_as == "tariffs.html"


def test_without_packing_the_body_stays_text():
    article = make(packed=False)
    assert type(article) is LeanArticle and article.__dict__["_body"] == BODY
    assert article._content == BODY


def test_frozen_urls_are_made_once_and_are_not_overrides(monkeypatch):
    article = make()
    made = []
    original = Content._expand_settings

    def counting(self, key, klass=None):
        made.append(key)
        return original(self, key, klass)

    monkeypatch.setattr(Content, "_expand_settings", counting)
    freeze_urls([article])
    assert sorted(made) == ["save_as", "url"]
    made.clear()
    assert [article.url, article.save_as, article.url] == ["tariffs.html"] * 3
    assert made == []
    # Not Pelican's override_*: that would let the writer overwrite another file.
    assert not hasattr(article, "override_url") and not hasattr(article, "override_save_as")
    freeze_urls([article])
    assert made == []  # a cached article keeps what it had


LINKED = (
    '<a href="{filename}/entities/nio.md">Nio</a> <a href="{filename}/entities/nio.md#x">again</a>'
    ' <a href="{filename}/gone.md">gone</a> <a href="{filename}nearby.md">near</a>'
    ' <img src="{static}/logo.png">'
)


class Plain(Article):
    """Left as it is by the speed layer (it makes ``Article`` objects lean only)."""


def linked_pair():
    """The same body as a lean (URLs frozen) and as a plain article, in one context."""
    settings = settings_alone()
    context = {"localsiteurl": "", "generated_content": {}, "static_content": {}}
    metadata = {"title": "Nio", "slug": "nio"}
    nio = Page("<p>Nio</p>", metadata=metadata, settings=settings, context=context)
    nio.override_url = "entities/nio/"
    nearby = Page("<p>Near</p>", metadata={"title": "Near", "slug": "near"}, settings=settings)
    context["generated_content"].update({"entities/nio.md": nio, "nearby.md": nearby})
    pair = []
    for kind in (Article, Plain):
        metadata = {"title": "T", "slug": "t"}
        pair.append(kind(LINKED, metadata, settings, source_path="nearby.md", context=context))
    lighten(pair[0], True)
    freeze_urls(pair[:1])
    return context, *pair


def test_links_by_source_path_are_resolved_once_per_site_url(caplog, monkeypatch):
    context, lean, plain = linked_pair()
    for siteurl in ("", "https://example.com", ""):
        assert type(plain) is Plain and lean.get_content(siteurl) == plain.get_content(siteurl)
    assert '"/entities/nio/"' in lean.get_content("")
    assert '"https://example.com/entities/nio/#x"' in lean.get_content("https://example.com")
    assert '"/pages/near.html"' in lean.get_content("")  # relative: resolved by Pelican
    assert "Unable to find '/gone.md'" in caplog.text  # not resolved, so not remembered
    memo = context[LINKS]
    assert sorted({url for url, _ in memo}) == ["", "https://example.com"]
    assert {markup for _, markup in memo} == {
        '<a href="{filename}/entities/nio.md"',
        '<a href="{filename}/entities/nio.md#x"',
    }
    # The override runs: Pelican's replacer is asked again for unremembered links only.
    asked = []
    original = Article._link_replacer
    monkeypatch.setattr(
        Article,
        "_link_replacer",
        lambda self, s, m: asked.append(m.group(0)) or original(self, s, m),
    )
    Content.get_content.cache.clear()
    lean.get_content("")
    assert '<a href="{filename}/entities/nio.md"' not in asked and asked


@pytest.mark.parametrize(
    ("body", "links"),
    [
        (BODY, 0),  # an {index} link only
        ('<img src="{static}/images/chart.png"> and <a href="{attach}files/a.pdf">a</a>', 2),
        ('<a href="|static|/x.png">old style</a> static electricity', 1),
        ("<p>A static display, an attached note: no links.</p>", 0),
        (None, 0),
    ],
)
def test_static_links_are_pelicans(body, links):
    settings = settings_alone()
    metadata = {"title": "T", "slug": "t"}
    made = [kind(body, metadata, settings, source_path="a/b.md") for kind in (Article, Plain)]
    lighten(made[0], True)
    assert type(made[0]) is LeanArticle
    expected = made[1].get_static_links() if body else set()
    assert made[0].get_static_links() == expected and len(expected) == links


def test_other_content_is_left_alone():
    page = make(Page)
    assert type(page) is Page and vars(page)["_content"] == BODY


def test_a_body_handed_over_packed_is_not_packed_again():
    text = PackedText.of(pack(BODY))
    assert text == BODY
    article = make(body=text)
    assert article.__dict__["_body"] is text.packed


def test_an_article_with_no_body():
    article = make(body=None)
    assert article._content is None


def test_bodies_are_not_kept_per_site_url_and_equal_pelicans():
    """Pelican memoises every body it renders, per site URL, for the whole
    process; a packed article renders its body again instead (as Pelican's
    own ``get_content`` does the first time)."""
    article, plain = make(), make(Plain)
    for siteurl in ("", "../..", "https://example.org"):
        assert article.get_content(siteurl) == plain.get_content(siteurl)
    assert not any(key[0] is article for key in Content.get_content.cache)
    assert any(key[0] is plain for key in Content.get_content.cache)
    unpacked = make(packed=False)
    unpacked.get_content("")
    assert any(key[0] is unpacked for key in Content.get_content.cache)
    release_all()
    assert not Content.get_content.cache and not Content.get_summary.cache


def store_for(tmp_path: Path, settings: dict, context: dict, load=True, save=True):
    """An article store for a generator over ``tmp_path/content``."""
    (tmp_path / "content").mkdir(exist_ok=True)
    settings.update(CACHE_PATH=str(tmp_path / "cache"), LOAD_CONTENT_CACHE=load, CACHE_CONTENT=save)
    generator = SimpleNamespace(settings=settings, context=context, path=str(tmp_path / "content"))
    return generator, attach(generator, Registry(), heap=False)


def test_the_store_keeps_whole_articles_by_reference_to_the_build(tmp_path):
    """An article refers to this build's settings and context, and to no other
    article (translations are linked by every build)."""
    article, translation = make(), make()
    article.translations = [translation]
    (tmp_path / "content").mkdir()
    (tmp_path / "content/a.md").write_text("source")
    generator, store = store_for(tmp_path, article.settings, article._context)
    assert generator.get_cached_data == store.get and generator.cache_data == store.put
    generator.cache_data("a.md", article)
    generator.save_cache()
    later = dict(article.settings), {"localsiteurl": ""}
    _, loaded = store_for(tmp_path, *later)
    got = loaded.get("a.md")
    assert type(got) is LeanArticle and "_content" not in vars(got)
    assert got.settings is later[0] and got._context is later[1]
    assert got.translations == [None]
    assert (got.title, got.url, got._content) == ("Tariffs", "tariffs.html", BODY)
    (tmp_path / "content/a.md").write_text("edited source")  # another size: a new stamp
    assert loaded.get("a.md", "missing") == "missing"


def test_an_entry_that_cannot_be_pickled_is_left_out_with_a_warning(tmp_path, caplog):
    article = make()
    article.hook = lambda: None  # say, a plugin's attribute
    (tmp_path / "content").mkdir()
    (tmp_path / "content/a.md").write_text("source")
    _, store = store_for(tmp_path, article.settings, article._context)
    store.put("a.md", article)
    store.save()
    assert "a.md: not cached, it cannot be pickled" in caplog.text
    assert store.get("a.md") is None


class Bomb:
    """Pickles fine; raises when unpickled, as an entry of other code might."""

    def __reduce__(self):
        return int, ("not a number",)


def test_an_entry_that_cannot_be_loaded_is_read_again(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/a.md").write_text("source")
    settings, context = copy.deepcopy(DEFAULT_CONFIG), {}
    _, store = store_for(tmp_path, settings, context)
    path = Path(store.path_of("a.md"))
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps(("a.md", None, Bomb())))
    assert store.get("a.md") is None


def test_entries_of_deleted_files_are_removed(tmp_path):
    (tmp_path / "content").mkdir()
    for name in ("a.md", "b.md"):
        (tmp_path / "content" / name).write_text(name)
    settings, context = copy.deepcopy(DEFAULT_CONFIG), {}
    _, store = store_for(tmp_path, settings, context)
    store.put("a.md", "article a")
    store.put("b.md", "article b")
    store.save()
    _, again = store_for(tmp_path, settings, context)
    assert again.get("a.md") == "article a"  # b.md was deleted: not asked for
    again.save()
    assert [p.name for p in Path(again.folder).rglob("*.pickle")] == [
        Path(again.path_of("a.md")).name
    ]


def test_a_memo_that_cannot_be_loaded_reads_as_empty(tmp_path):
    """The output manifest and the search memo, written by other code."""
    path = tmp_path / "memo.pickle"
    path.write_bytes(pickle.dumps({"page.html": Bomb()}))
    assert read_pickle(str(path)) == {}


@pytest.mark.parametrize("cached", [False, True])
def test_a_build_keeps_no_article_body_unpacked(tmp_path, content, cached):
    seen, entities, frozen = [], [], []

    def inspect(generators) -> None:
        for generator in generators:
            if hasattr(generator, "articles") and hasattr(generator, "readers"):
                seen.append(list(generator.articles))
            if hasattr(generator, "entities"):
                entities.extend(generator.entities.values())

    def at_end(_pelican) -> None:
        frozen.append(gc.get_freeze_count())

    signals.all_generators_finalized.connect(inspect)
    signals.article_writer_finalized.connect(lambda *a, **k: at_end(None), weak=False)
    caching = {"LOAD_CONTENT_CACHE": cached, "CACHE_CONTENT": cached}
    settings = {"PATH": str(content), "CACHE_PATH": str(tmp_path / "c"), **caching}
    try:  # cached: the second build's articles are the cached ones
        for _ in range(1 + cached):
            seen.clear()
            build_site("pelicanconf.py", str(tmp_path / "site"), settings, search=False)
    finally:
        signals.all_generators_finalized.disconnect(inspect)
        signals.article_writer_finalized.receivers.clear()
    [articles] = seen
    # frozen while pages are written, given back when the build is over
    assert frozen[-1] > 1000 and gc.get_freeze_count() == 0
    assert len(articles) >= 2
    for article in articles:
        assert type(article) is LeanArticle and "_content" not in vars(article)
        assert isinstance(article.__dict__["_body"], bytes)
        assert article.roundup.digest.claims == []  # used while reading, then dropped
        assert type(article.roundup_jsonld) is Deferred
        assert '"@type":"NewsArticle"' in str(article.roundup_jsonld)
        assert type(article.roundup.mentions) is Mentions
    assert all(type(entity.jsonld) is Deferred for entity in entities)
    assert any('"@id"' in str(entity.jsonld) for entity in entities)
    assert (tmp_path / "c").exists() is cached


@pytest.mark.parametrize("enabled", [True, False])
def test_a_growing_heap_is_not_collected_meanwhile_and_frozen_after(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        before = gc.get_freeze_count()
        with growing():
            assert not gc.isenabled()
            made = [[i] for i in range(1000)]
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() >= before + len(made)
    finally:
        thaw()
        gc.enable()
