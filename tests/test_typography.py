"""Typographic punctuation: the pure pass, in Markdown, and against smarty."""

from __future__ import annotations

import html
from xml.etree.ElementTree import fromstring, tostring

import pytest
from markdown import Markdown

from conftest import ROOT
from roundup.analysis.typography import Quotes, smarten, smarten_tree


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
        # Only runs of exactly two or three hyphens, three dots (as smarty).
        ("a---- b------ c.... d.....", "", "", "a---- b------ c.... d....."),
        ("----- -- ---", "", "", "----- – —"),
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
        # After CJK text or punctuation a quote followed by text opens, unless
        # one is open; before a space or closing punctuation it closes.
        ('他说："这是…"', "", "", "他说：“这是…”"),
        ('小米的"SU7"', "", "", "小米的“SU7”"),
        ('"SU7"发布', "", "", "“SU7”发布"),
        ('他说"你好"他说', "", "", "他说“你好”他说"),
        ('"你好，"他说', "", "", "“你好，”他说"),
        ('他说"你好"。', "", "", "他说“你好”。"),
        ('"……"', "说", "", "“……”"),
        ("'80后'", "他们是", "", "‘80后’"),
        ("'s SU7", "小米", "", "’s SU7"),
        ('"x', "中", "", "“x"),
        ('" x', "中", "", "” x"),
    ],
)
def test_smarten(text: str, before: str, after: str, expected: str) -> None:
    assert smarten(text, before, after) == expected


def test_open_quotes_carry_over_from_text_to_text() -> None:
    """After CJK text, a quote closes when one is open earlier in the block."""
    quotes = Quotes()
    assert smarten('他说"你好', "", "", quotes) == "他说“你好"
    assert quotes == Quotes(double=True, single=False)
    assert smarten('"他说', "好", "", quotes) == "”他说"
    assert quotes == Quotes()
    assert smarten('"他说', "好", "", Quotes()) == "“他说"


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


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # A quote opening an inline element opens, whatever comes before it.
        ('a[*"quote"*](url)', '<p>a<a href="url"><em>“quote”</em></a></p>'),
        ('word*"x"*', "<p>word<em>“x”</em></p>"),
        (
            '第 50 期：["时间换收入"是一个陷阱](https://example.com)',
            '<p>第 50 期：<a href="https://example.com">“时间换收入”是一个陷阱</a></p>',
        ),
        ('word**"x"**', "<p>word<strong>“x”</strong></p>"),
        ('word["x"](u)', '<p>word<a href="u">“x”</a></p>'),
        ('他说：*"好"*', "<p>他说：<em>“好”</em></p>"),
        ('小米的**"SU7"**', "<p>小米的<strong>“SU7”</strong></p>"),
        ('小米的["SU7"](u)', '<p>小米的<a href="u">“SU7”</a></p>'),
        ('a[**"x"**](u)', '<p>a<a href="u"><strong>“x”</strong></a></p>'),
        ('word*" x*', "<p>word<em>” x</em></p>"),  # before a space it closes
        # Right after an element, a quote before a letter opens unless one is open.
        ('**Update:**"We\'re in"', "<p><strong>Update:</strong>“We’re in”</p>"),
        ('"*no*"', "<p>“<em>no</em>”</p>"),
        ('"**Nio**"s', "<p>“<strong>Nio</strong>”s</p>"),
        ("**Nio**'s and **they**'re", "<p><strong>Nio</strong>’s and <strong>they</strong>’re</p>"),
    ],
)
def test_quotes_at_the_edges_of_inline_elements(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Opening after CJK punctuation and text (smarty closes all of these).
        ('他说："这是…"', "<p>他说：“这是…”</p>"),
        ('他说，"你好"', "<p>他说，“你好”</p>"),
        ('比亚迪（"BYD"）', "<p>比亚迪（“BYD”）</p>"),
        ('"问界"、"理想"', "<p>“问界”、“理想”</p>"),
        ('小米的"SU7"', "<p>小米的“SU7”</p>"),
        ('他说："SU7"和"SU8"', "<p>他说：“SU7”和“SU8”</p>"),
        ('他说：「"你好"」', "<p>他说：「“你好”」</p>"),
        ('日本の"ソニー"', "<p>日本の“ソニー”</p>"),
        ('삼성의"갤럭시"', "<p>삼성의“갤럭시”</p>"),
        ('他说"……"', "<p>他说“……”</p>"),
        ("他们是'80后'", "<p>他们是‘80后’</p>"),
        # Closing after CJK text before CJK text or punctuation, a quote being open.
        ('"SU7"发布', "<p>“SU7”发布</p>"),
        ('他说"你好"他说', "<p>他说“你好”他说</p>"),
        ('"你好。"他说', "<p>“你好。”他说</p>"),
        ('"你好，"他说', "<p>“你好，”他说</p>"),
        ('他说"你好"。', "<p>他说“你好”。</p>"),
        ('"x"：他说', "<p>“x”：他说</p>"),
        ("小米's SU7", "<p>小米’s SU7</p>"),
        # Across inline elements and line breaks, not across blocks.
        ('他说"*你好*"他说', "<p>他说“<em>你好</em>”他说</p>"),
        ('"**小米**"发布', "<p>“<strong>小米</strong>”发布</p>"),
        ('**小米**"SU7"', "<p><strong>小米</strong>“SU7”</p>"),
        ('"你好  \n他说"再见', "<p>“你好<br>\n他说”再见</p>"),
        ('他说"你好\n\n他说"再见"', "<p>他说“你好</p>\n<p>他说“再见”</p>"),
        ('- 他说"你好\n- 他说"再见"', "<ul>\n<li>他说“你好</li>\n<li>他说“再见”</li>\n</ul>"),
        # Left alone as in English text.
        ('他说："`code "x"`"', '<p>他说：“<code>code "x"</code>”</p>'),
        ('\\"你好\\"', '<p>"你好"</p>'),
    ],
)
def test_cjk(source: str, expected: str) -> None:
    assert render(source) == expected


def test_code_kbd_samp_and_pre_elements_are_left_alone() -> None:
    """Elements other extensions make (``kbd``, ``samp``) keep their text;
    the text after them is smartened."""
    root = fromstring(
        "<div><p>a <kbd>Ctrl+'</kbd>'s <samp>\"x\" -- y</samp> and"
        ' <code>it\'s</code> "z"</p><pre>it\'s -- "pre"</pre></div>'
    )
    smarten_tree(root)
    assert tostring(root, encoding="unicode") == (
        '<div><p>a <kbd>Ctrl+\'</kbd>’s <samp>"x" -- y</samp> and'
        " <code>it's</code> “z”</p><pre>it's -- \"pre\"</pre></div>"
    )


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
