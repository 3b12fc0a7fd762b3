"""``invoke digest PATH``: the generated digest, written into the article to refine."""

from __future__ import annotations

import pytest

from conftest import project_copy
from conftest import run_invoke as invoke
from roundup.analysis.generate import digest_markdown
from roundup.models import Story
from roundup.site.authoring import split_off_digest

FUNDS = "content/articles/2024-03-13-funds-pour-into-chinese-video-generation.md"
SORA = "content/articles/2024-05-23-why-so-few-sora-copycats-in-china.md"


@pytest.fixture
def project(tmp_path):
    return project_copy(tmp_path / "project")


def test_the_written_digest_passes_the_check_and_matches_the_generated_one(project):
    before = (project / FUNDS).read_text()
    result = invoke("digest", FUNDS, cwd=project)
    assert result.returncode == 0, result.stderr
    after = (project / FUNDS).read_text()
    assert after.startswith(before.rstrip("\n") + "\n\n## Digest\n\n- ")
    section = after.split("## Digest", 1)[1]
    assert section.count("[para. ") >= 15 and "**Tesla Faces" in section
    check = invoke("check", "--format", "json", cwd=project)
    assert check.returncode == 0 and check.stdout.strip() == "[]", check.stdout


def test_an_article_with_a_digest_keeps_it_unless_forced(project):
    text = (project / SORA).read_text()
    line = text.splitlines().index("## Digest") + 1
    refused = invoke("digest", SORA, cwd=project)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"{SORA}:{line}: error: the article has a '## Digest' already"
        " (edit that one, or run invoke digest --force to replace it)"
    )
    assert (project / SORA).read_text() == text
    forced = invoke("digest", "--force", SORA, cwd=project)
    assert forced.returncode == 0, forced.stderr
    replaced = (project / SORA).read_text()
    assert replaced.count("## Digest") == 1 and "In summary" not in replaced
    assert replaced.split("## Digest")[0] == text.split("## Digest")[0]


def test_forcing_again_gives_the_same_file(project):
    assert invoke("digest", FUNDS, cwd=project).returncode == 0
    first = (project / FUNDS).read_text()
    assert invoke("digest", "--force", FUNDS, cwd=project).returncode == 0
    assert (project / FUNDS).read_text() == first


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Title: Empty\nDate: 2024-06-01 08:00\n", "the article has no paragraph to digest"),
        (b"Title: Bad\n\n\xff\n", "not valid UTF-8: byte 12 (0xff)"),
    ],
)
def test_what_cannot_be_digested_is_one_line(project, text, message):
    path = project / "content/articles/x.md"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    result = invoke("digest", "content/articles/x.md", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("content/articles/x.md:") and message in result.stderr


@pytest.mark.parametrize(
    ("text", "heading", "body", "notes"),
    [
        ("A\n\n## Digest\n\nx [para. 1]\n", 3, "A\n\n", ""),
        (
            "A[^1]\n\n## Digest\n\nx\n\n[^1]: Note\n    more\n",
            3,
            "A[^1]\n\n",
            "\n[^1]: Note\n    more\n",
        ),
        ("A\n", 0, "A\n", ""),
    ],
)
def test_split_off_digest(text, heading, body, notes):
    assert split_off_digest(text, heading) == (body, notes)


def test_markdown_of_a_digest_keeps_special_characters_literal():
    paragraphs = ["Shares of A*B rose 5% on the [Nasdaq] market after a_b <deal> today."]
    section = digest_markdown([Story("Deal *news*", "deal", (1,))], paragraphs)
    assert "A\\*B" in section and "\\[Nasdaq\\]" in section and "a\\_b &lt;deal>" in section
    assert "**Deal \\*news\\***: " in section
