"""The gated inline step: each gate is sound, and the HTML is Markdown's own."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown import Extension, Markdown
from markdown.inlinepatterns import SimpleTagInlineProcessor

from conftest import MARKDOWN, ROOT
from roundup.accel.inline import (
    GATED_FLAGS,
    GATES,
    GatedInlineProcessor,
    absent,
    any_gate,
    gate,
    gated_markdown,
)
from roundup.analysis.extension import RoundupExtension

# Every character Markdown's inline syntax gives a meaning to, and some text.
SYNTAX = "`\\[]^!()<>&;#*_:/@.-=\"' \n\tax9Z"

# One text each expression matches, so a key that is no expression of
# Markdown's (or a typo) is seen.
MATCHING = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": "a `code`",
    r"\\(.)": r"\*",
    r"\[\^([^\]]*)\]": "a[^1]",
    r"(?<!\!)\[": "[link](u)",
    r"\!\[": "![alt](u)",
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": "<https://x.com>",
    r"<([^<> !]+@[^@<> ]+)>": "<me@x.com>",
    r"  \n": "a  \nb",
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": "AT&amp;T",
    r"\*|_": "*em*",
}


def without(text: str, texts: tuple[str, ...]) -> str:
    """``text`` with every occurrence of ``texts`` taken out, until none is left."""
    while not absent(texts, text):
        for part in texts:
            text = text.replace(part, "")
    return text


@pytest.mark.parametrize("source", sorted(GATES))
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=SYNTAX, max_size=40))
def test_no_match_without_the_gate(source: str, text: str) -> None:
    """A pattern's expression cannot match text holding none of its gate's texts."""
    text = without(text, GATES[source])
    assert re.compile(source, GATED_FLAGS).search(text) is None


@pytest.mark.parametrize("source", sorted(GATES))
def test_every_gate_names_a_matching_expression(source: str) -> None:
    sample = MATCHING.get(source, "<b>tag</b>")
    assert re.compile(source, GATED_FLAGS).search(sample)
    assert not absent(GATES[source], sample)


def test_every_inline_pattern_of_the_configured_markdown_is_gated() -> None:
    """If a Markdown upgrade changes an expression, it is tried on every node
    again (correct, slower): this names the pattern to look at."""
    md = gated_markdown(MARKDOWN)
    ungated = [
        item.name
        for item in md.inlinePatterns._priority
        if gate(md.inlinePatterns[item.name]) is None
    ]
    assert ungated == []


@pytest.mark.parametrize(
    ("texts", "text", "expected"),
    [
        (None, "anything", False),
        (("[",), "no bracket", True),
        (("[",), "a [link]", False),
        (("*", "_"), "snake_case", False),
        (("*", "_"), "plain", True),
        (("  \n",), "one \nspace", True),
    ],
)
def test_absent(texts, text: str, expected: bool) -> None:
    assert absent(texts, text) is expected


@pytest.mark.parametrize(
    ("text", "found"),
    [("plain words", False), ("a [b", True), ("x  \ny", True), ("x \ny", False), ("5 * 3", True)],
)
def test_any_gate_finds_any_gate_text(text: str, found: bool) -> None:
    special = any_gate([("[",), ("  \n",), ("*", "_")])
    assert bool(special.search(text)) is found


def test_no_shortcut_when_a_pattern_has_no_gate() -> None:
    assert any_gate([("[",), None]) is None


def test_an_expression_compiled_otherwise_is_not_gated() -> None:
    md = gated_markdown(MARKDOWN)
    link = md.inlinePatterns["link"]
    assert gate(link) == ("[",)
    link.compiled_re = re.compile(link.compiled_re.pattern, GATED_FLAGS | re.VERBOSE)
    assert gate(link) is None


def both(text: str, config: dict = MARKDOWN) -> tuple[str, str]:
    return Markdown(**config).convert(text), gated_markdown(config).convert(text)


def project_markdown() -> list[str]:
    """The project's Markdown files: articles, entities, test inputs, the docs."""
    found = [*ROOT.glob("*.md")]
    for folder in ("content", "tests", "scaffolds"):
        found += (ROOT / folder).rglob("*.md")
    return sorted(str(p.relative_to(ROOT)) for p in found)


@pytest.mark.parametrize("name", project_markdown())
def test_same_html_on_every_shipped_markdown_file(name: str) -> None:
    stock, gated = both((ROOT / name).read_text(encoding="utf-8"))
    assert gated == stock


PIECES = (
    "word", " ", "\n", "\n\n", "  \n", "*", "**", "_", "`", "``", "[", "]", "(", ")", "![",
    "[^1]", "\n\n[^1]: note", "[r]", "\n\n[r]: http://x", "<", ">", "<b>", "</b>", "&",
    "&amp;", "&#35;", ";", "\\", "\\*", "<http://x.y>", "<a@b.c>", "<!-- c -->", '"', "'",
    "--", "# ", "- ", "> ", "    ", "| a | b |\n|---|---|\n", "{: .c}", "\n```\n", "漢字",
)  # fmt: skip
MARKDOWNISH = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(MARKDOWNISH)
@example("**bold _and em_** [link *x*](http://u) `code` <span>&amp;</span>  \nnext")
@example("[a][r] ![i](u) x_y_z *a*b* <a@b.c> \\`[^1]\n\n[r]: http://x\n[^1]: n")
def test_same_html_as_markdown(text: str) -> None:
    stock, gated = both(text)
    assert gated == stock


class InsertExtension(Extension):
    """An extension pattern with no gate: ``++text++`` becomes ``<ins>``."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"(\+\+)(.+?)\+\+", "ins"), "ins", 65)


@pytest.mark.parametrize("text", ["a ++b++ c", "plain ++*em*++", "[++x++](u)", "none"])
def test_a_pattern_without_gate_is_tried_everywhere(text: str) -> None:
    config = {**MARKDOWN, "extensions": [*MARKDOWN["extensions"], InsertExtension()]}
    stock, gated = both(text, config)
    assert gated == stock
    assert ("<ins>" in gated) is ("++" in text)


@pytest.mark.parametrize("gated", [True, False])
def test_the_speed_layers_reader_uses_it_when_on(gated: bool, tmp_path) -> None:
    from pelican.settings import DEFAULT_CONFIG

    from roundup.accel.reader import RoundupReader
    from roundup.glossary.registry import Registry

    source = tmp_path / "a.md"
    source.write_text("Title: A\n\n*a* [b](u)\n", encoding="utf-8")
    settings = {**DEFAULT_CONFIG, "MARKDOWN": dict(MARKDOWN)}
    reader = RoundupReader(settings, Registry(), gated=gated)
    content, metadata = reader.read(str(source))
    inline = reader._md.treeprocessors["inline"]
    assert isinstance(inline, GatedInlineProcessor) is gated
    assert any(isinstance(e, RoundupExtension) for e in reader._md.registeredExtensions)
    assert '<em>a</em> <a href="u">b</a>' in content
    assert metadata["title"] == "A"
