"""How good is the generated Digest Hub? ROUGE against highlights people wrote.

``invoke eval-digest [--data PATH]`` reads news stories from a JSONL file (one
object a line: ``headline``, ``article`` with paragraphs separated by blank
lines, ``highlights`` a list of sentences or one string), groups them five to
a roundup, each story a ``## headline`` section, and builds those roundups
with the project (a real Pelican build of a temporary content folder). From
the built pages it takes, per story, the sentences of the generated digest
and their citations, and the story's paragraphs as published.

It prints one table, every row scored on the same stories: the generated
digest, lead-1/2/3 and TextRank (:mod:`evaluation.baselines`); ROUGE-1, -2 and
-Lsum F1 (``rouge-score``, stemming, sentences on lines of their own) against
the highlights, averaged per story; words per story; stories covered; and
citation precision, the share of digest sentences found verbatim in the
paragraph they cite.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from rouge_score import rouge_scorer

from roundup.build import build_site
from roundup.models import Problem, display_path

from . import baselines

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "digest-dev.jsonl"
PER_ROUNDUP = 5
METRICS = ("rouge1", "rouge2", "rougeLsum")


class DataError(Exception):
    """The data file cannot be used: ``problems`` say where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Story:
    headline: str
    paragraphs: tuple[str, ...]
    reference: str  # the highlights, one a line


@dataclass
class Built:
    """One story as the built page shows it."""

    reference: str
    paragraphs: list[str]  # plain text, as published
    digest: list[tuple[int, str]]  # (cited paragraph, sentence), numbers within the story


def load(path: str | os.PathLike) -> list[Story]:
    """The stories of a JSONL file; :class:`DataError` names each bad line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise DataError([Problem(display_path(str(path)), 1, "error", reason)]) from None
    stories, problems = [], []
    for number, line in enumerate(lines, 1):
        if line.strip():
            story, message = _story(line)
            if message:
                problems.append(Problem(display_path(str(path)), number, "error", message))
            else:
                stories.append(story)
    if not stories and not problems:
        problems.append(Problem(display_path(str(path)), 1, "error", "no stories"))
    if problems:
        raise DataError(problems)
    return stories


def _story(line: str) -> tuple[Story | None, str]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        return None, f"not JSON: {error.msg} (column {error.colno})"
    if not isinstance(row, dict):
        return None, "each line must be a JSON object"
    missing = [key for key in ("headline", "article", "highlights") if not row.get(key)]
    if missing:
        return None, f"missing {', '.join(missing)}"
    highlights = row["highlights"]
    reference = "\n".join(highlights) if isinstance(highlights, list) else str(highlights)
    paragraphs = tuple(p.strip() for p in str(row["article"]).split("\n\n") if p.strip())
    return Story(" ".join(str(row["headline"]).split()), paragraphs, reference), ""


def roundup_markdown(number: int, stories: Sequence[Story]) -> str:
    """A roundup of ``stories``, each a ``##`` section of its paragraphs."""
    sections = "\n\n".join(
        f"## {story.headline}\n\n" + "\n\n".join(story.paragraphs) for story in stories
    )
    return (
        f"Title: Evaluation roundup {number}\nDate: 2024-01-01 08:00\n"
        f"Slug: evaluation-{number}\n\n{sections}\n"
    )


def build(stories: Sequence[Story], workdir: str) -> list[Built]:
    """Build the stories as roundups; what each built page shows of each story."""
    content = Path(workdir, "content")
    (content / "articles").mkdir(parents=True)
    (content / "entities").mkdir()
    groups = [stories[i : i + PER_ROUNDUP] for i in range(0, len(stories), PER_ROUNDUP)]
    for number, group in enumerate(groups, 1):
        text = roundup_markdown(number, group)
        (content / "articles" / f"evaluation-{number}.md").write_text(text, encoding="utf-8")
    output = os.path.join(workdir, "output")
    # Only articles: the site's static files and template pages stay out.
    overrides = {"PATH": str(content), "STATIC_PATHS": [], "TEMPLATE_PAGES": {}}
    build_site(str(ROOT / "pelicanconf.py"), output, overrides, search=False)
    built = []
    for number, group in enumerate(groups, 1):
        [page] = Path(output).glob(f"**/evaluation-{number}/index.html")
        built.extend(read_page(page.read_text(encoding="utf-8"), group))
    return built


