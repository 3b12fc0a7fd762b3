"""Reference summarisers the generated digest is compared with, on the same text.

Each takes a story's paragraphs (plain text, as published) and returns
``(paragraph number, sentence)`` pairs in reading order, sentences split by
the product's own splitter so every system is cut the same way.

- :func:`lead`: the first ``k`` sentences (lead-1/2/3), the classic news baseline;
- :func:`textrank`: TextRank (Mihalcea and Tarau, 2004): sentences ranked by
  PageRank over their content-word cosine similarity, the top ``k`` in
  reading order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

from roundup.analysis.text import sentences

Summariser = Callable[[Sequence[str]], list[tuple[int, str]]]
DAMPING, ITERATIONS = 0.85, 50

_WORD = re.compile(r"[a-z0-9]+")
_STOP = """a an the of to in on for and or but nor so is are was were be been being am has have
had do does did it its this that these those with as at by from into over under about after before
than then there their they them he him his she her we us our you your i me my not no will would
shall should can could may might must said says say told also just who whom which what when where
why how all any both each more most other some such only own same too very if while"""
STOP_WORDS = frozenset(_STOP.split())


def units(paragraphs: Sequence[str]) -> list[tuple[int, str]]:
    """Every sentence with its paragraph number, in reading order."""
    return [(n, s) for n, text in enumerate(paragraphs, 1) for s in sentences(text)]


def lead(k: int) -> Summariser:
    def summarise(paragraphs: Sequence[str]) -> list[tuple[int, str]]:
        return units(paragraphs)[:k]

    return summarise


def _terms(sentence: str) -> Counter:
    return Counter(w for w in _WORD.findall(sentence.lower()) if w not in STOP_WORDS)


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(count * b[term] for term, count in a.items() if term in b)
    if not dot:
        return 0.0
    norms = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norms


def pagerank(weights: list[list[float]]) -> list[float]:
    """Weighted PageRank of a symmetric similarity matrix."""
    n = len(weights)
    out = [sum(row) for row in weights]
    rank = [1.0] * n
    for _ in range(ITERATIONS):
        rank = [
            (1 - DAMPING)
            + DAMPING * sum(weights[b][a] / out[b] * rank[b] for b in range(n) if weights[b][a])
            for a in range(n)
        ]
    return rank


def textrank(k: int = 2) -> Summariser:
    def summarise(paragraphs: Sequence[str]) -> list[tuple[int, str]]:
        found = units(paragraphs)
        terms = [_terms(s) for _, s in found]
        weights = [[0.0] * len(found) for _ in found]
        for a in range(len(found)):
            for b in range(a + 1, len(found)):
                weights[a][b] = weights[b][a] = _cosine(terms[a], terms[b])
        rank = pagerank(weights)
        best = sorted(range(len(found)), key=lambda i: (-rank[i], i))[:k]
        return [found[i] for i in sorted(best)]

    return summarise
