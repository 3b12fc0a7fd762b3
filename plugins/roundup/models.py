"""Plain data passed from the reader to generators and templates.

Everything here is picklable: an article's analysis travels with the reader
output, so Pelican's content cache stores it and a rebuild does not redo it.
"""

from __future__ import annotations

import os
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from itertools import compress
from typing import NamedTuple, overload


@dataclass(frozen=True, slots=True)
class Problem:
    """One content problem, reported as ``path:line: level: message``."""

    path: str
    line: int
    level: str  # "error" | "warning" | "info"
    message: str
    hint: str = ""
    suggestion: str = ""  # a replacement for the faulty text, when one is known

    def format(self) -> str:
        text = f"{self.path}:{self.line}: {self.level}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def display_path(path: str) -> str:
    """A path for messages: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


class Mention(NamedTuple):
    """An entity named in paragraph ``para`` of an article body.

    Articles keep theirs by column (:class:`Mentions`); indexing one gives
    this record.
    """

    slug: str
    para: int
    surface: str  # the text as written, e.g. "Nio" for entity "nio-inc"
    sentence: str  # plain text of the sentence containing the mention


class Mentions(Sequence[Mention]):
    """An article's mentions, stored by column.

    A big site holds hundreds of thousands of mentions; as separate records
    (one tuple and one sentence string each) they were the largest thing a
    build kept. Here slugs and surfaces are tuples of shared strings, numbers
    are arrays, and the distinct sentences are one UTF-8 string of bytes with
    their end offsets. Indexing still gives :class:`Mention` records.

    Loaded from a cache, the slug and surface columns stay packed (their
    distinct names and an index array each) until something asks for them:
    a rebuild asks for few of the thousands of articles it loads, and
    :meth:`each_slug` goes without them.
    """

    __slots__ = ("_columns", "_ends", "_sentence_of", "_slugs", "_surfaces", "_text", "paras")

    def __init__(self, records: Iterable[Mention] = ()) -> None:
        slugs, surfaces, paras, sentence_of = [], [], array("I"), array("I")
        known: dict[str, int] = {}
        chunks: list[bytes] = []
        ends = array("I")
        for slug, para, surface, sentence in records:
            if sentence not in known:
                known[sentence] = len(chunks)
                chunks.append(sentence.encode())
                ends.append((ends[-1] if ends else 0) + len(chunks[-1]))
            slugs.append(slug)
            surfaces.append(surface)
            paras.append(para)
            sentence_of.append(known[sentence])
        self._slugs, self._surfaces = tuple(slugs), tuple(surfaces)
        self._columns: tuple | None = None
        self.paras, self._sentence_of = paras, sentence_of
        self._text, self._ends = b"".join(chunks), ends

    @property
    def slugs(self) -> tuple[str, ...]:
        if self._slugs is None:
            self._unpack()
        return self._slugs

    @property
    def surfaces(self) -> tuple[str, ...]:
        if self._surfaces is None:
            self._unpack()
        return self._surfaces

    def _unpack(self) -> None:
        slugs, slug_of, surfaces, surface_of = self._columns
        self._slugs, self._surfaces = _uncolumn(slugs, slug_of), _uncolumn(surfaces, surface_of)
        self._columns = None

    def each_slug(self) -> Iterator[str]:
        """The entity of each mention, in order, without unpacking the names."""
        if self._columns is None:
            return iter(self._slugs)
        names, indexes = self._columns[0], self._columns[1]
        distinct = names.split("\0") if isinstance(names, str) else names
        return map(distinct.__getitem__, array("I", indexes))

    def paragraphs_of(self, slug: str) -> list[int]:
        """The paragraphs whose mentions name ``slug``, in order, each once.

        Names stay packed: the entity's number among them is compared with
        each mention's (the export asks this of every pair of an entity and
        an article naming it, ~100,000 at 4,000 roundups).
        """
        if self._columns is None:
            return sorted(set(compress(self.paras, map(slug.__eq__, self._slugs))))
        number = _position(self._columns[0], slug)
        if number is None:
            return []
        # Each mention's name number is one array("I") item: find the entity's.
        indexes, wanted = self._columns[1], array("I", [number]).tobytes()
        width = len(wanted)
        found: set[int] = set()
        at = indexes.find(wanted)
        while at >= 0:
            if at % width == 0:  # not the end of one number and the start of the next
                found.add(self.paras[at // width])
            at = indexes.find(wanted, at + 1)
        return sorted(found)

    def first_mentions(self) -> dict[str, Mention]:
        """Each entity's first mention, by slug, in first-mention order.

        One pass over the slugs (packed names stay packed, as in
        :meth:`each_slug`); only the first mentions' sentences are decoded,
        and the object is left as it was (an article page asks this once).
        """
        first: dict[str, int] = {}
        for index, slug in enumerate(self.each_slug()):
            if slug not in first:
                first[slug] = index
        indexes = list(first.values())
        if self._columns is None:
            surfaces = [self._surfaces[index] for index in indexes]
        else:
            names, numbers = self._columns[2], array("I", self._columns[3])
            distinct = names.split("\0") if isinstance(names, str) else names
            surfaces = [distinct[numbers[index]] for index in indexes]
        found = {}
        for slug, index, surface in zip(first, indexes, surfaces, strict=True):
            para, sentence = self.place(index)
            found[slug] = Mention(slug, para, surface, sentence)
        return found

    def rows(self) -> Iterator[tuple[str, int, int]]:
        """``(slug, para, sentence number)`` per mention, without decoding text."""
        return zip(self.slugs, self.paras, self._sentence_of, strict=True)

    def sentence(self, number: int) -> str:
        """The text of distinct sentence ``number`` (from :meth:`rows`)."""
        start = self._ends[number - 1] if number else 0
        return self._text[start : self._ends[number]].decode()

    def place(self, index: int) -> tuple[int, str]:
        """Paragraph and sentence of mention ``index``."""
        return self.paras[index], self.sentence(self._sentence_of[index])

    def __len__(self) -> int:
        return len(self.paras)

    @overload
    def __getitem__(self, index: int) -> Mention: ...
    @overload
    def __getitem__(self, index: slice) -> list[Mention]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        para, sentence = self.place(index)
        return Mention(self.slugs[index], para, self.surfaces[index], sentence)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Mentions({list(self)!r})"

    def __reduce__(self):
        names = self._columns or (*_column(self._slugs), *_column(self._surfaces))
        columns = (self.paras.tobytes(), self._sentence_of.tobytes(), self._ends.tobytes())
        return _restore, (*names, self._text, *columns)


def _joined(names: Sequence[str]) -> str | tuple[str, ...]:
    """One string for a pickle instead of one object per name (a tuple if a name has NUL)."""
    text = "\0".join(names)
    return text if names and text.count("\0") == len(names) - 1 else tuple(names)


def _split(names: str | tuple[str, ...]) -> tuple[str, ...]:
    """Interned: every article's copy of a name is the same string in memory."""
    return tuple(map(sys.intern, names.split("\0"))) if isinstance(names, str) else names


