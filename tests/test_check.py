"""``invoke check``: every problem of tests/bad/, exactly; the build agrees; the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dateutil.parser
import pytest

from conftest import ROOT
from conftest import run_invoke as invoke
from roundup.build import BuildError, build_site
from roundup.checks.article import (
    DEFAULT_DATE,
    candidates,
    check_article,
    date_error,
    parse_header,
    suggestions,
)
from roundup.checks.report import render
from roundup.checks.sanitize import unsafe_markup
from roundup.glossary.registry import parse_entity
from roundup.models import Problem
from roundup.site.check import check_content

BAD = ROOT / "tests" / "bad"
DATE_FIX = "write it as YYYY-MM-DD HH:MM, e.g. 2024-05-23 08:00"
RAW = "raw HTML <{}> is not allowed"

# file (under tests/bad) -> every (line, level, message) it must produce, and nothing else.
EXPECTED: dict[str, set[tuple[int, str, str]]] = {
    "articles/mentions.md": set(),
    "articles/missing-title.md": {(1, "error", "missing required 'Title'")},
    "articles/missing-date.md": {(1, "error", "missing required 'Date'")},
    "articles/impossible-date.md": {
        (2, "error", "invalid Date '2024-02-30 08:00': day is out of range for month")
    },
    "articles/unparseable-date.md": {
        (2, "error", "invalid Date 'the day after tomorrow': unknown string format")
    },
    "articles/unknown-key.md": {(3, "warning", "unknown metadata key 'Tgas'")},
    "articles/duplicate-slug-a.md": set(),
    "articles/duplicate-slug-b.md": {
        (
            3,
            "error",
            "duplicate slug 'bad-same-slug': tests/bad/articles/duplicate-slug-a.md:3 has the same slug",
        )
    },
    "articles/missing-paragraph.md": {
        (17, "error", "citation [para. 5] points to a paragraph that does not exist")
    },
    "articles/uncited-digest.md": {
        (
            15,
            "warning",
            "digest text has no citation: 'Factories bought most of the new robots this spring.'",
        )
    },
    "articles/too-many-points.md": {(18, "warning", "the digest has 6 key points")},
    "articles/unsupported-citation.md": {
        (15, "warning", "citation may not support this claim; [para. 2] matches it better")
    },
    "articles/definition-list.md": {
        (
            10,
            "warning",
            "a line starting with ':' turned the paragraph above it into a definition list",
        )
    },
    "articles/unknown-entity.md": {(4, "error", "unknown entity 'no-such-entity' in Entities")},
    "articles/script.md": {(7, "error", "unsafe HTML: <script> is not allowed")},
    "articles/iframe.md": {(7, "error", "unsafe HTML: <iframe> is not allowed")},
    "articles/event-handler.md": {
        (5, "error", "unsafe HTML: event-handler attribute 'onmouseover' on <abbr>")
    },
    "articles/javascript-url.md": {
        (7, "error", "unsafe link: 'javascript:' URL in a Markdown link")
    },
    "articles/raw-html.md": {(7, "error", RAW.format("div"))},
    "articles/candidate.md": {
        (7, "info", "possible organisation 'Obscure Widgets Group' is not in the glossary")
    },
    "pages/script.md": {(6, "error", "unsafe HTML: <script> is not allowed")},
    "entities/good-robotics.md": set(),
    "entities/missing-name.md": {(1, "error", "missing required 'Name'")},
    "entities/missing-type.md": {(1, "error", "missing required 'Type'")},
    "entities/missing-description.md": {(3, "error", "missing description")},
    "entities/unknown-type.md": {(2, "error", "unknown Type 'startup'")},
    "entities/twin-labs.md": set(),
    "entities/twin-labs-copy.md": {
        (
            3,
            "error",
            "'Twin Labs' (aliases) is already claimed by tests/bad/entities/twin-labs.md:1 (name)",
        )
    },
    "entities/unused.md": {
        (1, "warning", "entity 'Forgotten Works' is not mentioned in any article")
    },
    "entities/unsafe-description.md": {
        (5, "error", RAW.format("img")),
        (5, "error", "unsafe HTML: event-handler attribute 'onerror' on <img>"),
    },
    "entities/bad-website.md": {
        (3, "error", "Website 'javascript:alert(1)' is not an http:// or https:// address")
    },
}


@pytest.fixture(scope="module")
def problems() -> list[Problem]:
    """``invoke check``'s function on tests/bad/ as the content folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return check_content("pelicanconf.py", {"PATH": str(BAD)})


