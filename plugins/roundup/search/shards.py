"""The search index in groups: one Pagefind bundle per year of articles.

One Pagefind run over the whole site costs time and memory in proportion to
every page (26 s and 1.9 GiB at 4,000 articles) and has to be redone whenever
any page changes. Instead, the pages Pagefind indexes (those marked
``data-pagefind-body``) are grouped: articles by the year folder they are
written to, everything else (entity pages, site pages) in the group ``site``.
Each group is indexed by its own Pagefind run into its own bundle, several at
a time; the visitor's browser merges them (Pagefind's ``mergeIndex``).

``pagefind/shards.json`` lists the bundles with a digest of the pages each was
made from. When the previous site holds a bundle whose digest matches, it is
reused instead of re-indexed, so editing one roundup re-indexes one year. The
primary bundle (``site``, or the first group when there is none) sits at
``pagefind/`` with Pagefind's scripts; the others at ``pagefind/<group>/``
carry only their index (they share the primary's WebAssembly).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..files import make_folder, stamp_of
from .pagefind import pagefind_command, stabilize

logger = logging.getLogger(__name__)

BUNDLE = "pagefind"
MANIFEST = "shards.json"
FORMAT = 2  # bump when the bundle layout or the canonical form changes
PRIMARY = "site"
MARKER = b"data-pagefind-body"
YEAR = re.compile(r"\d{4}")
IGNORE_ATTRIBUTE = re.compile(rb"data-pagefind-ignore(?![\w-])")  # literal first: fast
START_TAG = re.compile(rb"<([a-zA-Z][\w-]*)\s[^<>]*>")
CAPTURED = re.compile(rb"data-pagefind-(?:filter|meta|sort)")
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
class IndexReport:
    indexed: tuple[str, ...]
    reused: tuple[str, ...]
    ahead: tuple[str, ...] = ()  # of ``indexed``: made while the site was being written


def shard_of(page: str) -> str:
    """The group of the page at ``page`` (relative, with ``/``): its year folder, or ``site``."""
    head, sep, _ = page.partition("/")
    return head if sep and YEAR.fullmatch(head) else PRIMARY


def primary_of(names: list[str]) -> str:
    return PRIMARY if PRIMARY in names else min(names)


def concurrent_runs(processes: int = 0) -> int:
    """Pagefind runs at a time: ``processes``, or one per CPU when it is 0."""
    return max(1, processes or os.cpu_count() or 1)


def indexable_pages(
    site: Path, known: dict | None = None, include: Callable[[str], bool] | None = None
) -> dict[str, dict[str, bytes]]:
    """Pages Pagefind would index, by :func:`shard_of` group: path -> digest of
    :func:`indexed_bytes`, in path order.

    ``known`` (page -> (stat, digest)) remembers digests between calls: a page
    whose size, inode and modification time did not change is not read again;
    after a walk of the whole site it holds the site's pages only.
    ``include`` limits the walk to the groups it accepts.
    """
    groups: dict[str, dict[str, bytes]] = {}
    known = {} if known is None else known
    wanted = include or (lambda group: True)
    seen = set()
    for path, page in _html_files(str(site), wanted):
        seen.add(page)
        if (digest := _page_digest(path, page, known)) is not None:
            groups.setdefault(shard_of(page), {})[page] = digest
    if include is None:
        for gone in known.keys() - seen:
            del known[gone]
    return {name: dict(sorted(pages.items())) for name, pages in sorted(groups.items())}


def _html_files(site: str, wanted: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
    """``(path, page)`` of each HTML file below ``site`` in a group ``wanted``
    accepts, outside the bundle; symbolic links to folders are not followed
    (as ``os.walk``). Strings, not ``Path``: a site has thousands of pages."""
    folders = [(site, "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                page = prefix + entry.name
                if entry.is_dir():
                    top = not prefix
                    skip = top and (entry.name == BUNDLE or not wanted(shard_of(page + "/")))
                    if not skip and not entry.is_symlink():
                        folders.append((entry.path, page + "/"))
                elif entry.name.endswith(".html") and (prefix or wanted(shard_of(page))):
                    yield entry.path, page


def _page_digest(path: str, page: str, known: dict) -> bytes | None:
    """Digest of what Pagefind reads of the page; ``None`` when it is not indexed."""
    stamp = stamp_of(path)
    remembered = known.get(page)
    if remembered and remembered[0] == stamp:
        return remembered[1]
    with open(path, "rb") as handle:
        html = handle.read()
    digest = hashlib.sha256(indexed_bytes(html)).digest() if MARKER in html else None
    known[page] = (stamp, digest)
    return digest


def _element_end(html: bytes, tag: bytes, start: int) -> int | None:
    """Where the element whose start tag ends at ``start`` closes (same-name nesting)."""
    depth = 1
    for match in re.compile(rb"<(/?)" + re.escape(tag) + rb"[\s/>]", re.I).finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = html.find(b">", match.end() - 1)
            return None if close < 0 else close + 1
    return None


def _ignored_elements(html: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Start, end of the start tag and tag name of each ``data-pagefind-ignore`` element."""
    for attribute in IGNORE_ATTRIBUTE.finditer(html):
        start = html.rfind(b"<", 0, attribute.start())
        tag = START_TAG.match(html, start) if start >= 0 else None
        if tag and tag.end() > attribute.end() and html[attribute.start() - 1] in b" \t\n\r\f":
            yield start, tag.end(), tag.group(1)


