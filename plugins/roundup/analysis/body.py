"""Number the paragraphs of an article body and link its entity mentions.

Pure functions over the ElementTree that Python-Markdown builds; the
Markdown extension in ``extension.py`` is the only caller that knows Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from ..models import Mention, Story
from .matching import Matcher
from .text import normalize_space, sentence_finder
from .tree import plain_text, prepend, segments, wrap

PLACEHOLDER_START = "\x02"  # Python-Markdown's raw-HTML placeholders start with STX
# Every top-level block that can hold body text gets a number: a paragraph
# that is not citable drops out of the digest silently.
NUMBERED = frozenset({"p", "ul", "ol", "blockquote", "table", "dl", "pre", "div"})
_HOSTS = ("li", "p", "dt", "dd", "th", "td")
Resolve = Callable[[str], str]


@dataclass
class Body:
    """Result of :func:`process_body`."""

    paragraphs: list[str] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # slugs, first-mention order


def numbered_blocks(root: Element, is_placeholder: Callable[[Element], bool]):
    """Top-level blocks that count as paragraphs, in reading order (the
    footnotes Python-Markdown appends are the article's apparatus, not a block)."""
    return [
        el
        for el in root
        if el.tag in NUMBERED
        and not is_placeholder(el)
        and not is_footnotes(el)
        and "".join(el.itertext()).strip()
    ]


def is_footnotes(el: Element) -> bool:
    """The ``div.footnote`` the footnotes extension appends to a document."""
    return el.tag == "div" and "footnote" in (el.get("class") or "").split()


def number_host(block: Element) -> Element:
    """The element that shows the paragraph number of ``block``."""
    if block.tag in ("p", "pre"):
        return block
    for tag in _HOSTS:
        found = block.find(f".//{tag}")
        if found is not None:
            return found
    return block


def para_link(number: int) -> Element:
    link = Element("a", {"class": "para-num", "href": f"#para-{number}"})
    link.set("aria-label", f"Paragraph {number}")
    link.text = f"¶ {number}"
    return link


def heading_ids(root: Element, slugify: Callable[[str], str], taken: set[str]):
    """Give every ``h2`` a unique id (kept if the author set one)."""
    for heading in root.iter("h2"):
        if heading.get("id"):
            taken.add(heading.get("id"))
            continue
        base = slugify("".join(heading.itertext())) or "section"
        if base.startswith("para-"):  # paragraph anchors own that prefix
            base = f"section-{base}"
        anchor, n = base, 1
        while anchor in taken:
            n += 1
            anchor = f"{base}-{n}"
        taken.add(anchor)
        heading.set("id", anchor)


def stories_of(root: Element, blocks: list[Element], resolve: Resolve) -> list[Story]:
    """``## Heading`` sections and the paragraph numbers under each."""
    number = {id(block): n for n, block in enumerate(blocks, 1)}
    stories: list[tuple[Element, list[int]]] = []
    for el in root:
        if el.tag == "h2":
            stories.append((el, []))
        elif stories and id(el) in number:
            stories[-1][1].append(number[id(el)])
    return [
        Story(normalize_space(plain_text(h, resolve)), h.get("id", ""), tuple(paras))
        for h, paras in stories
    ]


def link_mentions(
    blocks: list[Element],
    matcher: Matcher,
    href: Callable[[str], str],
    resolve: Resolve,
) -> tuple[list[Mention], list[str]]:
    """Record every mention; wrap the first of each entity in ``a.entity``.

    Linear in the length of each block: its text and sentences are computed
    once, not once per mention.
    """
    mentions: list[Mention] = []
    linked: dict[str, None] = {}  # first-mention order
    for number, block in enumerate(blocks, 1):
        raw = "".join(block.itertext())  # wrapping below keeps this text unchanged
        plain = PLACEHOLDER_START not in raw  # then resolving changes nothing
        sentence = sentence_finder(raw if plain else resolve(raw))
        for segment in list(segments(block)):
            if segment.opaque:
                continue
            spans = []
            for start, end, slug in matcher.find(segment.text):
                surface = segment.text[start:end]
                at = segment.offset + start
                if not plain:
                    at, surface = plain_offset(raw, at, resolve), resolve(surface)
                surface = matcher.canonical(surface)
                mentions.append(Mention(slug, number, surface, sentence(at)))
                if slug not in linked:
                    linked[slug] = None
                    spans.append((start, end, slug))
            wrap(segment, [(s, e) for s, e, _ in spans], _entity_link(spans, href))
    return mentions, list(linked)


def plain_offset(raw: str, offset: int, resolve: Resolve) -> int:
    """Where ``raw[offset]`` lands once raw-HTML placeholders are resolved."""
    if PLACEHOLDER_START not in raw:
        return offset
    return len(resolve(raw[:offset]))


def _entity_link(spans, href: Callable[[str], str]):
    def make(text: str, i: int) -> Element:
        slug = spans[i][2]
        link = Element("a", {"class": "entity", "data-entity": slug})
        link.set("href", href(slug))
        link.text = text
        return link

    return make


def process_body(
    root: Element,
    matcher: Matcher,
    href: Callable[[str], str],
    resolve: Resolve,
    is_placeholder: Callable[[Element], bool],
) -> Body:
    """Number paragraphs, link mentions and describe the stories of ``root``."""
    blocks = numbered_blocks(root, is_placeholder)
    paragraphs = [normalize_space(plain_text(b, resolve)) for b in blocks]
    mentions, linked = link_mentions(blocks, matcher, href, resolve)
    for number, block in enumerate(blocks, 1):
        block.set("id", f"para-{number}")
        # Inside <pre> a separator would shift the first line of code.
        prepend(number_host(block), para_link(number), "" if block.tag == "pre" else " ")
    return Body(paragraphs, stories_of(root, blocks, resolve), mentions, linked)


_FENCE = re.compile(r"\s{0,3}(```|~~~)")
_DEFINITION = re.compile(r" {0,3}:[ \t]{1,3}\S")
_DIGEST = re.compile(r"##\s+Digest\s*#*\s*$", re.IGNORECASE)


def definition_lines(source: str) -> list[int]:
    """Lines (1-based) that open a definition list: a line starting with ``:``
    under a paragraph, which turns that paragraph into a term. The first such
    line of each list, outside code fences and the ``## Digest`` section."""
    found: list[int] = []
    previous = ""  # the last line with text
    for number, line, fence in _body_lines(source):
        if fence or not line.strip():
            continue
        if _DEFINITION.match(line) and previous and not _DEFINITION.match(previous):
            found.append(number)
        previous = line
    return found


def fence_lines(source: str) -> list[int]:
    """Lines (1-based) that open a fenced code block (```` ``` ```` or ``~~~``)
    before the ``## Digest`` section: Python-Markdown keeps such a block
    aside as raw HTML, so it gets no paragraph number."""
    return [number for number, _, fence in _body_lines(source) if fence]


def _body_lines(source: str):
    """``(number, line, opens_fence)`` for each line before ``## Digest``,
    the lines inside code fences left out."""
    fence = ""
    for number, line in enumerate(source.splitlines(), 1):
        opened = _FENCE.match(line)
        if opened and (not fence or opened.group(1) == fence):
            if not fence:
                yield number, line, True
            fence = "" if fence else opened.group(1)
        elif not fence:
            if _DIGEST.match(line.strip()):
                return
            yield number, line, False
