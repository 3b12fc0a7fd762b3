"""Faults and bad input as an operator meets them: nothing wrong is published, nothing is lost.

Damaged caches, a full disk, a build killed at any moment, files that are not
text, empty header values and two builds at once: each ends as README's
"Reliability" section says.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, add_sentence, build, gone, project_copy, run_invoke, snapshot
from roundup.build import BuildError
from roundup.files import SEAL, read_pickle, seal, unseal, write_pickle
from roundup.swap import build_lock, exchange, recover, replaced_sites

MODES = {"accelerated": {}, "plugin alone": {"ROUNDUP_ACCELERATE": False}}


def truncate(data: bytes) -> bytes:
    return data[: len(data) // 3]


def halve(data: bytes) -> bytes:
    return data[len(data) // 2 :]


def zero_fill(data: bytes) -> bytes:
    return bytes(len(data))


def not_utf8(data: bytes) -> bytes:
    """The payload's middle bytes replaced by bytes that are no UTF-8."""
    middle = len(data) // 2
    return data[:middle] + b"\xff\xfe\xc3" + data[middle + 3 :]


def emptied(data: bytes) -> bytes:
    return b""


DAMAGE = {f.__name__: f for f in (truncate, halve, zero_fill, not_utf8, emptied)}


def cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file() and not p.name.endswith(".sha256"))


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_costs_time_never_a_wrong_byte(content, tmp_path, caplog, mode, damage):
    """Every kind of cache file (articles, pages, the export's lines, the
    output manifest, the search memo, compiled templates, Pelican's own
    caches) damaged at once: the rebuild equals a clean build, and says what
    it made again."""
    cache, site = tmp_path / "cache", tmp_path / "site"
    build(content, site, cache, **MODES[mode])
    add_sentence(content)
    files = cache_files(cache)
    assert len(files) >= (20 if mode == "accelerated" else 2)
    for path in files:
        path.write_bytes(DAMAGE[damage](path.read_bytes()))
    with caplog.at_level("INFO", logger="roundup"):
        rebuilt = build(content, site, cache, **MODES[mode])
    assert rebuilt == build(content, tmp_path / "clean", **MODES["plugin alone"])
    assert any("is damaged" in message for message in caplog.messages)
    caplog.clear()
    with caplog.at_level("INFO", logger="roundup"):
        build(content, site, cache, **MODES[mode])  # the cache is whole again
    assert not any("is damaged" in message for message in caplog.messages)


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_sealed_file_reads_as_missing_once_damaged(tmp_path, damage):
    path = tmp_path / "memo.pickle"
    write_pickle(str(path), {"a": 1})
    assert read_pickle(str(path)) == {"a": 1}
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    assert read_pickle(str(path)) == {}


@pytest.mark.parametrize(
    "data", [b"", SEAL, SEAL + b"x" * 40, seal(b"payload")[:-1], seal(b"payload") + b"!"]
)
def test_unseal_refuses_what_seal_did_not_make(data):
    assert unseal(data) is None
    assert unseal(seal(b"payload")) == b"payload"


# A full disk, a read-only folder


