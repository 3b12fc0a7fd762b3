"""Aggregate article mentions into per-entity facts (pure, no Pelican)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .models import Analysis


@dataclass(frozen=True)
class EntityMention:
    para: int
    sentence: str
    url: str  # article URL with #para-N


@dataclass
class Appearance:
    article: Any  # a Pelican Article (anything with .url and .date)
    mentions: list[EntityMention] = field(default_factory=list)


@dataclass(frozen=True)
class Related:
    entity: Any
    count: int


def appearances(
    articles: Sequence[Any], analyses: Sequence[Analysis]
) -> dict[str, list[Appearance]]:
    """For each slug, the articles that name it (in the given order) and where."""
    found: dict[str, list[Appearance]] = defaultdict(list)
    for article, analysis in zip(articles, analyses, strict=True):
        by_slug: dict[str, Appearance] = {}
        for slug in analysis.entities:
            by_slug[slug] = Appearance(article)
            found[slug].append(by_slug[slug])
        seen = set()
        for mention in analysis.mentions:
            key = (mention.slug, mention.para, mention.sentence)
            if key in seen or mention.slug not in by_slug:
                continue
            seen.add(key)
            url = f"{article.url}#para-{mention.para}"
            by_slug[mention.slug].mentions.append(
                EntityMention(mention.para, mention.sentence, url)
            )
    return dict(found)


def mention_counts(analyses: Iterable[Analysis]) -> Counter[str]:
    return Counter(m.slug for analysis in analyses for m in analysis.mentions)


def co_mentions(analyses: Iterable[Analysis]) -> dict[str, Counter[str]]:
    """How many articles each pair of entities shares."""
    shared: dict[str, Counter[str]] = defaultdict(Counter)
    for analysis in analyses:
        slugs = list(dict.fromkeys(analysis.entities))
        for slug in slugs:
            shared[slug].update(slugs)
    for slug, counter in shared.items():
        del counter[slug]
    return dict(shared)


def ranked(counter: Counter[str], names: dict[str, str], limit: int) -> list[tuple[str, int]]:
    """Best first: most shared articles, then name A-Z."""
    order = sorted(
        counter.items(), key=lambda item: (-item[1], names.get(item[0], item[0]).casefold())
    )
    return order[:limit]
