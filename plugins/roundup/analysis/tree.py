"""Walking and splitting text in an ElementTree (Python-Markdown's tree).

Text lives in ``element.text`` and in each child's ``tail``; these helpers
yield those pieces in reading order and wrap spans of them in new elements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
# Text inside these is never matched or rewritten.
OPAQUE = HEADINGS | {"a", "code", "pre", "kbd", "samp", "script", "style", "abbr"}


@dataclass
class Segment:
    """A piece of text: ``owner.text`` (tail=False) or ``owner.tail`` (tail=True)."""

    parent: Element  # element whose children list holds the new nodes
    owner: Element
    tail: bool
    text: str
    offset: int  # position of the piece in the concatenated text of the walk
    opaque: bool  # inside an element whose text must not change

    def set(self, value: str | None) -> None:
        if self.tail:
            self.owner.tail = value
        else:
            self.owner.text = value

    def insert_at(self) -> int:
        """Child index where nodes created from this piece start."""
        if self.tail:
            return list(self.parent).index(self.owner) + 1
        return 0


def segments(root: Element, opaque: frozenset[str] = OPAQUE) -> Iterator[Segment]:
    """Every text piece under ``root`` (not its tail), in reading order."""
    offset = 0
    for segment in _walk(root, root, False, opaque):
        segment.offset = offset
        offset += len(segment.text)
        yield segment


def _walk(el: Element, parent: Element, hidden: bool, opaque: frozenset[str]):
    hidden = hidden or el.tag in opaque
    if el.text:
        yield Segment(el, el, False, el.text, 0, hidden)
    for child in list(el):
        yield from _walk(child, el, hidden, opaque)
        if child.tail:
            yield Segment(el, child, True, child.tail, 0, hidden)


def wrap(
    segment: Segment,
    spans: list[tuple[int, int]],
    make: Callable[[str, int], Element],
) -> None:
    """Replace ``spans`` (sorted, in segment coordinates) with ``make(text, i)``."""
    if not spans:
        return
    text = segment.text
    at = segment.insert_at()
    segment.set(text[: spans[0][0]] or None)
    for i, (start, end) in enumerate(spans):
        node = make(text[start:end], i)
        following = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        node.tail = text[end:following] or None
        segment.parent.insert(at + i, node)


def prepend(host: Element, node: Element, separator: str = " ") -> None:
    """Insert ``node`` as the first child of ``host``, before its text."""
    node.tail = separator + (host.text or "")
    host.text = None
    host.insert(0, node)


def plain_text(el: Element, resolve: Callable[[str], str] = str) -> str:
    """Concatenated text of ``el`` with placeholders resolved."""
    return resolve("".join(el.itertext()))
