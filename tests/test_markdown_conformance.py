"""The project's Markdown pipelines against stock Python-Markdown, input by input.

Inputs: every Python-Markdown test input and every CommonMark spec example
(``tests/conformance/``, see its README), and :data:`OWN`, a few of the
project's. Stock is ``Markdown(extensions=["extra", "smarty"])``; the project
puts ``roundup.analysis.typography`` in the place of ``smarty``, once with
Markdown's inline step and once with the gated one (``gated_markdown``).

The comparison is exact but for one thing: ``smarty`` writes ``&ldquo;`` where
the project writes ``“``. :func:`typographic` replaces smarty's seven entity
references (quotes, dashes, ellipsis) by their characters, in both outputs;
everything else must be byte-identical: tags, attributes, whitespace,
``&amp;``, ``&lt;``, ``&quot;`` and every other reference. That implies the
same text after ``html.unescape``, but not the other way round (unescaping
would also equate ``&lt;b&gt;`` with ``<b>``, or ``&quot;`` in an attribute
with the end of the attribute). The project's output must also hold none of
the seven references beyond those the source holds: it writes characters.

Where the project differs from ``smarty`` on purpose (smarty is wrong),
:data:`DIFFERENCES` lists exactly which characters differ and why; every
listed difference must happen exactly so and every other input must be equal.
The gated pipeline must give byte for byte the HTML of Markdown's own inline
step. An input Markdown raises on or does not finish (:data:`SECONDS`) is a
:class:`Failure`: stock may only fail on the inputs :data:`FAILURES` lists.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import html
import json
import re
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from markdown import Markdown
from markdown.extensions import smarty
from markdown.treeprocessors import InlineProcessor

CONFORMANCE = Path(__file__).resolve().parent / "conformance"
STOCK = ("extra", "smarty")
PROJECT = ("extra", "roundup.analysis.typography")
SECONDS = 10  # per rendering; the slowest input (footnote_many_footnotes) takes 0.6 s
CONTEXT = 12  # characters of stock output before a difference, in DIFFERENCES

# smarty's references with their characters (angled quotes are off by default).
REFERENCES = {
    ref: html.unescape(ref) for name, ref in smarty.substitutions.items() if "angle" not in name
}
_REFERENCE = re.compile("|".join(map(re.escape, REFERENCES)))


def gated(config: dict) -> Markdown:
    """``gated_markdown(config)``; imported here alone, as its module may move."""
    from roundup.accel.inline import gated_markdown

    return gated_markdown(config)


# The project's own inputs: the bugs fixed in the typography pass (now equal
# to smarty) and the cases where it differs from smarty on purpose.
OWN = {
    "quote-in-emphasis-in-link": 'a[*"quote"*](https://example.com)',
    "quote-in-emphasis-after-word": 'word*"x"* and word**"y"**',
    "quote-in-link-after-cjk-colon": '第 50 期：["时间换收入"是一个陷阱](https://example.com)',
    "quote-after-element": '**Update:**"We\'re in," and **Nio**"SU7"',
    "apostrophes": "Nio's deal, the '80s, rock 'n' roll, dogs' bowls and **Nio**'s",
    "cjk-colon": '他说："这是一个陷阱。"',
    "cjk-han": '小米的"SU7"发布了，"SU7"卖得好',
    "cjk-punctuation": '比亚迪（"BYD"）、"问界"，"理想"。他说，"你好，"然后走了',
    "quote-after-element-closes": 'He said "*no*"\n\nShe said "[yes](https://example.com)"',
    "quote-after-apostrophe-closes": 'He said "it\'s"\n\n"\'80s" was his answer',
    "ellipsis-after-opening-quote": '"...and then" she left',
}


def _load() -> dict[str, str]:
    """Every input by its id: ``python-markdown:<path>``, ``commonmark:<n>``, ``roundup:<name>``."""
    found = {}
    for item in json.loads((CONFORMANCE / "python-markdown/inputs.json").read_text("utf-8")):
        found[f"python-markdown:{item['path'].removeprefix('tests/')}"] = item["markdown"]
    for item in json.loads((CONFORMANCE / "commonmark/spec_examples.json").read_text("utf-8")):
        found[f"commonmark:{item['example']}"] = item["markdown"]
    found.update({f"roundup:{name}": text for name, text in OWN.items()})
    return found


INPUTS = _load()


class Known(NamedTuple):
    """A deliberate difference: (context, stock, ours) for each stretch, and why."""

    changes: list[tuple[str, str, str]]
    why: str


# smarty closes a quote after any character but a space, a dash or an opening
# bracket: after CJK text or punctuation, where no space separates words,
# that closes opening quotes.
_CJK = "after CJK text or punctuation a quote followed by text opens (unless one is open)"
DIFFERENCES: dict[str, Known] = {
    "commonmark:198": Known(
        [("line1\nline2\n", "‘", "’")],
        "a quote ending a block, with nothing after it, can only close; smarty's last"
        " resort opens every quote none of its other patterns took",
    ),
    "roundup:cjk-colon": Known([("<p>他说：", "”", "“")], _CJK),
    "roundup:cjk-han": Known(
        [("<p>小米的", "”", "“"), ("小米的”SU7”发布了，", "”", "“")],
        _CJK + "; after 7 (not CJK) and before 发 the quote closes in both",
    ),
    "roundup:cjk-punctuation": Known(
        [
            ("<p>比亚迪（", "”", "“"),
            (">比亚迪（”BYD”）、", "”", "“"),
            ("”BYD”）、”问界”，", "”", "“"),
            ("问界”，”理想”。他说，", "”", "“"),
        ],
        _CJK + '; 你好，" closes in both, a quote being open',
    ),
    "roundup:quote-after-element-closes": Known(
        [("“<em>no</em>", "“", "”"), ('com">yes</a>', "“", "”")],
        "smarty sees each text node alone: a quote alone after an inline element at the"
        " end of a block falls to its last resort (opening); the element's last character"
        " comes before it, so it closes",
    ),
    "roundup:quote-after-apostrophe-closes": Known(
        [("e said “it’s", "“", "”"), ("’s“</p>\n<p>“", "‘", "’")],
        "smarty's apostrophe in 's swallows the s, so the quote after it falls to the last"
        " resort (opening); its rule for \"' before a word runs before the one for '80s",
    ),
    "roundup:ellipsis-after-opening-quote": Known(
        [("<p>", "”", "“")],
        'smarty closes a quote that starts a text node before punctuation ("...); text'
        " follows it, so it opens",
    ),
}

# Inputs on which stock Python-Markdown raises or does not finish, with what
# render() gives. None with Markdown 3.11.
FAILURES: dict[str, str] = {}


class Failure(str):
    """What :func:`render` gives for an input Markdown raises on or does not finish."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TimeoutError`` inside the block after ``seconds`` (a signal: main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@functools.cache
