"""Synthetic glossary entities: names, aliases, CJK native names, overlapping names."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.words import (
    CITIES,
    CJK_CHARS,
    CJK_SUFFIXES,
    FIELDS,
    GIVEN,
    OFFSHOOTS,
    SUFFIXES,
    SURNAMES,
    SYLLABLES,
    TYPE_WORDS,
)


@dataclass
class EntitySpec:
    slug: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    native: str = ""

    def surfaces(self) -> list[str]:
        return [self.name, *self.aliases, *([self.native] if self.native else [])]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _base_name(rng: random.Random, kind: str) -> str:
    if kind == "person":
        return f"{rng.choice(SURNAMES)} {_word(rng, rng.choice((1, 2)))}{rng.choice(GIVEN)}"
    if kind == "government":
        return f"{_word(rng, 2)} Bureau of {rng.choice(FIELDS)}"
    if kind == "organization":
        return f"{_word(rng, 2)} Institute of {rng.choice(FIELDS)}"
    if kind == "product":
        return f"{_word(rng, 2)} {rng.choice('XZQMK')}{rng.randint(1, 99)}"
    if kind == "place":
        return f"{_word(rng, 2)} {rng.choice(('New Area', 'Industrial Park', 'Free Trade Zone'))}"
    return f"{_word(rng, 2)} {rng.choice(SUFFIXES)}"


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def _native(rng: random.Random, taken: set[str]) -> str:
    for _ in range(20):
        text = "".join(rng.choice(CJK_CHARS) for _ in range(rng.randint(2, 3)))
        text += rng.choice(CJK_SUFFIXES)
        if text not in taken:
            return text
    return ""


def make_entities(rng: random.Random, count: int) -> list[EntitySpec]:
    """``count`` entities with unique surfaces; some names extend others."""
    kinds = ["company"] * 10 + ["person"] * 4 + ["organization", "government", "product", "place"]
    taken: set[str] = set()
    found: list[EntitySpec] = []
    while len(found) < count:
        parent = found[-1] if found and found[-1].type == "company" else None
        if parent and rng.random() < 0.12:
            name, kind = f"{parent.name} {rng.choice(OFFSHOOTS)}", "company"
        else:
            kind = rng.choice(kinds)
            name = _base_name(rng, kind)
        if name in taken or _slug(name) in {e.slug for e in found[-50:]}:
            continue
        spec = EntitySpec(f"{_slug(name)}-{len(found)}", name, kind)
        _add_aliases(rng, spec, taken)
        taken.update(spec.surfaces())
        found.append(spec)
    return found


def _add_aliases(rng: random.Random, spec: EntitySpec, taken: set[str]) -> None:
    words = spec.name.split()
    if spec.type == "company" and rng.random() < 0.35 and len(words) > 1:
        short = " ".join(words[:-1]) if len(words) > 2 else words[0]
        if short not in taken and short != spec.name:
            spec.aliases.append(short)
    if rng.random() < 0.15:
        acronym = "".join(w[0] for w in words if w[0].isupper()) + str(rng.randint(2, 9))
        if len(acronym) > 2 and acronym not in taken:
            spec.aliases.append(acronym)
    if rng.random() < 0.18:
        native = _native(rng, taken)
        if native:
            spec.native = native


def entity_file(rng: random.Random, spec: EntitySpec) -> str:
    header = [f"Name: {spec.name}", f"Type: {spec.type}"]
    if spec.aliases:
        header.append("Aliases: " + ", ".join(spec.aliases))
    if spec.native:
        header.append(f"Native-Name: {spec.native}")
    if rng.random() < 0.5:
        header.append(f"Website: https://{spec.slug}.example")
    body = (
        f"{spec.name} is {TYPE_WORDS[spec.type]} based in {rng.choice(CITIES)}. "
        f"It was founded in {rng.randint(1950, 2022)} and has about "
        f"{rng.randint(2, 900) * 10:,} staff, according to its **latest** filing. "
        f"Analysts follow its work on {rng.choice(FIELDS).lower()} closely."
    )
    return "\n".join(header) + "\n\n" + body + "\n"
