"""Lighter pages at no cost per page: no template indentation, minified theme assets.

- :class:`DedentExtension` removes the indentation of every line of an HTML
  template when Jinja compiles it (once per build), so the nesting that keeps
  templates readable is not shipped thousands of times. The values put into
  templates (article bodies, names) are untouched.
- :func:`minify_theme_assets` rewrites the theme's CSS and JavaScript in the
  output with rcssmin and rjsmin (comments and spacing go, meaning stays).

Both are on by default; ``SLIM_TEMPLATES`` and ``MINIFY_THEME_ASSETS`` turn
them off (e.g. to debug the theme in a browser).
"""

from __future__ import annotations

import os
import re

import rcssmin
import rjsmin
from jinja2.ext import Extension

from ..files import write_text

INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
TAG_ENDS = ("%}\n", "#}\n")
MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


def _indent(match: re.Match[str]) -> str:
    # After a block tag, ``trim_blocks`` eats the newline: the indentation was
    # the only blank between two pieces of text, so one space stays.
    return " " if match.string.endswith(TAG_ENDS, 0, match.start()) else ""


def dedent(source: str) -> str:
    """``source`` without the leading blanks of its lines (see :func:`_indent`)."""
    return INDENT.sub(_indent, source)


class DedentExtension(Extension):
    """Jinja extension: HTML templates lose their indentation at compile time."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return dedent(source) if name and name.endswith(".html") else source


def slim_templates(generator) -> None:
    """``generator_init``: compile this generator's HTML templates without indentation."""
    env = getattr(generator, "env", None)
    if env is not None and generator.settings.get("SLIM_TEMPLATES"):
        env.add_extension(DedentExtension)


def minify_file(path: str) -> bool:
    """Minify one CSS or JS file in place; ``False`` for any other file."""
    minify = MINIFIERS.get(os.path.splitext(path)[1])
    if minify is None:
        return False
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    write_text(path, minify(text).strip() + "\n")
    return True


def minify_theme_assets(pelican) -> None:
    """``finalized``: minify the theme's stylesheets and scripts in the output."""
    if not pelican.settings.get("MINIFY_THEME_ASSETS"):
        return
    root = os.path.join(pelican.output_path, pelican.settings["THEME_STATIC_DIR"])
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            minify_file(os.path.join(folder, name))
