"""invoke tasks: documented, and ``new`` scaffolds an article that builds."""

from __future__ import annotations

import datetime
import shutil

from conftest import ROOT
from conftest import run_invoke as invoke
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
    build_site("pelicanconf.py", str(tmp_path / "out"), {"PATH": str(tmp_path / "content")})
    assert (tmp_path / "out/2026/11/chip-makers-rally-robotaxis-expand/index.html").exists()


def test_new_defaults_to_today_in_the_newsroom_timezone(tmp_path):
    (tmp_path / "content/articles").mkdir(parents=True)
    result = invoke("new", "--title", "Today", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [path] = (tmp_path / "content/articles").iterdir()
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
    assert path.name == f"{today.isoformat()}-today.md"
