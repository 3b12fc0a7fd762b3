"""``invoke bench`` keeps working: a tiny end-to-end run and its JSON report.

The real benchmark (1,000+ articles) is slow and stays out of the test suite;
this runs the same code on 20 articles so it cannot rot.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, set_aside

sys.path.insert(0, str(ROOT))
from bench.child import plain_settings
from bench.corpus import write_corpus
from bench.measure import replaced_site_deleted
from roundup.swap import discard


@pytest.fixture(scope="module")
def report() -> dict:
    command = [sys.executable, "-m", "invoke", "-r", str(ROOT), "bench"]
    command += ["--articles", "20", "--entities", "30", "--rounds", "1", "--json"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_report_describes_the_run(report):
    assert report["mode"] == "full"
    assert (report["articles"], report["entities"], report["rounds"]) == (20, 30, 1)
    assert report["machine"]["cpus"] >= 1
    corpus = report["corpus"]
    assert corpus["entities"] == 30 and corpus["surfaces"] >= 30
    assert corpus["cjk_surfaces"] > 0
    assert 1200 <= corpus["words_per_article"] <= 1700


@pytest.mark.parametrize("variant", ["A", "B"])
def test_each_variant_has_sane_measurements(report, variant):
    stats = report[variant]
    assert len(stats["samples"]) == 1
    assert 0 < stats["build_s"] <= stats["wall_s"] < 600
    # The build's own CPU time plus its workers' and tools': never more than
    # every core busy for the whole run.
    assert 0 < stats["cpu_s"] <= stats["wall_s"] * report["machine"]["cpus"] * 1.05
    assert 10 < stats["build_rss_mib"] <= stats["peak_rss_mib"] < 4096
    assert stats["html_pages"] > 20 and stats["files"] >= stats["html_pages"]
    assert stats["articles_per_s"] == pytest.approx(20 / stats["wall_s"], rel=0.01)
    assert stats["cleanup_s"] == 0  # one round: no site was replaced


def test_project_build_writes_more_pages_than_plain_pelican(report):
    # A adds entity pages, the glossary and the digest hub to the same articles.
    assert report["A"]["html_pages"] >= report["B"]["html_pages"] + 30
    for key in ("wall_s", "build_s", "cpu_s", "peak_rss_mib"):
        assert report["ratio"][key] == pytest.approx(report["A"][key] / report["B"][key], rel=0.01)


def digest_of(folder: Path) -> str:
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hasher.update(path.relative_to(folder).as_posix().encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def test_corpus_is_deterministic_and_shaped_like_a_roundup(tmp_path):
    first = write_corpus(str(tmp_path / "a"), articles=6, entities=40, seed=7)
    write_corpus(str(tmp_path / "b"), articles=6, entities=40, seed=7)
    assert digest_of(tmp_path / "a") == digest_of(tmp_path / "b")
    articles = sorted((tmp_path / "a/content/articles").iterdir())
    assert len(articles) == 6 and first["entities"] == 40
    texts = [a.read_text(encoding="utf-8") for a in articles]
    assert sum("## Digest" in t for t in texts) == 3  # half have an authored digest
    assert all(t.count("\n## ") >= 8 for t in texts)
    names = [
        line.removeprefix("Name: ")
        for f in (tmp_path / "a/content/entities").iterdir()
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.startswith("Name: ")
    ]
    assert any(a != b and b.startswith(a + " ") for a in names for b in names)  # overlaps


def test_plain_pelican_uses_no_project_code(tmp_path):
    """B renders the same text with stock extensions only (smarty for the
    project's typography): the project's own code would flatter B."""
    settings = plain_settings(str(ROOT / "content"), str(tmp_path / "out"), None)
    assert settings["PLUGINS"] == [] and settings["PLUGIN_PATHS"] == []
    markdown = settings["MARKDOWN"]
    names = [*markdown.get("extensions", []), *markdown.get("extension_configs", {})]
    assert "markdown.extensions.smarty" in names
    assert all(name.startswith("markdown.") for name in names), names


def test_the_bench_waits_for_a_replaced_site_to_be_deleted(tmp_path):
    old = set_aside(tmp_path / ".old-abc", 200)
    discard(str(old))
    assert replaced_site_deleted(str(tmp_path / "output")) >= 0
    assert not old.exists()
    (tmp_path / ".old-mine").mkdir()  # not a replaced site: not waited for
    (tmp_path / ".old-mine/notes.txt").write_text("x")
    assert replaced_site_deleted(str(tmp_path / "output"), limit=5) == 0
