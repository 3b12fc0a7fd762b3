"""Compiled templates kept between builds (``templates``).

Jinja compiles every template from source in each generator at every build.
With the content cache on, a generator's Jinja environment keeps compiled
templates under ``CACHE_PATH/roundup-templates/`` (Jinja's bytecode cache,
which checks each against its template's source). The folder is the build's
(:mod:`roundup.site.caching`: named after the settings and code), so a
template compiled with other options (``SLIM_TEMPLATES``, a Jinja
extension) is never used.
"""

from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache

from ..files import make_folder

FOLDER = "roundup-templates"


def cache_templates(generator) -> None:
    """``generator_init``: this generator's compiled templates are kept."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    folder = os.path.join(generator.settings["CACHE_PATH"], FOLDER)
    make_folder(folder)
    env.bytecode_cache = FileSystemBytecodeCache(folder)
