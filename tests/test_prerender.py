"""Rendering ahead in worker processes: same files, same order, same messages."""

from __future__ import annotations

import gc
import logging
import os
import time
from pathlib import Path

import jinja2
import pytest
from pelican import signals
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import Writer

from roundup.accel.heap import growing, thaw
from roundup.accel.prerender import Prerender
from roundup.accel.workers import Pool, fork_map
from roundup.site.jobs import Feed, Page

logger = logging.getLogger("test_prerender")


def square(index: int) -> int:
    return index * index


def big(index: int) -> str:
    return str(index) * 50_000  # more than a pipe holds


@pytest.mark.parametrize("workers", [1, 2])
def test_pool_shares_the_work_with_the_caller(workers):
    pool = Pool(square, 200, workers)
    mine = {}
    while (index := pool.take()) is not None:
        mine[index] = square(index)
    theirs = dict(pool.results())
    pool.close()
    assert sorted([*mine, *theirs]) == list(range(200))
    assert {**mine, **theirs} == {i: i * i for i in range(200)}


def test_workers_collect_garbage_even_if_forked_while_collection_is_paused():
    gc.disable()
    try:
        with growing():  # as when read-ahead workers start
            results = dict(fork_map(lambda index: gc.isenabled(), 4, 2))
    finally:
        thaw()
        gc.enable()
    assert results and all(results.values())


def test_background_receiving_keeps_workers_going():
    """Results more than a pipe holds: while the caller is busy elsewhere (it
    takes no task and reads no result), the workers still finish every task."""
    pool = Pool(big, 40, 1, background=True)
    deadline = time.monotonic() + 60
    while len(pool.received) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(pool.received) == 40
    assert pool.take() is None  # nothing left for the caller
    received = dict(pool.results())
    pool.close()
    assert all(text == big(index) for index, text in received.items())


def settings(output: Path) -> dict:
    return {**DEFAULT_CONFIG, "OUTPUT_PATH": str(output)}


def warn_for(name: str, run: str) -> str:
    # Each run logs its own message: Pelican's log filter drops repeats.
    if name == "noisy":
        logger.warning("%s: something to fix (%s)", name, run)
    return name


TEMPLATE = (
    "<h1>{{ warn(item, run) }}</h1>{% for n in range(500) %}<p>{{ item }} {{ n }}</p>{% endfor %}"
)


def write_site(output: Path, workers: int, kind: type = Writer) -> list[str]:
    env = jinja2.Environment(autoescape=True)
    template = env.from_string(TEMPLATE)
    names = ["a", "b", "noisy", "c", "d", "e"]
    tasks = [[Page(f"{name}/index.html", template, {"item": name})] for name in names]
    context = {"warn": warn_for, "run": str(output), "SITEURL": ""}
    written: list[str] = []

    def record(path, context):
        written.append(Path(path).relative_to(output).as_posix())

    signals.content_written.connect(record)
    try:
        prerender = Prerender(tasks, context, settings(output), str(output), kind, workers)
        prerender.write(Writer(str(output), settings=settings(output)), context, tasks)
        if workers:  # rendered text waited in a scratch folder, removed once written
            assert prerender.scratch and not os.path.exists(prerender.scratch)
    finally:
        signals.content_written.disconnect(record)
    return written


def files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*.html")}


class OtherWriter(Writer):
    """A writer of another class: what was rendered ahead is not used."""


@pytest.mark.parametrize(("workers", "kind"), [(1, Writer), (2, Writer), (1, OtherWriter)])
def test_rendered_ahead_equals_serial(tmp_path, caplog, workers, kind):
    serial_order = write_site(tmp_path / "serial", 0)
    serial_warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    caplog.clear()
    order = write_site(tmp_path / "ahead", workers, kind)
    assert order == serial_order == [f"{n}/index.html" for n in ["a", "b", "noisy", "c", "d", "e"]]
    assert files(tmp_path / "ahead") == files(tmp_path / "serial")
    # The noisy page's warning reaches the build process once, as in a serial build.
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert serial_warnings == [f"noisy: something to fix ({tmp_path / 'serial'})"]
    assert warnings == [f"noisy: something to fix ({tmp_path / 'ahead'})"]


def test_feed_items_are_made_when_first_asked_and_once():
    made: list[int] = []

    def make() -> list[str]:
        made.append(1)
        return ["entry"]

    feed = Feed(make, "entities/a/atom.xml")
    assert made == []  # a feed only moved into place never needs them
    assert feed.elements == ["entry"] and feed.elements == ["entry"]
    assert made == [1]
    assert Feed(["given"], "entities/b/atom.xml").elements == ["given"]


def test_tasks_named_first_are_rendered_first_and_written_in_order(tmp_path):
    """A worker takes the ``first`` tasks before the others (the slow glossary
    index, say); the build process still writes every task in task order."""
    log = tmp_path / "rendered.txt"

    def note(item: str) -> str:
        with open(log, "a", encoding="utf-8") as handle:  # workers are other processes
            handle.write(item + "\n")
        return item

    template = jinja2.Environment(autoescape=True).from_string("<p>{{ note(item) }}</p>")
    names = ["a", "b", "c", "d", "e"]
    tasks = [[Page(f"{name}/index.html", template, {"item": name})] for name in names]
    output = tmp_path / "site"
    prerender = Prerender(
        tasks, {"note": note}, settings(output), str(output), Writer, 1, first=[4, 2]
    )
    deadline = time.monotonic() + 30
    while len(log.read_text().split() if log.exists() else []) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)  # the worker alone renders every task
    assert log.read_text().split() == ["e", "c", "a", "b", "d"]
    written: list[str] = []

    def record(path, context):
        written.append(Path(path).relative_to(output).as_posix())

    signals.content_written.connect(record)
    try:
        prerender.write(Writer(str(output), settings=settings(output)), {"note": note}, tasks)
    finally:
        signals.content_written.disconnect(record)
    assert written == [f"{name}/index.html" for name in names]
    assert log.read_text().split() == ["e", "c", "a", "b", "d"]  # nothing rendered again
