"""Paragraph numbering and entity linking (Markdown in, HTML out)."""

import re

import pytest
from bs4 import BeautifulSoup

from conftest import render
from roundup.analysis.body import definition_lines, fence_lines

NAMES = {"Nio": "nio", "Nio Inc.": "nio", "FAW Group": "faw", "FAW": "faw", "生数科技": "shengshu"}

ARTICLE = """Lead paragraph about Nio.

## First story

Nio Inc. and FAW Group agreed. FAW will help.

Second paragraph mentions Nio again.

## Second story

- a list item
- another

> A quote about FAW.
"""


def soup(html):
    return BeautifulSoup(html, "html.parser")


def test_every_paragraph_numbered_in_reading_order():
    html, analysis = render(ARTICLE, NAMES)
    ids = [el["id"] for el in soup(html).select("[id^=para-]")]
    assert ids == ["para-1", "para-2", "para-3", "para-4", "para-5"]
    assert analysis.paragraph_count == 5


def test_number_is_a_link_to_itself():
    html, _ = render(ARTICLE, NAMES)
    for block in soup(html).select("[id^=para-]"):
        link = block.select_one("a.para-num")
        n = block["id"].removeprefix("para-")
        assert link["href"] == f"#para-{n}"
        assert link.get_text() == f"¶ {n}"


def test_headings_are_not_numbered_and_get_ids():
    html, analysis = render(ARTICLE, NAMES)
    headings = soup(html).find_all("h2")
    assert [h["id"] for h in headings] == ["first-story", "second-story"]
    assert [s.paragraphs for s in analysis.stories] == [(2, 3), (4, 5)]


def test_first_mention_only_is_linked():
    html, analysis = render(ARTICLE, NAMES)
    links = soup(html).select("a.entity")
    assert [(a["data-entity"], a.get_text()) for a in links] == [
        ("nio", "Nio"),
        ("faw", "FAW Group"),
    ]
    assert links[0]["href"] == "/entities/nio/"
    assert analysis.entities == ["nio", "faw"]


def test_every_mention_recorded_with_paragraph_and_sentence():
    _, analysis = render(ARTICLE, NAMES)
    got = [(m.slug, m.para, m.surface, m.sentence) for m in analysis.mentions]
    assert got == [
        ("nio", 1, "Nio", "Lead paragraph about Nio."),
        ("nio", 2, "Nio Inc.", "Nio Inc. and FAW Group agreed."),
        ("faw", 2, "FAW Group", "Nio Inc. and FAW Group agreed."),
        ("faw", 2, "FAW", "FAW will help."),
        ("nio", 3, "Nio", "Second paragraph mentions Nio again."),
        ("faw", 5, "FAW", "A quote about FAW."),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "## Nio heading\n\nplain",
        "Text with `Nio` in code.",
        "    Nio in an indented code block",
        "```\nNio fenced\n```",
        "A [link about Nio](https://example.com) here.",
        "<https://nio.example/Nio>",
    ],
)
def test_never_matched_inside_headings_code_or_links(text):
    html, analysis = render(text, NAMES)
    assert analysis.mentions == []
    assert 'a class="entity"' not in html


def test_digest_is_not_numbered_or_matched():
    text = "Nio paragraph.\n\n## Story\n\nFAW paragraph.\n\n## Digest\n\n- Nio point\n\nFAW claim [para. 2].\n"
    html, analysis = render(text, NAMES)
    assert analysis.paragraph_count == 2
    assert "Digest" not in html and "claim" not in html
    assert [m.para for m in analysis.mentions] == [1, 2]


def test_cjk_mention_inside_running_text():
    html, analysis = render("北京的生数科技公司发布了新模型。", NAMES)
    assert [m.slug for m in analysis.mentions] == ["shengshu"]
    assert (
        '<a class="entity" data-entity="shengshu" href="/entities/shengshu/">生数科技</a>' in html
    )


def test_mention_after_inline_markup_and_smart_quotes():
    html, analysis = render("**Bold** text: it's Nio's \"deal\" with *FAW*.", NAMES)
    assert [m.surface for m in analysis.mentions] == ["Nio", "FAW"]
    assert analysis.mentions[0].sentence == "Bold text: it’s Nio’s “deal” with FAW."
    assert re.search(r"<em><a class=\"entity\"[^>]*>FAW</a></em>", html)


