"""Entity names that would link ordinary text are refused, with the reason and the fix."""

from __future__ import annotations

import pytest

from conftest import project_copy
from conftest import run_invoke as invoke
from roundup.glossary.common import common_word
from roundup.glossary.registry import build_registry, parse_entity


@pytest.mark.parametrize(
    ("surface", "reason"),
    [
        ("The", "a word that starts sentences"),
        ("It", "a word that starts sentences"),
        ("Monday", "a weekday"),
        ("Sep", "a month"),
        ("December", "a month"),
        ("Chinese", "a nationality"),
        ("China", "a country"),
        ("U.S.", "a country"),
        ("Beijing", "a city"),
        ("Tokyo", "a city"),
        ("Guangdong", "a province"),
        ("Asia", "a region"),
        ("北京", "a place or nationality in Chinese"),
        ("X", "a single character"),
        ("Apple", None),  # a company that is also a noun: matching is case-sensitive
        ("Nio", None),
        ("China Telecom", None),
        ("Alibaba", None),
        ("生数科技", None),
    ],
)
def test_common_word(surface, reason):
    assert common_word(surface) == reason


def entity(text: str, name: str = "content/entities/x.md"):
    return parse_entity(name, text)[0]


def test_a_common_name_is_an_error_on_its_line_naming_the_fix():
    china = entity("Name: China Telecom\nType: company\nAliases: China, CT\n\nA carrier.\n")
    registry = build_registry([china])
    [problem] = registry.problems
    assert problem.format().startswith(
        "content/entities/x.md:3: error: 'China' (aliases) would link ordinary text: it is a"
        " country (use a qualified name"
    )
    assert "Allow-Common-Word: yes" in problem.hint
    assert registry.names == {"China Telecom": "x", "CT": "x"}  # the rest still links


@pytest.mark.parametrize("value", ["yes", "Yes", "true"])
def test_an_entity_may_opt_in(value):
    text = f"Name: May\nType: person\nAllow-Common-Word: {value}\n\nA singer.\n"
    registry = build_registry([entity(text)])
    assert registry.problems == [] and registry.names == {"May": "x"}


def test_invoke_check_refuses_a_bare_country(tmp_path):
    project = project_copy(tmp_path / "project")
    (project / "content/entities/china.md").write_text(
        "Name: China\nType: government\n\nThe country.\n"
    )
    result = invoke("check", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert any(
        line.startswith("content/entities/china.md:1: error: 'China' (name) would link ordinary")
        for line in result.stdout.splitlines()
    )
