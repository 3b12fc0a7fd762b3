"""``invoke digest PATH``: the generated digest, written into the article for an editor.

The article is read as the build reads it (the project's reader and Markdown
settings); the digest the site would generate is written at its end as an
authored ``## Digest`` section (:func:`roundup.analysis.generate.digest_markdown`):
key points, an opening line and a paragraph per story, every sentence cited.
An article that has a digest keeps it unless ``force``: then the old section
gives way (footnote definitions after it stay).
"""

from __future__ import annotations

import re

from markdown import Markdown

from ..analysis.digest import digest_lines
from ..analysis.extension import topics_of
from ..analysis.generate import digest_markdown
from ..build import load_settings
from ..checks.sources import read_source
from ..files import write_text
from ..glossary.registry import Registry
from ..models import Problem, display_path
from ..settings import apply_defaults
from .reader import RoundupReader

_FOOTNOTE = re.compile(r"\[\^[^\]]+\]:")


def write_digest(settings_file: str, path: str, force: bool = False) -> list[Problem]:
    """Write the generated digest into the article at ``path``; the problems
    that kept it from being written (none: it was written)."""
    where = display_path(path)
    text, unreadable = read_source(path)
    if unreadable is not None:
        return [unreadable]
    heading = digest_lines(text).heading
    if heading and not force:
        hint = "edit that one, or run invoke digest --force to replace it"
        return [Problem(where, heading, "error", "the article has a '## Digest' already", hint)]
    body, notes = split_off_digest(text, heading)
    section = generated_section(settings_file, where, body)
    if not section:
        hint = "a digest cites the article's paragraphs; write some first"
        return [Problem(where, 1, "error", "the article has no paragraph to digest", hint)]
    write_text(path, body.rstrip("\n") + "\n\n" + section + notes)
    return []


def generated_section(settings_file: str, where: str, body: str) -> str:
    """The ``## Digest`` section the site would generate for ``body`` ("" if
    it has no paragraph)."""
    settings = load_settings(settings_file)
    apply_defaults(settings)
    reader = RoundupReader(settings, Registry())
    md = Markdown(**reader.settings["MARKDOWN"])
    reader.extension.start(where)
    md.convert(body)
    analysis = reader.extension.take()
    if not analysis.paragraphs:
        return ""
    return digest_markdown(analysis.stories, analysis.paragraphs, topics_of(md.Meta))


def split_off_digest(text: str, heading: int) -> tuple[str, str]:
    """``text`` without its ``## Digest`` section (which starts on line
    ``heading``; 0: there is none), and the footnote definitions that
    followed it."""
    if not heading:
        return text, ""
    lines = text.splitlines(keepends=True)
    notes, keep = [], False
    for line in lines[heading:]:
        keep = bool(_FOOTNOTE.match(line)) or (keep and line[:1] in (" ", "\t", "\n"))
        if keep:
            notes.append(line)
    tail = "".join(notes).strip("\n")
    return "".join(lines[: heading - 1]), f"\n{tail}\n" if tail else ""
