"""Plain data passed from the reader to generators and templates.

Everything here is picklable: an article's analysis travels with the reader
output, so Pelican's content cache stores it and a rebuild does not redo it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Problem:
    """One content problem, reported as ``path:line: level: message``."""

    path: str
    line: int
    level: str  # "error" | "warning" | "info"
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}: {self.level}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class Mention(NamedTuple):
    """An entity named in paragraph ``para`` of an article body.

    A named tuple, not a dataclass: a site holds a hundred per article, and
    this is the smallest immutable record that pickles (and loads) fastest.
    """

    slug: str
    para: int
    surface: str  # the text as written, e.g. "Nio" for entity "nio-inc"
    sentence: str  # plain text of the sentence containing the mention


@dataclass(frozen=True, slots=True)
class Story:
    """A ``## Heading`` section of the article body."""

    title: str
    anchor: str  # id of the <h2>
    paragraphs: tuple[int, ...]  # paragraph numbers in the story


@dataclass(frozen=True, slots=True)
class Citation:
    para: int
    line: int  # source line of the citation (0 when generated)


@dataclass(frozen=True, slots=True)
class Claim:
    """Digest text followed by the citations that support it."""

    text: str
    citations: tuple[Citation, ...]
    line: int = 0  # source line of the digest paragraph holding the claim


@dataclass(slots=True)
class Digest:
    """The Digest Hub of one article.

    ``points`` and ``paragraphs`` are HTML fragments; in ``paragraphs`` every
    citation is already ``<a class="cite" href="#para-N">[para. N]</a>``.
    """

    points: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    # For the checks made while reading; emptied by the reader once used (memory).
    claims: list[Claim] = field(default_factory=list)
    generated: bool = False


@dataclass(slots=True)
class Analysis:
    """What the plugin learned from one article body."""

    paragraph_count: int = 0
    # Plain text, index = N - 1; emptied by the reader once used (memory).
    paragraphs: list[str] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # slugs, first-mention order
    digest: Digest = field(default_factory=Digest)
    problems: list[Problem] = field(default_factory=list)
