"""Content checks: one implementation for ``invoke check`` and the build.

Article-level checks (:func:`check_article`: header keys, dates, unsafe
markup, organisation names missing from the glossary) run inside the reader,
so their problems travel (and are cached) with ``analysis.problems`` next to
the digest problems found while rendering. Site-level checks
(:func:`site_problems`: entity files, duplicate slugs, unmentioned entities)
run once per build, from ``pipeline.report_problems``, and once per
``invoke check``, which reads every article with the same reader and writes
nothing.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import dateutil.parser

from .matching import Matcher
from .models import Analysis, Problem
from .registry import Registry, load_registry
from .sanitize import blank_code, safe_website, unsafe_markup
from .settings import DEFAULTS

# Every header key an article may use; anything else is probably a typo.
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
        elif not (fields and _MORE.match(line)):
            return fields, index
    return fields, len(lines)


def header_problems(path: str, fields: Sequence[Field]) -> list[Problem]:
    """Unknown keys, missing required keys and dates that do not parse."""
    known = {key.lower(): key for key in ARTICLE_KEYS}
    problems = [_unknown_key(path, f, known) for f in fields if f.key.lower() not in known]
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
    return Problem(path, field.line, "error", f"unknown metadata key '{field.key}'", hint)


def date_error(value: str) -> str:
    """Why Pelican (dateutil) cannot read ``value`` as a date; ``""`` if it can."""
    text = re.sub(" +", " ", value.replace("_", " "))
    try:
        dateutil.parser.parse(text, default=dateutil.parser.parse("2000-01-01"))
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
    words = list(re.finditer(r"\S+", found["name"]))
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


def check_article(path: str, text: str, registry: Registry | None = None) -> list[Problem]:
    """Every problem of one article's source that rendering does not find."""
    fields, header_lines = parse_header(text)
    problems = [*header_problems(path, fields), *unsafe_markup(path, text)]
    if registry is not None:
        problems.extend(candidates(path, text, registry.names, header_lines))
    return problems


def entity_problems(registry: Registry) -> list[Problem]:
    """Unsafe markup in descriptions and websites that are not web addresses."""
    problems = []
    for entity in registry.entities.values():
        problems.extend(unsafe_markup(entity.path, entity.body, entity.body_line))
        if entity.website and not safe_website(entity.website):
            message = f"Website '{entity.website}' is not an http:// or https:// address"
            hint = "it becomes a link on the entity page; give the full https:// address"
            line = entity.lines.get("website", 1)
            problems.append(Problem(entity.path, line, "error", message, hint))
    return problems


def duplicate_slugs(articles: Iterable) -> list[Problem]:
    """Articles (Pelican content objects) sharing a slug and language."""
    from .reader import display_path  # noqa: PLC0415 (reader imports this module)

    first: dict[tuple[str, str], str] = {}
    problems = []
    for article in sorted(articles, key=lambda a: a.source_path):
        slug = getattr(article, "slug", "")
        key = (slug, getattr(article, "lang", ""))
        if not slug or key not in first:
            first.setdefault(key, article.source_path)
            continue
        other = first[key]
        where = f"{display_path(other)}:{_slug_line(other)}"
        message = f"duplicate slug '{slug}': {where} has the same slug"
        hint = "give one of them a different Slug: line"
        source = article.source_path
        problems.append(Problem(display_path(source), _slug_line(source), "error", message, hint))
    return problems


def _slug_line(source_path: str) -> int:
    with open(source_path, encoding="utf-8-sig") as handle:
        fields, _ = parse_header(handle.read())
    lines = {f.key.lower(): f.line for f in fields}
    return lines.get("slug", lines.get("title", 1))


def unmentioned_entities(registry: Registry, analyses: Iterable[Analysis]) -> list[Problem]:
    """Entities no article mentions or lists in ``Entities:``."""
    mentioned = {slug for analysis in analyses for slug in analysis.entities}
    problems = []
    for slug, entity in sorted(registry.entities.items()):
        if entity.name and slug not in mentioned:
            message = f"entity '{entity.name}' is not mentioned in any article"
            hint = f"mention it, list 'Entities: {slug}' in an article, or delete the file"
            line = entity.lines.get("name", 1)
            problems.append(Problem(entity.path, line, "warning", message, hint))
    return problems


