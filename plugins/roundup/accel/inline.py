"""Python-Markdown's inline step, skipping patterns whose text is absent.

Python-Markdown's ``InlineProcessor`` tries every inline pattern (fifteen
with ``extra``) on every text node: a registry look-up, a method call and a
regular expression search each, ~0.8 ms of the ~2.7 ms it takes to render a
roundup, though most paragraphs hold no backtick, bracket or angle bracket at
all. Each of Markdown's own patterns can only match text holding a certain
character (a link holds ``[``, an entity ``&``); :data:`GATES` lists them,
keyed by the exact regular expression, and the processor here moves on to the
next pattern when none of a pattern's gate texts is in the node's text, which
is what trying it would have concluded. A pattern with another expression
(another Markdown version, another extension) is tried as before, so the
HTML is the same in every case (``tests/test_inline.py``).
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.inlinepatterns import Pattern
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

# The flags ``markdown.inlinepatterns.InlineProcessor`` compiles with; an
# expression compiled otherwise (``re.VERBOSE`` reads spaces differently) is
# not gated.
GATED_FLAGS = re.DOTALL | re.UNICODE

# Expression -> texts of which every match contains at least one.
GATES: dict[str, tuple[str, ...]] = {
    # backtick: both branches end at a backtick (the first in a lookahead).
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),
    r"\\(.)": ("\\",),  # escape
    r"\[\^([^\]]*)\]": ("[^",),  # footnote reference (extra)
    r"(?<!\!)\[": ("[",),  # reference, link, short_reference
    r"\!\[": ("![",),  # image_link, image_reference, short_image_ref
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automail
    r"  \n": ("  \n",),  # linebreak
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    r"\*|_": ("*", "_"),  # em_strong
    # html: a tag, comment, processing instruction or CDATA section, each
    # between "<" and ">".
    (
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|"""
        r"""[^\s"'=<>]++))?+)*+\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|"""
        r"""!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"""
    ): ("<",),
}


def gate(pattern: Pattern) -> tuple[str, ...] | None:
    """Texts one of which a match of ``pattern`` must contain; None: always try."""
    regex = pattern.getCompiledRegExp()
    if regex.flags != GATED_FLAGS:
        return None
    return GATES.get(regex.pattern)


def absent(gate_texts: tuple[str, ...] | None, text: str) -> bool:
    """Whether ``text`` holds none of the gate's texts (the pattern cannot match)."""
    return gate_texts is not None and not any(map(text.__contains__, gate_texts))


def any_gate(gates: list[tuple[str, ...] | None]) -> re.Pattern | None:
    """An expression finding any gate text; None if some pattern has no gate."""
    if any(texts is None for texts in gates):
        return None
    texts = sorted({part for texts in gates for part in texts})
    return re.compile("|".join(map(re.escape, texts)))


class GatedInlineProcessor(InlineProcessor):
    """``InlineProcessor`` that skips a pattern when its gate text is absent."""

    def run(self, tree, ancestors=None):
        # The registry as it is for this document: extensions may add patterns.
        self._gated = [(p, gate(p)) for p in self.inlinePatterns]
        self._special = any_gate([texts for _, texts in self._gated])
        return super().run(tree, ancestors)

    # Python-Markdown's private loop over the patterns (``__handleInline``),
    # the same but for the gate test and a list instead of registry look-ups.
    def _InlineProcessor__handleInline(self, data: str, pattern_index: int = 0) -> str:  # noqa: N802
        if isinstance(data, AtomicString):
            return data
        if self._special is not None and not self._special.search(data):
            return data  # no pattern can match: most paragraphs of a roundup
        gated = self._gated
        apply = self._InlineProcessor__applyPattern
        start = 0
        while pattern_index < len(gated):
            pattern, texts = gated[pattern_index]
            if absent(texts, data):
                matched, start = False, 0
            else:
                data, matched, start = apply(pattern, data, pattern_index, start)
            if not matched:
                pattern_index += 1
        return data


class GatedInlineExtension(Extension):
    """Put :class:`GatedInlineProcessor` in the place of Markdown's inline step."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(GatedInlineProcessor(md), "inline", 20)


def gated_markdown(config: dict) -> Markdown:
    """``Markdown(**config)`` with the gated inline step."""
    extensions = [*config.get("extensions", []), GatedInlineExtension()]
    return Markdown(**{**config, "extensions": extensions})
