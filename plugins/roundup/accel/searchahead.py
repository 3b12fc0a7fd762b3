"""Search bundles made while Pelican still writes, or kept from the last site (``searchahead``).

Pelican writes every article page (and the year archives beside them) in the
articles generator's output step; entity pages, feeds and the rest follow.
Once a year's article pages are written, :class:`SearchAhead` plans that
group (:mod:`roundup.search.pages`) and starts a Pagefind run for it from a
background thread, unless the site being replaced holds a bundle made from
exactly those pages; so indexing overlaps the rest of the build instead of
following it, and a one-article edit re-indexes one year. The ``site`` group
(entity and site pages) follows once the entity pages are in place.

It is the search generator's bundle source
(:attr:`~roundup.search.generator.SearchGenerator.bundle_source`): when the
site is complete the generator plans it again, and a bundle made ahead or
kept is used only for a group whose pages and digest are still the same; a
page written into a year folder later sends that group through Pagefind
again. With the content cache on, what the planner learnt of each page (its
size, inode, modification time and digest) is kept for the next build:
pages linked unchanged from the site being replaced keep their inode and
times, so they are not read again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from pathlib import Path

from ..files import read_pickle, write_pickle
from ..search.pages import BUNDLE, PRIMARY, indexable_pages, shard_of
from ..search.shards import (
    FORMAT,
    MANIFEST,
    Bundle,
    Shard,
    concurrent_runs,
    files_digest,
    index_staged,
    shards_of,
    stage,
)

logger = logging.getLogger(__name__)
MEMO = "roundup-search-pages.pickle"  # in CACHE_PATH
# Pagefind threads per year group started ahead: Pelican and its render
# worker hold the CPUs then, and one thread each costs less CPU time than one
# per CPU. The site group starts once the render worker is done: Pagefind's
# default (one per CPU).
AHEAD_THREADS = 1


def previous_bundles(previous: Path | None) -> dict[tuple[str, str], Bundle]:
    """``(path, digest)`` of each bundle in the previous site whose files are
    still as written (a damaged one is indexed again, said), to the bundle."""
    try:
        manifest = json.loads((previous / BUNDLE / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            return {}
        entries = [(e["path"], e["digest"], e["files"]) for e in manifest["shards"]]
    except (TypeError, OSError, ValueError, AttributeError, KeyError):
        return {}
    inside = frozenset({MANIFEST, *(path.rstrip("/") for path, _, _ in entries if path)})
    bundles = {}
    for path, digest, files in entries:
        folder = previous / BUNDLE / path
        skip = frozenset() if path else inside  # the primary holds the others
        try:
            kept = (folder / "pagefind-entry.json").is_file() and files_digest(
                folder, skip
            ) == files
        except OSError:
            kept = False
        if kept:
            bundles[(path, digest)] = Bundle(folder, skip)
        elif folder.is_dir():
            logger.info(
                "search index: %s of the site being replaced is damaged; made again", folder
            )
    return bundles


class SearchAhead:
    """Bundles of year groups, started before the site is complete."""

    def __init__(self, site: str, previous: str | None, memo: str | None = None) -> None:
        self.site = Path(site)
        self.previous = Path(previous) if previous else None
        self.memo = memo
        self.known: dict = read_pickle(memo) if memo else {}
        self.started: dict[Shard, Future[Path]] = {}
        self.given: dict[str, str] = {}  # group -> "ahead" or "kept", as bundle() gave it
        self._pool = ThreadPoolExecutor(max_workers=concurrent_runs())
        self._planned: set[str] = set()  # groups planned; "*": every year group
        # Output path of the last article page of each year group, to the
        # group (``None``: the last of all); set when Pelican starts writing them.
        self.ends: dict[str, str | None] | None = None
        self._old: dict | None = None  # the previous site's bundles, read once
        # Scratch space inside the site being built (a failed build's staging
        # folder goes, scratch and all); made when a group is first staged.
        self._work: list[Path] = []
        self._closer = weakref.finalize(self, _close, self._pool, self._work)

    def old(self) -> dict[tuple[str, str], Bundle]:
        if self._old is None:
            self._old = previous_bundles(self.previous)
        return self._old

    def start(self, group: str | None = None, overlay: dict[str, str] | None = None) -> None:
        """The pages of ``group`` are written (``None``: those of every year
        group), or about to be, from the files ``overlay`` names (page ->
        file): plan the group(s) not planned yet, start indexing those the
        previous site cannot supply."""
        if group in self._planned or (group != PRIMARY and "*" in self._planned):
            return
        done = set(self._planned)
        self._planned.add(group or "*")

        def wanted(name: str) -> bool:
            return name == group if group else name != PRIMARY and name not in done

        groups = indexable_pages(self.site, self.known, wanted, overlay)
        # The "site" group is the primary bundle and the years sit beside it;
        # if there is no "site" group after all, the final plan differs and
        # the years are redone.
        for shard in shards_of(groups, PRIMARY):
            if (shard.path, shard.digest) not in self.old():
                work = self.work()
                pages = stage(self.site, shard, work, overlay)  # here: see stage()
                # Every CPU for the site group once the build process is done
                # with the pages; one per group while it is still at work.
                threads = 0 if shard.name == PRIMARY and overlay is None else AHEAD_THREADS
                self.started[shard] = self._pool.submit(index_staged, pages, shard, work, threads)
        logger.debug("search index: %d groups started ahead", len(self.started))

    def work(self) -> Path:
        if not self._work:
            self._work.append(Path(tempfile.mkdtemp(prefix=".search-ahead-", dir=self.site)))
        return self._work[0]

    def written(self, path: str) -> None:
        """A file was (re)written: read it again when planning. The size,
        inode and time check alone could miss a same-size rewrite within the
        file system's timestamp granularity."""
        page = os.path.relpath(path, self.site).replace(os.sep, "/")
        self.known.pop(page, None)

    def bundle(self, shard: Shard) -> Bundle | None:
        """A bundle made ahead or kept for exactly ``shard``'s pages (``None``: none)."""
        future = self.started.get(shard)
        if future is not None:
            self.given[shard.name] = "ahead"
            return Bundle(future.result())
        kept = self.old().get((shard.path, shard.digest))
        if kept is not None:
            self.given[shard.name] = "kept"
        return kept

    def close(self) -> None:
        """The index is written: keep what the planner read, drop the scratch folder."""
        if self.memo and self.given:  # the site's pages only, after the final walk
            write_pickle(self.memo, self.known)
        made = [name for name, how in self.given.items() if how == "ahead"]
        kept = [name for name, how in self.given.items() if how == "kept"]
        logger.info(
            "search index: %d groups made while pages were written (%s), %d kept (%s)",
            len(made), " ".join(made), len(kept), " ".join(kept),
        )  # fmt: skip
        self._closer()

    def stop(self, _sender=None) -> None:
        """The build is over, written or not: runs still going are waited for,
        the scratch folder goes (``build_site``'s ``build_ended``)."""
        self._closer()

    def __enter__(self) -> SearchAhead:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._closer()


def year_ends(generator) -> dict[str, str | None]:
    """The output path of the last article page ``generate_articles`` writes
    in each year group, to that group; of the last page of all, to ``None``
    (every group)."""
    pages = [
        (
            shard_of(content.save_as.replace(os.sep, "/")),
            os.path.abspath(os.path.join(generator.output_path, content.save_as)),
        )
        for content in chain(
            generator.translations,
            generator.articles,
            generator.hidden_translations,
            generator.hidden_articles,
        )
        if content.save_as
    ]
    last = dict(pages)  # each group's last page
    ends: dict[str, str | None] = {path: group for group, path in last.items() if group != PRIMARY}
    if pages:  # the very last page: every group not started yet
        ends[pages[-1][1]] = None
    return ends


def _close(pool: ThreadPoolExecutor, work: list[Path]) -> None:
    pool.shutdown(wait=True, cancel_futures=True)
    for folder in work:
        shutil.rmtree(folder, ignore_errors=True)
