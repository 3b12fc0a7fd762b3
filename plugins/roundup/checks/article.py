"""Article-level content checks (pure): header keys, dates, unsafe markup,
organisation names missing from the glossary.

:func:`check_article` runs inside the reader, so its problems travel (and are
cached) with ``analysis.problems`` next to the digest problems found while
rendering. :func:`suggestions` (notes, level info) runs apart from it: see
:func:`roundup.check.suggestion_problems`.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import dateutil.parser

from ..models import Problem
from .sanitize import blank_code, unsafe_markup

ARTICLE_KEYS = (
    "Title", "Date", "Modified", "Subtitle", "Tags", "Summary", "Slug", "Authors",
    "Author", "Entities", "Category", "Status", "Lang", "Translation", "Template",
)  # fmt: skip
REQUIRED = ("Title", "Date")
DATE_HINT = "write it as YYYY-MM-DD HH:MM, e.g. 2024-05-23 08:00"
ORG_SUFFIXES = frozenset({"Group", "Technology"})
# Capitalised at the start of a sentence, not part of a name.
LEADING_WORDS = frozenset({
    "A", "An", "Analysts", "And", "As", "At", "But", "By", "For", "From", "In", "Investors",
    "Its", "Meanwhile", "On", "Shares", "Since", "So", "The", "Their", "This", "While",
    "of", "for", "&",
})  # fmt: skip
LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}

_META = re.compile(r"^ {0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_MORE = re.compile(r"^ {4,}\S")
_BEGIN = re.compile(r"^-{3}(\s.*)?$")
_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LEGAL = r"(?:Inc|Co|Ltd|Corp)\."
_WORD = r"[A-Z][\w'’&-]*"
_RUN = re.compile(
    rf"(?P<name>{_WORD}(?:(?:[ \t]+(?:of|for|&))?[ \t]+(?!{_LEGAL}){_WORD})*)"
    rf"(?P<legal>(?:,?[ \t]+{_LEGAL})*)"
    rf"(?:[ \t]*[(（](?P<native>[{_CJK}]+)[)）])?"
)


@dataclass(frozen=True)
class Field:
    """One ``Key: value`` line of an article header."""

    key: str  # as written
    value: str
    line: int


_WORD = re.compile(r"\S+")
DEFAULT_DATE = datetime.datetime(2000, 1, 1)  # where dateutil takes the parts a date leaves out


def parse_header(text: str) -> tuple[list[Field], int]:
    """The header as Python-Markdown's ``meta`` extension reads it.

    Returns the fields and the number of lines it takes (the body follows).
    """
    lines = text.splitlines()
    start = 1 if lines and _BEGIN.match(lines[0]) else 0
    fields: list[Field] = []
    for index in range(start, len(lines)):
        line = lines[index]
        found = _META.match(line)
        if not line.strip() or _END.match(line):
            return fields, index + 1
        if found:
            fields.append(Field(found["key"], found["value"].strip(), index + 1))
        elif fields and _MORE.match(line):  # the value goes on
            last = fields[-1]
            fields[-1] = Field(last.key, f"{last.value} {line.strip()}".strip(), last.line)
        else:
            return fields, index
    return fields, len(lines)


def header_problems(path: str, fields: Sequence[Field]) -> list[Problem]:
    """Unknown keys, missing required keys and dates that do not parse."""
    known = {key.lower(): key for key in ARTICLE_KEYS}
    problems = [_unknown_key(path, f, known) for f in fields if f.key.lower() not in known]
    for f in fields:
        if not f.value and f.key.lower() in known:
            message = f"'{f.key}:' has no value and is ignored"
            hint = "give it a value or remove the line"
            problems.append(Problem(path, f.line, "warning", message, hint))
    given = {f.key.lower(): f for f in fields if f.value}
    for key in REQUIRED:
        if key.lower() not in given:
            hint = f"add a '{key}:' line to the header at the top of the file"
            problems.append(Problem(path, 1, "error", f"missing required '{key}'", hint))
    for key in ("Date", "Modified"):
        field = given.get(key.lower())
        reason = field and date_error(field.value)
        if field and reason:
            message = f"invalid {key} '{field.value}': {reason}"
            problems.append(Problem(path, field.line, "error", message, DATE_HINT))
    return problems


def _unknown_key(path: str, field: Field, known: Mapping[str, str]) -> Problem:
    close = difflib.get_close_matches(field.key.lower(), list(known), n=1)
    guess = f"did you mean '{known[close[0]]}'? " if close else ""
    hint = f"{guess}known keys: {', '.join(ARTICLE_KEYS)}"
    return Problem(path, field.line, "warning", f"unknown metadata key '{field.key}'", hint)


def date_error(value: str) -> str:
    """Why Pelican (dateutil) cannot read ``value`` as a date; ``""`` if it can."""
    text = re.sub(" +", " ", value.replace("_", " "))
    if _ISO_DATE.fullmatch(text):  # the usual form: dateutil reads what this reads
        try:
            datetime.datetime.fromisoformat(text)
            return ""
        except ValueError:
            pass  # e.g. February 30: dateutil says why
    try:
        dateutil.parser.parse(text, default=DEFAULT_DATE)
    except (ValueError, OverflowError) as error:
        reason = str(error).split(":")[0].strip()
        return reason[:1].lower() + reason[1:]
    return ""


def candidates(path: str, text: str, names: Mapping[str, str], skip: int = 0) -> list[Problem]:
    """Capitalised names that look like organisations and are not in the registry."""
    lines = blank_code(text).split("\n")
    scan = "\n" * skip + "\n".join(lines[skip:])
    seen, problems = set(), []
    for found in _RUN.finditer(scan):
        span = _organisation(found)
        if span is None:
            continue
        start, core, end = span
        words = scan[start:end].split()
        name = " ".join(words)
        if name in seen or _known(words, len(scan[start:core].split()), found["native"], names):
            continue
        seen.add(name)
        line = scan.count("\n", 0, start) + 1
        message = f"possible organisation '{name}' is not in the glossary"
        hint = f'if it is one, add it: invoke entity --name "{name}" --type company'
        problems.append(Problem(path, line, "info", message, hint))
    return problems


def _organisation(found: re.Match) -> tuple[int, int, int] | None:
    """(start, start of the word before the suffix, end) of an organisation name."""
    if not (found["legal"] or found["native"] or any(s in found["name"] for s in ORG_SUFFIXES)):
        return None  # most capitalised runs: no word can be a suffix
    words = list(_WORD.finditer(found["name"]))
    base = found.start("name")
    while len(words) > 1 and words[0].group() in LEADING_WORDS:
        words.pop(0)
    if found["legal"] or found["native"]:
        last = len(words) - 1
        end = found.end("legal") if found["legal"] else found.end("name")
    else:
        suffixes = [i for i, w in enumerate(words) if i and w.group() in ORG_SUFFIXES]
        if not suffixes:
            return None
        last = suffixes[-1] - 1
        end = base + words[suffixes[-1]].end()
    return base + words[0].start(), base + words[max(last, 0)].start(), end


def _known(words: list[str], core: int, native: str | None, names: Mapping[str, str]) -> bool:
    """Registered: the native name, or any run of the words through ``words[core]``
    ("NewLink Group" in "Bain Capital-backed NewLink Group")."""
    if native and native in names:
        return True
    return any(
        " ".join(words[i:j]) in names
        for i in range(core + 1)
        for j in range(core + 1, len(words) + 1)
    )


def check_article(path: str, text: str) -> list[Problem]:
    """Every error or warning of one article's source that rendering does not find."""
    fields, _ = parse_header(text)
    return [*header_problems(path, fields), *unsafe_markup(path, text)]


def suggestions(path: str, text: str, names: Mapping[str, str]) -> list[Problem]:
    """Notes on one article's source: organisations that are not in ``names``."""
    _, header_lines = parse_header(text)
    return candidates(path, text, names, header_lines)
