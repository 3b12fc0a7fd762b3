"""A generator's output described as jobs: each one ``write_file`` or ``write_feed`` call.

The entity generator lists its pages and feeds as tasks (an entity's page and
feed, say), each a few :class:`Page` and :class:`Feed` jobs, and writes them
with :func:`write_tasks`, one after the other through Pelican's writer. The
speed layer can write the same tasks another way (rendering them in worker
processes); a job is all it needs to know of a page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pelican.contents import Content

# ``Writer.write_file``'s parameters; its other keyword arguments are the page's objects.
WRITE_PARAMETERS = frozenset(
    {"relative_urls", "paginated", "template_name", "override_output", "url"}
)


@dataclass(frozen=True)
class Page:
    """One ``writer.write_file(name, template, context, **options)`` call."""

    name: str
    template: Any
    options: dict[str, Any] = field(default_factory=dict)

    def write(self, writer, context: dict, template=None) -> None:
        writer.write_file(self.name, template or self.template, context, **self.options)

    def objects(self) -> list[Content]:
        """The contents the page shows (an entity, say)."""
        return [value for value in self.options.values() if isinstance(value, Content)]

    @property
    def path(self) -> str:
        return self.name


@dataclass(frozen=True)
class Feed:
    """One ``writer.write_feed(elements, context, path, url, feed_title=...)`` call.

    ``items`` is the list of elements, or a function that makes it: then it
    is made only when the feed is written (or keyed), not when it is listed.
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

    def objects(self) -> list[Content]:
        return []


Job = Page | Feed
Task = Sequence[Job]
# Writes a generator's tasks: ``(writer, context, tasks, first)``; ``first``
# lists the tasks to start with when order matters for speed only.
TaskWriter = Callable[[Any, dict, Sequence[Task], Sequence[int]], None]


def write_tasks(writer, context: dict, tasks: Sequence[Task], first: Sequence[int] = ()) -> None:
    """Every job through ``writer``, in task order."""
    for jobs in tasks:
        for job in jobs:
            job.write(writer, context)