def indexed_bytes(html: bytes) -> bytes:
    """The page without what Pagefind leaves out: its ``data-pagefind-ignore`` elements.

    Entity pages list the roundups that mention them inside such elements, so
    most edits change them without changing their index entry. The cut is
    conservative: an ignored element holding filters, metadata or sort keys
    (which Pagefind still reads there) stays, and so does everything from an
    element whose end is not found.
    """
    parts, position = [], 0
    for start, tag_end, tag in _ignored_elements(html):
        if start < position:
            continue  # inside an element already cut
        end = _element_end(html, tag, tag_end)
        if end is None:
            break
        if not CAPTURED.search(html, start, end):
            parts.append(html[position:start])
            position = end
    parts.append(html[position:])
    return b"".join(parts)


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


def manifest_text(shards: list[Shard]) -> str:
    entries = [{"name": s.name, "path": s.path, "digest": s.digest} for s in shards]
    return json.dumps({"format": FORMAT, "shards": entries}, indent=1) + "\n"


def previous_bundles(previous: Path | None) -> dict[tuple[str, str], Path]:
    """``(path, digest)`` of each bundle in the previous site, to the folder holding it."""
    try:
        manifest = json.loads((previous / BUNDLE / MANIFEST).read_text(encoding="utf-8"))
    except (TypeError, OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return {}
    bundles = {}
    for entry in manifest["shards"]:
        folder = previous / BUNDLE / entry["path"]
        if (folder / "pagefind-entry.json").is_file():
            bundles[(entry["path"], entry["digest"])] = folder
    return bundles


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


def stage(site: Path, shard: Shard, work: Path) -> Path:
    """Hard-link ``shard``'s pages into a folder of their own, for Pagefind.

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
        os.link(site / page, pages / page)
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
    stabilize(out)
    if shard.path:
        for entry in out.iterdir():
            if not MERGED_KEEP.fullmatch(entry.name):
                entry.unlink()
    return out


def _place(site: Path, shards: list[Shard], built: dict, old: dict) -> None:
    """Put every bundle in place, the primary first: it is the folder the others go in."""
    beside_primary = {path.rstrip("/") for path, _ in old if path} | {MANIFEST}
    for shard in shards:
        target = site / BUNDLE / shard.path
        if shard in built:
            _link_tree(built[shard], target, set())
        else:
            skip = set() if shard.path else beside_primary
            _link_tree(old[(shard.path, shard.digest)], target, skip)
    (site / BUNDLE / MANIFEST).write_text(manifest_text(shards), encoding="utf-8")


def index_site(
    site: str | Path,
    previous: str | Path | None = None,
    processes: int = 0,
    ahead: Ahead | None = None,
) -> IndexReport:
    """Write ``site/pagefind/``, reusing the bundles of ``previous`` whose pages are unchanged.

    ``ahead`` holds bundles already being made (:mod:`roundup.searchahead`);
    one is used when its shard is still the same, pages and digest alike.
    """
    site = Path(site)
    shards = plan(site, ahead.known if ahead else None)
    old = previous_bundles(Path(previous) if previous else None)
    fresh = [s for s in shards if (s.path, s.digest) not in old]
    started = ahead.started if ahead else {}
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site.parent) as tmp:

        def bundle(shard: Shard) -> Path:
            future = started.get(shard)
            return future.result() if future else run_pagefind(site, shard, Path(tmp))

        with ThreadPoolExecutor(max_workers=concurrent_runs(processes)) as pool:
            built = dict(zip(fresh, pool.map(bundle, fresh), strict=True))
        _place(site, shards, built, old)
    report = IndexReport(
        indexed=tuple(s.name for s in fresh),
        reused=tuple(s.name for s in shards if s not in built),
        ahead=tuple(s.name for s in fresh if s in started),
    )
    logger.info(
        "search index: %d groups indexed (%s; %d while pages were written), %d reused",
        len(report.indexed),
        " ".join(report.indexed),
        len(report.ahead),
        len(report.reused),
    )
    return report


class Ahead(Protocol):
    """Bundles made before the whole site is written (:class:`searchahead.SearchAhead`)."""

    known: dict
    started: dict[Shard, Future[Path]]
