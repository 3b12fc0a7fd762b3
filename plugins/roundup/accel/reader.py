"""The inline step gated (``inline``): the reader that makes Markdown so.

Pelican's ``MarkdownReader.read`` makes a new ``Markdown`` for every file.
:class:`RoundupReader` (the plugin's reader, same name: Pelican records it in
the metadata) does the same, but makes a gated one
(:func:`roundup.accel.inline.gated_markdown`). It does what Pelican's
``read`` does, through the same private parts: ``self._md``, which
``_parse_metadata`` (Pelican's, called as Pelican calls it) uses to render
formatted fields. ``tests/test_accel.py`` pins both: this ``read`` runs, and
gives what Pelican's gives, file for file.

Keeping one Markdown instance for the whole build, reset between files, was
measured and removed: it saved ~0.3 ms a roundup, about 1 % of a full build
and nothing of a rebuild (README's ablation table).
"""

from __future__ import annotations

from pelican.utils import pelican_open

from ..models import display_path
from ..site.reader import RoundupReader as PluginReader
from .inline import gated_markdown


class RoundupReader(PluginReader):
    """The plugin's reader with a gated Markdown (``gated=False``: Pelican's reading)."""

    def __init__(self, settings: dict, registry, matcher=None, gated: bool = True) -> None:
        super().__init__(settings, registry, matcher)
        self.gated = gated

    def read(self, source_path: str):
        if not self.gated:
            return super().read(source_path)
        self._source_path = source_path
        self.extension.start(display_path(source_path))
        self._md = gated_markdown(self.settings["MARKDOWN"])
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        return self.finish(source_path, content, metadata)
