"""Typographic punctuation: the pure pass, in Markdown, and against smarty."""

from __future__ import annotations

import html

import pytest
from markdown import Markdown

from conftest import ROOT
from roundup.analysis.typography import smarten


@pytest.mark.parametrize(
    ("text", "before", "after", "expected"),
    [
        ('"Isn\'t it?"', "", "", "“Isn’t it?”"),
        ("'single'", "", "", "‘single’"),
        ("the '80s and '90s", "", "", "the ’80s and ’90s"),
        ("5'10\" tall", "", "", "5’10” tall"),
        ("em---dash, en--dash, 2019--2020", "", "", "em—dash, en–dash, 2019–2020"),
        ("wait...", "", "", "wait…"),
        ("wait. . .", "", "", "wait. . ."),
        ('("quoted")', "", "", "(“quoted”)"),
        ('said--"no"', "", "", "said–“no”"),
        ("\"'Hi,' she said\"", "", "", "“‘Hi,’ she said”"),
        ("dogs' bowls", "", "", "dogs’ bowls"),
        ("Rock 'n' roll", "", "", "Rock ‘n’ roll"),
        # The text around the node decides quotes at its edges.
        ("'s deal", "Nio", "", "’s deal"),
        ("'s deal", "", "", "‘s deal"),
        ('"', "", "", "”"),
        ('"', "", "x", "“"),
        ('"', " ", "x", "“"),
        ('" and', "Nio", "", "” and"),
        ("no marks at all", "", "", "no marks at all"),
        ('漢字 "引用"', "", "", "漢字 “引用”"),
    ],
)
def test_smarten(text: str, before: str, after: str, expected: str) -> None:
    assert smarten(text, before, after) == expected


def render(text: str) -> str:
    md = Markdown(extensions=["extra", "roundup.analysis.typography"], output_format="html5")
    return md.convert(text)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**Nio**'s deal", "<p><strong>Nio</strong>’s deal</p>"),
        ('"[link](http://x)" here', '<p>“<a href="http://x">link</a>” here</p>'),
        ('"*emphasis*"', "<p>“<em>emphasis</em>”</p>"),
        ('`code "x"` and "y"', '<p><code>code "x"</code> and “y”</p>'),
        ("```\nit's -- code\n```", "<pre><code>it's -- code\n</code></pre>"),
        (r"\"escaped\" and \'s", '<p>"escaped" and \'s</p>'),
        ("<https://x.com/a--b>", '<p><a href="https://x.com/a--b">https://x.com/a--b</a></p>'),
        ('[a "b"](u "title \'x\'")', '<p><a href="u" title="title \'x\'">a “b”</a></p>'),
        ('<span title="a--b">"c"</span>', '<p><span title="a--b">“c”</span></p>'),
        ('<b>"x</b>" y', "<p><b>“x</b>” y</p>"),
        ("a  \n'b'", "<p>a<br>\n‘b’</p>"),
        ("- it's\n- 'quoted'", "<ul>\n<li>it’s</li>\n<li>‘quoted’</li>\n</ul>"),
    ],
)
def test_markdown(source: str, expected: str) -> None:
    assert render(source) == expected


def shipped_markdown() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "content").rglob("*.md"))


@pytest.mark.parametrize("name", shipped_markdown())
def test_same_text_as_smarty_on_the_shipped_content(name: str) -> None:
    """Where smarty is right, the pass agrees: on every shipped file the
    output differs only in writing characters instead of entity references."""
    text = (ROOT / name).read_text(encoding="utf-8")
    smarty = Markdown(extensions=["extra", "smarty"], output_format="html5").convert(text)
    ours = render(text)
    assert "&rsquo;" not in ours
    assert html.unescape(ours) == html.unescape(smarty)