def test_corpus_and_table_agree():
    files = {p.relative_to(BAD).as_posix() for p in BAD.rglob("*.md") if p.name != "README.md"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_reports_exactly_its_problems(problems, name):
    path = f"tests/bad/{name}"
    found = {(p.line, p.level, p.message) for p in problems if p.path == path}
    assert found == EXPECTED[name]


def test_problems_come_sorted_once_each(problems):
    assert problems == sorted(set(problems), key=lambda p: (p.path, p.line, p.message))
    assert all(p.hint for p in problems if p.level == "error")


def test_missing_paragraph_message_is_precise(problems):
    assert (
        "tests/bad/articles/missing-paragraph.md:17: error: citation [para. 5] points to a "
        "paragraph that does not exist (the article has 3 paragraphs)"
    ) in [p.format() for p in problems]


def test_unknown_key_suggests_the_right_one(problems):
    [problem] = [p for p in problems if p.path.endswith("unknown-key.md")]
    assert problem.hint.startswith("did you mean 'Tags'? known keys: Title, Date, Modified")


def test_build_reports_the_same_errors_and_keeps_nothing(tmp_path, monkeypatch):
    """The build runs the same checks: every error check finds fails it, word for word."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for folder in ("articles", "entities", "pages"):
        for source in (BAD / folder).glob("*.md"):
            shutil.copy(source, content / folder / source.name)
    monkeypatch.chdir(ROOT)
    checked = check_content("pelicanconf.py", {"PATH": str(content)})
    errors = [p.format() for p in checked if p.level == "error"]
    assert len(errors) == sum(level == "error" for v in EXPECTED.values() for _, level, _ in v)
    with pytest.raises(BuildError) as failure:
        build_site("pelicanconf.py", str(tmp_path / "out"), {"PATH": str(content)})
    assert not set(errors) - set(failure.value.messages)
    assert not (tmp_path / "out").exists()


# -- the command line --------------------------------------------------------


def test_invoke_check_passes_on_shipped_content():
    result = invoke("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": error:" not in result.stdout
    assert "0 error(s)" in result.stderr


@pytest.fixture
def broken_copy(tmp_path) -> Path:
    """The project's settings and content, plus two bad articles and a bad entity."""
    shutil.copy(ROOT / "pelicanconf.py", tmp_path)
    (tmp_path / "theme").symlink_to(ROOT / "theme")  # Pelican's settings insist on one
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for name in ("articles/missing-paragraph.md", "articles/script.md", "entities/unused.md"):
        shutil.copy(BAD / name, tmp_path / "content" / name)
    return tmp_path


def test_invoke_check_lists_every_problem_and_fails(broken_copy):
    result = invoke("check", cwd=broken_copy)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "content/articles/missing-paragraph.md:17: error: citation [para. 5] points to a "
        "paragraph that does not exist (the article has 3 paragraphs)",
        "content/articles/script.md:7: error: unsafe HTML: <script> is not allowed "
        "(articles cannot run scripts, embed pages or hold forms; remove it)",
        "content/entities/unused.md:1: warning: entity 'Forgotten Works' is not mentioned in "
        "any article (mention it, list 'Entities: unused' in an article, or delete the file)",
    ]
    assert "2 error(s), 1 warning(s)" in result.stderr


def test_invoke_check_json_is_machine_readable(broken_copy):
    result = invoke("check", "--format", "json", cwd=broken_copy)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert [(d["path"], d["line"], d["level"]) for d in data] == [
        ("content/articles/missing-paragraph.md", 17, "error"),
        ("content/articles/script.md", 7, "error"),
        ("content/entities/unused.md", 1, "warning"),
    ]
    assert set(data[0]) == {"path", "line", "level", "message", "hint", "suggestion"}
    assert data[0]["hint"] == "the article has 3 paragraphs"


