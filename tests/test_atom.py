"""Atom feeds in one string: byte for byte what feedgenerator's SAX writer writes."""

from __future__ import annotations

import datetime
import io

import pytest
from feedgenerator import Atom1Feed, Enclosure
from feedgenerator.django.utils.xmlutils import UnserializableContentError
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from roundup.accel.atom import AtomFeed, atom_text

CST = datetime.timezone(datetime.timedelta(hours=8))
PUBLISHED = datetime.datetime(2024, 3, 13, 8, 0, tzinfo=CST)


def sax(feed: Atom1Feed) -> str:
    out = io.StringIO()
    Atom1Feed.write(feed, out, "utf-8")
    return out.getvalue()


def feed_of(items=(), **info) -> Atom1Feed:
    feed = Atom1Feed(
        **{"title": "Tech Roundup", "link": "https://example.com/", "description": "", **info}
    )
    for item in items:
        feed.add_item(
            **{"title": "A roundup", "link": "https://example.com/a/", "description": None, **item}
        )
    return feed


ITEM = {"description": "<p>Summary</p>", "content": "<p>Body &amp; more</p>", "pubdate": PUBLISHED}
FEEDS = {
    "bare": feed_of([{"pubdate": PUBLISHED}]),  # a dated entry: else the feed is dated now
    "everything at the top": feed_of(
        [ITEM],
        language="en",
        author_name="Desk",
        author_email="desk@example.com",
        author_link="https://example.com/desk",
        subtitle="Daily",
        categories=["AI", "Chips"],
        feed_copyright="© 2024",
        feed_url="https://example.com/feeds/all.atom.xml",
        feed_guid="urn:x",
    ),
    "description as subtitle": feed_of([ITEM], description="A daily briefing"),
    "empty title": feed_of([ITEM], title=""),
    "an entry": feed_of([ITEM]),
    "an entry with everything": feed_of(
        [
            {
                **ITEM,
                "updateddate": PUBLISHED + datetime.timedelta(days=1),
                "author_name": "Li",
                "author_email": "li@example.com",
                "author_link": "https://example.com/li",
                "unique_id": "tag:example.com,2024-03-13:/a/",
                "enclosures": [Enclosure("https://example.com/a.mp3", "12", "audio/mpeg")],
                "categories": ["AI", "Tom & Jerry"],
                "item_copyright": "CC BY",
            }
        ]
    ),
    "entries with dates only": feed_of(
        [{"pubdate": PUBLISHED}, {"updateddate": PUBLISHED, "pubdate": PUBLISHED}]
    ),
    "a naive date": feed_of([{"pubdate": datetime.datetime(2024, 1, 2, 3, 4)}]),
    "quotes, newlines and tabs in attributes": feed_of(
        [{**ITEM, "link": "https://example.com/?q=\"a\"&b='c'\n\td"}],
        link="https://example.com/?q='a'",
        categories=['say "hi"', "it's", "a\tb\r\nc"],
    ),
    "markup in text": feed_of(
        [{**ITEM, "title": Markup("Tom &amp; <em>Jerry</em>").striptags()}],
        title=Markup("A &amp; B"),
    ),
    "characters to escape": feed_of(
        [{**ITEM, "title": "<b> & </b> > ]]>", "content": "a < b && c > d"}], subtitle="x < y"
    ),
    "non-ASCII": feed_of([{**ITEM, "title": "生数科技 ¶ “quoted” — Xi’an"}], title="科技"),
}


@pytest.mark.parametrize("name", list(FEEDS))
def test_the_text_is_what_feedgenerator_writes(name):
    assert atom_text(FEEDS[name]) == sax(FEEDS[name])


def test_an_atom_feed_writes_the_text_to_a_text_file_and_through_sax_to_bytes():
    feed = FEEDS["an entry with everything"]
    feed.__class__ = AtomFeed
    text, raw = io.StringIO(), io.BytesIO()
    feed.write(text, "utf-8")
    feed.write(raw, "utf-8")
    assert text.getvalue() == sax(feed) == raw.getvalue().decode("utf-8")


@pytest.mark.parametrize("where", ["title", "content", "description", "categories"])
def test_control_characters_are_refused_like_feedgenerator(where):
    value = ["bad\x0bvalue"] if where == "categories" else "bad\x0bvalue"
    feed = feed_of([{**ITEM, where: value}])
    if where == "categories":  # an attribute: XMLGenerator does not look
        assert atom_text(feed) == sax(feed)
        return
    with pytest.raises(UnserializableContentError):
        sax(feed)
    with pytest.raises(UnserializableContentError):
        atom_text(feed)


TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    title=TEXT,
    link=TEXT,
    content=st.none() | TEXT,
    summary=st.none() | TEXT,
    categories=st.lists(TEXT, max_size=3),
)
def test_any_text_gives_the_same_feed_or_the_same_error(title, link, content, summary, categories):
    feed = feed_of(
        [
            {
                "title": title,
                "link": link or "x",
                "content": content,
                "description": summary,
                "categories": categories,
                "pubdate": PUBLISHED,
            }
        ],
        subtitle=title,
    )
    try:
        expected = sax(feed)
    except UnserializableContentError:
        with pytest.raises(UnserializableContentError):
            atom_text(feed)
        return
    assert atom_text(feed) == expected
