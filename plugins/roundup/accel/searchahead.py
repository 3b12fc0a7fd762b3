"""Index groups of pages while Pelican is still writing the rest of the site.

Pelican writes every article page (and the year archives beside them) in the
articles generator's output step; entity pages, feeds and the rest follow.
Once a year's article pages are written, :class:`SearchAhead` plans that
group of :mod:`roundup.searchshards` and starts a Pagefind run for it if the
previous site cannot supply it, from background threads, so indexing overlaps
the rest of the build instead of following it. The ``site`` group (entity
and site pages) follows once the entity pages are in place.

With the content cache on, what the planner learnt about each page (its
size, inode, modification time and digest) is kept for the next build
(``memo``): pages linked unchanged from the site being replaced
(:mod:`roundup.pagelinks`) keep their inode and times, so they are not read
again.

Nothing is trusted blindly: :func:`searchshards.index_site` plans the whole
site again when Pelican is done (a page is read again if it was written since,
or its size, inode or modification time changed) and uses a bundle made ahead
only for a group whose pages and digest are still the same. A page written into a year
folder later simply sends that group through Pagefind again.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..files import read_pickle, write_pickle
from ..search.shards import (
    PRIMARY,
    IndexReport,
    Shard,
    concurrent_runs,
    index_site,
    index_staged,
    indexable_pages,
    previous_bundles,
    shards_of,
    stage,
)

logger = logging.getLogger(__name__)
# Pagefind threads per year group started ahead: Pelican and its render
# worker hold the CPUs then, and one thread each costs less CPU time than one
# per CPU. The site group starts once the render worker is done: Pagefind's
# default (one per CPU).
AHEAD_THREADS = 1


class SearchAhead:
    """Bundles of year groups, started before the site is complete.

    Use as a context manager: leaving it waits for runs still going and
    removes their scratch folder, whether or not :meth:`finish` was called.
    """

    def __init__(
        self,
        site: str | Path,
        previous: str | Path | None,
        processes: int = 0,
        memo: str | None = None,
    ) -> None:
        self.site = Path(site)
        self.previous = Path(previous) if previous else None
        self.processes = concurrent_runs(processes)
        self.memo = memo
        self.known: dict = read_pickle(memo) if memo else {}
        self.started: dict[Shard, Future[Path]] = {}
        self._pool = ThreadPoolExecutor(max_workers=self.processes)
        self._planned: set[str] = set()  # groups planned; "*": every year group
        self._old: dict | None = None  # the previous site's bundles, read once
        self._work = Path(tempfile.mkdtemp(prefix=".search-ahead-", dir=self.site.parent))

    def start(self, group: str | None = None) -> None:
        """The pages of ``group`` are written (``None``: those of every year
        group): plan the group(s) not planned yet, start indexing those the
        previous site cannot supply."""
        if group in self._planned or (group != PRIMARY and "*" in self._planned):
            return
        done = set(self._planned)
        self._planned.add(group or "*")

        def wanted(name: str) -> bool:
            return name == group if group else name != PRIMARY and name not in done

        groups = indexable_pages(self.site, self.known, wanted)
        # The "site" group is the primary bundle and the years sit beside it;
        # if there is no "site" group after all, the final plan differs and
        # the years are redone.
        if self._old is None:
            self._old = previous_bundles(self.previous)
        for shard in shards_of(groups, PRIMARY):
            if (shard.path, shard.digest) not in self._old:
                pages = stage(self.site, shard, self._work)  # here: see stage()
                threads = 0 if shard.name == PRIMARY else AHEAD_THREADS
                run = self._pool.submit(index_staged, pages, shard, self._work, threads)
                self.started[shard] = run
        logger.debug("search index: %d groups started ahead", len(self.started))

    def written(self, path: str) -> None:
        """A file was (re)written after the start: read it again in :meth:`finish`.

        The size/inode/mtime check alone could miss a same-size rewrite within
        the file system's timestamp granularity.
        """
        page = os.path.relpath(path, self.site).replace(os.sep, "/")
        self.known.pop(page, None)

    def finish(self) -> IndexReport:
        """The site is complete: write ``pagefind/``, using what was made ahead."""
        report = index_site(self.site, self.previous, self.processes, ahead=self)
        if self.memo:
            write_pickle(self.memo, self.known)  # the site's pages only, after the final walk
        return report

    def __enter__(self) -> SearchAhead:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._work, ignore_errors=True)
