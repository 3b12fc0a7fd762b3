"""Plain data of the plugin: mentions by column, deferred markup."""

from __future__ import annotations

import pickle
from array import array
from collections import Counter

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from roundup.glossary.jsonld import Deferred
from roundup.models import Mention, Mentions

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
