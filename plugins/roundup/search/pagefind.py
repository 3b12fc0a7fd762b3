"""Run Pagefind, and make its index byte-stable between builds.

:func:`pagefind_command` runs the binary of the ``pagefind[extended]`` wheel
directly when it can: ``python -m pagefind`` starts an interpreter and imports
Pagefind's asyncio service only to look the binary up and exec it (~0.1 s a run).

Pagefind 1.5 writes its filter values in hash-map order, so the filter files,
the metadata file that names them and ``pagefind-entry.json`` change from run
to run although they hold the same index (upstream issue #638). Each of those
files is ``gzip(b"pagefind_dcd" + CBOR)``; this module sorts the filter values,
re-encodes, and renames the files after their new content, rewriting the
references, so the same content always gives the same bytes.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
FILTERS = 3  # position of the [[name, file hash], ...] list in a .pf_meta file


@functools.cache
def pagefind_command() -> tuple[str, ...]:
    """The command that runs Pagefind: ``PAGEFIND_BINARY_PATH`` if set (as
    Pagefind's wrapper honours it), else the extended binary its wheel ships,
    else the wrapper itself (which also finds a ``pagefind`` on ``PATH``)."""
    given = os.environ.get("PAGEFIND_BINARY_PATH")
    if given:
        return (given,)
    try:
        from pagefind_bin_extended import get_executable  # noqa: PLC0415

        return (str(get_executable()),)
    except (ImportError, FileNotFoundError):
        return (sys.executable, "-m", "pagefind")


class UnexpectedIndexError(Exception):
    """The index does not have the layout this module knows (Pagefind upgraded?)."""


def decode(data: bytes) -> Any:
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise UnexpectedIndexError("missing pagefind signature")
    return cbor2.loads(raw[len(SIGNATURE) :])


def encode(value: Any) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _name(language: str, data: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"


def sorted_filter(value: Any) -> Any:
    """``[name, [[value, pages], ...]]`` with the values in a fixed order."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)):
        raise UnexpectedIndexError("filter file layout")
    return [value[0], sorted(value[1], key=lambda item: str(item[0]))]


def _stabilize_filters(folder: Path, language: str, meta: list) -> None:
    entries = []
    for name, old in meta[FILTERS]:
        path = folder / "filter" / f"{old}.pf_filter"
        data = encode(sorted_filter(decode(path.read_bytes())))
        new = _name(language, data, len(old) - len(language) - 1)
        path.unlink()
        (folder / "filter" / f"{new}.pf_filter").write_bytes(data)
        entries.append([name, new])
    meta[FILTERS] = sorted(entries)


def stabilize(folder: str | Path) -> None:
    """Rewrite ``folder`` (a Pagefind output folder) into its canonical form."""
    folder = Path(folder)
    entry_path = folder / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        old = info["hash"]
        meta_path = folder / f"pagefind.{old}.pf_meta"
        meta = decode(meta_path.read_bytes())
        if not isinstance(meta, list) or len(meta) <= FILTERS:
            raise UnexpectedIndexError("metadata file layout")
        _stabilize_filters(folder, language, meta)
        data = encode(meta)
        info["hash"] = _name(language, data, len(old) - len(language) - 1)
        meta_path.unlink()
        (folder / f"pagefind.{info['hash']}.pf_meta").write_bytes(data)
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    entry_path.write_text(text, encoding="utf-8")
