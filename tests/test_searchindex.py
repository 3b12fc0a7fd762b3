"""Canonical Pagefind index: same content, same bytes, same search results."""

from __future__ import annotations

import gzip

import pytest

from roundup.searchindex import SIGNATURE, UnexpectedIndexError, decode, encode, sorted_filter


def test_round_trip_is_deterministic():
    value = ["entity", [["Nio Inc.", [1]], ["Apple Inc.", [0]]]]
    assert decode(encode(value)) == value
    assert encode(value) == encode(value)


def test_filter_values_are_sorted():
    value = ["entity", [["Nio Inc.", [1]], ["Apple Inc.", [0, 1]], ["蔚来", [1]]]]
    assert sorted_filter(value) == [
        "entity",
        [["Apple Inc.", [0, 1]], ["Nio Inc.", [1]], ["蔚来", [1]]],
    ]


@pytest.mark.parametrize(
    "data", [gzip.compress(b"not pagefind"), gzip.compress(SIGNATURE + b"\xa0")]
)
def test_unknown_layouts_fail_loudly(data):
    with pytest.raises(UnexpectedIndexError):
        sorted_filter(decode(data))


def test_site_index_is_canonical(site):
    folder = site / "pagefind" / "2024"  # the roundups' bundle
    [filter_file] = sorted((folder / "filter").glob("*.pf_filter"))
    name, values = decode(filter_file.read_bytes())
    assert name == "entity"
    assert [v[0] for v in values] == sorted(v[0] for v in values)
    assert "Shengshu Technology" in [v[0] for v in values]