def read_page(page: str, stories: Sequence[Story]) -> list[Built]:
    """Per story: its paragraphs and the digest sentences with their citations."""
    soup = BeautifulSoup(page, "html.parser")
    for number in soup.select("a.para-num"):
        number.decompose()
    labelled = [p for p in soup.select("#digest p") if p.strong is not None]
    built = []
    for story, heading in zip(stories, soup.select(".article-body h2[id]"), strict=True):
        blocks = list(_blocks(heading))
        first = int(blocks[0]["id"].removeprefix("para-")) if blocks else 1
        claims = []
        if labelled and labelled[0].strong.get_text() == heading.get_text():
            claims = [(n - first + 1, text) for n, text in claims_of(labelled.pop(0))]
        texts = [" ".join(block.get_text().split()) for block in blocks]
        built.append(Built(story.reference, texts, claims))
    return built


def _blocks(heading):
    """The numbered blocks of the story under ``heading``."""
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            return
        if sibling.get("id", "").startswith("para-"):
            yield sibling


def claims_of(paragraph) -> list[tuple[int, str]]:
    """``(cited paragraph, text)`` of each claim of a digest paragraph, its label left out."""
    claims, text = [], ""
    for node in paragraph.children:
        if getattr(node, "name", None) == "strong":
            continue
        if getattr(node, "name", None) == "a" and "cite" in node.get("class", []):
            number = int(node["href"].rsplit("#para-", 1)[1])
            claims.append((number, " ".join(text.split()).removeprefix(": ").strip()))
            text = ""
        else:
            text += node.get_text() if hasattr(node, "get_text") else str(node)
    return claims


@dataclass
class Row:
    name: str
    scores: dict[str, float]
    words: float
    covered: int
    stories: int
    precision: float | None = None  # citation precision, for the generated digest


def score(
    name: str, stories: Sequence[Built], summarise: Callable[[Built], list], cites: bool = False
) -> Row:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    totals: dict[str, list[float]] = {metric: [] for metric in METRICS}
    words, covered, verbatim, claims = [], 0, 0, 0
    for story in stories:
        picked = summarise(story)
        summary = "\n".join(sentence for _, sentence in picked)
        for metric, value in scorer.score(story.reference, summary).items():
            totals[metric].append(100 * value.fmeasure)
        words.append(sum(len(sentence.split()) for _, sentence in picked))
        covered += bool(picked)
        for number, sentence in picked:
            claims += 1
            verbatim += (
                0 < number <= len(story.paragraphs) and sentence in story.paragraphs[number - 1]
            )
    means = {metric: statistics.fmean(values) for metric, values in totals.items()}
    precision = (100 * verbatim / claims if claims else 0.0) if cites else None
    return Row(name, means, statistics.fmean(words), covered, len(stories), precision)


def evaluate(stories: Sequence[Story]) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="eval-digest-") as workdir:
        built = build(stories, workdir)
    systems: list[tuple[str, Callable[[Built], list]]] = [
        ("generated digest (this project)", lambda story: story.digest),
        ("lead-1", lambda story: baselines.lead(1)(story.paragraphs)),
        ("lead-2", lambda story: baselines.lead(2)(story.paragraphs)),
        ("lead-3", lambda story: baselines.lead(3)(story.paragraphs)),
        ("TextRank, top 2", lambda story: baselines.textrank(2)(story.paragraphs)),
    ]
    return [
        score(name, built, summarise, cites=i == 0) for i, (name, summarise) in enumerate(systems)
    ]


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| system | R-1 | R-2 | R-L (Lsum) | words per story | stories covered"
        " | citation precision |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        r1, r2, rl = (row.scores[m] for m in METRICS)
        lines.append(
            f"| {row.name} | {r1:.1f} | {r2:.1f} | {rl:.1f} | {row.words:.1f}"
            f" | {row.covered}/{row.stories} | {_percent(row.precision)} |"
        )
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def main(data: str | os.PathLike) -> str:
    """The evaluation table for the stories in ``data`` (raises DataError, BuildError)."""
    stories = load(data)
    rows = evaluate(stories)
    head = f"{len(stories)} stories from {display_path(str(data))}, {PER_ROUNDUP} a roundup"
    return f"{head}\n\n{table(rows)}"
