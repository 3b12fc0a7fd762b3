"""Atom feeds serialised as feedgenerator serialises them, in one string.

Pelican's writer fills a feedgenerator ``Atom1Feed`` and calls its ``write``,
which emits every element through the SAX ``XMLGenerator``: a few method
calls per tag and a write per piece. A site of 2,000 entity feeds spent
longer there than in making the entries. :func:`atom_text` builds the same
text from the same feed object (the same elements in the same order, the same
escaping and attribute quoting, control characters refused alike), and
:class:`AtomFeed` writes it in one call. ``tests/test_atom.py`` compares the
two byte for byte, field by field.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Mapping

from feedgenerator import Atom1Feed
from feedgenerator.django.utils.feedgenerator import get_tag_uri, rfc3339_date
from feedgenerator.django.utils.xmlutils import UnserializableContentError

# What SimplerXMLGenerator refuses in text (XML 1.0 has no such characters).
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


class AtomFeed(Atom1Feed):
    """An ``Atom1Feed`` whose ``write`` emits :func:`atom_text` at once."""

    def write(self, outfile, encoding) -> None:
        if not isinstance(outfile, io.TextIOBase):  # bytes: the SAX writer encodes
            super().write(outfile, encoding)
            return
        outfile.write(atom_text(self, encoding))


def atom_text(feed: Atom1Feed, encoding: str = "utf-8") -> str:
    """What ``feed.write(text_file, encoding)`` writes."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>\n']
    parts.append(_start("feed", feed.root_attributes()) + ">")
    _root_elements(parts, feed.feed, feed.latest_post_date())
    for item in feed.items:
        parts.append(_start("entry", feed.item_attributes(item)) + ">")
        _item_elements(parts, item)
        parts.append("</entry>")
    parts.append("</feed>")
    return "".join(parts)


def _root_elements(parts: list[str], info: dict, updated) -> None:
    """``Atom1Feed.add_root_elements``."""
    add = parts.append
    add(_quick("title", info["title"]))
    add(_quick("link", "", {"rel": "alternate", "href": info["link"]}))
    if info["feed_url"] is not None:
        add(_quick("link", "", {"rel": "self", "href": info["feed_url"]}))
    add(_quick("id", info["id"]))
    add(_quick("updated", rfc3339_date(updated)))
    if info["author_name"] is not None:
        add(_author(info["author_name"], info["author_email"], info["author_link"]))
    if info["subtitle"]:
        add(_quick("subtitle", info["subtitle"]))
    elif info["description"]:
        add(_quick("subtitle", info["description"]))
    for category in info["categories"]:
        add(_quick("category", "", {"term": category}))
    if info["feed_copyright"] is not None:
        add(_quick("rights", info["feed_copyright"]))


def _item_elements(parts: list[str], item: dict) -> None:
    """``Atom1Feed.add_item_elements``."""
    add = parts.append
    add(_quick("title", item["title"]))
    add(_quick("link", "", {"href": item["link"], "rel": "alternate"}))
    updated = datetime.datetime.now()  # feedgenerator's fallback, kept as it is
    if item["pubdate"] is not None:
        add(_quick("published", rfc3339_date(item["pubdate"])))
        updated = item["pubdate"]
    if item["updateddate"] is not None:
        updated = item["updateddate"]
    add(_quick("updated", rfc3339_date(updated)))
    if item["author_name"] is not None:
        add(_author(item["author_name"], item["author_email"], item["author_link"]))
    if item["unique_id"] is not None:
        add(_quick("id", item["unique_id"]))
    else:
        add(_quick("id", get_tag_uri(item["link"], item["pubdate"])))
    if item["description"] is not None:
        add(_quick("summary", item["description"], {"type": "html"}))
    if item["content"] is not None:
        add(_quick("content", item["content"], {"type": "html"}))
    for enclosure in item["enclosures"]:
        attrs = {"rel": "enclosure", "href": enclosure.url, "length": enclosure.length}
        add(_quick("link", "", {**attrs, "type": enclosure.mime_type}))
    for category in item["categories"]:
        add(_quick("category", "", {"term": category}))
    if item["item_copyright"] is not None:
        add(_quick("rights", item["item_copyright"]))


def _author(name: str, email: str | None, link: str | None) -> str:
    text = "<author>" + _quick("name", name)
    if email is not None:
        text += _quick("email", email)
    if link is not None:
        text += _quick("uri", link)
    return text + "</author>"


def _start(name: str, attrs: Mapping[str, str] | None) -> str:
    """A start tag without its ``>`` (SimplerXMLGenerator sorts the attributes)."""
    if not attrs:
        return "<" + name
    return "<" + name + "".join(f" {key}={_quoteattr(attrs[key])}" for key in sorted(attrs))


def _quick(name: str, contents: str | None = None, attrs: Mapping[str, str] | None = None) -> str:
    """``SimplerXMLGenerator.addQuickElement`` with short empty elements."""
    start = _start(name, attrs)
    if not contents:
        return start + "/>"
    if _CONTROL.search(contents):
        raise UnserializableContentError("Control characters are not supported in XML 1.0")
    return f"{start}>{_escape(contents)}</{name}>"


def _escape(data: str) -> str:
    """``xml.sax.saxutils.escape``, call for call (``Markup`` values behave alike)."""
    data = data.replace("&", "&amp;")
    data = data.replace(">", "&gt;")
    return data.replace("<", "&lt;")


def _quoteattr(data: str) -> str:
    """``xml.sax.saxutils.quoteattr``, call for call."""
    data = _escape(data)
    for key, value in (("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;")):
        data = data.replace(key, value)
    if '"' in data:
        if "'" in data:
            return '"{}"'.format(data.replace('"', "&quot;"))
        return f"'{data}'"
    return f'"{data}"'
