"""The authored Digest Hub: parse it and check that its citations hold.

An authored digest is the final ``## Digest`` section of an article: an
optional bullet list (key points) and paragraphs whose claims end with
citations (``[para. N]``, :mod:`.citations`). Every claim, key points
included, is checked against the paragraphs it cites (:func:`support_problems`).
Without a ``## Digest`` section the digest is generated (:mod:`.generate`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from ..models import Claim, Digest
from . import support
from .body import is_footnotes
from .citations import CITATION, backwards, claims_of, compact, link_citations
from .matching import Matcher
from .text import normalize_space, numbers
from .tree import plain_text


def is_digest_heading(el: Element) -> bool:
    return el.tag == "h2" and normalize_space("".join(el.itertext())).lower() == "digest"


def split_digest(root: Element) -> tuple[list[Element] | None, list[str]]:
    """Remove the ``## Digest`` section from ``root``; return it and any errors."""
    children = list(root)
    starts = [i for i, el in enumerate(children) if is_digest_heading(el)]
    if not starts:
        return None, []
    errors = []
    if len(starts) > 1:
        errors.append("more than one '## Digest' section; keep one, at the end")
    # Footnotes are appended after the last section; they belong to the body.
    section = [el for el in children[starts[0] :] if not is_footnotes(el)]
    if any(el.tag == "h2" and not is_digest_heading(el) for el in section):
        errors.append("'## Digest' must be the last section of the article")
    for el in section:
        root.remove(el)
    return [el for el in section if not is_digest_heading(el)], errors


def parse_authored(
    elements: list[Element],
    serialize: Callable[[Element], str],
    resolve: Callable[[str], str],
    lines: DigestLines,
) -> tuple[Digest, list[str]]:
    """Build a :class:`Digest` from the elements of a ``## Digest`` section."""
    digest, errors = Digest(), []
    cites = _CitationLines(lines.citations)
    para_lines = iter(lines.paragraphs)
    rest = elements
    if rest and rest[0].tag == "ul":
        bullet_lines = iter(lines.bullets)
        for li in rest[0].findall("li"):
            line = next(bullet_lines, lines.heading)
            digest.points.append(_take(li, digest, cites, line, serialize, resolve))
        rest = rest[1:]
    for index, el in enumerate(rest):
        if el.tag != "p":
            errors.append(
                f"the digest may only hold a bullet list then paragraphs, found <{el.tag}>"
            )
            continue
        line = next(para_lines, lines.heading)
        # A first paragraph without citations is the opening line, which says
        # what the roundup covers: it makes no claim of its own.
        opening = index == 0 and not CITATION.search(plain_text(el, resolve))
        html = _take(el, digest, cites, line, serialize, resolve, cited_only=opening)
        digest.paragraphs.append(html)
    return digest, errors


class _CitationLines:
    """Source lines of the written citations, handed out in reading order."""

    def __init__(self, lines: Sequence[int]) -> None:
        self.lines, self.used = list(lines), 0

    def take(self, text: str) -> list[int]:
        count = len(CITATION.findall(text))
        taken = self.lines[self.used : self.used + count]
        self.used += count
        return taken


def _take(el, digest: Digest, cites, line: int, serialize, resolve, cited_only=False) -> str:
    """Record the claims of one key point or paragraph; its HTML, citations linked."""
    text = plain_text(el, resolve)
    claims, uncited = claims_of(text, cites.take(text), line)
    if uncited and _has_words(uncited) and not cited_only:
        claims.append(Claim(uncited, (), line))
    digest.claims.extend(claims)
    link_citations(el)
    return _inner(el, serialize)


def _inner(el: Element, serialize: Callable[[Element], str]) -> str:
    """Serialized content of ``el`` without its own tags."""
    clone = Element("div")
    clone.text = el.text
    clone.extend(list(el))
    return serialize(clone)[len("<div>") : -len("</div>")].strip()


def _has_words(text: str) -> bool:
    return bool(re.search(r"\w{2,}", text))


