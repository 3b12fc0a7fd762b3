"""The Digest Hub: parse an authored digest, generate one, check citations.

An authored digest is the final ``## Digest`` section of an article: an
optional bullet list (key points) and paragraphs whose claims end with
citations ``[para. N]``. Without one, :func:`generate_digest` builds an
extractive digest from the story structure: each story's lead sentence and its
most informative other sentence, each citing the paragraph it came from.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from ..models import Citation, Claim, Digest, Story
from .matching import Matcher
from .text import normalize_space, numbers, sentences
from .tree import plain_text, segments, wrap

CITATION = re.compile(r"\[para\.\s*(\d+)\]")
_GROUP = re.compile(r"(?:\s*\[para\.\s*\d+\])+")
MIN_WORDS, MAX_WORDS = 6, 45


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
    section = [el for el in children[starts[0] :] if not _is_footnotes(el)]
    if any(el.tag == "h2" and not is_digest_heading(el) for el in section):
        errors.append("'## Digest' must be the last section of the article")
    for el in section:
        root.remove(el)
    return [el for el in section if not is_digest_heading(el)], errors


def _is_footnotes(el: Element) -> bool:
    return el.tag == "div" and "footnote" in (el.get("class") or "").split()


def cite_link(number: int) -> Element:
    link = Element("a", {"class": "cite", "href": f"#para-{number}"})
    link.text = f"[para. {number}]"
    return link


def link_citations(el: Element) -> None:
    """Wrap every ``[para. N]`` in the text of ``el`` in an ``a.cite`` link."""
    for segment in list(segments(el)):
        if segment.opaque:
            continue
        found = list(CITATION.finditer(segment.text))
        cited = [int(m.group(1)) for m in found]
        wrap(segment, [m.span() for m in found], lambda _t, i, cited=cited: cite_link(cited[i]))


def claims_of(text: str, lines: Sequence[int], line: int = 0) -> tuple[list[Claim], str]:
    """Split digest text into claims (text + its citations) and uncited rest.

    ``lines`` gives the source line of each citation in order of appearance.
    """
    claims: list[Claim] = []
    start, k = 0, 0
    for group in _GROUP.finditer(text):
        cites = []
        for found in CITATION.finditer(group.group()):
            cites.append(Citation(int(found.group(1)), lines[k] if k < len(lines) else 0))
            k += 1
        claim = normalize_space(text[start : group.start()]).lstrip(",;:.!? ")
        claims.append(Claim(claim, tuple(cites), line))
        start = group.end()
    return claims, normalize_space(text[start:])


def parse_authored(
    elements: list[Element],
    serialize: Callable[[Element], str],
    resolve: Callable[[str], str],
    lines: DigestLines,
) -> tuple[Digest, list[str]]:
    """Build a :class:`Digest` from the elements of a ``## Digest`` section."""
    digest, errors, used = Digest(), [], 0
    para_lines = iter(lines.paragraphs)
    rest = elements
    if rest and rest[0].tag == "ul":
        digest.points = [_inner(li, serialize) for li in rest[0].findall("li")]
        rest = rest[1:]
    for el in rest:
        if el.tag != "p":
            errors.append(
                f"the digest may only hold a bullet list then paragraphs, found <{el.tag}>"
            )
            continue
        line = next(para_lines, lines.heading)
        claims, uncited = claims_of(plain_text(el, resolve), lines.citations[used:], line)
        used += sum(len(c.citations) for c in claims)
        if uncited and _has_words(uncited):
            claims.append(Claim(uncited, (), line))
        link_citations(el)
        digest.paragraphs.append(_inner(el, serialize))
        digest.claims.extend(claims)
    return digest, errors


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
    citations: list[int] = field(default_factory=list)  # each [para. N], in order
    bullets: list[int] = field(default_factory=list)  # each key point
    paragraphs: list[int] = field(default_factory=list)  # first line of each paragraph


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
        found.citations.extend(number for _ in CITATION.finditer(line))
        previous_blank = not text
    return found


def support_problems(
    claims: Sequence[Claim], paragraphs: Sequence[str], matcher: Matcher
) -> list[tuple[Claim, str]]:
    """Claims whose citations point nowhere or share nothing with the claim."""
    problems = []
    for claim in claims:
        missing = [c.para for c in claim.citations if not 1 <= c.para <= len(paragraphs)]
        for para in missing:
            problems.append((claim, f"missing:{para}"))
        if missing or not claim.citations:
            continue
        cited = " ".join(paragraphs[c.para - 1] for c in claim.citations)
        if not _supported(claim.text, cited, matcher):
            problems.append((claim, "unsupported"))
    return problems


def _supported(claim: str, cited: str, matcher: Matcher) -> bool:
    facts = numbers(claim) | matcher.slugs(claim)
    if not facts:
        return True
    return bool(facts & (numbers(cited) | matcher.slugs(cited)))


def generate_digest(
    stories: Sequence[Story], paragraphs: Sequence[str], matcher: Matcher
) -> Digest:
    """An extractive digest: per story, a key point and cited lead sentences."""
    digest = Digest(generated=True)
    for story in stories or [Story("", "", tuple(range(1, len(paragraphs) + 1)))]:
        picked = pick_sentences(story.paragraphs, paragraphs, matcher)
        if not picked:
            continue
        if story.title:
            digest.points.append(html.escape(story.title, quote=False))
        body = " ".join(_cited_sentence(s, n) for n, s in picked)
        label = f"<strong>{html.escape(story.title, quote=False)}</strong>: " if story.title else ""
        digest.paragraphs.append(label + body)
        digest.claims.extend(Claim(s, (Citation(n, 0),)) for n, s in picked)
    return digest


def _cited_sentence(sentence: str, number: int) -> str:
    link = f'<a class="cite" href="#para-{number}">[para. {number}]</a>'
    return f"{html.escape(sentence, quote=False)} {link}"


def pick_sentences(
    numbers_: Sequence[int], paragraphs: Sequence[str], matcher: Matcher
) -> list[tuple[int, str]]:
    """The lead sentence of a story and its best other sentence, in order."""
    candidates = [
        (n, i, s)
        for n in numbers_
        for i, s in enumerate(sentences(paragraphs[n - 1]))
        if MIN_WORDS <= len(s.split()) <= MAX_WORDS
    ]
    if not candidates:
        return []
    lead = candidates[0]
    rest = [c for c in candidates[1:] if c[0] != lead[0] or c[1] != lead[1]]
    if not rest:
        return [(lead[0], lead[2])]
    best = max(rest, key=lambda c: (_score(c[2], matcher), -c[0], -c[1]))
    return [(n, s) for n, _, s in sorted([lead, best])]


# Openings that lean on an earlier sentence, which a digest reader has not seen.
_ANAPHORA = re.compile(
    r"(it|its|this|that|these|those|they|their|he|she|his|her|such|both|the company|"
    r"the move|the deal|a day (earlier|later)|meanwhile|however|but|and|also)\b",
    re.IGNORECASE,
)


def _score(sentence: str, matcher: Matcher) -> int:
    """Sentences with figures and named entities carry the news; stand-alone ones read well."""
    facts = len(numbers(sentence)) + len(matcher.slugs(sentence))
    return min(facts, 6) - (3 if _ANAPHORA.match(sentence) else 0)
