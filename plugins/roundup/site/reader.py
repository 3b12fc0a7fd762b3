"""Pelican reader for roundup articles: Markdown plus the roundup extension."""

from __future__ import annotations

import logging
import os

from markdown.preprocessors import Preprocessor
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from ..accel.inline import gated_markdown
from ..analysis.extension import RoundupExtension
from ..checks.article import check_article
from ..checks.sanitize import sanitize_article
from ..glossary.registry import Registry, split_list
from ..models import Analysis, Problem

logger = logging.getLogger(__name__)


def display_path(path: str) -> str:
    """A path for messages: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


class RoundupReader(MarkdownReader):
    """Reads ``.md`` articles and attaches their :class:`Analysis` as metadata."""

    def __init__(self, settings, registry: Registry, matcher, href) -> None:
        super().__init__(settings)
        self._registry = registry
        self._extension = RoundupExtension(matcher, href)
        config = dict(self.settings["MARKDOWN"])
        config["extensions"] = [*config.get("extensions", []), self._extension]
        # One Markdown instance per build, reset between files (Pelican makes
        # a new one per file); a second one renders formatted metadata.
        self._article_md = gated_markdown(config)
        self._fields_md = gated_markdown(self.settings["MARKDOWN"])

    def read(self, source_path: str):
        self._source_path = source_path
        with pelican_open(source_path) as text:
            self._extension.path = display_path(source_path)
            self._extension.source = text
            self._article_md.reset()
            content = self._article_md.convert(text)
        analysis: Analysis = self._article_md.roundup
        analysis.problems.extend(check_article(display_path(source_path), text))
        meta = getattr(self._article_md, "Meta", {})
        metadata = self._parse_fields(meta)
        self._add_listed_entities(analysis, metadata, text)
        metadata["roundup"] = analysis
        if "summary" not in metadata and analysis.paragraphs:
            metadata["summary"] = _escape(analysis.paragraphs[0])
        # Used up (citations are checked, the digest made): the plain text of
        # every paragraph would be a third copy of the body in memory and
        # cache, and the claims a second copy of the digest.
        analysis.paragraphs = []
        analysis.digest.claims = []
        return sanitize_article(content, metadata), metadata

    def _parse_fields(self, meta: dict) -> dict:
        """Pelican's metadata parsing, on the reused fields instance.

        ``MarkdownReader._parse_metadata`` deregisters the ``meta``
        preprocessor of ``self._md`` each time; give it one to remove.
        """
        if "meta" not in self._fields_md.preprocessors:
            self._fields_md.preprocessors.register(_NoPreprocessor(), "meta", 0)
        self._md = self._fields_md
        return self._parse_metadata(meta)

    def _add_listed_entities(self, analysis: Analysis, metadata: dict, text: str) -> None:
        """Entities named in the ``Entities:`` header join the article's list."""
        value = metadata.get("entities", "")
        if isinstance(value, list):
            value = ",".join(value)
        for slug in split_list(value):
            if slug in self._registry.entities:
                if slug not in analysis.entities:
                    analysis.entities.append(slug)
                continue
            analysis.problems.append(
                Problem(
                    display_path(self._source_path),
                    _header_line(text, "entities"),
                    "error",
                    f"unknown entity '{slug}' in Entities",
                    "use the file name (without .md) of a file in content/entities/",
                )
            )


def _header_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.lower().startswith(key + ":"):
            return number
        if not line.strip():
            break
    return 1


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _NoPreprocessor(Preprocessor):
    def __init__(self) -> None:
        super().__init__(None)

    def run(self, lines: list[str]) -> list[str]:
        return lines