def test_raw_html_block_is_not_numbered():
    html, analysis = render('First.\n\n<div class="note">raw</div>\n\nSecond.', NAMES)
    assert analysis.paragraph_count == 2
    assert '<div class="note">raw</div>' in html


def test_lead_only_article():
    _, analysis = render("Just a lead.", NAMES)
    assert analysis.paragraph_count == 1 and analysis.stories == []


def test_heading_ids_are_unique_and_avoid_reserved():
    html, _ = render("## Digest Hub\n\na\n\n## Entities\n\nb\n\n## Entities\n\nc", NAMES)
    assert [h["id"] for h in soup(html).find_all("h2")] == [
        "digest-hub",
        "entities-2",
        "entities-3",
    ]


def test_heading_that_looks_like_a_paragraph_anchor_gets_another_id():
    html, analysis = render("## Para 1\n\ntext\n\n## Para 1\n\nmore", NAMES)
    ids = [h["id"] for h in soup(html).find_all("h2")]
    assert ids == ["section-para-1", "section-para-1-2"]
    assert [s.anchor for s in analysis.stories] == ids


@pytest.mark.parametrize(
    ("markdown", "tag"),
    [
        ("Term\n: its definition here", "dl"),
        ("    code_block(here)", "pre"),
        ('<div markdown="1">\nInside *a* div.\n</div>', "div"),
        ("> quoted\n>\n> twice", "blockquote"),
        ("1. one\n2. two", "ol"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "table"),
    ],
)
def test_every_block_of_a_story_is_numbered(markdown, tag):
    html, analysis = render(f"Lead.\n\n## Story\n\n{markdown}\n\nAfter it.\n")
    block = soup(html).select_one("#para-2")
    assert block.name == tag
    assert block.select_one("a.para-num[href='#para-2']") is not None
    assert analysis.stories[0].paragraphs == (2, 3)
    assert analysis.paragraph_count == 3 and analysis.paragraphs[2] == "After it."


def test_code_keeps_its_first_line_intact():
    html, _ = render("Lead.\n\n    first line\n")
    pre = soup(html).select_one("pre#para-2")
    assert pre.code.get_text() == "first line\n"
    assert str(pre).startswith('<pre id="para-2"><a ') and "</a><code>" in str(pre)


def test_footnotes_are_not_a_numbered_block():
    html, analysis = render("Lead.\n\n## S\n\nText[^1] here.\n\n[^1]: A note.\n")
    footnotes = soup(html).select_one("div.footnote")
    assert footnotes is not None and not footnotes.has_attr("id")
    assert footnotes.select_one("a.para-num") is None
    assert analysis.paragraph_count == 2


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("Text\n: defined\n", [2]),
        ("Text\n\n: loose definition\n", [3]),
        ("Text\n: one\n: two\n", [2]),
        ("Text\n:no space is not one\n", []),
        ("```\nText\n: in code\n```\n", []),
        ("Text\n: a\n\n## Digest\n\nClaim\n: b\n", [2]),
        ("Title: x\n\nA\n: b\n\nC\n: d\n", [4, 7]),
    ],
)
def test_definition_lines(source, lines):
    assert definition_lines(source) == lines


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("A\n\n```\ncode\n```\n", [3]),
        ("A\n\n~~~ python\n```\n~~~\n\n```\nx\n```\n", [3, 7]),
        ("A\n\n## Digest\n\n```\nx\n```\n", []),
    ],
)
def test_fence_lines(source, lines):
    assert fence_lines(source) == lines


def test_a_fenced_code_block_warns_that_it_cannot_be_cited():
    html, analysis = render("Lead.\n\n```\nprint(1)\n```\n", path="x.md")
    assert "print(1)" in html
    [problem] = analysis.problems
    assert problem.format() == (
        "x.md:3: warning: a fenced code block gets no paragraph number, so the digest cannot"
        " cite it (indent the code by four spaces instead of fencing it)"
    )


def test_an_accidental_definition_list_warns_on_its_line():
    text = "Lead.\n\n## S\n\nSales rose 12%, the group said\n: a record.\n"
    html, analysis = render(text, path="x.md")
    assert soup(html).select_one("dl#para-2") is not None
    [problem] = analysis.problems
    assert problem.format() == (
        "x.md:6: warning: a line starting with ':' turned the paragraph above it into a"
        " definition list (join the line to the one above, or write the colon as '&#58;')"
    )
