"""Which paragraphs support a digest claim: ranking by BM25 and the checks on it.

A claim is a query and the article's paragraphs are the collection. Terms are
the names of glossary entities (one term per entity, however it is written),
numbers ("1,900" equals "1900"), abbreviations ("U.S.") and the remaining
words once stop words are dropped, stemmed by Snowball's English stemmer (the
one Sphinx's search uses); CJK text counts by character pairs. BM25 weighs a
term by its rarity among the paragraphs, so names, figures and rare words
decide, and by its frequency in the paragraph, with a saturation that keeps a
long paragraph from winning by length alone.

A claim's citations are *clearly worse* than another paragraph when the best
cited paragraph scores under :data:`RATIO` of the best paragraph overall and
that paragraph scores at least :data:`MIN_SCORE` (a claim sharing next to
nothing with every paragraph cannot be judged by ranking).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import snowballstemmer

K1, B = 1.2, 0.75  # the usual BM25 constants
RATIO = 0.5
MIN_SCORE = 2.0

_STOP = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its itself just
may me might more most much must my no nor not now of off on once only or other our ours out
over own said same says she should so some such than that the their theirs them then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your it's new one two three year years
"""
STOP_WORDS = frozenset(_STOP.split())
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|(?:[^\W\d_]\.){2,}|[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_stem = snowballstemmer.stemmer("english").stemWord


# Words repeat across a site's articles: the commonest keep their terms, the cache stays small.
@functools.lru_cache(maxsize=1 << 13)
def token_terms(token: str) -> tuple[str, ...]:
    """The terms of one lower-cased token: none for a stop word or a short one."""
    if token[0].isdigit():
        value = token.replace(",", "")
        return (value.rstrip("0").rstrip(".") if "." in value else value,)
    if token.endswith("."):
        return (token,)  # an abbreviation, "u.s."
    if _CJK.match(token):
        return tuple(token[i : i + 2] for i in range(max(1, len(token) - 1)))
    if len(token) > 2 and token not in STOP_WORDS:
        return (_stem(token),)
    return ()


def terms(text: str, names: Callable[[str], Iterable[str]] = lambda _t: ()) -> list[str]:
    """The BM25 terms of ``text``; ``names`` gives the entity slugs it mentions."""
    found = [f"@{slug}" for slug in names(text)]
    for token in _TOKEN.findall(text.lower()):
        found.extend(token_terms(token))
    return found


class Ranking:
    """BM25 over one collection (an article's paragraphs, as term lists),
    prepared once for all the queries (claims) put to it."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.counts = [Counter(doc) for doc in documents]
        average = sum(len(doc) for doc in documents) / len(documents) if documents else 1.0
        self.norms = [K1 * (1 - B + B * len(doc) / (average or 1.0)) for doc in documents]
        frequency = Counter(term for count in self.counts for term in count)
        size = len(documents)
        self.idf = {t: math.log((size - df + 0.5) / (df + 0.5) + 1) for t, df in frequency.items()}

    def scores(self, query: Sequence[str]) -> list[float]:
        """The BM25 score of ``query`` against each document."""
        wanted = [(term, self.idf[term]) for term in sorted(set(query)) if term in self.idf]
        found = []
        for count, norm in zip(self.counts, self.norms, strict=True):
            score = 0.0
            for term, idf in wanted:
                tf = count.get(term, 0)
                if tf:
                    score += idf * tf * (K1 + 1) / (tf + norm)
            found.append(score)
        return found


def bm25(query: Sequence[str], documents: Sequence[Sequence[str]]) -> list[float]:
    """The BM25 score of ``query`` against each of ``documents`` (term lists)."""
    return Ranking(documents).scores(query)


def better_paragraph(scores: Sequence[float], cited: Iterable[int]) -> int | None:
    """The paragraph (1-based) that supports a claim clearly better than the
    ones it cites, or ``None``. ``scores[N - 1]`` is paragraph N's score."""
    if not scores:
        return None
    best = max(range(len(scores)), key=lambda i: (scores[i], -i)) + 1
    inside = [scores[n - 1] for n in cited if 1 <= n <= len(scores)]
    if best in set(cited) or not inside or scores[best - 1] < MIN_SCORE:
        return None
    return best if max(inside) < RATIO * scores[best - 1] else None


def shares_facts(claim: set[str], cited: set[str]) -> bool:
    """Whether cited text shares a name or number with a claim that has some."""
    return not claim or bool(claim & cited)
