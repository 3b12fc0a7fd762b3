"""Build the site safely: into a fresh directory, swapped in only on success.

Every content problem is logged (not just the first); any error stops the
build (:class:`~roundup.errors.BuildStopped`, before anything is written when
the content is at fault), and any error-level record fails it: the previous
output stays exactly as it was. The search index is part of the build
(:mod:`roundup.search`; ``search=False`` skips it, for tests that do not
search).
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field

from blinker import signal
from pelican import Pelican
from pelican.settings import read_settings

from .errors import BuildStopped

OLD_PREFIX = ".old-"  # beside the output: a replaced site, being deleted
# Setting made for each build: the site being replaced (``None``: none), for
# whatever can take unchanged parts from it (the speed layer does).
PREVIOUS_OUTPUT = "ROUNDUP_PREVIOUS_OUTPUT"
# Sent when ``build_site``'s Pelican run is over, whether it succeeded or
# failed, before a failed build's staging folder is removed (``sender``: the
# build's settings, the object its generators were given): whatever still
# works for the build stops, what it kept for itself is let go (the speed
# layer's helpers do).
build_ended = signal("roundup-build-ended")


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
        if record.levelno >= logging.CRITICAL:  # the summary of errors logged before
            return
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
    settings = load_settings(
        settings_file, {**(overrides or {}), **({} if search else {"SEARCH_INDEX": False})}
    )
    target = os.path.abspath(output or settings["OUTPUT_PATH"])
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    for stale in replaced_sites(target):  # left by a build that was killed
        discard(stale)
    staging = tempfile.mkdtemp(prefix=".build-", dir=parent)
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        settings["OUTPUT_PATH"] = staging
        settings[PREVIOUS_OUTPUT] = target if os.path.isdir(target) else None
        try:
            Pelican(settings).run()
        except BuildStopped as stopped:
            raise BuildError(collector.errors or [str(stopped)]) from None
        finally:  # helpers still at work in the staging folder stop first
            build_ended.send(settings)
        if collector.errors:
            raise BuildError(collector.errors)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        root.removeHandler(collector)
    _swap(staging, target)
    return collector.warnings


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
