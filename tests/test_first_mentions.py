"""Mentions.first_mentions: each entity's first mention, as an article page shows it."""

from __future__ import annotations

import pickle

import pytest

from roundup.models import Mention, Mentions

M = Mention
CASES = {
    "none": [],
    "one": [M("nio", 1, "Nio", "Nio swaps batteries.")],
    "repeated": [
        M("nio", 2, "Nio Inc.", "Nio Inc. and FAW Group will cooperate."),
        M("nio", 2, "Nio", "Nio wants swapping to work for many brands."),
        M("nio", 5, "Nio", "Later, Nio said more."),
    ],
    "interleaved": [
        M("sora", 1, "Sora", "Chinese answers to Sora remain thin."),
        M("openai", 2, "OpenAI", "OpenAI released Sora."),
        M("sora", 2, "Sora", "OpenAI released Sora."),
        M("shengshu", 3, "生数科技", "北京的生数科技公司发布了模型。"),
        M("openai", 4, "OpenAI", "Investors liked OpenAI’s ChatGPT more."),
        M("aisphere", 4, "AIsphere", "AIsphere & Shengshu raised <money>."),
    ],
    "shared sentence": [
        M("faw", 3, "FAW", "Nio and FAW will cooperate."),
        M("nio", 3, "Nio", "Nio and FAW will cooperate."),
    ],
    "name with NUL": [
        M("a\0b", 1, "A\0B", "Odd."),
        M("c", 1, "C", "Odd."),
        M("a\0b", 2, "A", "Again."),
    ],
}


def expected(records: list[Mention]) -> dict[str, Mention]:
    first: dict[str, Mention] = {}
    for record in records:
        first.setdefault(record.slug, record)
    return first


@pytest.mark.parametrize("packed", [False, True], ids=["built", "from cache"])
@pytest.mark.parametrize("records", CASES.values(), ids=CASES.keys())
def test_first_mentions_are_each_entitys_first_in_reading_order(records, packed):
    mentions = Mentions(records)
    if packed:  # as a cached article loads it: names still packed
        mentions = pickle.loads(pickle.dumps(mentions))
    first = mentions.first_mentions()
    assert first == expected(records)
    assert list(first) == list(dict.fromkeys(r.slug for r in records))
    assert all(type(m) is Mention for m in first.values())
    if packed:
        assert mentions._columns is not None, "asking unpacked the names"
    assert list(mentions) == records


def test_first_mention_of_a_big_article_is_found_without_unpacking():
    records = [
        M(f"e{n % 40}", 1 + n // 10, f"E{n % 40}", f"Sentence {n // 3}.") for n in range(4000)
    ]
    mentions = pickle.loads(pickle.dumps(Mentions(records)))
    first = mentions.first_mentions()
    assert len(first) == 40
    assert first["e39"] == M("e39", 4, "E39", "Sentence 13.")
    assert mentions._columns is not None
