"""Typographic quotes, dashes and ellipses, in one pass over each text node.

A Python-Markdown extension (``"roundup.analysis.typography"`` in ``MARKDOWN``)
doing what the bundled ``smarty`` extension does with its defaults: ``"`` and
``'`` become curly quotes, ``--`` an en dash, ``---`` an em dash, ``...`` an
ellipsis. ``smarty`` runs a second inline parser with fifteen patterns over
every text node, about half of the Markdown time of a roundup; here one
regular expression finds the candidates and the characters around each one
decide the direction of a quote. The characters are written as they are
(``’``, not ``&rsquo;``).

Rules (``tests/test_markdown_conformance.py`` lists where they deliberately
differ from ``smarty``):

- A run of exactly two hyphens is an en dash, of exactly three an em dash, of
  exactly three dots an ellipsis; longer runs stay as they are.
- The character before a quote is looked up across inline elements
  (``**Nio**'s`` gets an apostrophe), never across blocks. A quote that is the
  first character of an inline element (``a[*"x"*](u)``) has nothing before it.
- After nothing, a space or one of ``([{“‘—–/``, a quote opens when anything
  but a space or the end of the block follows it; else it closes.
- After raw HTML or an escaped character, it opens before a letter or digit.
- After CJK text or punctuation (``小米的"SU7"``, ``他说："这是"``), it opens
  when text follows (not a space, not closing punctuation) and no quote of its
  kind is open in the block, else it closes (``"你好"他说``); after an opening
  bracket or ``：`` it opens whenever text follows; ``'s`` is an apostrophe.
- Right after an inline element, a ``"`` before a letter or digit opens unless
  a ``"`` is open (``**Nio**"SU7"``).
- After anything else (a letter, a digit, closing punctuation) it closes;
  ``'`` before two digits is an apostrophe (``the '80s``).

Which quotes are open (:class:`Quotes`) is followed through each block, from
its start; a nested block starts afresh.

Code (``code``, ``pre``, ``kbd``, ``samp``), text Markdown marks as atomic
(autolinks, code) and raw HTML are left alone. ``\\"`` and ``\\'`` keep a
straight quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, AtomicString

LEFT_SINGLE, RIGHT_SINGLE, LEFT_DOUBLE, RIGHT_DOUBLE = "‘", "’", "“", "”"
FIXED = {"---": "—", "--": "–", "...": "…"}
# Runs, so that a run of another length is seen whole and left as it is.
_CANDIDATE = re.compile(r"['\"]|--+|\.\.\.+")
_DECADE = re.compile(r"\d\d(?!\d)")
# After one of these (or at the start), a quote followed by text opens.
_OPENERS = frozenset("([{“‘—–/")
# After one of these CJK characters, a quote followed by text always opens.
_CJK_OPENERS = frozenset("：（［｛〔〈《「『【〖〘〚〝")
# A quote after CJK text followed by one of these (or a space) closes.
_CLOSING = frozenset(",;:!?)]}”’。，、；：！？）］｝〕〉》」』】〗〙〛〞〟")
_SKIP = frozenset({"code", "kbd", "pre", "samp", "script", "style"})
_INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd"}
    | {"mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u"}
)


@dataclass(slots=True)
class Quotes:
    """Which kinds of quote are open in the block being smartened."""

    double: bool = False
    single: bool = False


def smarten(
    text: str,
    before: str = "",
    after: str = "",
    quotes: Quotes | None = None,
    *,
    tail: bool = False,
) -> str:
    """``text`` with typographic punctuation; ``before`` and ``after`` are the
    text around it in the same block (only their nearest character counts),
    ``quotes`` what is open in the block before ``text`` (updated); ``tail``:
    ``text`` follows the end of an inline element."""
    if quotes is None:
        quotes = Quotes()
    out: list[str] = []
    last, pos = before[-1:], 0
    for found in _CANDIDATE.finditer(text):
        mark = found.group()
        start, end = found.span()
        quote = len(mark) == 1
        if not quote and mark not in FIXED:
            continue  # a run of another length stays
        if start > pos:
            out.append(text[pos:start])
            last = text[start - 1]
        if quote:
            following = text[end : end + 3] if end < len(text) else after
            new = _quote(mark, last, following, quotes, tail and start == 0)
        else:
            new = FIXED[mark]
        out.append(new)
        last, pos = new, end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _quote(mark: str, last: str, after: str, quotes: Quotes, edge: bool) -> str:
    """The curly quote for ``mark`` between ``last`` and ``after`` (``edge``:
    right after an inline element); notes it in ``quotes``."""
    double = mark == '"'
    if last.isalnum() and last < "\u2e80" and not (edge and double):
        opens = False  # after a letter or a digit: Nio's, "SU7"
    elif not double and not last[-1:].isalnum() and _DECADE.match(after):
        opens = False  # the '80s
    elif not last or last.isspace() or last in _OPENERS:
        opens = after[:1].strip() != ""
    elif last == ETX:  # after raw HTML: "<b>" + '"x' opens, "</b>" + '" ' closes
        opens = after[:1].isalnum()
    elif "\u2e80" <= last <= "\u9fff" or _is_cjk(last):
        opens = _opens_after_cjk(double, last, after, quotes)
    else:  # punctuation, or a letter right after an element: **Nio**"SU7"
        opens = edge and double and after[:1].isalnum() and not quotes.double
    if double:
        quotes.double = opens
        return LEFT_DOUBLE if opens else RIGHT_DOUBLE
    quotes.single = opens
    return LEFT_SINGLE if opens else RIGHT_SINGLE


def _opens_after_cjk(double: bool, last: str, after: str, quotes: Quotes) -> bool:
    """Whether a quote after the CJK character ``last`` opens."""
    first = after[:1]
    if not first.strip() or first in _CLOSING:
        return False
    if not double and first == "s" and not after[1:2].isalnum():
        return False  # 小米's
    return last in _CJK_OPENERS or not (quotes.double if double else quotes.single)


def _is_cjk(char: str) -> bool:
    """Whether ``char`` is CJK text or punctuation (Han, kana, Hangul, full width)."""
    return (
        "\u2e80" <= char <= "\u9fff"
        or "\uac00" <= char <= "\ud7af"
        or "\uf900" <= char <= "\ufaff"
        or "\ufe30" <= char <= "\ufe4f"
        or "\uff00" <= char <= "\uffef"
        or "\U00020000" <= char <= "\U0003ffff"
    )


def smarten_tree(root: Element) -> None:
    """Apply :func:`smarten` to every text node under ``root``, in place."""
    _walk(root, "", Quotes())


def _walk(el: Element, before: str, quotes: Quotes) -> str:
    """Smarten ``el`` and its children; return the text's last character."""
    if el.tag == "br":
        return " "
    block = el.tag not in _INLINE
    if block:  # nothing before, nothing open (a nested block ends its parent's quotes)
        before = ""
        quotes.double = quotes.single = False
    children = list(el)
    text = el.text
    if text:
        if el.tag not in _SKIP and not isinstance(text, AtomicString):
            # A quote opening an element has nothing before it.
            el.text = smarten(text, "", _lead(children, 0, text), quotes)
        before = text[-1]
    for index, child in enumerate(children):
        before = _walk(child, before, quotes)
        text = child.tail
        if text:
            if not isinstance(text, AtomicString):
                following = _lead(children, index + 1, text)
                child.tail = smarten(text, before, following, quotes, tail=True)
            before = text[-1]
    return "" if block else before


