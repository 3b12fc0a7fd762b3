"""Digests of what builds depend on: settings, code, files (pure).

:func:`build_fingerprint` names everything an article's reading depends on
besides its own file; the content caches of a build live in a folder named
after it (:mod:`roundup.site.caching`), so a cache made with other entity
names, settings or plugin code is never even opened.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import re
import sys
from collections.abc import Iterable

PACKAGES = ("pelican", "markdown", "jinja2", "markupsafe", "feedgenerator", "nh3")
# Settings that do not change what is written (OUTPUT_PATH: a fresh staging folder).
VOLATILE_SETTINGS = frozenset(
    {
        "OUTPUT_PATH",
        "CACHE_PATH",
        "CACHE_CONTENT",
        "LOAD_CONTENT_CACHE",
        "GZIP_CACHE",
        "CHECK_MODIFIED_METHOD",
        "CONTENT_CACHING_LAYER",
        "READ_PROCESSES",
        "RENDER_PROCESSES",
        "ROUNDUP_PREVIOUS_OUTPUT",
        "ROUNDUP_CACHE_ROOT",
    }
)
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def stable_repr(value: object) -> str:
    """``repr`` without memory addresses (functions and objects in settings)."""
    return _ADDRESS.sub("", repr(value))


def settings_digest(settings: dict) -> str:
    items = sorted((k, v) for k, v in settings.items() if k not in VOLATILE_SETTINGS)
    return digest(stable_repr(items))


def files_digest(folders: Iterable[str], suffixes: tuple[str, ...] = ()) -> str:
    """Paths and bytes of every file below ``folders`` (optionally by suffix)."""
    hasher = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(suffixes) or not suffixes:
                    path = os.path.join(root, name)
                    hasher.update(os.path.relpath(path, folder).encode() + b"\0")
                    with open(path, "rb") as handle:
                        hasher.update(handle.read())
    return hasher.hexdigest()


def code_digest(plugins: Iterable[str]) -> str:
    """Python, key packages and every loaded plugin's source files.

    Computed once per process for each set of loaded plugins (at the first
    build, just after they were imported): it names the code that runs. A
    plugin file edited while ``invoke livereload`` or ``pelican --autoreload``
    runs takes effect only in a new process, so until then no cache entry may
    be filed under the edited file's digest.
    """
    folders = set()
    for plugin in plugins:
        module = sys.modules.get(plugin)
        if module is not None and getattr(module, "__file__", None):
            folders.add(os.path.dirname(module.__file__))
    return _code_digest(tuple(sorted(folders)))


@functools.cache
def _code_digest(folders: tuple[str, ...]) -> str:
    versions = []
    for name in PACKAGES:
        try:
            versions.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((name, ""))
    return digest(sys.version, versions, files_digest(folders, (".py",)))


def theme_digest(settings: dict) -> str:
    folders = [settings["THEME"], *settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    return files_digest([f for f in folders if os.path.isdir(f)])


def header_digest(paths: Iterable[str]) -> str:
    """The header lines (up to the first blank line) of each file: an entity
    file's names live there, its description below."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in paths:
        hasher.update(path.encode() + b"\0")
        with open(path, "rb") as handle:
            for line in handle:
                if not line.strip():
                    break
                hasher.update(line)
    return hasher.hexdigest()


def build_fingerprint(settings: dict, entity_paths: Iterable[str]) -> str:
    """What reading an article depends on besides its own file: the entity
    names (:func:`header_digest`), the settings and the code that runs."""
    return digest(
        header_digest(entity_paths),
        settings_digest(settings),
        code_digest(settings.get("PLUGINS", [])),
    )
