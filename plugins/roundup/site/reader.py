"""Pelican reader for roundup articles: Markdown plus the roundup extension.

:class:`RoundupReader` is Pelican's own ``MarkdownReader`` with
:class:`~roundup.analysis.extension.RoundupExtension` added to the
``MARKDOWN`` extensions: Pelican makes the Markdown instance, converts the
file and parses its metadata as it always does; the reader then adds what the
extension found (``metadata["roundup"]``, an
:class:`~roundup.models.Analysis`) and the checks of the source, and cleans
the HTML.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from pelican.readers import METADATA_PROCESSORS, MarkdownReader

from ..analysis.extension import RoundupExtension
from ..analysis.matching import Matcher
from ..checks.article import check_article
from ..checks.sanitize import sanitize_article, sanitize_content
from ..glossary.registry import Registry, split_list
from ..models import Analysis, Problem, display_path


def entity_href(registry: Registry) -> Callable[[str], str]:
    """Where a mention links: Pelican's ``{filename}`` link to the entity's file."""
    sources = {slug: entity.source for slug, entity in registry.entities.items()}
    return lambda slug: "{filename}/" + sources[slug]


class RoundupReader(MarkdownReader):
    """Reads ``.md`` articles and attaches their :class:`Analysis` as metadata."""

    def __init__(self, settings: dict, registry: Registry, matcher: Matcher | None = None) -> None:
        self.extension = RoundupExtension(matcher or Matcher(registry.names), entity_href(registry))
        config = dict(settings["MARKDOWN"])
        config["extensions"] = [*config.get("extensions", []), self.extension]
        # The reader's own settings: Pelican's MarkdownReader reads MARKDOWN from them.
        super().__init__({**settings, "MARKDOWN": config})
        self.build_settings = settings
        self.registry = registry

    def process_metadata(self, name: str, value):
        """Pelican's, with the build's settings, which the tags, category and
        authors it makes keep (the reader's own settings hold its extension)."""
        processor = METADATA_PROCESSORS.get(name)
        return processor(value, self.build_settings) if processor else value

    def read(self, source_path: str):
        self.extension.start(display_path(source_path))
        content, metadata = super().read(source_path)
        return self.finish(source_path, content, metadata)

    def finish(self, source_path: str, content: str, metadata: dict):
        """What ``read`` returns, once Markdown has converted the file."""
        analysis = self.extension.take()
        path, text = display_path(source_path), self.extension.source
        analysis.problems.extend(check_article(path, text))
        self._add_listed_entities(analysis, metadata, path, text)
        metadata["roundup"] = analysis
        if "summary" not in metadata and analysis.paragraphs:
            metadata["summary"] = _escape(analysis.paragraphs[0])
        # Used up (citations are checked, the digest made): the plain text of
        # every paragraph would be a third copy of the body in memory and
        # cache, and the claims a second copy of the digest.
        analysis.paragraphs = []
        analysis.digest.claims = []
        return sanitize_article(content, metadata), metadata

    def _add_listed_entities(self, analysis: Analysis, metadata: dict, path: str, text: str):
        """Entities named in the ``Entities:`` header join the article's list."""
        value = metadata.get("entities", "")
        if isinstance(value, list):
            value = ",".join(value)
        for slug in split_list(value):
            if slug in self.registry.entities:
                if slug not in analysis.entities:
                    analysis.entities.append(slug)
                continue
            analysis.problems.append(
                Problem(
                    path,
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


class _Sanitizing:
    """Mixed into a Pelican reader class: its output is cleaned (an article
    in another format than Markdown, a page)."""

    settings: dict

    def read(self, source_path: str):
        content, metadata = super().read(source_path)  # type: ignore[misc]
        return sanitize_content(content, metadata, self.settings["FORMATTED_FIELDS"]), metadata


@functools.cache
def sanitizing(reader_class: type) -> type:
    """``reader_class`` whose output is cleaned; same name (Pelican records it)."""
    return type(reader_class.__name__, (_Sanitizing, reader_class), {})


def sanitize_readers(readers) -> None:
    """Every reader of Pelican's ``readers`` cleans what it reads (the roundup
    reader does already)."""
    for extension, reader in list(readers.readers.items()):
        if reader is not None and not isinstance(reader, (RoundupReader, _Sanitizing)):
            readers.readers[extension] = sanitizing(type(reader))(readers.settings)