def _column(names: tuple[str, ...]) -> tuple[str | tuple[str, ...], bytes]:
    """``names`` as its distinct names (:func:`_joined`) and each one's index
    among them: an article names the same few entities many times."""
    distinct = list(dict.fromkeys(names))
    number = {name: index for index, name in enumerate(distinct)}
    return _joined(distinct), array("I", map(number.__getitem__, names)).tobytes()


def _position(distinct: str | tuple[str, ...], name: str) -> int | None:
    """The number of ``name`` among packed ``distinct`` names (:func:`_joined`)."""
    if not isinstance(distinct, str):
        return distinct.index(name) if name in distinct else None
    found = f"\0{distinct}\0".find(f"\0{name}\0")
    return None if found < 0 else distinct.count("\0", 0, found)


def _uncolumn(distinct: str | tuple[str, ...], indices: bytes) -> tuple[str, ...]:
    return tuple(map(_split(distinct).__getitem__, array("I", indices)))


def _restore(slugs, slug_of, surfaces, surface_of, text, paras, sentence_of, ends) -> Mentions:
    mentions = Mentions.__new__(Mentions)
    mentions._columns = (slugs, slug_of, surfaces, surface_of)
    mentions._slugs = mentions._surfaces = None
    mentions._text = text
    mentions.paras, mentions._sentence_of = array("I", paras), array("I", sentence_of)
    mentions._ends = array("I", ends)
    return mentions


def by_fields(cls: type) -> type:
    """Class decorator for a slots dataclass: pickled as a call to the class
    with its fields. (Dataclasses' own ``__setstate__`` for slots classes looks
    the fields up for every object it restores: thousands per cached build.)"""
    names = tuple(f.name for f in fields(cls))

    def reduce(self) -> tuple:
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = reduce
    return cls


@by_fields
@dataclass(frozen=True, slots=True)
class Story:
    """A ``## Heading`` section of the article body."""

    title: str
    anchor: str  # id of the <h2>
    paragraphs: tuple[int, ...]  # paragraph numbers in the story


@by_fields
@dataclass(frozen=True, slots=True)
class Citation:
    para: int
    line: int  # source line of the citation (0 when generated)


@by_fields
@dataclass(frozen=True, slots=True)
class Claim:
    """Digest text followed by the citations that support it."""

    text: str
    citations: tuple[Citation, ...]
    line: int = 0  # source line of the digest paragraph holding the claim


@by_fields
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
    mentions: Mentions = field(default_factory=Mentions)
    entities: list[str] = field(default_factory=list)  # slugs, first-mention order
    digest: Digest = field(default_factory=Digest)
    problems: list[Problem] = field(default_factory=list)

    def __reduce__(self) -> tuple:
        # Entity slugs as one string, interned when loaded (as in Mentions).
        parts = (self.paragraphs, self.stories, self.mentions, _joined(self.entities))
        return _analysis, (self.paragraph_count, *parts, self.digest, self.problems)


def _analysis(count, paragraphs, stories, mentions, entities, digest, problems) -> Analysis:
    return Analysis(count, paragraphs, stories, mentions, list(_split(entities)), digest, problems)
