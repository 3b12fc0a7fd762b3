"""Python-Markdown extension that analyses a roundup article while it renders.

The work happens on the element tree Python-Markdown already built (no second
parse), and its result travels with the reader output, so Pelican's content
cache keeps it.

A reader arms the extension for one document (:meth:`RoundupExtension.start`),
converts it, and takes the result (:meth:`RoundupExtension.take`). Later
conversions with the same Markdown instance (Pelican renders formatted
metadata such as ``Summary`` with it) find the extension disarmed and leave
their text alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.extensions.toc import slugify_unicode
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from ..models import Analysis, Claim, Mentions, Problem
from .body import definition_lines, fence_lines, heading_ids, process_body
from .digest import (
    SupportProblem,
    backwards_runs,
    digest_lines,
    missing_message,
    parse_authored,
    split_digest,
    support_problems,
)
from .generate import generate_digest
from .matching import Matcher

# Ids the theme uses around the article body.
RESERVED_IDS = frozenset(
    {"main", "content", "digest", "digest-heading", "entities", "entities-heading"}
)
MAX_POINTS = 5
_TAG = re.compile(r"<[^>]*>")


class RoundupExtension(Extension):
    """Number paragraphs, link entities and build the Digest Hub.

    Processors (``extendMarkdown``):

    - ``roundup-source`` preprocessor, priority 100 (before every other
      preprocessor, Pelican's ``meta`` included): keeps the document's source
      lines, for the line numbers of messages.
    - ``roundup`` treeprocessor, priority -10 (after the inline patterns, the
      typography pass and unescaping: the text is final): numbers paragraphs,
      links mentions, parses or generates the digest (:func:`analyse`).
    """

    def __init__(self, matcher: Matcher, href: Callable[[str], str], **kwargs) -> None:
        self.matcher = matcher
        self.href = href
        self.path = ""  # of the armed document, for messages
        self.source = ""
        self.armed = False
        self.analysis = Analysis()
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.preprocessors.register(SourcePreprocessor(md, self), "roundup-source", 100)
        md.treeprocessors.register(RoundupTreeprocessor(md, self), "roundup", -10)

    def start(self, path: str) -> None:
        """Analyse the next document converted (``path``: for messages)."""
        self.path, self.source, self.armed = path, "", True
        self.analysis = Analysis()

    def take(self) -> Analysis:
        """What the armed document's conversion found (then forgotten here)."""
        analysis, self.analysis, self.armed = self.analysis, Analysis(), False
        return analysis


class SourcePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, ext: RoundupExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        if self.ext.armed:
            self.ext.source = "\n".join(lines)
        return lines


class RoundupTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: RoundupExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: Element) -> None:
        if self.ext.armed:
            self.ext.armed = False  # formatted metadata follows with this instance
            topics = topics_of(getattr(self.md, "Meta", {}))
            self.ext.analysis = analyse(root, self.ext, self._resolve, self._serialize, topics)

    def _resolve(self, text: str) -> str:
        """Plain text for a string that may hold raw-HTML placeholders."""
        stash = self.md.htmlStash.rawHtmlBlocks

        def plain(found: re.Match) -> str:
            index = int(found.group(1))
            raw = stash[index] if index < len(stash) else ""
            return html.unescape(_TAG.sub("", str(raw)))

        return HTML_PLACEHOLDER_RE.sub(plain, text)

    def _serialize(self, el: Element) -> str:
        text = self.md.serializer(el)
        for processor in self.md.postprocessors:
            text = processor.run(text)
        return text


def topics_of(meta: dict) -> list[str]:
    """The article's tags, from the header Python-Markdown's ``meta`` read."""
    return [tag.strip() for line in meta.get("tags", []) for tag in line.split(",") if tag.strip()]


def _is_placeholder(el: Element) -> bool:
    return len(el) == 0 and bool(HTML_PLACEHOLDER_RE.fullmatch((el.text or "").strip()))


