"""Build the site safely: into a fresh folder, swapped in only on success.

Every content problem is logged (not just the first); any error stops the
build (:class:`~roundup.errors.BuildStopped`, before anything is written when
the content is at fault), and any error-level record fails it: the previous
output stays exactly as it was (:mod:`roundup.swap`: one build at a time,
an atomic swap, stopped builds put right by the next). A file the build
cannot write (a full disk, no permission) fails it with one line saying
which and why. The search index is part of the build (:mod:`roundup.search`;
``search=False`` skips it, for tests that do not search).
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field

from blinker import signal
from jinja2 import TemplateNotFound
from pelican import Pelican
from pelican.settings import read_settings

from .errors import BuildStopped
from .models import display_path
from .swap import STAGING_PREFIX, BusyError, build_lock, recover, swap
from .swap import WAIT as LOCK_WAIT

logger = logging.getLogger(__name__)
# Setting made for each build: the site being replaced (``None``: none), for
# whatever can take unchanged parts from it (the speed layer does).
PREVIOUS_OUTPUT = "ROUNDUP_PREVIOUS_OUTPUT"
# Sent when ``build_site``'s Pelican run is over, whether it succeeded or
# failed, before a failed build's staging folder is removed (``sender``: the
# build's settings, the object its generators were given): whatever still
# works for the build stops, what it kept for itself is let go (the speed
# layer's helpers do).
build_ended = signal("roundup-build-ended")
# Pelican logs a file it could not copy as a warning (pelican.utils.copy and
# copy_file): the site would lack it, so here each is an error naming the file.
COPY_FAILED = {
    "While copying %s: %s: %s": lambda _from, name, reason: (name, reason, None),
    "A problem occurred copying file %s to %s; %s": lambda _from, to, error: (to, "", error),
    "Skipped copy %s (not a file or directory) to %s": lambda source, _to: (
        source,
        "not a file or folder, so it cannot be published",
        None,
    ),
    "Cannot copy %s (a directory) to %s (a file)": lambda _from, to: (
        to,
        "a file stands where a folder must be copied",
        None,
    ),
}


class BuildError(Exception):
    """The build failed; ``messages`` holds every error that was logged."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages) or "build failed")
        self.messages = messages


@dataclass
class _Collector(logging.Handler):
    """Errors and warnings logged during one build into ``staging``, whose
    file names it reports as the ``target``'s."""

    staging: str
    target: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.CRITICAL:  # the summary of errors logged before
            return
        failed = COPY_FAILED.get(record.msg) if record.name.startswith("pelican") else None
        if failed:
            self.errors.append(self._copy_failure(*failed(*record.args)))
            return
        target = self.errors if record.levelno >= logging.ERROR else self.warnings
        target.append(record.getMessage())

    def _copy_failure(self, name: str, reason: str, error: OSError | None) -> str:
        if isinstance(error, OSError):
            named = OSError(error.errno, error.strerror or str(error), name)
            return write_failure(_UnwrittenError(named, self.staging, self.target), self.target)
        if name.startswith(self.staging):
            name = self.target + name[len(self.staging) :]
        return f"{display_path(name)}: {reason or error}"

    __hash__ = logging.Handler.__hash__


def load_settings(settings_file: str, overrides: dict | None = None) -> dict:
    """Pelican's settings; settings it refuses fail with their reason."""
    try:
        return read_settings(settings_file, override=overrides or {})
    except (OSError, ValueError, SyntaxError) as error:
        line = getattr(error, "lineno", None) or 1
        message = f"{display_path(settings_file)}:{line}: error: {error}"
        logger.error("%s", message)
        raise BuildError([message]) from None


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
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with build_lock(target, float(settings.get("ROUNDUP_LOCK_WAIT", LOCK_WAIT))):
            recover(target)
            return _build(settings, target)
    except BusyError as busy:
        message = f"{display_path(target)}: another build still holds {display_path(str(busy))}"
        logger.error("%s (wait for it to end)", message)
        raise BuildError([message]) from None
    except OSError as error:  # a file the build could not write
        message = write_failure(error, target)
        logger.error("%s", message)
        raise BuildError([message]) from None


