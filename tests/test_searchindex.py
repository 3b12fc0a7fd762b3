"""Canonical Pagefind index: same content, same bytes, same search results."""

from __future__ import annotations

import gzip
import os
import subprocess

import pytest

from roundup.search.pagefind import (
    SIGNATURE,
    UnexpectedIndexError,
    decode,
    encode,
    pagefind_command,
    sorted_filter,
)


@pytest.fixture
def fresh_command(monkeypatch):
    """:func:`pagefind_command` looked up again (it is cached per process)."""
    pagefind_command.cache_clear()
    yield pagefind_command
    pagefind_command.cache_clear()


def test_pagefind_runs_its_extended_binary_directly(fresh_command, monkeypatch):
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    command = fresh_command()
    assert len(command) == 1 and os.path.basename(command[0]) == "pagefind_extended"
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("pagefind ")


def test_pagefind_binary_path_is_honoured(fresh_command, monkeypatch, tmp_path):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "my-pagefind"))
    assert fresh_command() == (str(tmp_path / "my-pagefind"),)


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
