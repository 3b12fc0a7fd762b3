"""The search index in groups: one Pagefind bundle per year of articles.

One Pagefind run over the whole site costs time and memory in proportion to
every page (26 s and 1.9 GiB at 4,000 articles). Instead, the pages Pagefind
indexes are grouped (:mod:`roundup.search.pages`) and each group is indexed
by its own Pagefind run into its own bundle, several at a time; the
visitor's browser merges them (Pagefind's ``mergeIndex``).

``pagefind/shards.json`` lists the bundles with a digest of the pages each was
made from. The primary bundle (``site``, or the first group when there is
none) sits at ``pagefind/`` with Pagefind's scripts; the others at
``pagefind/<group>/`` carry only their index (they share the primary's
WebAssembly). A :class:`BundleSource` may supply bundles already made for a
group's exact pages (the speed layer: made while the site was being written,
or kept from the site being replaced).
"""

from __future__ import annotations

import errno
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..files import make_folder, write_text
from .pagefind import UnexpectedIndexError, pagefind_command, stabilize
from .pages import BUNDLE, PRIMARY, indexable_pages

logger = logging.getLogger(__name__)

MANIFEST = "shards.json"
LOW_ROOM = 64 * 1024  # bytes free after a Pagefind run below which its writes may have failed
FORMAT = 3  # bump when the bundle layout, the canonical form or the manifest changes
# What a merged bundle needs: its entry, metadata, index, fragments and filters.
MERGED_KEEP = re.compile(r"pagefind-entry\.json|pagefind\..*\.pf_meta|index|fragment|filter")


class SearchIndexError(Exception):
    """Pagefind failed on a group of pages."""


@dataclass(frozen=True)
class Shard:
    name: str
    pages: tuple[str, ...]  # paths relative to the site, sorted
    digest: str
    path: str  # bundle folder relative to pagefind/: "" for the primary, else "name/"


@dataclass(frozen=True)
class Bundle:
    """A bundle already made: its files in ``folder`` but for the names in ``skip``."""

    folder: Path
    skip: frozenset[str] = frozenset()


@dataclass(frozen=True)
class IndexReport:
    indexed: tuple[str, ...]  # groups Pagefind indexed here
    given: tuple[str, ...]  # groups whose bundle the source gave


class BundleSource(Protocol):
    """Bundles made elsewhere (:mod:`roundup.accel.searchahead`)."""

    known: dict  # page -> (stamp, digest): what the planner read before

    def bundle(self, shard: Shard) -> Bundle | None: ...

    def close(self) -> None:
        """The index is written (or failed): nothing more is asked."""


def primary_of(names: list[str]) -> str:
    return PRIMARY if PRIMARY in names else min(names)


def concurrent_runs(processes: int = 0) -> int:
    """Pagefind runs at a time: ``processes``, or one per CPU when it is 0."""
    return max(1, processes or os.cpu_count() or 1)


def group_digest(pages: dict[str, bytes], salt: str) -> str:
    digest = hashlib.sha256(salt.encode())
    for page, page_digest in pages.items():
        digest.update(b"\0" + page.encode() + b"\0" + page_digest)
    return digest.hexdigest()


def plan(site: Path, known: dict | None = None) -> list[Shard]:
    """The site's groups, the primary first."""
    groups = indexable_pages(site, known)
    if not groups:
        raise SearchIndexError("no page is marked data-pagefind-body: nothing to index")
    return shards_of(groups, primary_of(list(groups)))


def shards_of(groups: dict[str, dict[str, bytes]], primary: str) -> list[Shard]:
    """Groups of pages as shards (``primary`` at ``pagefind/``), the primary first."""
    salt = f"{FORMAT} pagefind {importlib.metadata.version('pagefind')}"
    shards = [
        Shard(name, tuple(pages), group_digest(pages, salt), "" if name == primary else name + "/")
        for name, pages in groups.items()
    ]
    return sorted(shards, key=lambda shard: shard.path != "")


def manifest_text(shards: list[Shard], files: dict[Shard, str]) -> str:
    """``shards.json``: each bundle's pages' digest, and its files' (``files``)."""
    entries = [
        {"name": s.name, "path": s.path, "digest": s.digest, "files": files[s]} for s in shards
    ]
    return json.dumps({"format": FORMAT, "shards": entries}, indent=1) + "\n"


def nested(shards: list[Shard]) -> frozenset[str]:
    """What the primary bundle's folder holds besides its own files."""
    return frozenset({MANIFEST, *(s.path.rstrip("/") for s in shards if s.path)})


def files_digest(folder: str | Path, skip: frozenset[str] = frozenset()) -> str:
    """Digest of every file below ``folder`` (names and bytes), but the
    top-level names in ``skip``: a bundle kept from an earlier site is used
    only if its files still have it."""
    hasher = hashlib.sha256()
    folder = str(folder)
    for root, dirs, names in os.walk(folder):
        top = root == folder
        dirs[:] = sorted(d for d in dirs if not (top and d in skip))
        for name in sorted(n for n in names if not (top and n in skip)):
            path = os.path.join(root, name)
            hasher.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as handle:
                hasher.update(handle.read())
    return hasher.hexdigest()