def _lead(elements: list[Element], index: int, text: str) -> str:
    """The first character the inline element ``elements[index]`` (if any)
    shows after ``text``; needed only when ``text`` ends with a quote."""
    if text[-1] not in "'\"" or index >= len(elements) or elements[index].tag not in _INLINE:
        return ""
    return elements[index].text or "x"


class TypographyTreeprocessor(Treeprocessor):
    """Smarten every text node of the tree (:func:`smarten_tree`)."""

    def run(self, root: Element) -> None:
        smarten_tree(root)


class TypographyExtension(Extension):
    """Typographic quotes, dashes and ellipses, where ``smarty`` would make them."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        """Register the processor.

        | Class instance            | Registry         | Name         | Priority |
        | ------------------------- | ---------------- | ------------ | :------: |
        | `TypographyTreeprocessor` | `treeprocessors` | `typography` | `6`      |

        Priority 6 is ``smarty``'s: after the inline patterns (``inline``, 20)
        and ``abbr`` (7), before backslash escapes are undone (``unescape``,
        0), so ``\\"`` still reads as an escape. ``"`` and ``'`` are added to
        ``md.ESCAPED_CHARS``, as ``smarty`` does.
        """
        for char in "\"'":
            if char not in md.ESCAPED_CHARS:
                md.ESCAPED_CHARS.append(char)
        md.treeprocessors.register(TypographyTreeprocessor(md), "typography", 6)


def makeExtension(**kwargs: object) -> TypographyExtension:  # noqa: N802 (Markdown's API)
    """The extension, for ``Markdown(extensions=["roundup.analysis.typography"])``."""
    return TypographyExtension(**kwargs)