@dataclass
class DigestLines:
    """Source lines (1-based) of the parts of a ``## Digest`` section."""

    heading: int = 0
    citations: list[int] = field(default_factory=list)  # each written citation, in order
    bullets: list[int] = field(default_factory=list)  # each key point
    paragraphs: list[int] = field(default_factory=list)  # first line of each paragraph
    written: list[str] = field(default_factory=list)  # the citations as written


def digest_lines(source: str) -> DigestLines:
    """Where the digest's heading, key points, paragraphs and citations are."""
    found, previous_blank = DigestLines(), True
    for number, line in enumerate(source.splitlines(), 1):
        text = line.strip()
        if not found.heading:
            if re.match(r"##\s+Digest\s*#*\s*$", text, re.IGNORECASE):
                found.heading = number
            continue
        if re.match(r"[-*+]\s", text):
            found.bullets.append(number)
        elif text and previous_blank and not text.startswith("[^"):
            found.paragraphs.append(number)
        for citation in CITATION.finditer(line):
            found.citations.append(number)
            found.written.append(citation.group())
        previous_blank = not text
    return found


@dataclass(frozen=True)
class SupportProblem:
    """A claim whose citations do not hold: ``kind`` is ``missing``,
    ``better`` (another paragraph matches it clearly better) or ``unsupported``."""

    claim: Claim
    kind: str
    line: int
    paragraphs: tuple[int, ...] = ()  # the missing ones, or the better one


def support_problems(
    claims: Sequence[Claim],
    paragraphs: Sequence[str],
    matcher: Matcher,
    names: Sequence[Iterable[str]] | None = None,
) -> list[SupportProblem]:
    """Claims whose citations point nowhere or clearly miss their paragraph
    (``names``: the entities each paragraph mentions, if already known)."""
    ranking: support.Ranking | None = None  # made for the first claim that needs it
    problems = []
    for claim in claims:
        if not claim.citations:
            continue
        missing = [c for c in claim.citations if not 1 <= c.para <= len(paragraphs)]
        if missing:
            numbers_ = tuple(dict.fromkeys(c.para for c in missing))
            problems.append(SupportProblem(claim, "missing", missing[0].line, numbers_))
            continue
        if ranking is None:
            ranking = _ranking(paragraphs, matcher, names)
        found = _judge(claim, paragraphs, ranking, matcher)
        if found:
            problems.append(found)
    return problems


def _ranking(
    paragraphs: Sequence[str], matcher: Matcher, names: Sequence[Iterable[str]] | None
) -> support.Ranking:
    if names is None:
        return support.Ranking([support.terms(p, matcher.slugs) for p in paragraphs])
    found = zip(paragraphs, names, strict=True)
    return support.Ranking([support.terms(p, lambda _t, n=n: n) for p, n in found])


def _judge(
    claim: Claim, paragraphs: Sequence[str], ranking: support.Ranking, matcher: Matcher
) -> SupportProblem | None:
    cited = [c.para for c in claim.citations]
    line = claim.citations[0].line
    scores = ranking.scores(support.terms(claim.text, matcher.slugs))
    better = support.better_paragraph(scores, cited)
    if better:
        return SupportProblem(claim, "better", line, (better,))
    text = " ".join(paragraphs[n - 1] for n in cited)
    facts = numbers(claim.text) | matcher.slugs(claim.text)
    if not support.shares_facts(facts, numbers(text) | matcher.slugs(text)):
        return SupportProblem(claim, "unsupported", line)
    return None


def backwards_runs(lines: DigestLines) -> list[tuple[int, str]]:
    """``(line, message)`` for each citation run written last-first or too long."""
    return [
        (line, f"citation range '{run}' is not a run of paragraphs")
        for written, line in zip(lines.written, lines.citations, strict=True)
        for run in backwards(written)
    ]


def missing_message(problem: SupportProblem) -> str:
    """``citation [para. 15] points to a paragraph that does not exist`` (or a run)."""
    missing = problem.paragraphs
    if len(missing) == 1:
        return f"citation [para. {missing[0]}] points to a paragraph that does not exist"
    return f"citations {compact(missing)} point to paragraphs that do not exist"
