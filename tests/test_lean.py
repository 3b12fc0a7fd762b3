"""Lighter articles in memory: packed bodies, mentions by column, released reader
cache, deferred JSON-LD.

None of it may change a page (the byte-for-byte build tests cover that); these
tests check that the memory is really let go and that Pelican still sees an
ordinary article.
"""

from __future__ import annotations

import copy
import datetime
import gc
import pickle
from array import array
from collections import Counter

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Content, Page
from pelican.settings import DEFAULT_CONFIG

from roundup.accel.articlecache import FINGERPRINT_KEY, PackedCache, ShardedCache
from roundup.accel.packed import (
    LINKS,
    PackedArticle,
    PackedText,
    heap_growing,
    pack,
    pack_body,
    thaw_heap,
    unpack,
)
from roundup.build import build_site
from roundup.files import read_pickle
from roundup.glossary.jsonld import Deferred
from roundup.models import Mention, Mentions

BODY = (
    '<p id="para-1">Nio (蔚来) and <a href="{index}">the index</a> again.</p>\n' * 40
)  # long enough for compression to show; a CJK name makes Python store it wide


def make(kind=Article, body: str = BODY) -> Content:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    metadata = {"title": "Tariffs", "date": datetime.datetime(2024, 5, 23), "slug": "tariffs"}
    content = kind(body, metadata=metadata, settings=settings, context={"localsiteurl": ""})
    pack_body(content)  # also sent by Pelican once the plugin is registered: a no-op then
    return content


@pytest.mark.parametrize("text", ["", "plain", "蔚来汽车 Nio", "emoji 🚗 and\nlines", BODY])
def test_pack_round_trip(text):
    assert unpack(pack(text)) == text


def test_an_article_keeps_its_body_packed_and_gives_it_back():
    article = make()
    assert type(article) is PackedArticle and isinstance(article, Article)
    assert "_content" not in vars(article)
    assert len(article.__dict__["_packed_content"]) < len(BODY.encode()) / 5
    assert article._content == BODY
    expected = article._update_content(BODY, "../..")
    assert article.get_content("../..") == expected != BODY  # {index} resolved
    assert article.content == article._update_content(BODY, "")
    assert not [key for key in Content.get_content.cache if key[0] is article]  # no memo
    # Pelican's URL settings are the article's, not the subclass's.
    assert article.url == "tariffs.html" and article.save_as == "tariffs.html"


LINKED = (
    '<a href="{filename}/entities/nio.md">Nio</a> <a href="{filename}/entities/nio.md#x">again</a>'
    ' <a href="{filename}/gone.md">gone</a> <a href="{filename}nearby.md">near</a>'
    ' <img src="{static}/logo.png">'
)


class Plain(Article):
    """Left unpacked even once the plugin is registered (it packs ``Article`` only)."""


def linked_pair():
    """The same body as a packed and as a plain article, in one context."""
    settings = copy.deepcopy(DEFAULT_CONFIG)
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
    pack_body(pair[0])
    return context, *pair


def test_links_by_source_path_are_resolved_once_per_site_url(caplog):
    context, packed, plain = linked_pair()
    for siteurl in ("", "https://example.com", ""):
        assert type(plain) is Plain and packed.get_content(siteurl) == plain.get_content(siteurl)
    assert '"/entities/nio/"' in packed.get_content("")
    assert '"https://example.com/entities/nio/#x"' in packed.get_content("https://example.com")
    assert '"/pages/near.html"' in packed.get_content("")  # relative: resolved by Pelican
    assert "Unable to find '/gone.md'" in caplog.text  # not resolved, so not remembered
    memo = context[LINKS]
    assert sorted({url for url, _ in memo}) == ["", "https://example.com"]
    assert {markup for _, markup in memo} == {
        '<a href="{filename}/entities/nio.md"',
        '<a href="{filename}/entities/nio.md#x"',
    }


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
    settings = copy.deepcopy(DEFAULT_CONFIG)
    metadata = {"title": "T", "slug": "t"}
    made = [kind(body, metadata, settings, source_path="a/b.md") for kind in (Article, Plain)]
    pack_body(made[0])
    assert type(made[0]) is PackedArticle
    expected = made[1].get_static_links() if body else set()
    assert made[0].get_static_links() == expected and len(expected) == links


