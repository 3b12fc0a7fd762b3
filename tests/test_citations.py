"""Citations: single, runs and lists; every cited paragraph keeps its own link."""

from xml.etree.ElementTree import tostring

import pytest
from bs4 import BeautifulSoup

from conftest import render
from roundup.analysis.citations import (
    backwards,
    citation_element,
    cited,
    claims_of,
    compact,
    runs,
)
from roundup.models import Citation

BODY = "".join(f"Paragraph {n} says Robot sales rose {n}0%.\n\n" for n in range(1, 9))


@pytest.mark.parametrize(
    ("spec", "numbers"),
    [
        ("5", [5]),
        ("5–7", [5, 6, 7]),
        ("5-7", [5, 6, 7]),
        ("5 — 6", [5, 6]),
        ("2, 4", [2, 4]),
        ("2, 4–5, 8", [2, 4, 5, 8]),
        ("7–5", [7, 5]),  # backwards: its ends only, so checks see what was written
        ("1–900", [1, 900]),  # implausibly long: its ends only
    ],
)
def test_cited_numbers(spec, numbers):
    assert cited(spec) == numbers


@pytest.mark.parametrize(
    ("spec", "bad"),
    [("5–7", []), ("7–5", ["7–5"]), ("5–5", ["5–5"]), ("2, 9-3", ["9-3"]), ("1–900", ["1–900"])],
)
def test_backwards_runs(spec, bad):
    assert backwards(spec) == bad


@pytest.mark.parametrize(
    ("numbers", "text"),
    [([5], "[para. 5]"), ([5, 6, 7], "[para. 5–7]"), ([2, 4, 5], "[paras. 2, 4–5]")],
)
def test_compact(numbers, text):
    assert compact(numbers) == text
    assert [n for a, b in runs(numbers) for n in range(a, b + 1)] == numbers


@pytest.mark.parametrize(
    ("numbers", "visible", "text"),
    [
        ([4], ["#para-4"], "[para. 4]"),
        ([5, 6], ["#para-5", "#para-6"], "[para. 5–6]"),
        ([5, 6, 7], ["#para-5", "#para-7"], "[para. 5, 6–7]"),
        ([2, 4, 5, 6], ["#para-2", "#para-4", "#para-6"], "[paras. 2, 4, 5–6]"),
    ],
)
def test_every_paragraph_of_a_run_keeps_its_link(numbers, visible, text):
    soup = BeautifulSoup(tostring(citation_element(numbers), encoding="unicode"), "html.parser")
    links = soup.select("a.cite")
    assert [a["href"] for a in links] == [f"#para-{n}" for n in numbers]
    assert [a["href"] for a in links if "cite-between" not in a["class"]] == visible
    assert soup.get_text() == text  # read without CSS, nothing is lost


def test_claims_of_expands_runs_with_their_line():
    claims, rest = claims_of("A [para. 1–3] then B [paras. 5, 7] [para. 8] tail", [4, 6, 6])
    assert [(c.text, c.citations) for c in claims] == [
        ("A", (Citation(1, 4), Citation(2, 4), Citation(3, 4))),
        ("then B", (Citation(5, 6), Citation(7, 6), Citation(8, 6))),
    ]
    assert rest == "tail"


def test_authored_run_renders_compactly_with_a_link_per_paragraph():
    _, analysis = render(BODY + "## Digest\n\nRobot sales rose 20% to 40% [para. 2–4].\n")
    assert analysis.problems == []
    soup = BeautifulSoup(analysis.digest.paragraphs[0], "html.parser")
    assert [a["href"] for a in soup.select("a.cite")] == ["#para-2", "#para-3", "#para-4"]
    assert soup.select_one(".cite-run") is not None
    [claim] = analysis.digest.claims
    assert [c.para for c in claim.citations] == [2, 3, 4]


@pytest.mark.parametrize("run", ["4–2", "3–3"])
def test_backwards_run_is_an_error_on_its_line(run):
    text = BODY + f"## Digest\n\nRobot sales rose [para. {run}].\n"
    _, analysis = render(text, path="x.md")
    [problem] = [p for p in analysis.problems if p.level == "error"]
    line = text.splitlines().index(f"Robot sales rose [para. {run}].") + 1
    assert problem.format().startswith(f"x.md:{line}: error:")
    assert f"citation range '{run}' is not a run of paragraphs" in problem.message


def test_missing_paragraphs_of_a_run_are_one_error():
    _, analysis = render(BODY + "## Digest\n\nRobot sales rose 80% [para. 8–12].\n")
    [problem] = [p for p in analysis.problems if p.level == "error"]
    assert problem.message == "citations [para. 9–12] point to paragraphs that do not exist"
