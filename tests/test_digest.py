"""Digest Hub: authored digests, citations, generated digests, claim checks."""

import pytest
from bs4 import BeautifulSoup
from markdown import Markdown

from conftest import render
from roundup.analysis.citations import claims_of
from roundup.analysis.extension import RoundupExtension
from roundup.analysis.generate import generate_digest
from roundup.analysis.matching import Matcher
from roundup.models import Citation, Story

NAMES = {"Nio": "nio", "FAW Group": "faw", "USTR": "ustr"}

BODY = """Lead about the day.

## Tariffs

The USTR proposed tariffs on $18 billion of imports from Aug. 1.

Semiconductors and batteries are included.

## Batteries

Nio signed a deal with FAW Group on battery swapping.
"""


def article(digest: str) -> str:
    return BODY + "\n## Digest\n\n" + digest


def test_authored_points_and_citations():
    _, analysis = render(
        article(
            "- Tariffs rise [para. 2].\n- Nio and FAW team up [para. 4].\n\nThe USTR wants $18 billion in tariffs [para. 2][para. 3]. Nio joins FAW Group [para. 4].\n"
        ),
        NAMES,
    )
    digest = analysis.digest
    assert digest.generated is False
    assert [BeautifulSoup(p, "html.parser").get_text() for p in digest.points] == [
        "Tariffs rise [para. 2].",
        "Nio and FAW team up [para. 4].",
    ]
    links = BeautifulSoup(digest.paragraphs[0], "html.parser").select("a.cite")
    assert [(a["href"], a.get_text()) for a in links] == [
        ("#para-2", "[para. 2]"),
        ("#para-3", "[para. 3]"),
        ("#para-4", "[para. 4]"),
    ]
    assert [c.text for c in digest.claims] == [
        "Tariffs rise",
        "Nio and FAW team up",
        "The USTR wants $18 billion in tariffs",
        "Nio joins FAW Group",
    ]
    assert analysis.problems == []


def test_citation_lines_point_at_the_source():
    text = article("Tariffs from Aug. 1 [para. 2].\n\nNio and FAW Group [para. 4].\n")
    _, analysis = render(text, NAMES)
    lines = text.splitlines()
    for claim in analysis.digest.claims:
        for citation in claim.citations:
            assert f"[para. {citation.para}]" in lines[citation.line - 1]


def test_missing_paragraph_is_an_error_naming_file_line_and_citation():
    text = article("Nio and FAW Group [para. 4][para. 15].\n")
    _, analysis = render(text, NAMES, path="content/articles/x.md")
    [problem] = analysis.problems
    line = text.splitlines().index("Nio and FAW Group [para. 4][para. 15].") + 1
    assert problem.format().startswith(f"content/articles/x.md:{line}: error: citation [para. 15]")
    assert "does not exist" in problem.message


def test_unsupported_claim_warns():
    _, analysis = render(article("Nio and FAW Group agreed on swapping [para. 2].\n"), NAMES)
    [problem] = analysis.problems
    assert problem.level == "warning"
    assert "citation may not support this claim" in problem.message


@pytest.mark.parametrize(
    "claim",
    [
        "The USTR acted [para. 2].",
        "Imports worth 18 billion [para. 2].",
        "Something happened [para. 3].",
    ],
)
def test_supported_or_unjudgeable_claims_pass(claim):
    _, analysis = render(article(claim + "\n"), NAMES)
    assert analysis.problems == []


def test_uncited_text_and_too_many_points_warn():
    points = "".join(f"- point {n} [para. 2]\n" for n in "abcdef")
    _, analysis = render(
        article(points + "\nThe USTR acted [para. 2].\n\nA claim without citation.\n"), NAMES
    )
    messages = sorted(p.message for p in analysis.problems)
    lines = article(
        points + "\nThe USTR acted [para. 2].\n\nA claim without citation.\n"
    ).splitlines()
    found = {p.message: p.line for p in analysis.problems}
    assert lines[found["the digest has 6 key points"] - 1] == "- point f [para. 2]"
    assert (
        lines[found["digest text has no citation: 'A claim without citation.'"] - 1]
        == "A claim without citation."
    )
    assert messages == [
        "digest text has no citation: 'A claim without citation.'",
        "the digest has 6 key points",
    ]
    assert {p.level for p in analysis.problems} == {"warning"}


def test_uncited_key_point_warns_on_its_line():
    text = article(
        "- Tariffs rise [para. 2].\n- Nio teams up with FAW Group.\n\nThe USTR acted [para. 2].\n"
    )
    _, analysis = render(text, NAMES)
    [problem] = analysis.problems
    assert problem.message == "digest text has no citation: 'Nio teams up with FAW Group.'"
    assert text.splitlines()[problem.line - 1] == "- Nio teams up with FAW Group."


