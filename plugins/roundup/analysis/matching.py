"""Find entity mentions in plain text.

One Aho-Corasick automaton holds every name, alias and native name; a scan
reports all candidate matches, a boundary check drops those inside words and
a left-to-right pass keeps the longest of overlapping matches (the model is
Python-Markdown's ``abbr``: one pattern, longest first, word-bounded).

Matching is case-sensitive. A name that starts or ends with a Latin letter or
digit must not touch another Latin letter or digit on that side ("Nio" does not
match "Niobium"); CJK has no spaces, so a CJK edge needs no boundary
(北京的生数科技公司 mentions 生数科技).
"""

from __future__ import annotations

import functools
import string
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

import ahocorasick


class Match(NamedTuple):
    start: int
    end: int
    slug: str

    def surface(self, text: str) -> str:
        return text[self.start : self.end]


def is_cjk(char: str) -> bool:
    """True for Han, Kana, Hangul and CJK punctuation: scripts without spaces."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3134F
    )


@functools.lru_cache(maxsize=4096)  # a text has few distinct characters; this runs per match
def is_word_char(char: str) -> bool:
    """A character that would continue a space-separated word."""
    if char == "_":
        return True
    if not char.isalnum() or is_cjk(char):
        return False
    return unicodedata.category(char)[0] in "LN"


_ASCII_WORD = frozenset(string.ascii_letters + string.digits + "_")


def _word(char: str) -> bool:
    """:func:`is_word_char`, without a call for the usual ASCII character."""
    return char in _ASCII_WORD or (char >= "\x80" and is_word_char(char))


class Matcher:
    """All surface forms of all entities, compiled once per registry."""

    def __init__(self, names: Mapping[str, str]) -> None:
        """``names`` maps each surface form (name, alias, native name) to a slug."""
        self._automaton = ahocorasick.Automaton()
        self._forms = {surface: surface for surface in names}
        for surface, slug in names.items():
            if surface:
                self._automaton.add_word(surface, (len(surface), slug))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def canonical(self, surface: str) -> str:
        """The registry's own string for ``surface`` (one copy per site, not per mention)."""
        return self._forms.get(surface, surface)

    def find(self, text: str) -> list[Match]:
        """Non-overlapping, word-bounded matches in ``text``, longest first."""
        if self._empty or not text:
            return []
        return _leftmost_longest(self._candidates(text))

    def slugs(self, text: str) -> set[str]:
        """The entities :meth:`find` would report in ``text``."""
        if self._empty or not text:
            return set()
        candidates = self._candidates(text)
        found = {slug for _, _, slug in candidates}
        if len(found) < 2:  # overlaps cannot drop the only entity
            return found
        return {match.slug for match in _leftmost_longest(candidates)}

    def _candidates(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, -length, slug)`` of every word-bounded match, sorted."""
        found = []
        last = len(text) - 1
        for end, (length, slug) in self._automaton.iter(text):
            start = end + 1 - length
            if start and _word(text[start - 1]) and _word(text[start]):
                continue
            if end < last and _word(text[end + 1]) and _word(text[end]):
                continue
            found.append((start, -length, slug))
        found.sort()
        return found


def _leftmost_longest(candidates: list[tuple[int, int, str]]) -> list[Match]:
    """Keep, scanning left to right, the longest match at each position."""
    chosen: list[Match] = []
    reach = 0
    for start, negative_length, slug in candidates:
        if start >= reach:
            reach = start - negative_length
            chosen.append(Match(start, reach, slug))
    return chosen
