"""``invoke eval-digest``: the digest evaluation runs end to end on self-written stories.

The real measurement uses ``../shared/eval/digest-dev.jsonl`` (README, "Digest
evaluation"); here a small file written for the project checks the pipeline:
stories built as roundups, read back from the built pages, scored beside the
baselines, and the generated digest ahead of lead-2 at fewer words.
"""

from __future__ import annotations

import json
import statistics

import pytest
from rouge_score import rouge_scorer

from conftest import ROOT
from conftest import run_invoke as invoke
from roundup.analysis.text import sentences

DATA = ROOT / "tests" / "data" / "digest-eval.jsonl"
SYSTEMS = [
    "generated digest (this project)",
    "lead-1",
    "lead-2",
    "lead-3",
    "TextRank, top 2",
]


@pytest.fixture(scope="module")
def table():
    result = invoke("eval-digest", "--data", str(DATA))
    assert result.returncode == 0, result.stderr
    rows = {}
    for line in result.stdout.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] in SYSTEMS:
            rows[cells[0]] = cells[1:]
    return rows


def stories():
    return [json.loads(line) for line in DATA.read_text().splitlines()]


def test_every_system_is_scored_on_every_story(table):
    assert list(table) == SYSTEMS
    assert {row[4] for row in table.values()} == {f"{len(stories())}/{len(stories())}"}


def test_the_generated_digest_cites_verbatim(table):
    assert table[SYSTEMS[0]][5] == "100%"
    assert {row[5] for name, row in table.items() if name != SYSTEMS[0]} == {"–"}


def test_lead_1_matches_a_direct_computation(table):
    """The pipeline (build, read back) changes nothing a direct count would see."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    firsts = [sentences(story["article"].split("\n\n")[0])[0] for story in stories()]
    words = statistics.fmean(len(first.split()) for first in firsts)
    scores = [
        scorer.score("\n".join(story["highlights"]), first)
        for story, first in zip(stories(), firsts, strict=True)
    ]
    r1 = statistics.fmean(100 * s["rouge1"].fmeasure for s in scores)
    r2 = statistics.fmean(100 * s["rouge2"].fmeasure for s in scores)
    assert table["lead-1"][:2] == [f"{r1:.1f}", f"{r2:.1f}"]
    assert table["lead-1"][3] == f"{words:.1f}"


def test_the_generated_digest_beats_lead_2_at_fewer_words(table):
    ours, lead2 = table[SYSTEMS[0]], table["lead-2"]
    assert float(ours[1]) >= float(lead2[1])  # ROUGE-2
    assert float(ours[3]) <= float(lead2[3])  # words per story


def test_bad_data_is_reported_by_line(tmp_path):
    data = tmp_path / "bad.jsonl"
    good = DATA.read_text().splitlines()[0]
    data.write_text(f'{good}\n{{"headline": \n{{"headline": "x", "article": "y"}}\n')
    result = invoke("eval-digest", "--data", str(data))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{data}:2: error: not JSON: ")
    assert lines[1] == f"{data}:3: error: missing highlights"


def test_a_missing_file_is_one_line(tmp_path):
    result = invoke("eval-digest", "--data", str(tmp_path / "none.jsonl"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"{tmp_path}/none.jsonl:1: error: No such file or directory"
