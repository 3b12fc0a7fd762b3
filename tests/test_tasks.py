"""invoke tasks: documented, and ``new`` scaffolds an article that builds."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SORA, SORA_PAGE, free_port, project_copy
from conftest import run_invoke as invoke
from roundup.accel.articlecache import FOLDER
from roundup.build import build_site

EXPECTED = {
    "clean",
    "build",
    "rebuild",
    "regenerate",
    "serve",
    "livereload",
    "preview",
    "publish",
    "test",
    "lint",
    "new",
}


def test_every_task_is_listed_with_a_docstring():
    listing = invoke("--list").stdout
    rows = [
        line.split(None, 1)
        for line in listing.splitlines()[2:]
        if line.startswith("  ") and line.strip()
    ]
    described = {row[0]: row[1] for row in rows if len(row) == 2}
    assert set(described) >= EXPECTED
    assert all(text.strip() for text in described.values())


def test_new_scaffolds_a_dated_article_that_builds(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    command = ("new", "--title", "Chip Makers Rally, Robotaxis Expand", "--date", "2026-11-20")
    result = invoke(*command, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "content/articles/2026-11-20-chip-makers-rally-robotaxis-expand.md"
    text = path.read_text(encoding="utf-8")
    assert "Title: Chip Makers Rally, Robotaxis Expand\n" in text
    assert "Date: 2026-11-20 08:00\n" in text
    assert str(path.relative_to(tmp_path)) in result.stdout
    again = invoke(*command, cwd=tmp_path)  # the same article a second time
    assert again.returncode != 0 and "already exists" in again.stderr
    monkeypatch.chdir(ROOT)
    warnings = build_site(
        "pelicanconf.py", str(tmp_path / "out"), {"PATH": str(tmp_path / "content")}
    )
    assert (tmp_path / "out/2026/11/chip-makers-rally-robotaxis-expand/index.html").exists()
    assert [w for w in warnings if path.name in w] == []  # its digest holds


def test_new_defaults_to_today_in_the_newsroom_timezone(tmp_path):
    (tmp_path / "content/articles").mkdir(parents=True)
    result = invoke("new", "--title", "Today", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [path] = (tmp_path / "content/articles").iterdir()
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
    assert path.name == f"{today.isoformat()}-today.md"


def wait_for(
    condition, what: str, process: subprocess.Popen, log: Path, every: float = 0.2
) -> None:
    """Until ``condition()``, asked ``every`` seconds; fails if ``process`` ends first
    or after a minute."""
    deadline = time.monotonic() + 60
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the task ended before {what}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}:\n{log.read_text()}")
        time.sleep(every)


def start_watching(project: Path, task: str, log: Path, port: int) -> subprocess.Popen:
    """``invoke TASK`` in ``project`` (livereload on ``port``), its output in ``log``."""
    arguments = [task, "--port", str(port)] if task == "livereload" else [task]
    with log.open("w") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "invoke", "-r", str(ROOT), *arguments],
            cwd=project,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.parametrize("task", ["livereload", "regenerate"])
def test_watching_tasks_build_an_edit_saved_during_the_first_build(tmp_path, task):
    """The watcher starts after the first build; what was saved before that is not lost."""
    project = project_copy(tmp_path / "project")
    log = tmp_path / "log.txt"
    process = start_watching(project, task, log, free_port())
    article = project / "content" / SORA
    try:
        written = f".build-*/{SORA_PAGE}"  # read, and not yet published
        wait_for(lambda: any(project.glob(written)), "the first build", process, log, 0.01)
        article.write_text(
            article.read_text(encoding="utf-8").replace("Title: Why There", "Title: Why Still"),
            encoding="utf-8",
        )
        assert not (project / "output").exists()  # saved before the first site was there
        page = project / "output" / SORA_PAGE
        wait_for(
            lambda: page.is_file() and "Why Still Are So Few" in page.read_text(encoding="utf-8"),
            "the rebuild",
            process,
            log,
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize("task", ["livereload", "regenerate"])
def test_watching_tasks_keep_going_after_a_failed_build(tmp_path, task):
    """A content error is reported, the last good site stays, and fixing it rebuilds."""
    project = project_copy(tmp_path / "project")
    log = tmp_path / "log.txt"
    port = free_port()
    process = start_watching(project, task, log, port)
    page = project / "output" / SORA_PAGE

    def wait(condition, what: str) -> None:
        wait_for(condition, what, process, log)

    try:
        wait((project / "output/pagefind/shards.json").is_file, "the first build")
        assert list((project / "cache").glob(f"v-*/{FOLDER}"))  # rebuilds reuse it
        broken = project / "content/articles/zz-broken.md"
        broken.write_text("Title: Broken\nDate: 2024-02-30 08:00\n\nText.\n", encoding="utf-8")
        wait(lambda: "Build failed;" in log.read_text(), "the failed build")
        assert "zz-broken.md:2: error: invalid Date" in log.read_text()
        assert "Why There Are So Few" in page.read_text(encoding="utf-8")  # the last good site
        broken.unlink()
        article = project / "content" / SORA
        article.write_text(
            article.read_text(encoding="utf-8").replace("Title: Why There", "Title: Why Still"),
            encoding="utf-8",
        )
        wait(lambda: "Why Still Are So Few" in page.read_text(encoding="utf-8"), "the fix")
        if task == "livereload":
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{SORA_PAGE}") as response:
                assert "Why Still Are So Few" in response.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=30)