def site_problems(registry: Registry, articles: Sequence) -> list[Problem]:
    """Checks that need every article and entity at once."""
    analyses = [a.roundup for a in articles if getattr(a, "roundup", None) is not None]
    return [
        *entity_problems(registry),
        *duplicate_slugs(articles),
        *unmentioned_entities(registry, analyses),
    ]


def read_article(readers, base_path: str, relative: str, registry: Registry):
    """(problems, article or None): read one article as the build does.

    When Pelican cannot make an article of the file (a date it cannot parse, a
    missing title...), its source is still checked, so the reason is reported
    with its line.
    """
    from pelican.contents import Article  # noqa: PLC0415

    from .reader import display_path  # noqa: PLC0415 (reader imports this module)

    source = os.path.join(base_path, relative)
    try:
        article = readers.read_file(base_path=base_path, path=relative, content_class=Article)
    except Exception as error:  # Pelican's metadata processors raise on bad values
        with open(source, encoding="utf-8-sig") as handle:
            problems = check_article(display_path(source), handle.read(), registry)
        if not any(p.level == "error" for p in problems):
            message = f"could not read the article: {error}"
            problems.append(Problem(display_path(source), 1, "error", message))
        return problems, None
    analysis = getattr(article, "roundup", None)
    return list(analysis.problems) if analysis else [], article


def build_problems(generator, articles: Sequence, registry: Registry | None) -> list[Problem]:
    """For ``report_problems``: articles Pelican dropped, then site-level checks."""
    if registry is None:
        return []
    read = {os.path.abspath(a.source_path) for a in articles}
    settings, problems, recovered = generator.settings, [], []
    for relative in sorted(
        generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    ):
        if os.path.abspath(os.path.join(generator.path, relative)) not in read:
            found, article = read_article(generator.readers, generator.path, relative, registry)
            problems.extend(found)
            recovered.extend([article] if complete(article) else [])
    return problems + site_problems(registry, [*articles, *recovered])


def complete(article) -> bool:
    """An article Pelican would publish: it has every mandatory property."""
    return article is not None and all(hasattr(article, p) for p in article.mandatory_properties)


def article_files(settings: Mapping, extensions: Iterable[str]) -> list[str]:
    """Article sources relative to ``PATH``, found the way Pelican finds them."""
    import fnmatch  # noqa: PLC0415

    base, found = settings["PATH"], set()
    excluded = {os.path.normpath(e) for e in settings.get("ARTICLE_EXCLUDES", [])}
    ignores, extensions = settings.get("IGNORE_FILES", []), tuple(extensions)

    def ignored(name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in ignores)

    for folder in settings["ARTICLE_PATHS"]:
        for dirpath, dirs, files in os.walk(os.path.join(base, folder), followlinks=True):
            here = os.path.relpath(dirpath, base)
            dirs[:] = [
                d
                for d in dirs
                if not ignored(d) and os.path.normpath(os.path.join(here, d)) not in excluded
            ]
            found.update(
                os.path.normpath(os.path.join(here, name))
                for name in files
                if not ignored(name) and os.path.splitext(name)[1][1:] in extensions
            )
    return sorted(found)


def check_content(settings_file: str = "pelicanconf.py", overrides: dict | None = None):
    """Every problem of the content, as the build would report them; writes nothing."""
    from pelican.readers import Readers  # noqa: PLC0415

    from .build import load_settings  # noqa: PLC0415
    from .reader import RoundupReader, display_path  # noqa: PLC0415

    settings = load_settings(settings_file, overrides)
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    registry = load_registry(settings["PATH"], settings["ENTITY_PATHS"], display_path)
    sources = {slug: entity.source for slug, entity in registry.entities.items()}
    reader = RoundupReader(
        settings, registry, Matcher(registry.names), lambda slug: "{filename}/" + sources[slug]
    )
    readers = Readers(settings)
    readers.readers.update(dict.fromkeys(reader.file_extensions, reader))
    problems, articles = list(registry.problems), []
    for relative in article_files(settings, reader.file_extensions):
        found, article = read_article(readers, settings["PATH"], relative, registry)
        problems.extend(found)
        articles.extend([article] if complete(article) else [])
    return ordered([*problems, *site_problems(registry, articles)])


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
