"""Content errors stop a build before anything is written, with their lines and no traceback.

Through ``invoke build`` (the previous ``output/`` untouched) and through
plain ``pelican`` (Pelican's own end: one critical line, exit status 1).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import project_copy, run_invoke, snapshot

PROBLEM = re.compile(r"^\S+:\d+: (error|warning|info): .+")


def duplicate_slugs(project: Path) -> None:
    for n in (1, 2, 3):
        (project / f"content/articles/dup{n}.md").write_text(
            f"Title: Dup {n}\nDate: 2024-06-0{n} 08:00\nSlug: same-slug\n\nXiaomi, {n}.\n",
            encoding="utf-8",
        )


def colliding_page(project: Path) -> None:
    (project / "content/pages/clash.md").write_text(
        "Title: Clash\nSlug: clash\nSave_as: archives/index.html\n\nA page.\n", encoding="utf-8"
    )


def bad_citation(project: Path) -> None:
    path = next((project / "content/articles").glob("2024-05-23-*.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("[para. 14]", "[para. 41]", 1))


def unknown_entity(project: Path) -> None:
    path = next((project / "content/articles").glob("2024-05-23-*.md"))
    text = path.read_text(encoding="utf-8").replace("Slug:", "Entities: no-such\nSlug:", 1)
    path.write_text(text, encoding="utf-8")


CASES = {
    "duplicate slugs": (duplicate_slugs, "dup2.md:3: error: duplicate slug 'same-slug'", 2),
    "an output path written twice": (
        colliding_page,
        "clash.md:3: error: 'archives/index.html' is written twice",
        1,
    ),
    "a bad citation": (bad_citation, "error: citation [para. 41] points to a paragraph", 1),
    "an unknown entity": (unknown_entity, "error: unknown entity 'no-such' in Entities", 1),
}


def only_reported_lines(stderr: str) -> list[str]:
    """Lines that are neither problems nor the two summaries (Pelican's own
    warning about a shared slug, with its list of paths, included)."""
    return [
        line
        for line in stderr.splitlines()
        if line.strip()
        and not PROBLEM.match(line)
        and line != "Build failed; output/ was left unchanged."
        and "content error(s); nothing was written" not in line
    ]


@pytest.mark.parametrize("case", list(CASES))
def test_invoke_build_stops_with_the_lines_only(tmp_path, case):
    project = project_copy(tmp_path / "project")
    first = run_invoke("build", cwd=project)
    assert first.returncode == 0, first.stderr
    before = snapshot(project / "output")
    make, expected, errors = CASES[case]
    make(project)
    failed = run_invoke("build", cwd=project)
    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr + failed.stdout
    assert expected in failed.stderr
    assert f"{errors} content error(s); nothing was written" in failed.stderr
    assert only_reported_lines(failed.stderr) == []
    assert snapshot(project / "output") == before
    assert not [p for p in project.iterdir() if p.name.startswith((".build-", ".old-"))]


@pytest.mark.parametrize("case", list(CASES))
def test_plain_pelican_ends_as_pelican_lets_a_plugin_end(tmp_path, case):
    project = project_copy(tmp_path / "project")
    make, expected, errors = CASES[case]
    make(project)
    command = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "out"]
    command += ["--log-handler", "plain"]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert expected in output
    critical = [line for line in output.splitlines() if "content error(s)" in line]
    assert critical == [f"{errors} content error(s); nothing was written"]
    assert not (project / "out").exists()
