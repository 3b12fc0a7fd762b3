"""Mention matching: longest match, word boundaries, case, CJK."""

import pytest

from roundup.analysis import matching
from roundup.analysis.matching import Matcher, is_word_char

NAMES = {
    "Nio": "nio",
    "Nio Inc.": "nio",
    "Apple": "apple",
    "China Telecom": "china-telecom",
    "China Telecom Quantum Information Technology Group Co.": "ctq",
    "生数科技": "shengshu",
    "Shengshu Technology": "shengshu",
    "Hong Technology": "hong",
    "U.S.": "usa",
    "FAW": "faw",
    "FAW Group": "faw",
}
MATCHER = Matcher(NAMES)


def found(text):
    return [(m.surface(text), m.slug) for m in MATCHER.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nio said", [("Nio", "nio")]),
        ("Nio Inc. said", [("Nio Inc.", "nio")]),
        ("Niobium and NIOSH", []),
        ("a Nio-branded car", [("Nio", "nio")]),
        ("Nio's battery swap", [("Nio", "nio")]),
        ("applesauce and apple pie", []),
        ("Apples are not Apple", [("Apple", "apple")]),
        ("Pineapple", []),
        (
            "China Telecom Quantum Information Technology Group Co. will hold",
            [("China Telecom Quantum Information Technology Group Co.", "ctq")],
        ),
        ("a unit of China Telecom.", [("China Telecom", "china-telecom")]),
        ("北京的生数科技公司", [("生数科技", "shengshu")]),
        (
            "Shengshu Technology (生数科技) said",
            [("Shengshu Technology", "shengshu"), ("生数科技", "shengshu")],
        ),
        ("Hong Technology表示", [("Hong Technology", "hong")]),
        ("the U.S. tariffs", [("U.S.", "usa")]),
        ("FAW Group and FAW", [("FAW Group", "faw"), ("FAW", "faw")]),
        ("FAWN", []),
        ("", []),
        ("Nio2 and 3Nio", []),
        ("(Nio)", [("Nio", "nio")]),
        ("Café Nio", [("Nio", "nio")]),
        ("ÉNio", []),
    ],
)
def test_find(text, expected):
    assert found(text) == expected


def test_case_sensitive():
    assert found("NIO and nio") == []


def test_empty_registry_matches_nothing():
    assert Matcher({}).find("Nio Inc.") == []


@pytest.mark.parametrize(
    ("char", "word"),
    [
        ("a", True),
        ("Z", True),
        ("7", True),
        ("_", True),
        ("é", True),
        ("生", False),
        ("。", False),
        (" ", False),
        ("-", False),
    ],
)
def test_word_chars(char, word):
    assert is_word_char(char) is word


def test_overlap_prefers_leftmost_then_longest():
    matcher = Matcher({"Li Auto": "li-auto", "Auto Inc.": "auto", "Li": "li"})
    text = "Li Auto Inc. shares"
    assert [(m.surface(text), m.slug) for m in matcher.find(text)] == [("Li Auto", "li-auto")]


@pytest.mark.parametrize(
    "text",
    [
        "FAW Group and FAW",
        "China Telecom Quantum Information Technology Group Co. and Apple",
        "Shengshu Technology (生数科技) said",
        "Niobium and NIOSH",
        "Nio Inc. and Nio",
        "",
    ],
)
def test_slugs_are_the_entities_found(text):
    assert MATCHER.slugs(text) == {match.slug for match in MATCHER.find(text)}


def test_overlapping_names_of_two_entities_keep_the_longest():
    matcher = Matcher({"Hong": "hong", "Hong Technology": "hong-tech", "Technology": "tech"})
    assert matcher.slugs("Hong Technology") == {"hong-tech"}
    assert [m.slug for m in matcher.find("Hong Technology and Technology")] == ["hong-tech", "tech"]


def test_the_quick_word_test_agrees_with_is_word_char():
    chars = [chr(c) for c in (*range(0x3100), *range(0xAC00, 0xAC10), 0x20000, 0x1F600)]
    assert [c for c in chars if matching._word(c) != is_word_char(c)] == []