def test_an_uncited_first_paragraph_is_the_opening_line():
    text = article(
        "- Tariffs rise [para. 2].\n\nThis roundup covers tariffs and batteries.\n\n"
        "The USTR acted [para. 2]. Nio and FAW Group teamed up.\n"
    )
    _, analysis = render(text, NAMES)
    [problem] = analysis.problems  # the opening line makes no claim; the last one does
    assert problem.message == "digest text has no citation: 'Nio and FAW Group teamed up.'"
    assert len(analysis.digest.paragraphs) == 2


def test_digest_must_be_last():
    _, analysis = render(BODY + "\n## Digest\n\n- x\n\n## Later\n\ntext\n", NAMES)
    assert any("must be the last section" in p.message for p in analysis.problems)


def test_generated_digest_covers_every_story_with_citations():
    _, analysis = render(BODY, NAMES)
    digest = analysis.digest
    assert digest.generated is True
    opening, *stories = digest.paragraphs
    assert BeautifulSoup(opening, "html.parser").get_text() == (
        "This roundup covers two stories: Tariffs; and Batteries."
    )
    assert len(stories) == 2
    for paragraph, story in zip(stories, analysis.stories, strict=True):
        soup = BeautifulSoup(paragraph, "html.parser")
        assert soup.strong.get_text() == story.title
        cited = {int(a["href"].removeprefix("#para-")) for a in soup.select("a.cite")}
        assert cited and cited <= set(story.paragraphs)
    for claim in digest.claims:
        [citation] = claim.citations
        assert claim.text in analysis.paragraphs[citation.para - 1]


@pytest.mark.parametrize(
    ("tags", "opening"),
    [
        (
            "AI, Video generation, EVs",
            "This roundup covers two stories on AI, video generation and EVs.",
        ),
        ("Trade", "This roundup covers two stories on trade."),
    ],
)
def test_the_opening_line_names_the_tags_when_there_are_some(tags, opening):
    ext = RoundupExtension(Matcher(NAMES), lambda slug: f"/entities/{slug}/")
    md = Markdown(extensions=["markdown.extensions.meta", ext])
    ext.start("a.md")
    md.convert(f"Tags: {tags}\n\n" + BODY)
    assert ext.take().digest.paragraphs[0] == opening


def test_generated_key_points_are_cited_sentences_not_headings():
    _, analysis = render(BODY, NAMES)
    points = [BeautifulSoup(p, "html.parser") for p in analysis.digest.points]
    assert [p.get_text() for p in points] == [
        "The USTR proposed tariffs on $18 billion of imports from Aug. 1. [para. 2]",
        "Nio signed a deal with FAW Group on battery swapping. [para. 4]",
    ]
    assert [p.a["href"] for p in points] == ["#para-2", "#para-4"]


def test_generated_key_points_stop_at_five():
    body = "".join(
        f"## Story {n}\n\nCompany {n} reported strong quarterly sales in {2000 + n}.\n\n"
        for n in range(1, 8)
    )
    _, analysis = render(body)
    assert len(analysis.digest.points) == 5
    assert len(analysis.digest.paragraphs) == 1 + 7
    assert "seven stories" in analysis.digest.paragraphs[0]


def test_generated_digest_is_deterministic():
    assert render(BODY, NAMES)[1].digest == render(BODY, NAMES)[1].digest


def test_generated_digest_without_headings_uses_whole_body():
    paragraphs = [
        "Nio said it signed a long battery deal today.",
        "FAW Group agreed to 12 new stations in 2024.",
    ]
    digest = generate_digest([], paragraphs)
    assert len(digest.points) == 1 and len(digest.paragraphs) == 1
    assert "[para. 1]" in digest.paragraphs[0] and "[para. 2]" in digest.paragraphs[0]
    assert "<strong>" not in digest.paragraphs[0]


def test_claims_of_groups_adjacent_citations():
    claims, rest = claims_of("A [para. 1][para. 2] then B [para. 3] tail", [5, 5, 7])
    assert [(c.text, c.citations) for c in claims] == [
        ("A", (Citation(1, 5), Citation(2, 5))),
        ("then B", (Citation(3, 7),)),
    ]
    assert rest == "tail"


def test_story_dataclass_is_hashable_for_caching():
    assert hash(Story("t", "a", (1, 2)))


def test_footnotes_stay_in_the_body_when_a_digest_follows():
    text = (
        BODY.replace("included.", "included.[^1]")
        + "\n## Digest\n\nThe USTR acted [para. 2].\n\n[^1]: A note.\n"
    )
    html, analysis = render(text, NAMES)
    assert analysis.problems == []
    assert 'class="footnote"' in html and "A note." in html
    assert len(analysis.digest.paragraphs) == 1
