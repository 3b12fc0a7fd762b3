"""What HTML may reach a reader's browser: one allow-list, two uses.

- :func:`sanitize_html` cleans rendered HTML with nh3 (Rust's ammonia), so the
  published site never carries content-borne scripts, event handlers or
  ``javascript:`` / ``data:`` links, whether or not anyone ran ``invoke check``.
- :func:`unsafe_markup` finds the same things in a Markdown *source*, with
  line numbers, so ``invoke check`` and the build can say where they are.

The output allow-list keeps everything Markdown (extra, typography), the plugin and
Pelican's intrasite links (``{filename}``, ``{static}``... are relative URLs,
resolved after reading) legitimately produce.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
from collections.abc import Iterable

import nh3

from ..glossary.registry import EntityDef
from ..models import Problem

# fmt: off
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var",
})
# fmt: on
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "aria-label", "aria-hidden"},
    "a": {"href", "data-entity"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with their content.
DROPPED = frozenset({"script", "style", "template", "iframe", "noscript", "object", "embed"})
# Raw HTML an author may write in Markdown (anything else: use Markdown).
RAW_ALLOWED = ("abbr", "br", "del", "ins", "kbd", "mark", "q", "s", "small", "sub", "sup")
# fmt: off
DANGEROUS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
    "input", "button", "textarea", "select", "meta", "link", "style", "svg", "math",
    "template", "noscript",
})
# fmt: on
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster"})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_TEXT_ALIGN = re.compile(r"\s*text-align\s*:\s*(?:left|right|center|justify)\s*;?\s*")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[`~]*[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:[^\n]|\n(?![ \t]*\n))+?(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>[\s/][^<>]*)?>")
_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_ATTR_LIST = re.compile(r"\{:?(?P<attrs>[^{}\n]*=[^{}\n]*)\}")
_MD_LINK = re.compile(r"\]\(\s*<?(?P<url>[^\s)>]+)")
_MD_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?(?P<url>[^\s>]+)", re.M)
# blank_code's patterns, each with the strings it cannot match without.
_CODE = ((_FENCE, ("```", "~~~")), (_CODE_SPAN, ("`",)), (_COMMENT, ("<!--",)))
_INVISIBLE = dict.fromkeys([*range(33), 0x7F])  # str.translate: delete these
_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3 callback: table alignment is the only inline style; no unsafe URLs."""
    if attribute == "style":
        return value if _TEXT_ALIGN.fullmatch(value) else None
    if attribute in URL_ATTRIBUTES and bad_scheme(value):
        return None
    return value


@functools.cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROPPED),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def sanitize_html(fragment: str) -> str:
    """``fragment`` with everything outside the allow-list removed."""
    return _cleaner().clean(fragment) if fragment else fragment


def sanitize_article(content: str, metadata: dict) -> str:
    """Clean an article's HTML, its formatted summary and its Digest Hub.

    The digest and summary are rendered into pages separately from the body,
    so they are cleaned here too (in place); returns the cleaned body.
    """
    if isinstance(metadata.get("summary"), str):
        metadata["summary"] = sanitize_html(metadata["summary"])
    analysis = metadata.get("roundup")
    if analysis is not None:
        digest = analysis.digest
        digest.points = [sanitize_html(point) for point in digest.points]
        digest.paragraphs = [sanitize_html(para) for para in digest.paragraphs]
    return sanitize_html(content)


def sanitize_entity(entity: EntityDef, description: str) -> tuple[EntityDef, str]:
    """An entity with a cleaned description, its website dropped unless http(s)."""
    if entity.website and not safe_website(entity.website):
        entity = dataclasses.replace(entity, website="")
    return entity, sanitize_html(description)


def safe_website(url: str) -> bool:
    return _normalize(url).startswith(("http://", "https://"))


def _normalize(url: str) -> str:
    """What a browser sees: entities decoded, whitespace and controls dropped."""
    return html.unescape(url).translate(_INVISIBLE).lower()


def bad_scheme(url: str) -> str:
    """The dangerous scheme ``url`` uses (e.g. ``"javascript:"``), or ``""``."""
    if ":" not in url and "&" not in url:  # no scheme, even once entities are decoded
        return ""
    normalized = _normalize(url)
    return next((scheme for scheme in BAD_SCHEMES if normalized.startswith(scheme)), "")


def blank_code(text: str) -> str:
    """``text`` with code blocks, code spans and comments blanked (lines kept)."""

    def blank(found: re.Match) -> str:
        return re.sub(r"[^\n]", " ", found.group())

    for pattern, marks in _CODE:
        if any(mark in text for mark in marks):
            text = pattern.sub(blank, text)
    return text


def unsafe_markup(path: str, text: str, first_line: int = 1) -> list[Problem]:
    """Raw HTML, attributes and links in Markdown ``text`` that are not allowed."""
    scan = blank_code(text)

    def line(pos: int) -> int:
        return first_line + scan.count("\n", 0, pos)

    problems = []
    for found in _TAG.finditer(scan):
        for message, hint in _tag_problems(found.group("name").lower(), found.group("attrs")):
            problems.append(Problem(path, line(found.start()), "error", message, hint))
    for found in _ATTR_LIST.finditer(scan):
        for message, hint in _attribute_problems("a Markdown attribute list", found["attrs"]):
            problems.append(Problem(path, line(found.start()), "error", message, hint))
    for pattern in (_MD_LINK, _MD_REFERENCE, _AUTOLINK):
        for found in pattern.finditer(scan):
            scheme = bad_scheme(found.group("url"))
            if scheme:
                message = f"unsafe link: '{scheme}' URL in a Markdown link"
                problems.append(Problem(path, line(found.start()), "error", message, _LINK_HINT))
    return sorted(problems, key=lambda p: p.line)


_LINK_HINT = "links must use http:, https: or mailto:, or be relative"


def _tag_problems(name: str, attrs: str | None) -> list[tuple[str, str]]:
    if name in DANGEROUS:
        hint = "articles cannot run scripts, embed pages or hold forms; remove it"
        return [(f"unsafe HTML: <{name}> is not allowed", hint)]
    problems = _attribute_problems(f"<{name}>", attrs or "")
    if name not in RAW_ALLOWED:
        allowed = ", ".join(f"<{tag}>" for tag in RAW_ALLOWED)
        hint = f"use Markdown instead; raw HTML may only be {allowed}"
        problems.insert(0, (f"raw HTML <{name}> is not allowed", hint))
    return problems


def _attribute_problems(where: str, attrs: str) -> list[tuple[str, str]]:
    problems = []
    for written, raw in _ATTR.findall(attrs):
        name = written.lower()
        value = raw[1:-1] if raw[:1] in "\"'" and len(raw) > 1 else raw
        if name.startswith("on"):
            hint = "remove the attribute; articles cannot run scripts"
            problems.append((f"unsafe HTML: event-handler attribute '{name}' on {where}", hint))
        elif name in URL_ATTRIBUTES and bad_scheme(value):
            scheme = bad_scheme(value)
            problems.append((f"unsafe link: '{scheme}' URL in {where} {name}", _LINK_HINT))
    return problems


def sanitize_content(content: str | None, metadata: dict, fields: Iterable[str]) -> str | None:
    """What any reader returns, cleaned: the body and every formatted field
    (``FORMATTED_FIELDS``, e.g. ``summary``) that holds text, in place."""
    for name in fields:
        value = metadata.get(name.lower())
        if isinstance(value, str):
            metadata[name.lower()] = sanitize_html(value)
    return sanitize_html(content) if isinstance(content, str) else content
