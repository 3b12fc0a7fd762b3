"""A story's digest sentences: leading, stand-alone, under a word budget."""

import pytest

from roundup.analysis import lead


@pytest.mark.parametrize(
    ("sentence", "alone"),
    [
        ("Nio signed a battery deal with FAW Group on Monday.", True),
        ("It signed a battery deal with FAW Group on Monday.", False),
        ("However, the deal was signed on Monday by both firms.", False),
        ("Their deal was signed on Monday by both firms.", False),
        ('"We are happy," the chief executive said on Monday.', False),
        ("Deal signed.", False),  # too short to be a claim
        ("Nio signed a battery deal with FAW Group on", False),  # cut off
        ("and then it signed a battery deal on Monday.", False),
        ("Is the battery deal with FAW Group good for Nio?", True),
        ("The theatre company said its deal was signed on Monday.", True),  # "the" is fine
    ],
)
def test_stands_alone(sentence, alone):
    assert lead.stands_alone(sentence) is alone


def words(n: int, start: str = "Word") -> str:
    return start + " " + " ".join(["x"] * (n - 2)) + " end."


@pytest.mark.parametrize(
    ("lengths", "picked"),
    [
        ([20, 20, 20], [0, 1]),  # two sentences at most
        ([50, 20], [0]),  # the next does not fit the budget: stop
        ([70, 10], [0]),  # a long lead is kept whole
        ([30, 30, 10], [0, 1]),  # exactly the budget
        ([30, 31, 10], [0]),  # one over: stop, do not skip to a short filler
    ],
)
def test_pick_spends_the_budget_on_the_earliest_sentences(lengths, picked):
    paragraphs = [words(n) for n in lengths]
    result = lead.pick(range(1, len(paragraphs) + 1), paragraphs)
    assert result == [(i + 1, paragraphs[i]) for i in picked]


def test_pick_skips_sentences_that_lean_back():
    paragraphs = [
        "Nio announced a partnership with a state carmaker on Monday morning.",
        "It will build 1,000 swap stations by 2025 with FAW Group nationwide.",
        "FAW Group said 300 of the stations would open in northern provinces.",
    ]
    assert lead.pick((1, 2, 3), paragraphs) == [(1, paragraphs[0]), (3, paragraphs[2])]


def test_pick_falls_back_to_the_first_sentence():
    paragraphs = ["It rained.", "They left."]
    assert lead.pick((1, 2), paragraphs) == [(1, "It rained.")]


def test_pick_of_an_empty_story():
    assert lead.pick((), []) == []


def test_picked_sentences_are_verbatim_pieces_of_their_paragraph():
    paragraphs = ["Nio grew fast in 2024. It hired 500 people. FAW Group joined its network."]
    for number, sentence in lead.pick((1,), paragraphs):
        assert sentence in paragraphs[number - 1]


def test_key_point_prefers_a_short_stand_alone_sentence():
    long = words(40, "Nio")
    short = "FAW Group joined the battery swapping network of Nio on Monday."
    assert lead.key_point((1, 2), [long, short]) == (2, short)
    assert lead.key_point((1,), [long]) == (1, long)
    assert lead.key_point((), []) is None