def test_invoke_check_github_annotations(broken_copy):
    result = invoke("check", "--format", "github", cwd=broken_copy)
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "::error file=content/articles/missing-paragraph.md,line=17,title=invoke check::"
        "citation [para. 5]"
    )
    assert lines[2].startswith("::warning file=content/entities/unused.md,line=1,")
    assert result.returncode == 1


def test_invoke_check_rejects_unknown_format():
    result = invoke("check", "--format", "xml")
    assert result.returncode != 0 and "unknown format 'xml'" in result.stderr


def test_github_format_escapes_newlines_and_percent():
    problem = Problem("a,b:c.md", 3, "info", "50%\nmore", "")
    assert (
        render([problem], "github")
        == "::notice file=a%2Cb%3Ac.md,line=3,title=invoke check::50%25%0Amore"
    )


# -- scaffolding entities ----------------------------------------------------


def test_invoke_entity_scaffolds_a_valid_entity(tmp_path):
    (tmp_path / "content/entities").mkdir(parents=True)
    result = invoke("entity", "--name", "Zhipu AI Co.", "--type", "company", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "content/entities/zhipu-ai-co.md"
    assert "content/entities/zhipu-ai-co.md" in result.stdout and "Fill in" in result.stdout
    entity, found = parse_entity(str(path), path.read_text(encoding="utf-8"))
    assert found == []
    assert (entity.name, entity.type, entity.aliases) == ("Zhipu AI Co.", "company", [])
    again = invoke("entity", "--name", "Zhipu AI Co.", "--type", "company", cwd=tmp_path)
    assert again.returncode != 0 and "already exists" in again.stderr


def test_invoke_entity_refuses_unknown_types(tmp_path):
    (tmp_path / "content/entities").mkdir(parents=True)
    result = invoke("entity", "--name", "Zhipu", "--type", "startup", cwd=tmp_path)
    assert result.returncode != 0
    assert "company, organization, government, person, product, place" in result.stderr
    assert not list((tmp_path / "content/entities").iterdir())


def test_invoke_entity_takes_a_slug_for_names_without_latin_letters(tmp_path):
    (tmp_path / "content/entities").mkdir(parents=True)
    result = invoke(
        "entity", "--name", "智谱", "--type", "company", "--slug", "zhipu", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Name: 智谱\n" in (tmp_path / "content/entities/zhipu.md").read_text(encoding="utf-8")


# -- the pure checks ---------------------------------------------------------


def test_parse_header_lines_and_body_start():
    fields, body = parse_header("Title: A\nTags: x,\n    y\nDate: 2024-01-01\n\nBody")
    assert [(f.key, f.value, f.line) for f in fields] == [
        ("Title", "A", 1),
        ("Tags", "x, y", 2),  # a value goes on over indented lines
        ("Date", "2024-01-01", 4),
    ]
    assert body == 5
    assert parse_header("---\nTitle: A\n---\nBody")[1] == 3
    assert parse_header("No header here.\n")[0] == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2024-05-23 08:00", ""),
        ("2024-02-29", ""),
        ("2023-02-29", "day is out of range for month"),
        ("2024-13-01", "month must be in 1..12"),
        ("2024-05-23 25:00", "hour must be in 0..23"),
        ("soon", "unknown string format"),
        ("2024-05-23T08:00:30", ""),
        ("2024-05-23_08:00", ""),
        ("2024-02-30 08:00", "day is out of range for month"),
    ],
)
def test_date_errors(value, reason):
    assert date_error(value) == reason


