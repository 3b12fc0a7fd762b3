"""Rendered text kept between builds: one file per page, groups of small texts.

Every file is replaced whole and sealed (:func:`roundup.files.write_sealed`):
a damaged one is made again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import TypeVar

from ..files import read_pickle, read_sealed, write_pickle, write_sealed

T = TypeVar("T")


def memoised(path: str, key: str, make: Callable[[], T], load: bool, save: bool) -> T:
    """``make()``, or what it made for ``key`` in an earlier build (kept in
    ``path``, the last one only): ``load`` reads it, ``save`` keeps a new one."""
    earlier = read_pickle(path) if load else {}
    if "value" in earlier and earlier.get("key") == key:
        return earlier["value"]
    value = make()
    if save:
        write_pickle(path, {"key": key, "value": value})
    return value


class PageStore:
    """Rendered text by key, one file each; forgets keys a build did not use."""

    def __init__(self, folder: str, load: bool, save: bool) -> None:
        self.folder, self.load, self.save = folder, load, save
        self.used: set[str] = set()

    def _path(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key)

    def get(self, key: str) -> str | None:
        """The text kept for ``key``; ``None`` if none, or if its file is
        damaged (said: the page is rendered again)."""
        self.used.add(key)
        if not self.load:
            return None
        payload = read_sealed(self._path(key))
        return None if payload is None else payload.decode()

    def put(self, key: str, text: str) -> None:
        if not self.save:
            return
        write_sealed(self._path(key), text.encode())

    def _group_path(self, name: str) -> str:
        label = hashlib.blake2b(name.encode(), digest_size=8).hexdigest()
        return os.path.join(self.folder, f"group-{label}.pickle")

    def texts(self, name: str, keys: list[str | None], make: Callable[[int], str]) -> list[str]:
        """The text for each key, kept together under ``name`` (thousands of
        small texts are one read, not one each); ``make(index)`` makes one not
        kept (a key of ``None``: made, and not kept)."""
        earlier = read_pickle(self._group_path(name)) if self.load else {}
        texts, kept = [], {}
        for index, key in enumerate(keys):
            text = earlier.get(key) if key else None
            if text is None:
                text = make(index)
            if key:
                kept[key] = text
            texts.append(text)
        if self.save and kept != earlier:
            write_pickle(self._group_path(name), kept)
        return texts

    def prune(self) -> None:
        """Remove what this build did not use (pages that no longer exist)."""
        if not (self.save and os.path.isdir(self.folder)):
            return
        for entry in os.scandir(self.folder):
            if entry.is_dir():
                for item in os.scandir(entry.path):
                    if item.name not in self.used:
                        os.remove(item.path)
