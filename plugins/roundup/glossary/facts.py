"""Aggregate article mentions into per-entity facts (pure, no Pelican).

Sized for thousands of entities and articles: every article's URL and date
label are computed once (:class:`ArticleRef`), a mention's URL only when a
template asks for it, and related entities are the top ``limit`` of each
entity's co-mentions, selected without sorting all of them.
"""

from __future__ import annotations

import heapq
import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from ..models import Analysis, Mentions


class ArticleRef:
    """An article as entity pages list it, thousands of times.

    ``url``, ``title``, ``date`` and ``locale_date`` are read once (Pelican
    recomputes ``url`` and ``locale_date`` on every access); anything else is
    the article's own attribute. ``article`` is the Pelican article itself.
    """

    __slots__ = ("article", "date", "locale_date", "title", "url")

    def __init__(self, article: Any) -> None:
        self.article = article
        self.url = article.url
        self.title = article.title
        self.date = article.date
        self.locale_date = getattr(article, "locale_date", "")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.article, name)


class EntityMention:
    """A sentence of an article that names an entity, in paragraph ``para``."""

    __slots__ = ("article", "para", "sentence")

    def __init__(self, para: int, sentence: str, article: ArticleRef) -> None:
        self.para, self.sentence, self.article = para, sentence, article

    @property
    def url(self) -> str:
        """The article URL with ``#para-N``."""
        return f"{self.article.url}#para-{self.para}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EntityMention):
            return NotImplemented
        return (self.para, self.sentence, self.url) == (other.para, other.sentence, other.url)

    def __hash__(self) -> int:
        return hash((self.para, self.sentence, self.url))

    def __repr__(self) -> str:
        return f"EntityMention({self.para!r}, {self.sentence!r}, {self.url!r})"


class MentionRows:
    """Which of one article's mentions name each entity, each distinct
    (paragraph, sentence) once: found in one pass when a page, feed or export
    first asks (a rebuild links most of those), for all its entities at once."""

    __slots__ = ("_by_slug", "source")

    def __init__(self, source: Mentions) -> None:
        self.source = source
        self._by_slug: dict[str, list[int]] | None = None

    def of(self, slug: str) -> list[int]:
        if self._by_slug is None:
            by_slug: dict[str, list[int]] = defaultdict(list)
            seen: set[tuple[str, int, int]] = set()
            for row, key in enumerate(self.source.rows()):
                if key not in seen:
                    seen.add(key)
                    by_slug[key[0]].append(row)
            self._by_slug = dict(by_slug)
        return self._by_slug.get(slug, [])


@dataclass(slots=True)
class Appearance:
    """An article that names an entity, and its sentences that do (deduplicated)."""

    article: Any  # an ArticleRef (anything with .url and .date)
    found: MentionRows  # the article's mentions, by entity
    slug: str  # the entity

    @property
    def source(self) -> Mentions:
        return self.found.source

    @property
    def rows(self) -> list[int]:
        """Which of the article's mentions name the entity."""
        return self.found.of(self.slug)

    @property
    def mentions(self) -> list[EntityMention]:
        """Made when a page or feed asks: a site has hundreds of thousands."""
        return [EntityMention(*self.source.place(row), self.article) for row in self.rows]

    @property
    def paragraphs(self) -> list[int]:
        """The paragraphs that name the entity, in order, each once (the
        export asks this of every article naming an entity whose line
        changed, hundreds for a popular one)."""
        return self.source.paragraphs_of(self.slug)


@dataclass(frozen=True, slots=True)
class Related:
    entity: Any
    count: int


def appearances(
    articles: Sequence[Any], analyses: Sequence[Analysis]
) -> dict[str, list[Appearance]]:
    """For each slug, the articles that name it (in the given order) and where."""
    found: dict[str, list[Appearance]] = defaultdict(list)
    for article, analysis in zip(articles, analyses, strict=True):
        ref = article if isinstance(article, ArticleRef) else ArticleRef(article)
        rows = MentionRows(analysis.mentions)
        for slug in dict.fromkeys(analysis.entities):
            found[slug].append(Appearance(ref, rows, slug))
    return dict(found)


def mention_counts(analyses: Iterable[Analysis]) -> Counter[str]:
    return Counter(chain.from_iterable(a.mentions.each_slug() for a in analyses))


def related(
    analyses: Sequence[Analysis], names: dict[str, str], limit: int
) -> dict[str, list[tuple[str, int]]]:
    """For each entity, the ``limit`` others it shares most articles with (:func:`ranked`).

    One entity's counts at a time: all of them together (every pair of
    entities named in one article) would be the largest thing a big build holds.
    """
    lists = [list(dict.fromkeys(analysis.entities)) for analysis in analyses]
    where: dict[str, list[int]] = defaultdict(list)
    for index, slugs in enumerate(lists):
        for slug in slugs:
            where[slug].append(index)
    found = {}
    for slug, indexes in where.items():
        shared = Counter(chain.from_iterable(map(lists.__getitem__, indexes)))  # one C loop
        del shared[slug]
        found[slug] = ranked(shared, names, limit)
    return found


def ranked(counter: Mapping[str, int], names: dict[str, str], limit: int) -> list[tuple[str, int]]:
    """Best first: most shared articles, then name A-Z; the top ``limit`` only.

    The ``limit``-th highest count is found without a key function, so only
    the candidates that can make the list are sorted by name.
    """
    if limit <= 0 or not counter:
        return []
    floor = heapq.nlargest(limit, counter.values())[-1]
    candidates = [item for item in counter.items() if item[1] >= floor]
    candidates.sort(key=lambda item: (-item[1], names.get(item[0], item[0]).casefold()))
    return candidates[:limit]


class FeedEntry:
    """An article in an entity's Atom feed, shaped like ``Writer.write_feed`` items.

    Its content is the sentences that name the entity, each linked to its
    paragraph (the summary goes in the entry's summary), not the whole
    article: 2,000 entity feeds of full articles would outweigh the site.
    Every other field is the article's.
    """

    __slots__ = ("appearance",)

    def __init__(self, appearance: Appearance) -> None:
        self.appearance = appearance

    def __getattr__(self, name: str) -> Any:
        return getattr(self.appearance.article, name)

    def get_content(self, siteurl: str) -> str:
        base = f"{siteurl.rstrip('/')}/{self.appearance.article.url}"
        items = "".join(
            f'<li><a href="{base}#para-{m.para}">¶ {m.para}</a> {html.escape(m.sentence)}</li>'
            for m in self.appearance.mentions
        )
        return f"<ul>{items}</ul>" if items else ""
