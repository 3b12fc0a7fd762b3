"""Build the site safely: into a fresh directory, swapped in only on success.

Every content problem is logged (not just the first); any error-level record
fails the build and leaves the previous output exactly as it was. Pagefind
indexes the staged site for the search page: the years of roundups while
Pelican is still writing the other pages, the rest after it (``search=False``
skips it, for tests that do not search).
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import chain

from pelican import Pelican, signals
from pelican.log import LimitFilter
from pelican.settings import read_settings

from .accel.outputlinks import LINKED, PREVIOUS_OUTPUT
from .accel.packed import thaw_heap
from .accel.searchahead import SearchAhead
from .search.shards import PRIMARY, SearchIndexError, shard_of
from .site.entities import entity_pages_written

SEARCH_MEMO = "roundup-search-pages.pickle"  # in CACHE_PATH
OLD_PREFIX = ".old-"  # beside the output: a replaced site, being deleted


class BuildError(Exception):
    """The build failed; ``messages`` holds every error that was logged."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages) or "build failed")
        self.messages = messages


@dataclass
class _Collector(logging.Handler):
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        target = self.errors if record.levelno >= logging.ERROR else self.warnings
        target.append(record.getMessage())

    __hash__ = logging.Handler.__hash__


def load_settings(settings_file: str, overrides: dict | None = None) -> dict:
    return read_settings(settings_file, override=overrides or {})


def build_site(
    settings_file: str = "pelicanconf.py",
    output: str | None = None,
    overrides: dict | None = None,
    search: bool = True,
) -> list[str]:
    """Build the site into ``output``; returns the warnings, raises on errors."""
    settings = load_settings(settings_file, overrides)
    target = os.path.abspath(output or settings["OUTPUT_PATH"])
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    for stale in replaced_sites(target):  # left by a build that was killed
        discard(stale)
    staging = tempfile.mkdtemp(prefix=".build-", dir=parent)
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    _reset_limit_filter()
    try:
        settings["OUTPUT_PATH"] = staging
        settings[PREVIOUS_OUTPUT] = target if os.path.isdir(target) else None
        ahead = SearchAhead(staging, target, memo=_search_memo(settings)) if search else None
        with ahead or nullcontext():
            with _started_after_articles(ahead):
                Pelican(settings).run()
            if collector.errors:
                raise BuildError(collector.errors)
            if ahead:
                index_search(ahead)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        root.removeHandler(collector)
        thaw_heap()  # Pelican's objects are gone (a failed build's too)
    _swap(staging, target)
    return collector.warnings


def index_search(ahead: SearchAhead) -> None:
    """Pagefind (PyPI ``pagefind[extended]``) writes ``site/pagefind/``: index and UI.

    Bundles of the site being replaced whose pages did not change are reused
    (:mod:`.searchshards`); the year bundles were started while Pelican was
    still writing (:mod:`.searchahead`).
    """
    try:
        ahead.finish()
    except SearchIndexError as error:
        raise BuildError([str(error)]) from error


@contextmanager
def _started_after_articles(ahead: SearchAhead | None) -> Iterator[None]:
    """Start indexing each year group once Pelican has written its article
    pages (as soon as the last one is written: period archives, lists and
    feeds follow in the same step), and every group once the last article
    page is written, else when the articles generator's output step ends;
    the ``site`` group once the entity pages are in place (the entity export,
    the digest hub and the sitemap follow)."""
    if ahead is None:
        yield
        return
    ends: dict[str, str | None] = {}  # output path -> the group it completes
    planned: list[bool] = []

    def start(generator, writer) -> None:
        ahead.start()

    def start_site(generator) -> None:
        ahead.start(PRIMARY)

    def writing(generator, content) -> None:
        if not planned:
            planned.append(True)
            ends.update(_group_ends(generator))

    def written(path, context=None) -> None:
        if not (context and context.get(LINKED)):  # a link to the old file: unchanged
            ahead.written(path)
        if path in ends:  # Pelican's and the page cache's paths are absolute, normalised
            ahead.start(ends.pop(path))

    handlers = {
        signals.article_writer_finalized: start,
        signals.article_generator_write_article: writing,
        signals.content_written: written,
        entity_pages_written: start_site,
    }
    for signal, handler in handlers.items():
        signal.connect(handler)
    try:
        yield
    finally:
        for signal, handler in handlers.items():
            signal.disconnect(handler)


def _group_ends(generator) -> dict[str, str | None]:
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


def _search_memo(settings: dict) -> str | None:
    """Where the search planner keeps what it read, when the content cache is on."""
    if not (settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE")):
        return None
    return os.path.join(settings["CACHE_PATH"], SEARCH_MEMO)


def _reset_limit_filter() -> None:
    """Pelican deduplicates warnings across builds in one process; start afresh."""
    LimitFilter._ignore.clear()
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def _swap(staging: str, target: str) -> None:
    """Put the staged site in place of ``target``; the replaced one is set
    aside (``.old-*`` beside it) and deleted in the background."""
    os.chmod(staging, 0o755)
    old = None
    if os.path.exists(target):
        old = tempfile.mkdtemp(prefix=OLD_PREFIX, dir=os.path.dirname(target))
        os.rename(target, os.path.join(old, "site"))
    os.rename(staging, target)
    if old:
        discard(old)


def replaced_sites(target: str) -> list[str]:
    """The folders :func:`_swap` set ``target``'s replaced sites aside in
    that are still there: being deleted, or left by a killed build."""
    pattern = os.path.join(glob.escape(os.path.dirname(target)), OLD_PREFIX + "*")
    found = []
    for path in sorted(glob.glob(pattern)):
        try:
            if set(os.listdir(path)) <= {"site"}:  # what _swap makes, nothing else
                found.append(path)
        except OSError:  # gone meanwhile, or not a folder
            continue
    return found


def discard(folder: str) -> None:
    """Delete ``folder`` in a background process: the new site is live
    already, and the replaced one (mostly hard links to it, after a
    rebuild) takes a while to unlink file by file."""
    rm = shutil.which("rm")
    if rm is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    quiet = subprocess.DEVNULL
    process = subprocess.Popen([rm, "-rf", "--", folder], stdin=quiet, stdout=quiet, stderr=quiet)
    threading.Thread(target=process.wait, daemon=True).start()  # reaped when done


class _ConsoleFormatter(logging.Formatter):
    """Content problems already read ``path:line: level: message``."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name.startswith("roundup"):
            return message
        return f"{record.levelname}: {message}"


def init_console_logging(level: int = logging.WARNING) -> None:
    """Plain one-line messages on stderr, easy to read and to grep."""
    from pelican.log import init  # noqa: PLC0415

    handler = logging.StreamHandler()
    handler.setFormatter(_ConsoleFormatter())
    init(level=level, handler=handler)
