"""The generated Digest Hub, for articles without a ``## Digest`` section.

Its shape follows an edited digest: an opening line that says what the
roundup covers; key points, each a cited sentence, one per story for the
first :data:`MAX_POINTS` stories; then per story a bold label (its heading)
and one or two cited sentences (:func:`.lead.pick`). Every sentence is
verbatim from the paragraph it cites, so each claim holds by construction.

:func:`plan` chooses; :func:`generate_digest` renders the choice as the
page's HTML, :func:`digest_markdown` as an authored ``## Digest`` section an
editor can refine (``invoke digest``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import Citation, Claim, Digest, Story
from . import lead

MAX_POINTS = 5
_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
Picked = list[tuple[int, str]]  # (paragraph number, sentence)


@dataclass
class Plan:
    """What a generated digest says: every sentence with the paragraph it cites."""

    titled: list[Story] = field(default_factory=list)  # the stories the opening names
    topics: list[str] = field(default_factory=list)  # or the topics it names (the tags)
    points: Picked = field(default_factory=list)
    stories: list[tuple[Story, Picked]] = field(default_factory=list)


def plan(stories: Sequence[Story], paragraphs: Sequence[str], topics: Sequence[str] = ()) -> Plan:
    """The digest of ``stories`` (``paragraphs``: plain text, number N at N - 1);
    the opening line names ``topics`` (the article's tags) if there are some,
    else the stories' headings."""
    if not any(story.paragraphs for story in stories):
        stories = [Story("", "", tuple(range(1, len(paragraphs) + 1)))] if paragraphs else []
    told = [(s, lead.pick(s.paragraphs, paragraphs)) for s in stories]
    told = [(story, picked) for story, picked in told if picked]
    points = [lead.key_point(story.paragraphs, paragraphs) for story, _ in told[:MAX_POINTS]]
    return Plan(
        [story for story, _ in told if story.title],
        list(topics),
        [point for point in points if point],
        told,
    )


def generate_digest(
    stories: Sequence[Story], paragraphs: Sequence[str], topics: Sequence[str] = ()
) -> Digest:
    """The page's digest: HTML fragments, every citation an ``a.cite`` link."""
    chosen = plan(stories, paragraphs, topics)
    digest = Digest(generated=True)
    digest.points = [_cited_html(sentence, n) for n, sentence in chosen.points]
    if chosen.titled:
        digest.paragraphs.append(_escape(opening_line(chosen)))
    for story, picked in chosen.stories:
        body = " ".join(_cited_html(sentence, n) for n, sentence in picked)
        label = f"<strong>{_escape(story.title)}</strong>: " if story.title else ""
        digest.paragraphs.append(label + body)
        digest.claims.extend(Claim(s, (Citation(n, 0),)) for n, s in picked)
    return digest


def digest_markdown(
    stories: Sequence[Story], paragraphs: Sequence[str], topics: Sequence[str] = ()
) -> str:
    """The same digest as a ``## Digest`` section in Markdown."""
    chosen = plan(stories, paragraphs, topics)
    parts = ["## Digest"]
    if chosen.points:
        parts.append("\n".join(f"- {_cited_markdown(s, n)}" for n, s in chosen.points))
    if chosen.titled:
        parts.append(_markdown(opening_line(chosen)))
    for story, picked in chosen.stories:
        body = " ".join(_cited_markdown(sentence, n) for n, sentence in picked)
        parts.append(f"**{_markdown(story.title)}**: {body}" if story.title else body)
    return "\n\n".join(parts) + "\n"


def opening_line(chosen: Plan) -> str:
    """What the roundup covers, in plain text: "This roundup covers three
    stories on AI, EVs and trade." (its topics), else "…: A; B; and C." (its
    story headings)."""
    count = len(chosen.titled)
    number = _COUNTS[count] if count < len(_COUNTS) else str(count)
    covers = f"This roundup covers {number} {'story' if count == 1 else 'stories'}"
    if chosen.topics:
        return f"{covers} on {_series([_lower(topic) for topic in chosen.topics], ', ')}."
    titles = [story.title for story in chosen.titled]
    end = "" if titles[-1].endswith((".", "?", "!")) else "."
    return f"{covers}: {_series(titles, '; ')}{end}"


def _series(items: Sequence[str], separator: str) -> str:
    """``a, b and c`` (or ``a; b; and c``)."""
    if len(items) < 2:
        return "".join(items)
    last = f" and {items[-1]}" if separator == ", " else f"{separator}and {items[-1]}"
    return separator.join(items[:-1]) + last


def _lower(topic: str) -> str:
    """A tag as it reads inside a sentence: "Video generation" -> "video
    generation"; "AI" and "EVs" keep their capitals."""
    return topic[:1].lower() + topic[1:] if topic[1:2].islower() else topic


def _cited_html(sentence: str, number: int) -> str:
    link = f'<a class="cite" href="#para-{number}">[para. {number}]</a>'
    return f"{_escape(sentence)} {link}"


def _cited_markdown(sentence: str, number: int) -> str:
    return f"{_markdown(sentence)} [para. {number}]"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")


def _markdown(text: str) -> str:
    """Plain text that Markdown shows as it is."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")
