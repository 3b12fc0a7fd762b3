"""The garbage collector kept off what a build keeps to the end (``heap``).

Python's full collections scan every object a build holds, and a big build
holds millions (articles, analyses, the glossary): in a 4,000-article rebuild
they took ~2 s. Once the articles are read, and again once every generator
has its context, :func:`freeze` moves what exists to the collector's
permanent generation (``gc.freeze``), so later collections scan only what is
made after. :func:`thaw` gives it back at the end of the build and at the
start of the next (``--autoreload``); a failed build is thawed by the next.
Loading many objects at once (cached articles, the workers' results) runs
with collection paused (:func:`growing`): the collections the allocations
trigger would walk all that was made so far, again and again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def freeze() -> None:
    """Later collections skip what exists now."""
    gc.freeze()


def thaw() -> None:
    """Everything is collectable again."""
    gc.unfreeze()


@contextmanager
def growing(on: bool = True) -> Iterator[None]:
    """For a step that makes many objects which all live on: no collection
    while it runs, and then they are frozen. ``on=False``: nothing changes."""
    if not on:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
