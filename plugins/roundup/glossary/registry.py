"""The entity registry: one Markdown file per entity, names resolved to slugs.

Modelled on Sphinx's glossary: every definition keeps its source path and
line, so a name claimed twice is reported with both locations.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..checks.sources import read_source
from ..models import Problem
from .common import common_word

TYPES = ("company", "organization", "government", "person", "product", "place")
FIELDS = ("name", "type", "aliases", "native-name", "website", "allow-common-word")
ALLOW = "Allow-Common-Word"  # header key: the entity may be named by a common word
_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*)$")


@dataclass
class EntityDef:
    """An entity as written in ``content/entities/<slug>.md``."""

    slug: str
    path: str  # for messages, e.g. content/entities/nio.md
    source: str = ""  # relative to the content folder, e.g. entities/nio.md
    name: str = ""
    type: str = ""
    aliases: list[str] = field(default_factory=list)
    native_name: str = ""
    website: str = ""
    body: str = ""  # Markdown description
    lines: dict[str, int] = field(default_factory=dict)  # field -> source line
    body_line: int = 0
    allow_common_word: bool = False  # a name that is a common word links anyway

    def surfaces(self) -> list[tuple[str, str]]:
        """(text, field) for every form that names this entity."""
        forms = [(self.name, "name")] + [(a, "aliases") for a in self.aliases]
        if self.native_name:
            forms.append((self.native_name, "native-name"))
        return [(text, kind) for text, kind in forms if text]


@dataclass
class Registry:
    entities: dict[str, EntityDef] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # surface -> slug
    problems: list[Problem] = field(default_factory=list)

    def fingerprint(self) -> str:
        """Changes whenever matching or linking of article text would change."""
        digest = hashlib.sha256()
        for surface, slug in sorted(self.names.items()):
            source = self.entities[slug].source
            digest.update(f"{surface}\0{slug}\0{source}\n".encode())
        return digest.hexdigest()


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_entity(path: str, text: str) -> tuple[EntityDef, list[Problem]]:
    """Read one entity file: a ``Key: value`` header, a blank line, a body."""
    slug = os.path.splitext(os.path.basename(path))[0]
    entity, problems = EntityDef(slug=slug, path=path), []
    lines = text.splitlines()
    body_start = len(lines)
    for number, line in enumerate(lines, 1):
        if not line.strip():
            body_start = number
            break
        found = _HEADER.match(line)
        if not found:
            body_start = number - 1
            break
        _set_field(entity, found.group(1).lower(), found.group(2).strip(), number, problems)
    entity.body = "\n".join(lines[body_start:]).strip()
    entity.body_line = _first_text_line(lines, body_start)
    problems.extend(_required(entity))
    return entity, problems


def _first_text_line(lines: list[str], start: int) -> int:
    for number in range(start, len(lines)):
        if lines[number].strip():
            return number + 1
    return start + 1


def _set_field(entity: EntityDef, key: str, value: str, line: int, problems) -> None:
    if key not in FIELDS:
        hint = f"known keys: Name, Type, Aliases, Native-Name, Website, {ALLOW}"
        problems.append(Problem(entity.path, line, "error", f"unknown metadata key '{key}'", hint))
        return
    entity.lines[key] = line
    if key == "aliases":
        entity.aliases = split_list(value)
    elif key == "allow-common-word":
        entity.allow_common_word = value.strip().lower() in ("yes", "true")
    else:
        setattr(entity, key.replace("-", "_"), value)


def _required(entity: EntityDef) -> list[Problem]:
    problems = []
    for key in ("name", "type"):
        if not getattr(entity, key):
            hint = f"add a '{key.title()}:' line to the header"
            problems.append(
                Problem(entity.path, 1, "error", f"missing required '{key.title()}'", hint)
            )
    if entity.type and entity.type not in TYPES:
        problems.append(
            Problem(
                entity.path,
                entity.lines.get("type", 1),
                "error",
                f"unknown Type '{entity.type}'",
                "use one of: " + ", ".join(TYPES),
            )
        )
    if not entity.body:
        hint = "write the description after a blank line below the header"
        problems.append(
            Problem(entity.path, entity.body_line, "error", "missing description", hint)
        )
    return problems


def build_registry(entities: Iterable[EntityDef], problems: Iterable[Problem] = ()) -> Registry:
    """Index entities by every surface form; a form claimed twice is an error."""
    registry = Registry(problems=list(problems))
    owner: dict[str, tuple[EntityDef, str]] = {}
    for entity in sorted(entities, key=lambda e: e.slug):
        registry.entities[entity.slug] = entity
        for surface, kind in entity.surfaces():
            if surface in owner and owner[surface][0].slug != entity.slug:
                registry.problems.append(_duplicate(surface, entity, kind, *owner[surface]))
                continue
            reason = common_word(surface)
            if reason and not entity.allow_common_word:
                registry.problems.append(_common(surface, entity, kind, reason))
                continue
            owner[surface] = (entity, kind)
            registry.names[surface] = entity.slug
    return registry


def _common(surface: str, entity: EntityDef, kind: str, reason: str) -> Problem:
    hint = (
        f"use a qualified name (say 'China Telecom', not 'China'), or add '{ALLOW}: yes' "
        f"to the header if every '{surface}' in the roundups means this entity"
    )
    message = f"'{surface}' ({kind}) would link ordinary text: it is {reason}"
    return Problem(entity.path, entity.lines.get(kind, 1), "error", message, hint)


def _duplicate(surface: str, entity: EntityDef, kind: str, first: EntityDef, first_kind: str):
    where = f"{first.path}:{first.lines.get(first_kind, 1)}"
    return Problem(
        entity.path,
        entity.lines.get(kind, 1),
        "error",
        f"'{surface}' ({kind}) is already claimed by {where} ({first_kind})",
        "a name or alias may belong to one entity only; remove or change one of them",
    )


def entity_files(content_path: str, dirs: Iterable[str]) -> list[str]:
    """Markdown files of the entity folders, sorted for a stable order."""
    found = []
    for folder in dirs:
        base = os.path.join(content_path, folder)
        if os.path.isdir(base):
            found.extend(
                os.path.join(base, name) for name in os.listdir(base) if name.endswith(".md")
            )
    return sorted(found)


def load_registry(content_path: str, dirs: Iterable[str], display=os.path.relpath) -> Registry:
    """Read and index every entity file below ``content_path``."""
    entities, problems = [], []
    for path in entity_files(content_path, dirs):
        text, unreadable = read_source(path)
        if unreadable is not None:
            problems.append(unreadable)
            continue
        entity, found = parse_entity(display(path), text)
        entity.source = os.path.relpath(path, content_path).replace(os.sep, "/")
        entities.append(entity)
        problems.extend(found)
    return build_registry(entities, problems)
