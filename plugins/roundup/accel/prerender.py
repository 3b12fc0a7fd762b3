"""Render many pages and feeds in forked workers, write them in the build process.

A generator describes its output as a list of tasks, each a few :class:`Page`
and :class:`Feed` jobs (say, one entity's page and feed). :class:`Prerender`
starts worker processes (:class:`roundup.parallel.Pool`) as soon as the
context is complete, so they render while Pelican writes its own pages; each
task goes through a writer of the build's class whose files are captured
instead of written and kept in a scratch folder. When the generator's turn
comes, the build process renders what is left alongside the workers, then
replays the captured text through the real writer, in task order: the build
process still writes every file, sends Pelican's ``content_written`` signal and
keeps its page cache (:mod:`roundup.pagecache`) up to date, it only skips the
templates.

With the page cache's links on (a rebuild), a job whose file the build would
link from the site being replaced (:mod:`roundup.pagelinks`) is linked by the
worker instead, into the scratch folder, keys and all; the build process only
moves the file into place and notes it. After a one-article edit that is
nearly every entity page and feed.

A task a worker could not do cleanly (it logged a warning, raised, or its
worker died) is simply written serially, so its messages reach the build.
Feeds are written serially when another plugin listens to feed signals (it
expects the feed object, which only rendering makes).
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pelican import signals
from pelican.contents import Content
from pelican.utils import sanitised_join

from .pagecache import detached
from .workers import Pool


@dataclass(frozen=True)
class Page:
    """One ``writer.write_file(name, template, context, **options)`` call."""

    name: str
    template: Any
    options: dict[str, Any] = field(default_factory=dict)

    def write(self, writer, context: dict, template=None) -> None:
        writer.write_file(self.name, template or self.template, context, **self.options)

    def replay(self, writer, context: dict, text: str) -> None:
        self.write(writer, context, Rendered(text, getattr(self.template, "name", None)))

    def link_ahead(self, writer, context: dict, target: str):
        return writer.link_ahead(target, self.name, self.template, context, **self.options)

    def objects(self) -> list[Content]:
        """The contents the page shows (an entity, say)."""
        return [value for value in self.options.values() if isinstance(value, Content)]

    def adopt(self, writer, context: dict, entry, source: str) -> bool:
        path = writer.adopt(self.name, entry, source, self.options.get("override_output", False))
        if path is None:
            return False
        kwargs = {k: v for k, v in self.options.items() if k not in WRITE_PARAMETERS}
        writer._announce(path, self.name, context, self.options.get("relative_urls", False), kwargs)
        return True


@dataclass(frozen=True)
class Feed:
    """One ``writer.write_feed(elements, context, path, url, feed_title=...)`` call.

    ``items`` is the list of elements, or a function that makes it: then it
    is made only where the feed is keyed or written (a worker, mostly), not
    where it is only moved into place.
    """

    items: list | Callable[[], list]
    path: str
    url: str | None = None
    title: str | None = None

    @functools.cached_property
    def elements(self) -> list:
        return self.items() if callable(self.items) else self.items

    def write(self, writer, context: dict) -> None:
        writer.write_feed(self.elements, context, self.path, self.url, feed_title=self.title)

    def replay(self, writer, context: dict, text: str) -> None:
        if hasattr(writer, "store"):  # the page cache: let it record the feed as used
            self.write(writer, context)
            return
        path = sanitised_join(writer.output_path, self.path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with writer._open_w(path, "utf-8") as handle:
            handle.write(text)

    def link_ahead(self, writer, context: dict, target: str):
        return writer.feed_link_ahead(
            target, self.elements, context, self.path, self.url, feed_title=self.title
        )

    def adopt(self, writer, context: dict, entry, source: str) -> bool:
        return writer.adopt(self.path, entry, source, False) is not None

    def objects(self) -> list[Content]:
        return []


Job = Page | Feed
# ``Writer.write_file``'s parameters; its other keyword arguments are the page's objects.
WRITE_PARAMETERS = frozenset(
    {"relative_urls", "paginated", "template_name", "override_output", "url"}
)


class Rendered:
    """Stands in for a Jinja template whose output is already known."""

    def __init__(self, text: str, name: str | None) -> None:
        self.text, self.name = text, name

    def render(self, _localcontext: dict) -> str:
        return self.text


class _Captured(io.StringIO):
    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self.texts = texts

    def close(self) -> None:
        if not self.closed:
            self.texts.append(self.getvalue())
        super().close()


class _CaptureMixin:
    """A writer whose files end up in ``self.texts`` instead of on disk."""

    texts: list[str]

    def _open_w(self, filename, encoding, override=False):
        return _Captured(self.texts)

    def _written_text(self, path: str) -> str:
        return self.texts[-1]


def capture_writer(kind: type, output_path: str, settings: dict):
    """A writer of class ``kind`` that captures what it writes."""
    capturing = type("Capturing" + kind.__name__, (_CaptureMixin, kind), {})
    writer = detached(capturing(output_path, settings=settings))
    writer.texts = []
    if hasattr(writer, "links"):
        writer.links = None  # the build process writes (or links) what this captures
    return writer


def link_writer(kind: type, output_path: str, settings: dict):
    """A writer of class ``kind`` that links files ahead (``None``: it cannot)."""
    if not hasattr(kind, "link_ahead"):
        return None
    return detached(kind(output_path, settings=settings))


def render_task(writer, jobs: Sequence[Job], context: dict) -> list[str]:
    """The text of every file of ``jobs``, in order (one file per job)."""
    for job in jobs:
        job.write(writer, context)
    if len(writer.texts) != len(jobs):
        raise ValueError("a job wrote no file or several")  # the task is done serially
    return writer.texts


def _parallel_safe(jobs: Sequence[Job]) -> bool:
    feeds_watched = bool(signals.feed_generated.receivers or signals.feed_written.receivers)
    return not (feeds_watched and any(isinstance(job, Feed) for job in jobs))


class Prerender:
    """Tasks that workers start rendering now, before Pelican writes anything.

    ``kind`` is the class of the writer the build will use; the build process
    joins in when it calls :meth:`write` with that writer.
    """

    def __init__(self, tasks: Sequence[Sequence[Job]], context: dict, settings: dict,
                 output_path: str, kind: type, workers: int,
                 first: Sequence[int] = ()) -> None:  # fmt: skip
        self.tasks, self.context, self.settings = tasks, context, settings
        self.output_path, self.kind = output_path, kind
        # The order tasks are taken in: ``first`` (the slowest, say) before the
        # rest; they are still written in task order.
        early = set(first)
        self.order = [*first, *(i for i in range(len(tasks)) if i not in early)]
        self.capturing = self.linker = None
        self.pool = None
        self._cleanup = None
        if workers and len(tasks) > 1 and all(map(_parallel_safe, tasks)):
            # Rendered text waits in files, not in memory, until it is written:
            # beside the output (same file system; a failed safe build drops it).
            os.makedirs(output_path, exist_ok=True)
            self.scratch = tempfile.mkdtemp(prefix=".roundup-prerender-", dir=output_path)
            self._cleanup = weakref.finalize(self, shutil.rmtree, self.scratch, True)
            self.pool = Pool(self._render_nth, len(tasks), workers, background=True)

    def _path(self, index: int, position: int) -> str:
        return os.path.join(self.scratch, f"{index}-{position}")

    def render(self, index: int) -> tuple[list, list]:
        """Do task ``index`` into the scratch folder: each job's file linked
        from the site being replaced (its entry) or rendered (``None``); and
        the digests made of the contents the task shows, for the build
        process's page keys (:meth:`roundup.fingerprint.Fingerprints.learn`)."""
        # One capturing and one linking writer per process (forked workers get
        # their own), so what they prepare once (page-cache fingerprints,
        # the old site's manifest) serves every task.
        if self.capturing is None:
            self.capturing = capture_writer(self.kind, self.output_path, self.settings)
            self.linker = link_writer(self.kind, self.output_path, self.settings)
        jobs = self.tasks[index]
        linked = [self._link(job, index, position) for position, job in enumerate(jobs)]
        rest = [position for position, entry in enumerate(linked) if entry is None]
        self.capturing.texts = []
        texts = render_task(self.capturing, [jobs[p] for p in rest], self.context)
        for position, text in zip(rest, texts, strict=True):
            with open(self._path(index, position), "w", encoding="utf-8", newline="") as out:
                out.write(text)
        prints = getattr(self.linker, "fingerprints", None)
        known = [prints.known(o) for job in jobs for o in job.objects()] if prints else []
        return linked, known

    def _render_nth(self, nth: int) -> tuple[int, tuple[list, list]]:
        """The ``nth`` task taken (:attr:`order`), done: its index and :meth:`render`'s result."""
        index = self.order[nth]
        return index, self.render(index)

    def _link(self, job: Job, index: int, position: int):
        if self.linker is None:
            return None
        return job.link_ahead(self.linker, self.context, self._path(index, position))

    def _rendered(self, writer) -> dict[int, tuple[list, list]]:
        same = type(writer) is self.kind
        done = {}
        try:
            while (nth := self.pool.take()) is not None:
                if same:
                    try:  # the replay below sends content_written, not this
                        with signals.content_written.muted():
                            index, result = self._render_nth(nth)
                            done[index] = result
                    except Exception:  # done serially, where it is reported
                        continue
            done.update(result for _, result in self.pool.results())
        finally:
            self.pool.close()
            self.pool = None
        return done if same else {}

    def _replay(self, writer, index: int, jobs: Sequence[Job], done: tuple[list, list]) -> None:
        linked, known = done
        prints = getattr(writer, "fingerprints", None)
        if prints is not None and known:
            objects = [o for job in jobs for o in job.objects()]
            for content, summary in zip(objects, known, strict=True):
                if summary is not None:
                    prints.learn(content, summary)
        for position, job in enumerate(jobs):
            path = self._path(index, position)
            if linked[position] is not None:
                if not job.adopt(writer, self.context, linked[position], path):
                    job.write(writer, self.context)  # that name was written meanwhile
                continue
            with open(path, encoding="utf-8", newline="") as handle:
                job.replay(writer, self.context, handle.read())
            os.remove(path)

    def write(self, writer) -> int:
        """Write every job through ``writer``, in task order; returns how many
        tasks were rendered ahead."""
        rendered = self._rendered(writer) if self.pool is not None else {}
        try:
            for index, jobs in enumerate(self.tasks):
                if index in rendered:
                    self._replay(writer, index, jobs, rendered[index])
                else:
                    for job in jobs:
                        job.write(writer, self.context)
        finally:
            if self._cleanup is not None:
                self._cleanup()
        return len(rendered)
