"""A story's digest sentences: its leading sentences that stand alone, under a word budget.

News puts the most important facts first, and the news per word falls with
position; a digest reader, like ROUGE, rewards news per word. So a story's
digest spends a word budget on its earliest sentences that a reader can
understand out of context (:func:`stands_alone`): the first one always (a
long lead is usually the best single sentence), each next one while the
total stays within :data:`BUDGET` words, and no more than :data:`MAX_SENTENCES`.
It stops at the first sentence that does not fit: reaching deeper into the
story for a short filler measured worse.

Measured on 125 news stories written by others, against the highlights
published with them (README, "Digest Hub"; docs/digest.md): ROUGE-2 above the story's
first two sentences at fewer words. Centrality re-ranking (TextRank,
PacSum-style), the headline as a query, entity density and redundancy
removal were measured too and did not help.

Every picked sentence is a verbatim piece of the paragraph it cites.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .text import sentences

BUDGET = 60  # words: the most a story's digest of more than one sentence may have
MAX_SENTENCES = 2  # a story's digest: one or two sentences
MIN_WORDS = 6  # fewer words is a label or a stub, not a claim
POINT_WORDS = 35  # a key point longer than this gives way to a shorter stand-alone one

_OPENING_QUOTES = ('"', "'", "‘", "“", "«", "„", "「", "『")
_COMPLETE_END = re.compile(r"[.!?。！？][\"'’”»)\]」』）]*$")
# Openings that lean on an earlier sentence: pronouns, possessives, connectives.
_LEANS_BACK = re.compile(
    r"(?:it|its|this|that|these|those|they|them|their|he|him|his|she|her|such|both|"
    r"but|and|or|nor|so|yet|also|still|then|instead|however|meanwhile)\b",
    re.IGNORECASE,
)


def words(sentence: str) -> int:
    """Words as a reader (and ROUGE) counts them: runs of non-space characters."""
    return len(sentence.split())


def stands_alone(sentence: str) -> bool:
    """A complete claim that needs no earlier sentence: long enough, not cut
    off, not a quotation, not leaning on a pronoun or connective."""
    text = sentence.strip()
    if words(text) < MIN_WORDS or text[0].islower() or not _COMPLETE_END.search(text):
        return False
    return not text.startswith(_OPENING_QUOTES) and not _LEANS_BACK.match(text)


def story_sentences(numbers: Sequence[int], paragraphs: Sequence[str]) -> list[tuple[int, str]]:
    """``(paragraph number, sentence)`` of every sentence of a story, in reading order
    (``paragraphs``: the article's plain paragraphs, number N at index N - 1)."""
    return [(n, s) for n in numbers for s in _sentences(paragraphs[n - 1])]


# A story's paragraphs are split for its digest sentences and again for its key point.
_sentences = functools.lru_cache(maxsize=256)(lambda text: tuple(sentences(text)))


def pick(numbers: Sequence[int], paragraphs: Sequence[str]) -> list[tuple[int, str]]:
    """A story's digest sentences with the paragraph each cites, in reading order;
    ``[]`` only for a story without a sentence."""
    every = story_sentences(numbers, paragraphs)
    candidates = [(n, s) for n, s in every if stands_alone(s)] or every[:1]
    picked: list[tuple[int, str]] = []
    total = 0
    for number, sentence in candidates:
        if picked and (total + words(sentence) > BUDGET or len(picked) == MAX_SENTENCES):
            break
        picked.append((number, sentence))
        total += words(sentence)
    return picked


def key_point(numbers: Sequence[int], paragraphs: Sequence[str]) -> tuple[int, str] | None:
    """The story's sentence for the key points: its first stand-alone
    sentence, or a later one that is not over :data:`POINT_WORDS` words when
    the first is."""
    every = story_sentences(numbers, paragraphs)
    candidates = [(n, s) for n, s in every if stands_alone(s)] or every[:1]
    if not candidates:
        return None
    short = [(n, s) for n, s in candidates if words(s) <= POINT_WORDS]
    return candidates[0] if words(candidates[0][1]) <= POINT_WORDS or not short else short[0]