def test_other_content_is_left_alone():
    page = make(Page)
    assert type(page) is Page and vars(page)["_content"] == BODY


def test_a_body_handed_over_packed_is_not_packed_again():
    text = PackedText.of(pack(BODY))
    assert text == BODY
    article = make(body=text)
    assert article.__dict__["_packed_content"] is text.packed


def test_an_article_with_no_body():
    article = make(body=None)
    assert article._content is None


def test_the_reader_cache_stores_bodies_packed():
    cache, metadata = PackedCache(), {"title": "Tariffs"}
    cache["a.md"] = (123, (BODY, metadata))
    assert isinstance(dict.__getitem__(cache, "a.md")[1][0], bytes)
    stamp, (content, got) = cache.get("a.md")
    assert (stamp, content, got) == (123, BODY, metadata) and got is metadata
    assert type(content) is PackedText
    assert cache.stamp("a.md") == 123 and cache.stamp("b.md") is None
    missing = object()
    assert cache.get("b.md", missing) is missing


@pytest.mark.parametrize("value", [("fingerprint", None), (None, {"nio": ("body", "<p>")})])
def test_other_cache_entries_pass_through(value):
    cache = PackedCache()
    cache["key"] = value
    assert cache.get("key") == value


FINGERPRINT = "made by this code"


def sharded_cache(folder, shared: dict) -> ShardedCache:
    """An empty cache in ``folder``, marked as made with :data:`FINGERPRINT`."""
    cache = ShardedCache(str(folder), shared)
    cache[FINGERPRINT_KEY] = (FINGERPRINT, None)
    return cache


def test_the_sharded_cache_stores_packed_bodies_and_reads_unpacked_ones(tmp_path):
    cache = sharded_cache(tmp_path, {})
    cache["new.md"] = (1, (BODY, {"title": "new"}))
    dict.__setitem__(cache, "old.md", (2, (BODY, {"title": "old"})))  # as stored before
    cache.changed.add("old.md")
    cache.used.add("old.md")
    cache.save()
    sizes = {key: len(pickle.dumps(dict.__getitem__(cache, key))) for key in cache}
    assert sizes["new.md"] < sizes["old.md"] / 3
    loaded = ShardedCache(str(tmp_path), {})
    loaded.load(lambda pid: pid, FINGERPRINT)
    assert loaded.get("new.md")[1][0] == loaded.get("old.md")[1][0] == BODY
    assert type(loaded.get("new.md")[1][0]) is PackedText
    assert type(loaded.get("old.md")[1][0]) is str  # packed when its article is made


def loaded_cache(folder, **objects) -> ShardedCache:
    """The entries saved in ``folder``, persistent ids resolved from ``objects``."""
    loaded = ShardedCache(str(folder), {})
    loaded.load(lambda pid: objects[pid[0]], FINGERPRINT)
    return loaded


def test_the_sharded_cache_keeps_whole_articles_by_reference_to_the_build(tmp_path):
    """The generator layer: an article refers to this build's settings and
    context, and to no other article (translations are linked by every build)."""
    article, translation = make(), make()
    article.translations = [translation]
    settings, context = article.settings, article._context
    cache = sharded_cache(tmp_path, {id(settings): ("settings",), id(context): ("context",)})
    cache["a.md"] = (1.5, article)
    cache.save()
    later_settings, later_context = dict(settings), {"localsiteurl": ""}
    loaded = loaded_cache(tmp_path, settings=later_settings, context=later_context, content=None)
    stamp, got = loaded.get("a.md")
    assert stamp == 1.5 and type(got) is PackedArticle and "_content" not in vars(got)
    assert got.settings is later_settings and got._context is later_context
    assert got.translations == [None]
    assert (got.title, got.url, got._content) == ("Tariffs", "tariffs.html", BODY)


def test_an_entry_that_cannot_be_pickled_is_left_out_with_a_warning(tmp_path, caplog):
    article = make()
    article.hook = lambda: None  # say, a plugin's attribute
    cache = sharded_cache(tmp_path, {})
    cache["a.md"] = (1, article)
    cache["b.md"] = (2, (BODY, {"title": "b"}))
    cache.save()
    assert "a.md: not cached, it cannot be pickled" in caplog.text
    loaded = loaded_cache(tmp_path)
    assert set(loaded) == {FINGERPRINT_KEY, "b.md"}