@pytest.mark.parametrize(
    "value",
    ["2024-05-23", "2024-05-23 08:00", "2024-05-23 8:00", "2024-W21-4", "20240523", "2024-5-23",
     "23 May 2024", "2024-05-23 08:00:61", "2024-05-23T08:00+08:00", "2024-00-10"],
)  # fmt: skip
def test_a_date_is_valid_exactly_when_dateutil_reads_it(value):
    """The quick path for ISO dates agrees with dateutil (what Pelican reads dates with)."""
    try:
        dateutil.parser.parse(value.replace("_", " "), default=DEFAULT_DATE)
        readable = True
    except (ValueError, OverflowError):
        readable = False
    assert (date_error(value) == "") is readable


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("Fine <abbr title='x'>AI</abbr> and <sup>2</sup>.", []),
        ("Code: `<script>x</script>` is shown.", []),
        ("```html\n<iframe></iframe>\n```\n", []),
        ("<!-- <script>hidden</script> -->", []),
        ("<svg/onload=alert(1)>", ["unsafe HTML: <svg> is not allowed"]),
        (
            "<IMG SRC=x OnError=alert(1)>",
            [RAW.format("img"), "unsafe HTML: event-handler attribute 'onerror' on <img>"],
        ),
        (
            "<a href='  jav&#x61;script:alert(1)'>x</a>",
            [RAW.format("a"), "unsafe link: 'javascript:' URL in <a> href"],
        ),
        ("[x](JaVaScRiPt:alert(1))", ["unsafe link: 'javascript:' URL in a Markdown link"]),
        (
            "[x]: data:text/html;base64,PHNjcmlwdD4=",
            ["unsafe link: 'data:' URL in a Markdown link"],
        ),
        ("<javascript:alert(1)>", ["unsafe link: 'javascript:' URL in a Markdown link"]),
        (
            'Text\n{: onclick="alert(1)" }',
            ["unsafe HTML: event-handler attribute 'onclick' on a Markdown attribute list"],
        ),
        ("<https://example.com> and [ok](https://example.com)", []),
    ],
)
def test_unsafe_markup(text, messages):
    assert [p.message for p in unsafe_markup("a.md", text)] == messages


def test_unsafe_markup_lines_count_from_the_given_line():
    [problem] = unsafe_markup("e.md", "One.\n\nTwo <script>x</script>.", first_line=7)
    assert (problem.path, problem.line, problem.level) == ("e.md", 9, "error")


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Obscure Widgets Group rose.", ["Obscure Widgets Group"]),
        ("The Quiet Lake Technology said so.", ["Quiet Lake Technology"]),
        ("Shares of Hill Holdings Co. Ltd. fell.", ["Hill Holdings Co. Ltd."]),
        ("Startup Bright Minds (明智) raised money.", ["Startup Bright Minds"]),
        ("Bank of Somewhere Corp. lent.", ["Bank of Somewhere Corp."]),
        ("Nio Inc. and FAW Group agreed.", []),  # both in the registry
        ("Bain Capital-backed NewLink Group borrows.", []),
        ("A group of technology firms met.", []),
        ("`Obscure Widgets Group` is code.", []),
    ],
)
def test_candidate_organisations(sentence, found):
    names = {
        "Nio Inc.": "nio",
        "FAW Group": "faw",
        "NewLink Group": "newlink",
        "Bain Capital": "bain",
    }
    problems = candidates("a.md", f"Title: T\n\n{sentence}\n", names, skip=2)
    assert [p.message.split("'")[1] for p in problems] == found
    assert all(p.level == "info" and p.line == 3 for p in problems)


def test_organisation_notes_come_from_suggestions_only():
    text = "Title: T\nDate: 2024-01-01\n\nObscure Widgets Group rose.\n"
    assert check_article("a.md", text) == []
    notes = suggestions("a.md", text, {"Other Group": "other"})
    assert [(p.line, p.level) for p in notes] == [(4, "info")]
    assert suggestions("a.md", text, {"Obscure Widgets Group": "owg"}) == []


def test_the_contributing_example_checks_clean(broken_copy):
    """The complete roundup CONTRIBUTING.md shows passes the check, digest included."""
    guide = (ROOT / "CONTRIBUTING.md").read_text()
    example = guide.split("```markdown\n", 1)[1].split("\n```", 1)[0] + "\n"
    assert "## Digest" in example and "[para. 2–3]" in example
    (broken_copy / "content/articles/example.md").write_text(example)
    result = invoke("check", "--format", "json", cwd=broken_copy)
    found = [p for p in json.loads(result.stdout) if p["path"].endswith("example.md")]
    assert found == []
