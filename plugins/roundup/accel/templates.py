"""Compiled templates kept between builds (``templates``).

Jinja compiles every template from source in each generator at every build.
With the content cache on, a generator's Jinja environment keeps compiled
templates under ``CACHE_PATH/roundup-templates/`` (Jinja's bytecode cache,
which checks each against its template's source). The folder is the build's
(:mod:`roundup.site.caching`: named after the settings and code), so a
template compiled with other options (``SLIM_TEMPLATES``, a Jinja
extension) is never used; each file is sealed, so a damaged one is compiled
again.
"""

from __future__ import annotations

import os

from jinja2.bccache import Bucket, BytecodeCache

from ..files import make_folder, read_sealed, write_sealed

FOLDER = "roundup-templates"


def cache_templates(generator) -> None:
    """``generator_init``: this generator's compiled templates are kept."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    folder = os.path.join(generator.settings["CACHE_PATH"], FOLDER)
    make_folder(folder)
    env.bytecode_cache = SealedBytecodeCache(folder)


class SealedBytecodeCache(BytecodeCache):
    """Compiled templates in ``folder``, one file per template, each sealed
    (:func:`roundup.files.seal`): a damaged one is compiled again, never
    loaded as code."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def _path(self, bucket: Bucket) -> str:
        return os.path.join(self.folder, bucket.key + ".cache")

    def load_bytecode(self, bucket: Bucket) -> None:
        payload = read_sealed(self._path(bucket))
        if payload is not None:
            bucket.bytecode_from_string(payload)

    def dump_bytecode(self, bucket: Bucket) -> None:
        write_sealed(self._path(bucket), bucket.bytecode_to_string())