RECORDS = [
    Mention("nio", 1, "Nio", "Nio (蔚来) met FAW."),
    Mention("faw-group", 1, "FAW", "Nio (蔚来) met FAW."),
    Mention("nio", 3, "蔚来", "蔚来汽车 🚗 grew."),
    Mention("faw-group", 3, "FAW", "FAW did not."),
    Mention("nio", 3, "Nio", "Nio (蔚来) met FAW."),  # same text in another paragraph
]


@pytest.mark.parametrize("records", [[], RECORDS[:1], RECORDS])
def test_mentions_by_column_give_back_the_records(records):
    mentions = Mentions(records)
    assert len(mentions) == len(records)
    assert list(mentions) == records and mentions == records and mentions[:2] == records[:2]
    assert [mentions[i] for i in range(-len(records), 0)] == records
    assert pickle.loads(pickle.dumps(mentions)) == mentions
    assert mentions.slugs == tuple(m.slug for m in records)
    assert list(mentions.paras) == [m.para for m in records]
    rows = list(mentions.rows())
    assert [mentions.sentence(number) for _, _, number in rows] == [m.sentence for m in records]
    places = [mentions.place(i) for i in range(len(records))]
    assert places == [(m.para, m.sentence) for m in records]


def test_mentions_keep_each_sentence_once_as_utf8():
    mentions = Mentions(RECORDS)
    assert [number for _, _, number in mentions.rows()] == [0, 0, 1, 2, 0]
    distinct = dict.fromkeys(m.sentence for m in RECORDS)
    assert mentions._text == "".join(distinct).encode()
    assert mentions != RECORDS[:-1] and mentions != [*RECORDS[:-1], RECORDS[0]]
    assert mentions != "Nio" and Mentions() == []


def test_pickled_mentions_share_their_names():
    first, second = (pickle.loads(pickle.dumps(Mentions(RECORDS))) for _ in range(2))
    assert first == second == RECORDS
    names = zip(first.slugs + first.surfaces, second.slugs + second.surfaces, strict=True)
    assert all(a is b for a, b in names)
    odd = [Mention("a\0b", 1, "A\0B", "A\0B rose."), *RECORDS]  # a NUL cannot split names
    assert pickle.loads(pickle.dumps(Mentions(odd))) == odd


ODD = [Mention("a\0b", 1, "A\0B", "A\0B rose."), *RECORDS]  # names holding a NUL


@pytest.mark.parametrize("records", [[], RECORDS, ODD])
def test_loaded_mentions_unpack_their_names_when_asked(records):
    loaded = pickle.loads(pickle.dumps(Mentions(records)))
    counts = Counter(m.slug for m in records)
    assert Counter(loaded.each_slug()) == counts and len(loaded) == len(records)
    again = pickle.loads(pickle.dumps(loaded))  # still packed: pickled as it came
    assert loaded._slugs is None and again._slugs is None
    assert loaded.surfaces == tuple(m.surface for m in records)
    assert loaded._slugs is not None and loaded == records == again
    assert Counter(loaded.each_slug()) == counts == Counter(Mentions(records).each_slug())


def test_deferred_markup_is_made_when_shown():
    calls = []
    value = Deferred(lambda: calls.append(1) or "<b>&</b>")
    assert calls == []
    template = jinja2.Environment(autoescape=True).from_string("{{ v|safe }} {{ v }}")
    assert template.render(v=value) == "<b>&</b> <b>&</b>"
    assert Markup(value) == "<b>&</b>" and len(calls) == 3


