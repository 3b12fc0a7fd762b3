"""Content caches that never serve stale analyses.

Pelican keys its content cache on each file alone, but a roundup's reading
also depends on the entity names (which mentions link), the settings and the
plugin code. So every cache of a build lives in a folder named after all of
that (:func:`roundup.fingerprints.build_fingerprint`): ``CACHE_PATH`` is set,
at the start of each build, to ``<cache root>/v-<fingerprint>``; the few
folders used last are kept, older ones removed. A cache made with other names
or code is never opened. The plugin's cache files carry their own checksums
(:func:`roundup.files.seal`); each of Pelican's gets one beside it when
Pelican has saved it, checked before Pelican loads it again
(:func:`verify_pelican_caches`).

Pelican's ``generator`` caching layer keeps whole articles, each with the
context of the build that cached it: its entity links would resolve against
that old context. The plugin uses the ``reader`` layer (Pelican's default),
whose entries are the reader's output.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil

from ..files import write_text
from ..fingerprints import build_fingerprint
from ..glossary.registry import entity_files

logger = logging.getLogger(__name__)
ROOT = "ROUNDUP_CACHE_ROOT"  # setting: the CACHE_PATH the project gave, kept here
PREFIX = "v-"
KEPT = 3  # folders kept: switching a setting back and forth rebuilds nothing


def caching(settings: dict) -> bool:
    """Whether Pelican's content cache is on (loaded, saved or both)."""
    return bool(settings.get("LOAD_CONTENT_CACHE") or settings.get("CACHE_CONTENT"))


def use_reader_layer(settings: dict) -> None:
    """Cache at Pelican's reader layer (see the module's documentation)."""
    if settings.get("CONTENT_CACHING_LAYER") == "generator":
        logger.info("content cache: using Pelican's reader layer (roundups link by build)")
        settings["CONTENT_CACHING_LAYER"] = "reader"


def set_cache_folder(settings: dict) -> str | None:
    """Point ``CACHE_PATH`` at this build's folder (see the module); returns it."""
    root = settings.setdefault(ROOT, settings["CACHE_PATH"])
    if not caching(settings):
        settings["CACHE_PATH"] = root
        return None
    paths = entity_files(settings["PATH"], settings["ENTITY_PATHS"])
    folder = os.path.join(root, PREFIX + build_fingerprint(settings, paths))
    settings["CACHE_PATH"] = folder
    if settings.get("CACHE_CONTENT"):
        os.makedirs(folder, exist_ok=True)
        os.utime(folder)  # the most recently used
        _remove_old(root)
    return folder


def _remove_old(root: str) -> None:
    """All but the :data:`KEPT` folders used last."""
    try:
        folders = [e for e in os.scandir(root) if e.name.startswith(PREFIX) and e.is_dir()]
    except OSError:
        return
    folders.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    for entry in folders[KEPT:]:
        logger.info("content cache: %s was made with other names or code; removed", entry.path)
        shutil.rmtree(entry.path, ignore_errors=True)


SIDECAR = ".sha256"  # beside each of Pelican's cache files: the digest it had when saved


def pelican_cache_files(folder: str | None) -> list[str]:
    """The files Pelican keeps in the build's cache folder (the plugin's own
    are named ``roundup-*`` and sealed themselves)."""
    try:
        entries = list(os.scandir(folder)) if folder else []
    except OSError:
        return []
    return sorted(
        entry.path
        for entry in entries
        if entry.is_file()
        and not entry.name.startswith(("roundup-", "."))
        and not entry.name.endswith(SIDECAR)
    )


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_pelican_caches(folder: str | None) -> None:
    """Before Pelican loads its caches: one that is not exactly as Pelican
    saved it (cut short, edited, saved by a build that stopped half-way) is
    removed, and Pelican reads its files again."""
    for path in pelican_cache_files(folder):
        try:
            with open(path + SIDECAR, encoding="utf-8") as handle:
                expected = handle.read().strip()
            intact = expected == _sha256(path)
        except (OSError, UnicodeDecodeError):
            intact = False
        if not intact:
            logger.info("content cache: %s is damaged; its files are read again", path)
            os.remove(path)


def seal_pelican_caches(folder: str | None) -> None:
    """Once Pelican saved its caches: each one's digest, for the next build."""
    for path in pelican_cache_files(folder):
        write_text(path + SIDECAR, _sha256(path) + "\n")