def analyse(root: Element, ext: RoundupExtension, resolve, serialize, topics=()) -> Analysis:
    """Everything the plugin learns from one article body (mutates ``root``)."""
    section, errors = split_digest(root)
    heading_ids(root, lambda text: slugify_unicode(resolve(text), "-"), set(RESERVED_IDS))
    body = process_body(root, ext.matcher, ext.href, resolve, _is_placeholder)
    analysis = Analysis(
        paragraph_count=len(body.paragraphs),
        paragraphs=body.paragraphs,
        stories=body.stories,
        mentions=Mentions(body.mentions),
        entities=list(body.linked),
    )
    _check_constructs(root, ext.source, _Reporter(ext.path, 1, analysis.problems))
    lines = digest_lines(ext.source)
    if section is None:
        analysis.digest = generate_digest(body.stories, body.paragraphs, topics)
        return analysis
    analysis.digest, more = parse_authored(section, serialize, resolve, lines)
    report = _Reporter(ext.path, lines.heading, analysis.problems)
    for message in errors + more:
        report.add(lines.heading, "error", message)
    for line, message in backwards_runs(lines):
        hint = "write the first paragraph, then a later one, at most 50 apart"
        report.add(line, "error", message, hint)
    _check_digest(analysis, ext.matcher, report, lines.bullets)
    return analysis


def _check_constructs(root: Element, source: str, report: _Reporter) -> None:
    """Warn about Markdown that changed a paragraph's kind by accident, and
    about blocks that get no number."""
    if root.find("dl") is not None:
        for line in definition_lines(source):
            report.add(
                line,
                "warning",
                "a line starting with ':' turned the paragraph above it into a definition list",
                "join the line to the one above, or write the colon as '&#58;'",
            )
    for line in fence_lines(source):
        report.add(
            line,
            "warning",
            "a fenced code block gets no paragraph number, so the digest cannot cite it",
            "indent the code by four spaces instead of fencing it",
        )


class _Reporter:
    def __init__(self, path: str, default_line: int, sink: list[Problem]) -> None:
        self.path, self.default_line, self.sink = path, default_line, sink

    def add(
        self, line: int, level: str, message: str, hint: str = "", suggestion: str = ""
    ) -> None:
        line = line or self.default_line
        self.sink.append(Problem(self.path, line, level, message, hint, suggestion))


def _check_digest(analysis: Analysis, matcher: Matcher, report: _Reporter, bullets) -> None:
    digest = analysis.digest
    if len(digest.points) > MAX_POINTS:
        report.add(
            bullets[MAX_POINTS] if len(bullets) > MAX_POINTS else 0,
            "warning",
            f"the digest has {len(digest.points)} key points",
            f"keep at most {MAX_POINTS}",
        )
    for claim in digest.claims:
        if not claim.citations:
            report.add(
                claim.line,
                "warning",
                f"digest text has no citation: '{_short(claim)}'",
                "end each claim with [para. N]",
            )
    names: list[dict[str, None]] = [{} for _ in analysis.paragraphs]
    for slug, para in zip(analysis.mentions.slugs, analysis.mentions.paras, strict=True):
        names[para - 1][slug] = None
    for problem in support_problems(digest.claims, analysis.paragraphs, matcher, names):
        _report_support(problem, analysis.paragraph_count, report)


def _report_support(problem: SupportProblem, paragraph_count: int, report: _Reporter) -> None:
    if problem.kind == "missing":
        hint = f"the article has {paragraph_count} paragraphs"
        report.add(problem.line, "error", missing_message(problem), hint)
    elif problem.kind == "better":
        [better] = problem.paragraphs
        report.add(
            problem.line,
            "warning",
            f"citation may not support this claim; [para. {better}] matches it better",
            f"'{_short(problem.claim)}' shares more names, numbers and rare words"
            f" with paragraph {better}",
            suggestion=f"[para. {better}]",
        )
    else:
        report.add(
            problem.line,
            "warning",
            f"citation may not support this claim: '{_short(problem.claim)}'",
            "the cited paragraphs share none of its numbers or named entities",
        )


def _short(claim: Claim, limit: int = 60) -> str:
    text = claim.text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
