"""Citations in digest text: ``[para. 5]``, runs ``[para. 5–7]``, lists ``[paras. 2, 4]``.

Text in, claims and links out. A citation names paragraphs of the article; a
run of consecutive paragraphs may be written compactly, and reads compactly,
but every cited paragraph keeps its own ``a.cite`` link to ``#para-N`` (the
rendered contract of the Digest Hub): the paragraphs inside a run get links a
sighted reader does not see until they take keyboard focus (``cite-between``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree.ElementTree import Element

from ..models import Citation, Claim
from .text import normalize_space
from .tree import segments, wrap

_NUMBERS = r"\d+(?:\s*[-–—]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–—]\s*\d+)?)*"
CITATION = re.compile(rf"\[paras?\.\s*({_NUMBERS})\]")
_GROUP = re.compile(rf"(?:\s*{CITATION.pattern})+")
_PART = re.compile(r"(\d+)(?:\s*[-–—]\s*(\d+))?")
MAX_RUN = 50  # a longer run is a typo, not a citation


def cited(spec: str) -> list[int]:
    """Paragraph numbers named by the inside of a citation (``"5–7, 9"`` -> 5, 6, 7, 9).

    A run that goes backwards or is implausibly long names only its ends, so
    the checks report what the author wrote rather than hundreds of numbers.
    """
    numbers: list[int] = []
    for found in _PART.finditer(spec):
        first = int(found.group(1))
        last = int(found.group(2) or first)
        if first <= last <= first + MAX_RUN:
            numbers.extend(range(first, last + 1))
        else:
            numbers.extend((first, last))
    return numbers


def backwards(spec: str) -> list[str]:
    """The runs of a citation written last-first (``7–5``) or too long to mean."""
    bad = []
    for found in _PART.finditer(spec):
        if found.group(2):
            first, last = int(found.group(1)), int(found.group(2))
            if not first < last <= first + MAX_RUN:
                bad.append(found.group())
    return bad


def runs(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive ascending stretches of ``numbers`` as ``(first, last)``."""
    found: list[tuple[int, int]] = []
    for number in numbers:
        if found and number == found[-1][1] + 1:
            found[-1] = (found[-1][0], number)
        else:
            found.append((number, number))
    return found


def compact(numbers: Sequence[int]) -> str:
    """``[para. 5–7]`` for 5, 6, 7; ``[paras. 2, 4]`` for 2, 4."""
    parts = [f"{a}" if a == b else f"{a}–{b}" for a, b in runs(numbers)]
    return f"[para{'s' if len(parts) > 1 else ''}. {', '.join(parts)}]"


def cite_link(number: int, text: str | None = None, between: bool = False) -> Element:
    link = Element("a", {"class": "cite cite-between" if between else "cite"})
    link.set("href", f"#para-{number}")
    if text is not None:
        link.set("aria-label", f"paragraph {number}")
    link.text = f"[para. {number}]" if text is None else text
    return link


def citation_element(numbers: Sequence[int]) -> Element:
    """A citation as read: one paragraph is one link; a run shows its ends,
    each paragraph linked."""
    if len(numbers) == 1:
        return cite_link(numbers[0])
    group = Element("span", {"class": "cite-run"})
    group.text = "[paras. " if len(runs(numbers)) > 1 else "[para. "
    for i, (first, last) in enumerate(runs(numbers)):
        parts = [cite_link(first, str(first))]
        parts += [cite_link(n, f", {n}", between=True) for n in range(first + 1, last)]
        if last > first:
            parts[-1].tail = "–"
            parts.append(cite_link(last, str(last)))
        if i:
            group[-1].tail = (group[-1].tail or "") + ", "
        group.extend(parts)
    group[-1].tail = "]"
    return group


def link_citations(el: Element) -> None:
    """Replace every citation in the text of ``el`` with its links."""
    for segment in list(segments(el)):
        if segment.opaque:
            continue
        found = list(CITATION.finditer(segment.text))
        numbers = [cited(m.group(1)) for m in found]
        wrap(
            segment,
            [m.span() for m in found],
            lambda _t, i, numbers=numbers: citation_element(numbers[i]),
        )


def claims_of(text: str, lines: Sequence[int], line: int = 0) -> tuple[list[Claim], str]:
    """Split digest text into claims (text + its citations) and uncited rest.

    ``lines`` gives the source line of each written citation, in order.
    """
    claims: list[Claim] = []
    start, k = 0, 0
    for group in _GROUP.finditer(text):
        cites = []
        for found in CITATION.finditer(group.group()):
            at = lines[k] if k < len(lines) else 0
            cites.extend(Citation(number, at) for number in cited(found.group(1)))
            k += 1
        claim = normalize_space(text[start : group.start()]).lstrip(",;:.!? ")
        claims.append(Claim(claim, tuple(cites), line))
        start = group.end()
    return claims, normalize_space(text[start:]).lstrip(",;:.!? ")
