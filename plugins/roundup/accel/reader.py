"""One Markdown instance per build (``markdown``), its inline step gated (``inline``).

Pelican's ``MarkdownReader.read`` makes a new ``Markdown`` for every file:
every extension is loaded and every processor registered again, ~0.5 ms a
roundup. :class:`RoundupReader` (the plugin's reader, same name: Pelican
records it in the metadata) makes one per build and resets it between
files, which is what ``Markdown.reset`` is for. It does what Pelican's
``read`` does, through the same private parts: ``self._md``, which
``_parse_metadata`` (Pelican's, called as Pelican calls it) uses to render
formatted fields and from which it removes the ``meta`` preprocessor, put
back here before the next file. ``tests/test_accel.py`` pins both: this
``read`` runs, and gives what Pelican's gives, file for file.
"""

from __future__ import annotations

from markdown import Markdown
from pelican.utils import pelican_open

from ..models import display_path
from ..site.reader import RoundupReader as PluginReader
from .inline import gated_markdown

META_PRIORITY = 27  # where markdown.extensions.meta registers its preprocessor


class RoundupReader(PluginReader):
    """The plugin's reader with one Markdown instance (gated if ``gated``);
    ``reuse=False``: Pelican's reading, a new instance per file."""

    def __init__(self, settings: dict, registry, matcher=None, reuse: bool = True,
                 gated: bool = True) -> None:  # fmt: skip
        super().__init__(settings, registry, matcher)
        self.reuse, self.gated = reuse, gated
        self._md: Markdown | None = None
        self._meta = None

    def _markdown(self) -> Markdown:
        if self._md is None:
            config = self.settings["MARKDOWN"]
            self._md = gated_markdown(config) if self.gated else Markdown(**config)
            self._meta = self._md.preprocessors["meta"]
        elif "meta" not in self._md.preprocessors:  # removed by _parse_metadata
            self._md.preprocessors.register(self._meta, "meta", META_PRIORITY)
        self._md.reset()
        return self._md

    def read(self, source_path: str):
        if not self.reuse:
            return super().read(source_path)
        self._source_path = source_path
        self.extension.start(display_path(source_path))
        md = self._markdown()
        with pelican_open(source_path) as text:
            content = md.convert(text)
        metadata = self._parse_metadata(md.Meta) if hasattr(md, "Meta") else {}
        return self.finish(source_path, content, metadata)