def _build(settings: dict, target: str) -> list[str]:
    staging = tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=os.path.dirname(target))
    collector = _Collector(staging, target)
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        settings["OUTPUT_PATH"] = staging
        settings[PREVIOUS_OUTPUT] = target if os.path.isdir(target) else None
        try:
            Pelican(settings).run()
        except BuildStopped as stopped:
            raise BuildError(collector.errors or [str(stopped)]) from None
        except TemplateNotFound as missing:  # an OSError without a file system error
            raise BuildError([missing_template(missing, settings)]) from None
        except OSError as error:
            if error.errno is None:  # not the file system's: say what it was
                raise BuildError([f"{display_path(target)}: {error}"]) from None
            raise _UnwrittenError(error, staging, target) from None
        finally:  # helpers still at work in the staging folder stop first
            build_ended.send(settings)
        if collector.errors:
            raise BuildError(collector.errors)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        root.removeHandler(collector)
    swap(staging, target)  # a stop here is put right by the next build (roundup.swap)
    return collector.warnings


class _UnwrittenError(OSError):
    """A write into the staging folder failed: named as the output's file."""

    def __init__(self, error: OSError, staging: str, target: str) -> None:
        name = str(error.filename or "")
        if name.startswith(staging):
            name = target + name[len(staging) :]
        super().__init__(error.errno, error.strerror, name or target)
        self.site_size = folder_size(target) or folder_size(staging)


def missing_template(missing: TemplateNotFound, settings: dict) -> str:
    """One line for a template the theme or ``TEMPLATE_PAGES`` names but nobody has."""
    name = str(missing.name)
    if name in settings.get("TEMPLATE_PAGES", {}):
        where = display_path(os.path.join(settings["PATH"], name))
        return f"{where}: no such file (TEMPLATE_PAGES names it as a template page)"
    theme = display_path(os.path.join(settings["THEME"], "templates"))
    return f"{theme}: the template {name!r} is missing (the theme or a setting names it)"


def write_failure(error: OSError, target: str) -> str:
    """One line: which file could not be written, and why (how much room a
    site needs, for a full disk)."""
    where = display_path(str(error.filename or target))
    reason = (error.strerror or str(error)).lower()
    if error.errno == errno.ENOSPC:
        needed = getattr(error, "site_size", 0) or folder_size(target)
        megabytes = max(1, round(needed / 2**20))
        return f"{where}: no space left on device (need about {megabytes} MB)"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where}: {reason} (the build writes the new site beside it; make that writable)"
    return f"{where}: {reason}"


def folder_size(folder: str) -> int:
    """Bytes of the files below ``folder`` (0 if there is none)."""
    total = 0
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


class _ConsoleFormatter(logging.Formatter):
    """Content problems already read ``path:line: level: message``."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name.startswith("roundup"):
            return message
        return f"{record.levelname}: {message}"


# Pelican warns of contents that share a slug (pelican.utils.get_original_items)
# with a list of paths; the plugin's check reports each such file as a
# ``path:line`` error (a duplicate slug, or an output written twice), so the
# console shows that line alone.
_PELICAN_SAME_SLUG = (
    'There are %s items "%s" with lang %s',
    "There are %s original (not translated) items %s",
)


def reported_by_check(record: logging.LogRecord) -> bool:
    """A Pelican warning about contents sharing a slug."""
    args = record.args if isinstance(record.args, tuple) else ()
    return (
        record.name == "pelican.utils"
        and isinstance(record.msg, str)
        and record.msg.startswith(_PELICAN_SAME_SLUG)
        and len(args) > 1
        and str(args[1]).startswith('with slug "')
    )


def init_console_logging(level: int = logging.WARNING) -> None:
    """Plain one-line messages on stderr, easy to read and to grep."""
    from pelican.log import init  # noqa: PLC0415

    handler = logging.StreamHandler()
    handler.setFormatter(_ConsoleFormatter())
    handler.addFilter(lambda record: not reported_by_check(record))
    init(level=level, handler=handler)
