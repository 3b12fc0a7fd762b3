"""Plain-text helpers: sentences, numbers, slugs."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

# Words that end with a full stop without ending the sentence.
# fmt: off
ABBREVIATIONS = frozenset({
    "inc", "co", "ltd", "corp", "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs",
    "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "gov", "rep", "sen", "gen", "jr", "sr", "fig", "approx", "est", "dept",
})
# fmt: on
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+|[。！？]+[”’」』）]*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each sentence in ``text`` (whitespace trimmed)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        end = boundary.end()
        if _ends_with_abbreviation(text, start, boundary) or _next_is_lowercase(text, end):
            continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _ends_with_abbreviation(text: str, start: int, boundary: re.Match) -> bool:
    """Whether the full stop of ``boundary`` follows an abbreviation or an initial.

    The word is the run of Latin letters and dots just before the boundary's
    punctuation, within the sentence that began at ``start``.
    """
    if not boundary.group().rstrip().endswith("."):
        return False
    end = begin = boundary.start()
    while begin > start and text[begin - 1] in _WORD_CHARS:
        begin -= 1
    word = text[begin:end].strip(".")
    if not word:
        return False
    # "U.S." and single initials ("J. Smith") never end a sentence here.
    return word.lower() in ABBREVIATIONS or "." in word or len(word) == 1


def _next_is_lowercase(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos].islower()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def sentence_finder(text: str) -> Callable[[int], str]:
    """A lookup: offset in ``text`` -> its sentence, space-normalised.

    Sentences are split once, so looking up many offsets stays linear; equal
    offsets in one sentence share one string.
    """
    spans: list[tuple[int, int]] = []
    ends: list[int] = []
    found: dict[int, str] = {}

    def at(offset: int) -> str:
        if not spans:  # on first use: most blocks mention nothing
            spans.extend(sentence_spans(text) or [(0, len(text))])
            ends.extend(end for _, end in spans)
        index = bisect_right(ends, offset)
        if index not in found:
            start, end = spans[index] if index < len(spans) else (0, len(text))
            found[index] = normalize_space(text[start:end])
        return found[index]

    return at


def numbers(text: str) -> set[str]:
    """Numbers written in ``text``, normalised ("1,900" and "1900" are equal)."""
    found = set()
    for raw in _NUMBER.findall(text):
        value = raw.replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        found.add(value)
    return found


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def excerpt(sentence: str, surface: str, words: int = 14) -> str:
    """At most ``words`` words of ``sentence`` around its first ``surface``,
    a third of them before it; "…" marks each cut."""
    tokens = sentence.split()
    if len(tokens) <= words:
        return " ".join(tokens)
    found = sentence.find(surface)
    index = len(sentence[:found].split()) if found > 0 else 0
    start = max(0, min(index - words // 3, len(tokens) - words))
    end = start + words
    cut = " ".join(tokens[start:end])
    return ("…" if start else "") + cut + ("…" if end < len(tokens) else "")
