"""Content problems for people and machines: ordering and the report formats."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence

from ..models import Problem
from .article import LEVEL_ORDER


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Without duplicates, by file and line (the order the build logs them in)."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


def render(problems: Sequence[Problem], fmt: str = "text") -> str:
    """``text``: one ``path:line: level: message (hint)`` per line; ``json``;
    ``github``: workflow commands that annotate a pull request."""
    if fmt == "json":
        return json.dumps([dataclasses.asdict(p) for p in problems], ensure_ascii=False, indent=1)
    if fmt == "github":
        return "\n".join(_annotation(p) for p in problems)
    if fmt == "text":
        return "\n".join(p.format() for p in problems)
    raise ValueError(f"unknown format {fmt!r}; use text, json or github")


def _annotation(problem: Problem) -> str:
    command = {"error": "error", "warning": "warning"}.get(problem.level, "notice")
    path = _escape(problem.path, properties=True)
    text = problem.message + (f" ({problem.hint})" if problem.hint else "")
    return f"::{command} file={path},line={problem.line},title=invoke check::{_escape(text)}"


def _escape(text: str, properties: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if properties else text


def summary(problems: Sequence[Problem]) -> str:
    counts = {level: sum(p.level == level for p in problems) for level in LEVEL_ORDER}
    return f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s)"
