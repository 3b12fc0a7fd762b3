"""Typographic quotes, dashes and ellipses, in one pass over each text node.

A Python-Markdown extension (``"roundup.typography"`` in ``MARKDOWN``) doing
what the bundled ``smarty`` extension does with its defaults: ``"`` and ``'``
become curly quotes, ``--`` an en dash, ``---`` an em dash, ``...`` an
ellipsis. ``smarty`` runs a second inline parser with fifteen patterns over
every text node, about half of the Markdown time of a roundup; here one
regular expression finds the candidates and the characters around each one
decide the direction of a quote. The characters are written as they are
(``’``, not ``&rsquo;``).

Code (``code``, ``pre``, ``kbd``, ``samp``), text Markdown marks as atomic
(autolinks, code) and raw HTML are left alone. ``\\"`` and ``\\'`` keep a
straight quote. The character before a quote is looked up across inline
elements (``**Nio**'s`` gets an apostrophe), never across blocks.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, AtomicString

LEFT_SINGLE, RIGHT_SINGLE, LEFT_DOUBLE, RIGHT_DOUBLE = "‘", "’", "“", "”"
FIXED = {"---": "—", "--": "–", "...": "…"}
_CANDIDATE = re.compile(r"---|--|\.\.\.|['\"]")
_DECADE = re.compile(r"\d\d(?!\d)")
# After one of these (or at the start), a quote followed by text opens.
_OPENERS = frozenset("([{“‘—–/")
_SKIP = frozenset({"code", "kbd", "pre", "samp", "script", "style"})
_INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd"}
    | {"mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u"}
)


def smarten(text: str, before: str = "", after: str = "") -> str:
    """``text`` with typographic punctuation; ``before`` and ``after`` are the
    text around it in the same block (only their nearest character counts)."""
    out: list[str] = []
    last, pos = before[-1:], 0
    for found in _CANDIDATE.finditer(text):
        start, end = found.span()
        if start > pos:
            out.append(text[pos:start])
            last = text[start - 1]
        following = text[end : end + 3] if end < len(text) else after
        new = FIXED.get(found.group()) or _quote(found.group(), last, following)
        out.append(new)
        last, pos = new, end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _quote(mark: str, last: str, after: str) -> str:
    if last == ETX:  # after raw HTML: "<b>" + '"x' opens, "</b>" + '" ' closes
        opens = after[:1].isalnum()
    else:
        opens = (not last or last.isspace() or last in _OPENERS) and after[:1].strip() != ""
    if mark == '"':
        return LEFT_DOUBLE if opens else RIGHT_DOUBLE
    if not last[-1:].isalnum() and _DECADE.match(after):
        return RIGHT_SINGLE  # the '80s
    return LEFT_SINGLE if opens else RIGHT_SINGLE


def smarten_tree(root: Element) -> None:
    """Apply :func:`smarten` to every text node under ``root``, in place."""
    _walk(root, "")


def _walk(el: Element, before: str) -> str:
    """Smarten ``el`` and its children; return the text's last character."""
    block = el.tag not in _INLINE
    if block:
        before = ""
    if el.tag == "br":
        return " "
    children = list(el)
    if el.text:
        if el.tag not in _SKIP and not isinstance(el.text, AtomicString):
            el.text = smarten(el.text, before, _lead(children[:1]))
        before = el.text[-1]
    for index, child in enumerate(children):
        before = _walk(child, before)
        if child.tail:
            if not isinstance(child.tail, AtomicString):
                child.tail = smarten(child.tail, before, _lead(children[index + 1 : index + 2]))
            before = child.tail[-1]
    return "" if block else before


def _lead(elements: list[Element]) -> str:
    """The first character an (optional) next inline element shows."""
    if not elements or elements[0].tag not in _INLINE:
        return ""
    return elements[0].text or "x"


class TypographyTreeprocessor(Treeprocessor):
    def run(self, root: Element) -> None:
        smarten_tree(root)


class TypographyExtension(Extension):
    """Register the pass where ``smarty`` would run: after the inline patterns,
    before backslash escapes are undone."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        for char in "\"'":
            if char not in md.ESCAPED_CHARS:
                md.ESCAPED_CHARS.append(char)
        md.treeprocessors.register(TypographyTreeprocessor(md), "typography", 6)


def makeExtension(**kwargs) -> TypographyExtension:  # noqa: N802 (Markdown's API)
    return TypographyExtension(**kwargs)
