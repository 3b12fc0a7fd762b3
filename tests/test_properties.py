"""Property-based tests: random Markdown, Unicode and entity names never break the plugin."""

from __future__ import annotations

import itertools
import re

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import render
from roundup.analysis.citations import CITATION
from roundup.analysis.citations import cited as named
from roundup.analysis.matching import Matcher
from roundup.checks.article import check_article, parse_header
from roundup.checks.sanitize import sanitize_html, unsafe_markup

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LATIN = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=8)
CJK = st.text(st.sampled_from("蔚来生数科技华为小米中国电信的和在"), min_size=1, max_size=4)
UNICODE = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\\`[]<>*_#|{}!"),
    min_size=1,
    max_size=10,
)
NUMBER = st.integers(0, 99999).map(str)
PUNCT = st.sampled_from([".", ",", "!", "?", ";", "%", "$", "(", ")", "。", "，", "'", '"', "-"])


@st.composite
def names(draw) -> dict[str, str]:
    """Entity names (Latin, CJK, mixed, overlapping) mapped to distinct slugs."""
    surfaces = draw(
        st.lists(
            st.one_of(
                st.builds(lambda a, b: f"{a.title()} {b.title()}", LATIN, LATIN),
                LATIN.map(str.title),
                CJK,
                UNICODE,
            ),
            max_size=6,
            unique=True,
        )
    )
    return {surface: f"e{i}" for i, surface in enumerate(surfaces) if surface.strip()}


def sentence(draw, known: list[str]) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                LATIN, CJK, UNICODE, NUMBER, PUNCT, *([st.sampled_from(known)] if known else [])
            ),
            min_size=1,
            max_size=14,
        )
    )
    return " ".join(pieces)


@st.composite
def article(draw) -> tuple[str, dict[str, str]]:
    """A roundup: a lead, stories of paragraphs, lists or quotes, maybe a digest."""
    known = draw(names())
    surfaces = list(known)
    blocks = [sentence(draw, surfaces)]
    for _ in range(draw(st.integers(0, 4))):
        blocks.append("## " + sentence(draw, surfaces))
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["p", "p", "ul", "quote"]))
            text = sentence(draw, surfaces)
            blocks.append({"p": text, "ul": f"- {text}\n- {text}", "quote": f"> {text}"}[kind])
    if draw(st.booleans()):
        cites = draw(st.lists(st.integers(1, 20), min_size=1, max_size=4))
        claim = sentence(draw, surfaces) + " " + "".join(f"[para. {n}]" for n in cites)
        blocks.append(f"## Digest\n\n- {sentence(draw, surfaces)}\n\n{claim}")
    return "Title: Random\nDate: 2024-01-01\n\n" + "\n\n".join(blocks) + "\n", known


def ids_of(html: str) -> list[str]:
    return [el["id"] for el in BeautifulSoup(html, "html.parser").find_all(id=True)]


@FAST
@given(article())
def test_render_numbers_paragraphs_and_keeps_ids_unique(case):
    text, known = case
    html, analysis = render(text, known)
    ids = ids_of(html)
    assert len(ids) == len(set(ids))
    paras = [int(i.removeprefix("para-")) for i in ids if re.fullmatch(r"para-\d+", i)]
    assert paras == list(range(1, analysis.paragraph_count + 1))
    assert len(analysis.paragraphs) == analysis.paragraph_count
    assert {m.slug for m in analysis.mentions} <= set(known.values())
    assert all(1 <= m.para <= analysis.paragraph_count for m in analysis.mentions)


@FAST
@given(article())
def test_every_citation_resolves_or_is_reported(case):
    text, known = case
    _, analysis = render(text, known)
    count = analysis.paragraph_count
    cited = [c.para for claim in analysis.digest.claims for c in claim.citations]
    if analysis.digest.generated:
        assert all(1 <= n <= count for n in cited)
    missing = {n for n in cited if not 1 <= n <= count}
    reported = {
        number
        for p in analysis.problems
        if p.level == "error" and "not exist" in p.message
        for number in named(CITATION.search(p.message).group(1))
    }
    assert reported == missing
    for fragment in analysis.digest.paragraphs:
        for link in BeautifulSoup(fragment, "html.parser").select("a.cite"):
            number = int(link["href"].removeprefix("#para-"))
            assert number in cited


@FAST
@given(article())
def test_sanitizing_keeps_every_id_and_citation(case):
    text, known = case
    html, analysis = render(text, known)
    clean = sanitize_html(html)
    assert ids_of(clean) == ids_of(html)
    for fragment in analysis.digest.paragraphs:
        assert sanitize_html(fragment).count('class="cite"') == fragment.count('class="cite"')


@FAST
@given(names(), st.text(max_size=200))
def test_matches_are_ordered_disjoint_and_exact(known, text):
    matches = Matcher(known).find(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(matches))
    for match in matches:
        assert known[match.surface(text)] == match.slug


@FAST
@given(st.text(max_size=400))
def test_checks_never_crash_and_point_inside_the_file(text):
    lines = max(1, len(text.splitlines()))
    for problem in [*check_article("a.md", text), *unsafe_markup("a.md", text)]:
        assert 1 <= problem.line <= lines + 1
        assert problem.level in {"error", "warning", "info"}
    fields, body = parse_header(text)
    assert all(1 <= f.line <= body for f in fields)