@contextlib.contextmanager
def mounted(folder: Path, options: str):
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=False
    )
    if done.returncode:
        pytest.fail(f"cannot mount a tmpfs here ({options}); run the tests as root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def site_size(content: Path, tmp_path: Path) -> int:
    """Bytes the built site takes on a tmpfs (what the small disks are sized from)."""
    with mounted(tmp_path / "probe", "size=64m") as disk:
        build(content, disk / "output")
        stat = os.statvfs(disk)
        return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def no_room(failure: pytest.ExceptionInfo, out: Path) -> None:
    (line,) = failure.value.messages
    assert "no space left on device (need about" in line and " MB)" in line
    assert line.startswith(str(out))  # the output's file, not the staging folder's


# Disks too small for one site (the first build fails), or for two (the old
# site stays while the next is built beside it): the write that fails differs
# with the size (a page, a static file, Pagefind's index).
@pytest.mark.parametrize("share", [0.35, 0.7, 0.9, 1.3, 1.5, 1.7])
def test_a_full_disk_fails_the_build_and_keeps_the_site(content, tmp_path, share):
    size = int(site_size(content, tmp_path) * share) // 1024
    with mounted(tmp_path / "disk", f"size={size}k") as disk:
        out = disk / "output"
        if share < 1:
            with pytest.raises(BuildError) as failure:
                build(content, out)
            no_room(failure, out)
            assert sorted(p.name for p in disk.iterdir()) == [".output.lock"]
            return
        before = build(content, out)
        add_sentence(content)
        with pytest.raises(BuildError) as failure:
            build(content, out)
        no_room(failure, out)
        assert snapshot(out) == before
        assert sorted(p.name for p in disk.iterdir()) == [".output.lock", "output"]


def test_a_static_file_that_is_not_a_file_fails_the_build(content, tmp_path):
    """Pelican skips a static "file" it cannot copy (here a named pipe)
    without a word; the build fails, naming it, instead of publishing the site
    without it."""
    os.mkfifo(content / "extra/pipe.ico")
    out = tmp_path / "out"
    with pytest.raises(BuildError) as failure:
        build(content, out, STATIC_PATHS=["extra"])
    (line,) = failure.value.messages
    assert line.endswith(
        "extra/pipe.ico:1: error: not a regular file, so it cannot be published"
        " (replace it with the file it stands for, or remove it)"
    )
    assert not out.exists()


def test_a_theme_file_pelican_cannot_copy_fails_the_build(content, tmp_path):
    """Pelican logs a theme file it could not copy as a warning; the build
    fails, naming the file."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    os.mkfifo(theme / "static/pipe.css")
    out = tmp_path / "out"
    with pytest.raises(BuildError) as failure:
        build(content, out, THEME=str(theme))
    (line,) = failure.value.messages
    assert line == f"{theme}/static/pipe.css: not a file or folder, so it cannot be published"
    assert not out.exists()


@pytest.mark.parametrize("where", ["parent", "cache"])
def test_a_read_only_folder_is_one_clear_line(content, tmp_path, where):
    with mounted(tmp_path / "ro", "ro,size=1m") as readonly:
        out = readonly / "output" if where == "parent" else tmp_path / "out"
        cache = readonly / "cache" if where == "cache" else None
        with pytest.raises(BuildError) as failure:
            build(content, out, cache)
        (line,) = failure.value.messages
        assert line.startswith(str(readonly)) and "read-only file system" in line
        assert not out.exists()


# Killed at any moment


def start_build(project: Path) -> subprocess.Popen:
    code = (
        "import sys; sys.path.insert(0, 'plugins'); from roundup.build import build_site; "
        f"build_site('pelicanconf.py', {str(project / 'output')!r}, "
        f"{{'PATH': {str(project / 'content')!r}}})"
    )
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)


@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.97])
def test_a_build_killed_at_any_moment_leaves_a_whole_site(content, tmp_path, fraction):
    """The output is the old site or the new one whenever the build is
    killed; the next build cleans up after it and equals a clean build."""
    project = content.parent
    old = build(content, project / "output")
    add_sentence(content)
    started = time.monotonic()
    build(content, tmp_path / "new")
    duration = time.monotonic() - started
    new = snapshot(tmp_path / "new")
    process = start_build(project)
    time.sleep(duration * fraction)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert snapshot(project / "output") in (old, new)
    assert build(content, project / "output") == new
    assert all(gone(Path(p)) for p in replaced_sites(str(project / "output")))
    assert [p.name for p in project.iterdir() if p.name.startswith((".build-", ".old-"))] == []


def test_a_swap_stopped_half_way_is_put_right_by_the_next_build(tmp_path):
    """Where the system cannot swap two folders in one step, the old site is
    set aside before the new one moves in; a stop between the two is put
    right before anything else."""
    (tmp_path / ".old-x/site").mkdir(parents=True)
    (tmp_path / ".old-x/site/index.html").write_text("old site")
    (tmp_path / ".build-y").mkdir()  # the new site, never moved in
    recover(str(tmp_path / "output"))
    assert (tmp_path / "output/index.html").read_text() == "old site"
    assert gone(tmp_path / ".build-y") and gone(tmp_path / ".old-x")


def test_two_folders_swap_in_one_step(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/f").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b/f").write_text("b")
    assert exchange(str(tmp_path / "a"), str(tmp_path / "b"))  # tmpfs and ext4 can
    assert (tmp_path / "a/f").read_text() == "b" and (tmp_path / "b/f").read_text() == "a"


# Files that are not text, a folder that loops

BAD = {
    "invalid UTF-8": (
        "articles/bad.md",
        b"Title: Bad\nDate: 2024-06-01 08:00\n\nCaf\xe9 opens.\n",
        "content/articles/bad.md:4: error: not valid UTF-8: byte 38 (0xe9)",
    ),
    "a binary file": (
        "articles/blob.md",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        "content/articles/blob.md:3: error: binary file, not text",
    ),
    "an entity in invalid UTF-8": (
        "entities/bad-corp.md",
        b"Name: Bad Corp\nType: company\n\n\xff description.\n",
        "content/entities/bad-corp.md:4: error: not valid UTF-8: byte 30 (0xff)",
    ),
    "a page in invalid UTF-8": (
        "pages/bad.md",
        b"Title: Bad page\n\n\xc3\x28 text.\n",
        "content/pages/bad.md:3: error: not valid UTF-8: byte 17 (0xc3)",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("task", ["check", "build"])
def test_a_file_that_is_not_text_is_a_path_line_error(tmp_path, case, task):
    project = project_copy(tmp_path / "project")
    name, data, expected = BAD[case]
    (project / "content" / name).write_bytes(data)
    result = run_invoke(task, cwd=project)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert expected in result.stdout + result.stderr
    assert not (project / "output").exists()


@pytest.mark.parametrize("task", ["check", "build"])
def test_a_symlink_loop_is_one_error(tmp_path, task):
    project = project_copy(tmp_path / "project")
    (project / "content/articles/again").symlink_to("..", target_is_directory=True)
    result = run_invoke(task, cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    loops = [line for line in output.splitlines() if "symbolic link loop" in line]
    assert loops == [
        "content/articles/again:1: error: symbolic link loop: it leads back to content "
        "(remove the link, or point it outside the folders it is in)"
    ]
    # nothing else: the files behind the link are not listed a second time
    assert [line for line in output.splitlines() if ": error: " in line] == loops


def test_check_reports_a_loop_and_everything_else(tmp_path):
    """``invoke check`` leaves a loop out and looks at the rest; a loop through
    a folder outside the content is one too."""
    project = project_copy(tmp_path / "project")
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "content/articles/out").symlink_to(outside, target_is_directory=True)
    (outside / "back").symlink_to(project / "content/articles", target_is_directory=True)
    (project / "content/articles/bad.md").write_bytes(b"Title: Bad\nDate: 2024-01-01\n\n\xff\n")
    result = run_invoke("check", cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    problems = [line for line in output.splitlines() if ": error: " in line]
    assert problems == [
        "content/articles/bad.md:4: error: not valid UTF-8: byte 29 (0xff) (save the file as UTF-8)",
        "content/articles/out/back:1: error: symbolic link loop: it leads back to "
        "content/articles (remove the link, or point it outside the folders it is in)",
    ]


# Empty header values, among enough articles to read in parallel

EMPTY = ["Tags", "Authors", "Category", "Slug", "Status"]


@pytest.mark.parametrize("mode", list(MODES))
def test_empty_header_values_build_and_warn(content, tmp_path, mode, caplog):
    for n, key in enumerate(EMPTY * 2, 1):
        (content / f"articles/2024-07-{n:02d}-e{n}.md").write_text(
            f"Title: Empty {key} {n}\nDate: 2024-07-{n:02d} 08:00\n{key}:\n\nXiaomi, day {n}.\n",
            encoding="utf-8",
        )
    with caplog.at_level("WARNING", logger="roundup"):
        site = build(content, tmp_path / "site", **MODES[mode])
    assert sum(name.startswith("2024/07/") for name in site) >= 10
    for key in EMPTY:
        assert any(f"warning: '{key}:' has no value and is ignored" in m for m in caplog.messages)


# Two builds at once


def test_a_second_build_waits_then_refuses_with_a_clear_message(content, tmp_path):
    out = tmp_path / "output"
    with build_lock(str(out)), pytest.raises(BuildError) as failure:
        build(content, out, ROUNDUP_LOCK_WAIT=1)
    (line,) = failure.value.messages
    assert line.startswith(str(out)) and "another build still holds" in line
    assert not out.exists()


def test_two_builds_at_once_both_end_with_a_whole_site(content, tmp_path):
    project = content.parent
    first, second = start_build(project), start_build(project)
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    assert snapshot(project / "output") == build(content, tmp_path / "clean")


def test_invoke_build_builds_into_any_folder_and_with_the_cache(tmp_path):
    project = project_copy(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere" / "site"
    result = run_invoke("build", "--output", str(elsewhere), cwd=project)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "index.html").is_file() and not (project / "output").exists()
    cached = run_invoke("build", "--cache", cwd=project)
    assert cached.returncode == 0, cached.stderr
    assert list((project / "cache").glob("v-*/roundup-articles"))
    assert snapshot(project / "output") == snapshot(elsewhere)
