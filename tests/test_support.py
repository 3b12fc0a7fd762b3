"""Which paragraph supports a claim: BM25 ranking and the "matches it better" check."""

import pytest

from conftest import render
from roundup.analysis import support
from roundup.analysis.matching import Matcher

NAMES = {"Nio": "nio", "Nio Inc.": "nio", "FAW Group": "faw", "USTR": "ustr"}
matcher = Matcher(NAMES)

BODY = """## Tariffs

The USTR proposed tariffs on $18 billion of imports from Aug. 1.

Semiconductors and batteries are among the goods in line for the increases.

## Batteries

Nio Inc. signed a deal with FAW Group on battery swapping stations.

The two carmakers will set common battery standards.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nio Inc. grows", ["@nio", "nio", "inc", "grow"]),  # names weigh twice
        ("Tariffs on $18 billion", ["tariff", "18", "billion"]),
        ("1,900 and 1900 and 2.50", ["1900", "1900", "2.5"]),
        ("the U.S. said", ["u.s."]),
        ("swapping swaps", ["swap", "swap"]),
        ("生数科技", ["生数", "数科", "科技"]),
        ("it is a new one", []),
    ],
)
def test_terms(text, expected):
    assert sorted(support.terms(text, matcher.slugs)) == sorted(expected)


def test_bm25_prefers_rare_shared_terms():
    docs = [["tariff", "18", "billion"], ["battery", "standard"], ["tariff", "battery"]]
    scores = support.bm25(["18", "tariff"], docs)
    assert scores[0] > scores[2] > scores[1] == 0.0


def test_bm25_of_nothing():
    assert support.bm25(["x"], []) == []


@pytest.mark.parametrize(
    ("scores", "cited", "better"),
    [
        ([9.0, 1.0, 0.0], [2], 1),  # clearly worse than paragraph 1
        ([9.0, 5.0, 0.0], [2], None),  # close enough
        ([9.0, 1.0, 0.0], [1], None),  # cites the best
        ([9.0, 1.0, 0.0], [2, 1], None),  # one of them is the best
        ([1.5, 0.0, 0.0], [2], None),  # too little in common to judge
        ([4.0, 4.0, 0.0], [3], 1),  # a tie goes to the earlier paragraph
        ([], [1], None),
    ],
)
def test_better_paragraph(scores, cited, better):
    assert support.better_paragraph(scores, cited) == better


def authored(claim: str) -> str:
    return BODY + "\n## Digest\n\n" + claim + "\n"


def test_a_claim_citing_the_wrong_story_gets_a_suggestion():
    text = authored("Nio Inc. and FAW Group will share battery swapping stations [para. 1].")
    _, analysis = render(text, NAMES, path="x.md")
    [problem] = analysis.problems
    line = text.splitlines().index(text.splitlines()[-1]) + 1
    assert problem.format().startswith(
        f"x.md:{line}: warning: citation may not support this claim; [para. 3] matches it better"
    )
    assert problem.suggestion == "[para. 3]"


@pytest.mark.parametrize(
    "claim",
    [
        "Nio Inc. and FAW Group will share battery swapping stations [para. 3].",
        "The USTR wants tariffs on $18 billion of goods [para. 1].",
        "Chips and batteries are covered [para. 2].",
        "Something happened [para. 4].",  # nothing to judge by
    ],
)
def test_claims_citing_their_paragraph_pass(claim):
    _, analysis = render(authored(claim), NAMES)
    assert analysis.problems == []
