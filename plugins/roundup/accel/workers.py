"""Run independent tasks in forked worker processes (Python-Markdown is CPU-bound).

:func:`fork_map` forks ``workers`` processes that inherit the task function
(nothing is pickled on the way out, so it may close over a reader, a registry
or a Markdown instance) and pickle each result back. Objects listed as
``shared`` travel by reference: the parent gets its own object back, as if the
work had been done in the parent (an article's tags keep pointing at the
build's settings).

Whatever cannot be done in a worker is left to the caller: a task that
raised, logged a warning or error (the build must see it), or whose worker
died is simply missing from the results, and the caller does it serially.
Where ``fork`` is unavailable, or processes cannot be started, there are no
results at all.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

logger = logging.getLogger(__name__)
Task = Callable[[int], Any]


def available_workers(setting: int | None) -> int:
    """Worker processes to use: ``setting``, or one per CPU when it is ``None``."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    workers = (os.cpu_count() or 1) if setting is None else setting
    return workers if workers > 1 else 0


def fork_map(
    task: Task, count: int, workers: int, shared: Sequence[object] = ()
) -> Iterator[tuple[int, Any]]:
    """``(i, task(i))`` for the ``i`` in ``range(count)`` that workers completed."""
    pool = Pool(task, count, workers, shared)
    try:
        yield from pool.results()
    finally:
        pool.close()


class Pool:
    """Workers started now, sharing ``range(count)`` with the caller.

    The caller may take indexes too (:meth:`take`) while the workers run, then
    collects what they did (:meth:`results`) and finally calls :meth:`close`.
    With ``background``, a thread receives results as they come, so workers
    never wait on a full pipe while the caller is busy elsewhere.
    """

    def __init__(
        self,
        task: Task,
        count: int,
        workers: int,
        shared: Sequence[object] = (),
        background: bool = False,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self.count, self.shared = count, shared
        self.counter = context.Value("i", 0)
        self.receivers: list[Connection] = []
        self.processes: list = []
        try:
            for _ in range(min(workers, count)):
                receiver, sender = context.Pipe(duplex=False)
                args = (task, count, self.counter, sender, shared)
                process = context.Process(target=_serve, args=args, daemon=True)
                process.start()
                sender.close()
                self.receivers.append(receiver)
                self.processes.append(process)
        except (OSError, AssertionError) as error:  # e.g. inside a daemonic process
            logger.debug("cannot start worker processes (%s); working serially", error)
        self.received: list[tuple[int, Any]] = []
        self.thread = None
        if background and self.receivers:
            self.thread = threading.Thread(target=self._receive, daemon=True)
            self.thread.start()

    def _receive(self) -> None:
        self.received.extend(_collect(self.receivers, self.shared))

    def take(self) -> int | None:
        """The next index nobody has taken, or ``None``."""
        return _next_index(self.counter, self.count)

    def results(self) -> Iterator[tuple[int, Any]]:
        if self.thread is None:
            yield from _collect(self.receivers, self.shared)
            return
        self.thread.join()
        yield from self.received

    def kill(self) -> None:
        """End the workers now (their results are not wanted)."""
        for process in self.processes:
            process.kill()
            process.join()

    def close(self) -> None:
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()


def _next_index(counter, count: int) -> int | None:
    with counter.get_lock():
        index = counter.value
        counter.value += 1
    return index if index < count else None


def _collect(receivers: list[Connection], shared: Sequence[object]):
    waiting = list(receivers)
    while waiting:
        for receiver in wait(waiting):
            try:
                data = receiver.recv_bytes()
            except EOFError:
                waiting.remove(receiver)
                receiver.close()
                continue
            yield _Unpickler(io.BytesIO(data), shared).load()


def _serve(task: Task, count: int, counter, sender: Connection, shared) -> None:
    """Worker process: take the next index until none are left."""
    gc.enable()  # its own garbage, collected even if the parent forked it with collection paused
    alarm = WarningAlarm()
    root = logging.getLogger()
    root.handlers[:] = [alarm]
    ids = {id(obj): n for n, obj in enumerate(shared)}
    while (index := _next_index(counter, count)) is not None:
        alarm.raised = False
        try:
            result = task(index)
        except Exception:  # the parent redoes the task and reports the error
            continue
        if not alarm.raised:
            buffer = io.BytesIO()
            _Pickler(buffer, ids).dump((index, result))
            sender.send_bytes(buffer.getbuffer())
    sender.close()


class WarningAlarm(logging.Handler):
    """Notes that a warning or error was logged (and prints nothing)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.raised = False

    def emit(self, record: logging.LogRecord) -> None:
        self.raised = True


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, ids: dict[int, int]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self._ids = ids

    def persistent_id(self, obj: object) -> int | None:
        return self._ids.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, shared: Sequence[object]) -> None:
        super().__init__(file)
        self._shared = shared

    def persistent_load(self, pid: int) -> object:
        return self._shared[pid]
