"""The published folder always holds a whole site: one build at a time, an atomic swap.

A build writes the new site into a staging folder beside the output
(``.build-*``) and, only when nothing failed, swaps it in:

- :func:`exchange` swaps the two folders in one system call (Linux's
  ``renameat2(RENAME_EXCHANGE)``), so at every instant the output path is the
  old site or the new one. Where the system cannot, the old site is first
  moved into ``.old-*/site`` and the new one renamed into place; a build
  stopped between the two leaves no output, and the next build puts the old
  site back before anything else (:func:`recover`).
- The replaced site is deleted in the background (:func:`discard`); staging
  and replaced folders left by a build that was stopped are removed when the
  next one starts.
- :func:`build_lock` lets one build at a time work beside an output folder;
  a second one waits for it, then refuses with a clear message.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import glob
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

logger = logging.getLogger(__name__)
STAGING_PREFIX = ".build-"  # beside the output: a site being built
OLD_PREFIX = ".old-"  # beside the output: a replaced site, being deleted
RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100
WAIT = 600  # seconds a build waits for another one to finish


class BusyError(Exception):
    """Another build works beside the same output folder."""


@contextmanager
def build_lock(target: str, wait: float = WAIT) -> Iterator[None]:
    """Hold the lock of ``target``'s folder (``.<name>.lock`` beside it) for a
    build; wait up to ``wait`` seconds for a build holding it, then raise
    :class:`BusyError`. The file stays: removed, a build waiting on it would
    hold a lock no later build sees."""
    parent, name = os.path.split(target)
    path = os.path.join(parent, f".{name}.lock")
    handle = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        if not _take(handle, 0):
            logger.warning("%s: another build is writing this site; waiting for it", target)
            if not _take(handle, wait):
                raise BusyError(path)
        yield
    finally:
        os.close(handle)  # releases the lock


def _take(handle: int, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


def leftovers(target: str, prefix: str) -> list[str]:
    """Folders beside ``target`` named ``prefix*``, oldest first."""
    pattern = os.path.join(glob.escape(os.path.dirname(target)), prefix + "*")
    found = [path for path in glob.glob(pattern) if os.path.isdir(path)]
    return sorted(found, key=lambda path: os.stat(path).st_mtime_ns)


def replaced_sites(target: str) -> list[str]:
    """The folders :func:`swap` set ``target``'s replaced sites aside in that
    are still there: being deleted, or left by a build that was stopped."""
    found = []
    for path in leftovers(target, OLD_PREFIX):
        try:
            if set(os.listdir(path)) <= {"site"}:  # what swap makes, nothing else
                found.append(path)
        except OSError:  # gone meanwhile
            continue
    return found


def recover(target: str) -> None:
    """At the start of a build (the lock held): a site a stopped swap set
    aside goes back in place if the output is missing; staging and replaced
    folders of stopped builds go."""
    sites = [os.path.join(path, "site") for path in replaced_sites(target)]
    sites = [site for site in sites if os.path.isdir(site)]
    if sites and not os.path.lexists(target):
        os.rename(sites[-1], target)
        logger.warning("%s: put back the site a stopped build had set aside", target)
    for folder in replaced_sites(target) + leftovers(target, STAGING_PREFIX):
        discard(folder)


def exchange(first: str, second: str) -> bool:
    """Swap two paths in one step; ``False`` where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    paths = (os.fsencode(first), os.fsencode(second))
    if renameat2(AT_FDCWD, paths[0], AT_FDCWD, paths[1], RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), second)


def swap(staging: str, target: str) -> None:
    """Put the staged site in place of ``target``; the replaced one is set
    aside (``.old-*`` beside it) and deleted in the background."""
    os.chmod(staging, 0o755)
    if not os.path.lexists(target):
        os.rename(staging, target)
        return
    aside = tempfile.mkdtemp(prefix=OLD_PREFIX, dir=os.path.dirname(target))
    if exchange(staging, target):  # staging now holds the replaced site
        os.rename(staging, os.path.join(aside, "site"))
    else:  # two steps: a stop between them is put right by the next build
        os.rename(target, os.path.join(aside, "site"))
        os.rename(staging, target)
    discard(aside)


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