def render(pipeline: str, extensions: tuple[str, ...], key: str) -> str:
    """``INPUTS[key]`` as HTML by ``pipeline`` ("markdown" or "gated") with
    ``extensions``, or a :class:`Failure` saying what went wrong."""
    config = {"extensions": list(extensions), "output_format": "html5"}
    md = gated(config) if pipeline == "gated" else Markdown(**config)
    try:
        with time_limit(SECONDS):
            return md.convert(INPUTS[key])
    except TimeoutError:
        return Failure(f"did not finish in {SECONDS} s")
    except Exception as error:  # any error is a result to compare
        return Failure(f"raised {type(error).__name__}: {error}")


def typographic(text: str) -> str:
    """``text`` with smarty's seven entity references replaced by their characters."""
    return _REFERENCE.sub(lambda found: REFERENCES[found.group()], text)


def differences(stock: str, ours: str) -> list[tuple[str, str, str]]:
    """Each stretch where ``ours`` differs from ``stock``: the :data:`CONTEXT`
    characters of ``stock`` before it, ``stock``'s text, ``ours``'s text."""
    if stock == ours:
        return []
    # Only the middle, between the common beginning and end, goes to difflib.
    head = _shared(stock, ours)
    tail = _shared(stock[head:][::-1], ours[head:][::-1])
    a, b = stock[head : len(stock) - tail], ours[head : len(ours) - tail]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        (stock[max(0, head + a1 - CONTEXT) : head + a1], a[a1:a2], b[b1:b2])
        for tag, a1, a2, b1, b2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _shared(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` have in common at their start."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def test_the_inputs_are_the_copied_suites() -> None:
    """All of both suites is there, and each Python-Markdown input is the
    upstream file (its SHA-256)."""
    items = json.loads((CONFORMANCE / "python-markdown/inputs.json").read_text("utf-8"))
    changed = [
        item["path"]
        for item in items
        if hashlib.sha256(item["markdown"].encode("utf-8")).hexdigest() != item["sha256"]
    ]
    assert changed == []
    assert len(items) == 150
    assert [key for key in INPUTS if key.startswith("commonmark:")] == [
        f"commonmark:{n}" for n in range(1, 656)
    ]


@pytest.mark.parametrize("key", INPUTS)
def test_stock_markdown_renders_the_input(key: str) -> None:
    """Stock Python-Markdown gives HTML for every input but those in FAILURES."""
    outcome = render("markdown", STOCK, key)
    assert (outcome if isinstance(outcome, Failure) else None) == FAILURES.get(key)


@pytest.mark.parametrize("key", INPUTS)
@pytest.mark.parametrize("pipeline", ["markdown", "gated"])
def test_same_as_smarty(pipeline: str, key: str) -> None:
    """The project's HTML is stock's but for smarty's references and DIFFERENCES."""
    stock = render("markdown", STOCK, key)
    ours = render(pipeline, PROJECT, key)
    text = INPUTS[key]
    written = [ref for ref in REFERENCES if ours.count(ref) > text.count(ref)]
    assert written == []  # characters, not smarty's references
    known = DIFFERENCES.get(key)
    assert differences(typographic(stock), typographic(ours)) == (known.changes if known else [])


def test_the_gated_pipeline_has_its_own_inline_step() -> None:
    """The gated comparisons compare two different inline steps."""
    config = {"extensions": list(PROJECT), "output_format": "html5"}
    stock_step = type(Markdown(**config).treeprocessors["inline"])
    gated_step = type(gated(config).treeprocessors["inline"])
    assert stock_step is InlineProcessor
    assert issubclass(gated_step, InlineProcessor) and gated_step is not InlineProcessor


@pytest.mark.parametrize("key", INPUTS)
def test_gated_inline_gives_the_same_html(key: str) -> None:
    """``gated_markdown`` gives byte for byte the HTML of Markdown's inline step."""
    assert render("gated", PROJECT, key) == render("markdown", PROJECT, key)


def test_known_differences_are_typographic_only() -> None:
    """DIFFERENCES names existing inputs and only quote, dash or dot changes."""
    assert set(DIFFERENCES) <= set(INPUTS)
    marks = set("\"'“”‘’–—…-.")
    for known in DIFFERENCES.values():
        assert known.changes and known.why
        for _, stock, ours in known.changes:
            assert set(stock + ours) <= marks and stock != ours
