"""Entity pages and feeds rendered in forked workers, written by the build (``prerender``).

The entity generator lists its output as tasks of jobs (:mod:`roundup.site.jobs`).
:class:`Prerender` starts worker processes (:class:`roundup.accel.workers.Pool`)
as soon as every context is complete, so they render while Pelican writes its
own pages. A worker writes a task's files with a writer of the build's class
into a scratch folder of its own (Pelican's usual writing, signals of written
pages muted: the build sends them). When the generator's turn comes
(:attr:`~roundup.site.entities.EntityGenerator.task_writer`), the build
process renders what is left alongside the workers, then replays every file
through the real writer, in task order: it still writes every file (from the
rendered text), sends Pelican's ``content_written`` and keeps its page cache
up to date; it only skips the templates.

With the page cache's links on (a rebuild), a job whose file the build would
link from the site being replaced (:mod:`roundup.accel.outputlinks`) is
linked by the worker instead, into the scratch folder, keys and all; the
build process only moves the file into place and notes it. After a
one-article edit that is nearly every entity page and feed.

A task a worker could not do cleanly (it logged a warning, raised, or its
worker died) is written serially, so its messages reach the build. Feeds are
written serially when another plugin listens to feed signals (it expects the
feed object, which only rendering makes).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Sequence

from pelican import signals
from pelican.utils import sanitised_join

from ..site.jobs import WRITE_PARAMETERS, Feed, Job, Page, Task
from .pagecache import PageCacheWriter, detached, feeds_watched
from .workers import Pool


class Rendered:
    """Stands in for a Jinja template whose output is already known."""

    def __init__(self, text: str, name: str | None) -> None:
        self.text, self.name = text, name

    def render(self, _localcontext: dict) -> str:
        return self.text


def scratch_writer(kind: type, folder: str, settings: dict):
    """A writer of class ``kind`` writing into ``folder``, linking nothing."""
    writer = detached(kind(folder, settings=settings))
    if hasattr(writer, "links"):
        writer.links = None  # the build process writes (or links) what this renders
    return writer


def link_ahead(writer, job: Job, context: dict, target: str):
    """Link ``job``'s file from the site being replaced into ``target``, if
    unchanged: the entry for :meth:`~roundup.accel.outputlinks.LinkingWriter.adopt`."""
    if isinstance(job, Page):
        return writer.link_ahead(target, job.name, job.template, context, **job.options)
    return writer.feed_link_ahead(target, job.elements, context, job.path, job.url,
                                  feed_title=job.title)  # fmt: skip


def adopt(writer, job: Job, context: dict, entry, source: str) -> bool:
    """Move a file linked ahead into place and announce it as Pelican would."""
    path = writer.adopt(job.path, entry, source)
    if path is None:
        return False
    if isinstance(job, Page):
        kwargs = {k: v for k, v in job.options.items() if k not in WRITE_PARAMETERS}
        writer._announce(path, job.name, context, job.options.get("relative_urls", False), kwargs)
    return True


def replay(writer, job: Job, context: dict, text: str) -> None:
    """Write ``job``'s file through ``writer`` with the text rendered ahead."""
    if isinstance(job, Page):
        job.write(writer, context, Rendered(text, getattr(job.template, "name", None)))
    elif isinstance(writer, PageCacheWriter):  # it records the feed as used
        job.write(writer, context)
    else:
        path = sanitised_join(writer.output_path, job.path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with writer._open_w(path, "utf-8") as handle:  # Pelican's bookkeeping
            handle.write(text)


def _parallel_safe(jobs: Sequence[Job]) -> bool:
    return not (feeds_watched() and any(isinstance(job, Feed) for job in jobs))


class Prerender:
    """Tasks that workers start rendering now, before Pelican writes anything.

    ``kind`` is the class of the writer the build will use; the build process
    joins in when :meth:`write` is called with that writer.
    """

    def __init__(self, tasks: Sequence[Task], context: dict, settings: dict,
                 output_path: str, kind: type, workers: int,
                 first: Sequence[int] = ()) -> None:  # fmt: skip
        self.tasks, self.context, self.settings = tasks, context, settings
        self.output_path, self.kind = output_path, kind
        early = set(first)  # taken first (the slowest, say), still written in order
        self.order = [*first, *(i for i in range(len(tasks)) if i not in early)]
        self.linker = self.writer = None
        self.pool = None
        # Told, before the files are written, where each page rendered ahead
        # waits (page -> file), when every task was (the search index starts).
        self.on_rendered = None
        self._cleanup = None
        if workers and len(tasks) > 1 and all(map(_parallel_safe, tasks)):
            # Rendered files wait in a folder of the build's output (a failed
            # build drops it with the rest), not in memory, until written.
            os.makedirs(output_path, exist_ok=True)
            self.scratch = tempfile.mkdtemp(prefix=".roundup-prerender-", dir=output_path)
            self._cleanup = weakref.finalize(self, shutil.rmtree, self.scratch, True)
            self.pool = Pool(self._render_nth, len(tasks), workers, background=True)

    def _folder(self) -> str:
        """Where rendered files wait: their own names (no two jobs share one) below it."""
        return os.path.join(self.scratch, "rendered")

    def _link_target(self, index: int, position: int) -> str:
        return os.path.join(self.scratch, f"{index}-{position}")

    def render(self, index: int) -> tuple[list, list]:
        """Do task ``index`` into the scratch folder: each job's file linked
        from the site being replaced (its entry) or rendered (``None``); and
        the digests made of the contents the task shows, for the build
        process's page keys (:meth:`roundup.accel.pagekeys.Fingerprints.learn`)."""
        if self.writer is None:
            # One each per process (forked workers get their own), so what they
            # prepare once (page-cache fingerprints, the old manifest) serves all.
            self.writer = scratch_writer(self.kind, self._folder(), self.settings)
            if hasattr(self.kind, "link_ahead"):
                self.linker = detached(self.kind(self.output_path, settings=self.settings))
        jobs = self.tasks[index]
        linked = [
            link_ahead(self.linker, job, self.context, self._link_target(index, p))
            if self.linker is not None
            else None
            for p, job in enumerate(jobs)
        ]
        with signals.content_written.muted():  # the build process announces them
            for job, entry in zip(jobs, linked, strict=True):
                if entry is None:
                    job.write(self.writer, self.context)
        prints = getattr(self.linker, "fingerprints", None)
        known = [prints.known(o) for job in jobs for o in job.objects()] if prints else []
        return linked, known

    def _render_nth(self, nth: int) -> tuple[int, tuple[list, list]]:
        """The ``nth`` task taken (:attr:`order`), done: its index and :meth:`render`'s result."""
        index = self.order[nth]
        return index, self.render(index)

    def _waiting(self, rendered: dict[int, tuple[list, list]]) -> dict[str, str]:
        """Where each page rendered or linked ahead waits: page -> file."""
        found = {}
        for index, (linked, _) in rendered.items():
            for position, job in enumerate(self.tasks[index]):
                if isinstance(job, Page):
                    ahead = linked[position] is not None
                    found[job.name] = (
                        self._link_target(index, position)
                        if ahead
                        else sanitised_join(self._folder(), job.name)
                    )
        return found

    def _rendered(self, writer) -> dict[int, tuple[list, list]]:
        same = type(writer) is self.kind
        done = {}
        try:
            while (nth := self.pool.take()) is not None:
                if same:
                    try:
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
            if linked[position] is not None:
                source = self._link_target(index, position)
                if not adopt(writer, job, self.context, linked[position], source):
                    job.write(writer, self.context)  # that name was written meanwhile
                continue
            path = sanitised_join(self._folder(), job.path)
            with open(path, encoding="utf-8", newline="") as handle:
                replay(writer, job, self.context, handle.read())
            os.remove(path)

    def stop(self, _sender=None) -> None:
        """The build is over, written or not: workers still rendering are
        ended, the scratch folder goes (``build_ended``)."""
        if self.pool is not None:
            self.pool.kill()
            self.pool = None
        if self._cleanup is not None:
            self._cleanup()

    def write(self, writer, context: dict, tasks: Sequence[Task], first: Sequence[int] = ()):
        """Write every job through ``writer``, in task order (a
        :data:`~roundup.site.jobs.TaskWriter`: ``tasks`` are this object's)."""
        rendered = self._rendered(writer) if self.pool is not None else {}
        if self.on_rendered is not None and rendered and len(rendered) == len(self.tasks):
            self.on_rendered(self._waiting(rendered))
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
