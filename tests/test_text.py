"""Sentence splitting and number extraction."""

import pytest

from roundup.analysis.text import excerpt, numbers, sentence_finder, sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("Nio Inc. signed a deal. FAW agreed.", ["Nio Inc. signed a deal.", "FAW agreed."]),
        (
            "The U.S. Trade Representative spoke. Then left.",
            ["The U.S. Trade Representative spoke.", "Then left."],
        ),
        ("Starting Aug. 1. Tariffs rise.", ["Starting Aug. 1.", "Tariffs rise."]),
        ("He said “fight back.” Then", ["He said “fight back.”", "Then"]),
        ("Shares rose 7.5% on Tuesday. Good.", ["Shares rose 7.5% on Tuesday.", "Good."]),
        ("公司表示。他们同意。", ["公司表示。", "他们同意。"]),
        ("e.g. this is one sentence.", ["e.g. this is one sentence."]),
        ("", []),
    ],
)
def test_sentences(text, expected):
    assert sentences(text) == expected


def test_sentence_finder_at_offset():
    text = "First one. Nio signed. Last."
    assert sentence_finder(text)(text.index("Nio")) == "Nio signed."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$18 billion from Aug. 1", {"18", "1"}),
        ("1,900 and 1900", {"1900"}),
        ("23.08% and 2.50", {"23.08", "2.5"}),
        ("no figures", set()),
    ],
)
def test_numbers(text, expected):
    assert numbers(text) == expected


@pytest.mark.parametrize(
    ("sentence", "surface", "words", "expected"),
    [
        ("Nio signed a deal.", "Nio", 14, "Nio signed a deal."),
        ("a b c d e f g h Nio i j k l m n o p", "Nio", 6, "…g h Nio i j k…"),
        ("Nio a b c d e f g h i", "Nio", 4, "Nio a b c…"),
        ("a b c d e f g h i Nio", "Nio", 4, "…g h i Nio"),
        ("a  b\nc d Nio", "Nio", 14, "a b c d Nio"),
        ("a b c d e f g", "Absent", 3, "a b c…"),
    ],
)
def test_excerpt(sentence, surface, words, expected):
    assert excerpt(sentence, surface, words) == expected