@pytest.mark.parametrize("cached", [False, True])
def test_a_build_keeps_no_article_body_unpacked(tmp_path, content, cached):
    seen, entities, frozen = [], [], []

    def inspect(generators) -> None:
        for generator in generators:
            if hasattr(generator, "articles") and hasattr(generator, "readers"):
                seen.append((list(generator.articles), generator.readers._cache))
            if hasattr(generator, "entities"):
                entities.extend(generator.entities.values())
        frozen.append(gc.get_freeze_count())

    def at_end(_pelican) -> None:
        frozen.append(gc.get_freeze_count())

    signals.all_generators_finalized.connect(inspect)
    signals.finalized.connect(at_end)
    caching = {"LOAD_CONTENT_CACHE": cached, "CACHE_CONTENT": cached}
    settings = {"PATH": str(content), "CACHE_PATH": str(tmp_path / "c"), **caching}
    try:  # cached: the second build's articles are the cached ones
        for _ in range(1 + cached):
            seen.clear()
            build_site("pelicanconf.py", str(tmp_path / "site"), settings, search=False)
    finally:
        signals.all_generators_finalized.disconnect(inspect)
        signals.finalized.disconnect(at_end)
    [(articles, reader_cache)] = seen
    # frozen while building, still at Pelican's end (a thaw there would let the
    # next full collection scan the whole build), given back by build_site
    assert frozen[-2] > 1000 and frozen[-1] > 1000 and gc.get_freeze_count() == 0
    assert len(articles) >= 2 and reader_cache == {}
    for article in articles:
        assert type(article) is PackedArticle and "_content" not in vars(article)
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
        with heap_growing():
            assert not gc.isenabled()
            made = [[i] for i in range(1000)]
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() >= before + len(made)
    finally:
        thaw_heap()
        gc.enable()


class Bomb:
    """Pickles fine; raises when unpickled, as an entry of other code might."""

    def __reduce__(self):
        return int, ("not a number",)


@pytest.mark.parametrize("fingerprint", [FINGERPRINT, "made by other code"])
def test_entries_of_other_code_are_not_unpickled_and_broken_ones_are_skipped(tmp_path, fingerprint):
    cache = sharded_cache(tmp_path, {})
    cache["a.md"] = (1, (BODY, {"title": "a"}))
    cache["bomb.md"] = (2, Bomb())
    cache.save()
    loaded = ShardedCache(str(tmp_path), {})
    loaded.load(lambda pid: pid, fingerprint)
    expected = {FINGERPRINT_KEY, "a.md"} if fingerprint == FINGERPRINT else set()
    assert set(loaded) == expected


def test_a_memo_that_cannot_be_loaded_reads_as_empty(tmp_path):
    """The output manifest and the search memo, written by other code."""
    path = tmp_path / "memo.pickle"
    path.write_bytes(pickle.dumps({"page.html": Bomb()}))
    assert read_pickle(str(path)) == {}


def expected_paragraphs(records: list[Mention], slug: str) -> list[int]:
    return sorted({m.para for m in records if m.slug == slug})


@pytest.mark.parametrize("records", [[], RECORDS, ODD])
def test_paragraphs_of_each_name_packed_or_not(records):
    made, loaded = Mentions(records), pickle.loads(pickle.dumps(Mentions(records)))
    for slug in [*{m.slug for m in records}, "absent", "a", "b", ""]:
        expected = expected_paragraphs(records, slug)
        assert made.paragraphs_of(slug) == expected
        assert loaded.paragraphs_of(slug) == expected
    assert loaded._slugs is None  # the names stayed packed


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["nio", "byd", "ni", "o", "nio-x", "x"]), st.integers(1, 9)),
        max_size=40,
    )
)
def test_paragraphs_of_generated_mentions(pairs):
    records = [Mention(slug, para, slug.upper(), f"S{para}.") for slug, para in pairs]
    loaded = pickle.loads(pickle.dumps(Mentions(records)))
    for slug in ["nio", "byd", "ni", "o", "nio-x", "x", "absent"]:
        assert loaded.paragraphs_of(slug) == expected_paragraphs(records, slug)


def test_paragraphs_of_finds_whole_numbers_only():
    """With 800 names, one mention's number and the next can hold another
    number's bytes across their boundary (0x300 then 0: ``00 03 00 00 00``)."""
    names = [f"e{n}" for n in range(800)]
    records = [Mention(slug, para, slug, f"S{para}.") for para, slug in enumerate(names, 1)]
    records += [Mention("e768", 900, "e768", "S."), Mention("e0", 901, "e0", "T.")]
    loaded = pickle.loads(pickle.dumps(Mentions(records)))
    for slug in ("e3", "e768", "e0", "e799"):
        assert loaded.paragraphs_of(slug) == expected_paragraphs(records, slug)
    index_bytes = loaded._columns[1]
    assert index_bytes.rfind(array("I", [3]).tobytes()) % 4 != 0  # the case is met