def _link_tree(source: str | Path, target: str | Path, skip: set[str]) -> None:
    """Hard-link (or copy, across file systems) ``source`` into ``target``."""
    os.makedirs(target, exist_ok=True)
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.name in skip:
                continue
            to = os.path.join(target, entry.name)
            if entry.is_dir():
                _link_tree(entry.path, to, set())
                continue
            try:
                os.link(entry.path, to)
            except OSError:
                shutil.copy2(entry.path, to)


def run_pagefind(site: Path, shard: Shard, work: Path) -> Path:
    """Index ``shard``'s pages (linked into a folder of their own); returns the bundle."""
    return index_staged(stage(site, shard, work), shard, work)


def stage(site: Path, shard: Shard, work: Path, sources: dict[str, str] | None = None) -> Path:
    """Hard-link ``shard``'s pages (from the site, or from ``sources``: page ->
    file) into a folder of their own, for Pagefind.

    Thousands of system calls: a thread doing this while another runs Python
    waits for the interpreter lock after each, so a caller that is busy
    otherwise stages in its own thread and leaves only the run to a pool.
    """
    pages = work / f"{shard.name}-pages"
    made: set[str] = set()
    for page in shard.pages:
        folder = os.path.dirname(page)
        if folder not in made:
            make_folder(str(pages / folder))
            made.add(folder)
        os.link((sources or {}).get(page) or site / page, pages / page)
    return pages


def index_staged(pages: Path, shard: Shard, work: Path, threads: int = 0) -> Path:
    """Run Pagefind over ``pages`` (from :func:`stage`) with ``threads``
    threads (0: one per CPU, Pagefind's default); returns the bundle."""
    out = work / f"{shard.name}-bundle"
    command = [*pagefind_command(), "--site", str(pages), "--output-path", str(out)]
    env = {**os.environ, "RAYON_NUM_THREADS": str(threads)} if threads else None
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode:
        message = (result.stderr or result.stdout).strip()
        raise SearchIndexError(f"pagefind failed on the {shard.name} pages: {message}")
    check_written(out, work.parent / BUNDLE / shard.path)
    try:
        stabilize(out)
    except (ValueError, UnexpectedIndexError) as error:
        message = f"pagefind wrote a damaged index of the {shard.name} pages: {error}"
        raise SearchIndexError(message) from None
    if shard.path:
        for entry in out.iterdir():
            if not MERGED_KEEP.fullmatch(entry.name):
                entry.unlink()
    return out


def check_written(out: Path, where: Path) -> None:
    """Raise if Pagefind could not write its bundle ``out`` (to become ``where``).

    Pagefind exits 0 when its writes fail: a full disk leaves files empty or
    cut short. Little room left after the run, or an empty file, is taken as
    that (an ``OSError``, reported as a failed write of ``where``).
    """
    stat = os.statvfs(out)
    free = stat.f_bfree if os.geteuid() == 0 else stat.f_bavail  # root may use reserved blocks
    empty = next((p for p in out.rglob("*") if p.is_file() and not p.stat().st_size), None)
    if free * stat.f_frsize < LOW_ROOM:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(where))
    if empty is not None:
        raise SearchIndexError(f"pagefind wrote an empty file: {empty.relative_to(out)}")


def _place(site: Path, shards: list[Shard], bundles: dict[Shard, Bundle]) -> None:
    """Put every bundle in place, the primary first: it is the folder the others go in."""
    files = {}
    for shard in shards:
        bundle = bundles[shard]
        _link_tree(bundle.folder, site / BUNDLE / shard.path, set(bundle.skip))
        files[shard] = files_digest(bundle.folder, bundle.skip)
    write_text(str(site / BUNDLE / MANIFEST), manifest_text(shards, files))


def index_site(
    site: str | Path, processes: int = 0, source: BundleSource | None = None
) -> IndexReport:
    """Write ``site/pagefind/``: index every group, but those ``source`` has a bundle for."""
    site = Path(site)
    shards = plan(site, source.known if source else None)
    bundles: dict[Shard, Bundle] = {}
    for shard in shards:
        found = source.bundle(shard) if source else None
        if found is not None:
            bundles[shard] = found
    fresh = [s for s in shards if s not in bundles]
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site) as tmp:

        def run(shard: Shard) -> Bundle:
            return Bundle(run_pagefind(site, shard, Path(tmp)))

        with ThreadPoolExecutor(max_workers=concurrent_runs(processes)) as pool:
            bundles.update(zip(fresh, pool.map(run, fresh), strict=True))
        _place(site, shards, bundles)
    given = tuple(s.name for s in shards if s not in fresh)
    report = IndexReport(tuple(s.name for s in fresh), given)
    logger.info(
        "search index: %d groups indexed (%s), %d given (%s)",
        len(report.indexed), " ".join(report.indexed), len(given), " ".join(given),
    )  # fmt: skip
    return report
