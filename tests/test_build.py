"""Build behaviour: determinism, autoreload safety, failures that lose nothing."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.utils import process_translations

from conftest import ROOT, gone, set_aside, snapshot
from roundup.build import BuildError, build_site, load_settings, reported_by_check
from roundup.models import display_path
from roundup.swap import discard, replaced_sites


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped content, built with the project's settings."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    monkeypatch.chdir(ROOT)
    return tmp_path


def build(project: Path, out: Path, **overrides) -> list[str]:
    return build_site("pelicanconf.py", str(out), {"PATH": str(project / "content"), **overrides})


def test_two_builds_are_byte_identical(project):
    build(project, project / "a")
    build(project, project / "b")
    first, second = snapshot(project / "a"), snapshot(project / "b")
    assert (project / "a/pagefind/pagefind-ui.js").is_file()
    assert any(k.startswith("pagefind/2024/filter/") for k in first)
    assert len(first) > 50
    assert first == second


def test_rebuild_with_same_pelican_instance_is_identical(project):
    """What ``pelican --autoreload`` does: run() again on one instance."""
    settings = load_settings(
        "pelicanconf.py", {"PATH": str(project / "content"), "OUTPUT_PATH": str(project / "out")}
    )
    pelican = Pelican(settings)
    pelican.run()
    first = snapshot(project / "out")
    shutil.rmtree(project / "out")
    pelican.run()
    assert snapshot(project / "out") == first


def test_rebuild_picks_up_edited_entity(project):
    settings = load_settings(
        "pelicanconf.py", {"PATH": str(project / "content"), "OUTPUT_PATH": str(project / "out")}
    )
    pelican = Pelican(settings)
    pelican.run()
    page = project / "out/2024/05/why-so-few-sora-copycats-in-china/index.html"
    assert 'data-entity="ustr"' in page.read_text()
    entity = project / "content/entities/ustr.md"
    text = entity.read_text().replace(
        "Name: Office of the U.S. Trade Representative", "Name: Office of the USTR Renamed"
    )
    text = text.replace("Aliases: USTR", "Aliases: Nothing Matches This")
    entity.write_text(text)
    pelican.run()
    assert 'data-entity="ustr"' not in page.read_text()


def test_failed_build_keeps_previous_output(project):
    out = project / "output"
    build(project, out)
    before = snapshot(out)
    article = project / "content/articles/2024-05-23-why-so-few-sora-copycats-in-china.md"
    text = article.read_text()
    article.write_text(text.replace("[para. 14]", "[para. 41]", 1))
    with pytest.raises(BuildError) as failure:
        build(project, out)
    line = next(
        n for n, row in enumerate(article.read_text().splitlines(), 1) if "[para. 41]" in row
    )
    assert any(
        m.startswith(f"{display_path(str(article))}:{line}: error: citation [para. 41]")
        for m in failure.value.messages
    ), failure.value.messages
    assert snapshot(out) == before
    assert not [p for p in project.iterdir() if p.name.startswith((".build-", ".old-"))]


def test_the_replaced_site_is_deleted_after_the_swap(project):
    out = project / "output"
    build(project, out)
    marker = out / "only-in-the-old-site.txt"
    marker.write_text("old")
    old_inode = (out / "index.html").stat().st_ino
    build(project, out)
    assert not marker.exists()  # the new site is in place when the build returns
    assert (out / "index.html").stat().st_ino != old_inode
    assert all(gone(Path(p)) for p in replaced_sites(str(out)))
    assert not [p for p in project.iterdir() if p.name.startswith((".build-", ".old-"))]


def test_a_site_left_by_a_killed_build_is_deleted_by_the_next(project):
    out = project / "output"
    stale = set_aside(project / ".old-killed", 3)
    kept = project / ".old-notes"  # not what a swap leaves: someone's own folder
    kept.mkdir()
    (kept / "todo.txt").write_text("mine")
    build(project, out)
    assert gone(stale)
    assert (kept / "todo.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("entries", "found"),
    [
        (["site/index.html"], True),
        ([], True),  # emptied by a deletion under way
        (["site/index.html", "notes.txt"], False),
        (["notes.txt"], False),
    ],
)
def test_replaced_sites_are_only_what_a_swap_sets_aside(tmp_path, entries, found):
    folder = tmp_path / ".old-abc"
    folder.mkdir()
    for entry in entries:
        (folder / entry).parent.mkdir(parents=True, exist_ok=True)
        (folder / entry).write_text("x")
    (tmp_path / ".old-file").write_text("a file, not a folder")
    assert replaced_sites(str(tmp_path / "output")) == ([str(folder)] if found else [])


def test_discard_deletes_a_tree_in_the_background(tmp_path):
    folder = set_aside(tmp_path / ".old-x", 50)
    discard(str(folder))
    assert gone(folder)
    assert tmp_path.exists()


def test_crashing_template_keeps_previous_output(project, tmp_path):
    out = project / "output"
    build(project, out)
    before = snapshot(out)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates/article.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ 1 / 0 }}{% endblock %}"
    )
    with pytest.raises(Exception):  # noqa: B017, PT011 (any failure must keep the output)
        build(project, out, THEME=str(theme))
    assert snapshot(out) == before
    build(project, out)  # the crash left no state behind (the sitemap lists every page)
    assert snapshot(out) == before


def test_every_problem_reported_not_just_the_first(project):
    folder = project / "content/entities"
    (folder / "dup-one.md").write_text("Name: Duplicate Name\nType: company\n\nOne.\n")
    (folder / "dup-two.md").write_text("Name: Duplicate Name\nType: startup\n\nTwo.\n")
    with pytest.raises(BuildError) as failure:
        build(project, project / "out")
    messages = "\n".join(failure.value.messages)
    assert "dup-two.md:1: error: 'Duplicate Name' (name) is already claimed by" in messages
    assert "dup-one.md:1" in messages
    assert "dup-two.md:2: error: unknown Type 'startup'" in messages


def test_organisation_notes_show_in_verbose_builds_after_quiet_ones(project, caplog):
    """Notes are looked for only when the log shows them; a content cache
    filled by a quiet build does not hide them from a verbose one."""
    article = project / "content/articles/widgets.md"
    article.write_text("Title: Widgets\nDate: 2024-06-01 08:00\n\nObscure Widgets Group rose.\n")
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(project / "c")}
    note = f"{display_path(str(article))}:4: info: possible organisation 'Obscure Widgets Group'"
    with caplog.at_level(logging.WARNING, logger="roundup"):
        build(project, project / "quiet", **cache)
    assert not [m for m in caplog.messages if m.startswith(note)]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="roundup"):
        build(project, project / "verbose", **cache)
    assert [m for m in caplog.messages if m.startswith(note)]
    assert snapshot(project / "quiet") == snapshot(project / "verbose")


def test_unknown_entities_metadata_slug_is_an_error(project):
    article = project / "content/articles/2024-05-23-why-so-few-sora-copycats-in-china.md"
    article.write_text(
        article.read_text().replace("Slug:", "Entities: nio, no-such-entity\nSlug:", 1)
    )
    with pytest.raises(BuildError) as failure:
        build(project, project / "out")
    assert any(
        "error: unknown entity 'no-such-entity' in Entities" in m for m in failure.value.messages
    )


@pytest.mark.parametrize(
    ("setting", "gone", "kept"),
    [
        ("ENTITY_SAVE_AS", "entities/nio/index.html", "entities/nio/atom.xml"),
        ("ENTITY_FEED_ATOM", "entities/nio/atom.xml", "entities/nio/index.html"),
    ],
)
def test_entity_pages_or_feeds_can_be_turned_off(project, setting, gone, kept):
    out = project / "out"
    overrides = {setting: "", "RENDER_PROCESSES": 3}
    if setting == "ENTITY_SAVE_AS":
        overrides["ENTITY_URL"] = ""
    build(project, out, **overrides)
    assert (out / kept).is_file()
    assert not (out / gone).exists()


def _pelican_warnings(items: list, translation_id: str) -> list[logging.LogRecord]:
    """The records Pelican's own ``process_translations`` logs for ``items``."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    pelican_utils = logging.getLogger("pelican.utils")
    pelican_utils.addHandler(handler)
    try:
        process_translations(items, translation_id)
    finally:
        pelican_utils.removeHandler(handler)
    return records


class _Item:
    def __init__(self, path: str, lang: str) -> None:
        self.source_path, self.slug, self.title, self.lang = path, "same", "Same", lang
        self.in_default_lang, self.metadata = lang == "en", {}


@pytest.mark.parametrize(
    ("langs", "translation_id", "dropped"),
    [
        (("en", "en"), "slug", True),  # the check reports a duplicate slug
        (("fr", "de"), "slug", True),  # two originals: one output written twice
        (("en", "en"), "title", False),  # another translation id: Pelican's line stays
    ],
)
def test_console_drops_only_pelicans_shared_slug_warnings(langs, translation_id, dropped):
    # paths unique to each case: Pelican logs a repeated warning only once
    items = [_Item(f"/site/{translation_id}-{lang}{n}.md", lang) for n, lang in enumerate(langs)]
    records = _pelican_warnings(items, translation_id)
    assert records
    assert [reported_by_check(r) for r in records] == [dropped] * len(records)
    other = logging.LogRecord("pelican.utils", logging.WARNING, "", 0, "Skipped %s", ("x",), None)
    assert not reported_by_check(other)
