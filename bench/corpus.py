"""A deterministic, roundup-shaped synthetic corpus for benchmarks.

``write_corpus(folder, articles, entities, seed)`` writes ``content/`` with
``articles/`` (a lead and ~8 stories of ~3 paragraphs, ~1,400 words, ~110
entity mentions each; every second article ends with an authored ``## Digest``
whose citations are valid), ``entities/`` (names, aliases, CJK native names,
overlapping names such as "X Technology" and "X Technology Quantum Group Co.")
and ``pages/``. The same arguments always give byte-identical files.
"""

from __future__ import annotations

import datetime
import os
import random
import shutil
from dataclasses import dataclass, field

from bench.entities import EntitySpec, entity_file, make_entities
from bench.words import CITIES, FIELDS, HEADLINES, LEADS, SENTENCES, TAGS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START = datetime.datetime(2015, 1, 1, 8, 0)
STORIES, PARAGRAPHS, SENTENCES_PER_PARAGRAPH = 8, 3, 3
CAST = 26  # distinct entities per article


@dataclass
class _Article:
    """Mutable state while one article is written."""

    rng: random.Random
    cast: list[EntitySpec]
    seen: set[str] = field(default_factory=set)

    def mention(self, spec: EntitySpec) -> str:
        if spec.slug not in self.seen:
            self.seen.add(spec.slug)
            return f"{spec.name} ({spec.native})" if spec.native else spec.name
        roll = self.rng.random()
        if spec.aliases and roll < 0.3:
            return self.rng.choice(spec.aliases)
        if spec.native and roll > 0.9:
            return spec.native
        return spec.name

    def fill(self, template: str, focus: list[EntitySpec]) -> str:
        rng = self.rng
        a = rng.choice(focus)
        b = rng.choice([e for e in self.cast if e is not a] or [a])
        values = {
            "a": self.mention(a) if "{a}" in template else "",
            "b": self.mention(b) if "{b}" in template else "",
            "n": rng.choice(
                (
                    f"{rng.randint(11, 99) / 10} billion yuan",
                    f"${rng.randint(2, 900)} million",
                    f"{rng.randint(2, 60)} billion yen",
                )
            ),
            "p": str(rng.choice((rng.randint(2, 45), rng.randint(100, 9999) / 100))),
            "y": str(rng.randint(2016, 2028)),
            "k": f"{rng.randint(2, 90) * 100:,}",
            "city": rng.choice(CITIES),
            "field": rng.choice(FIELDS).lower(),
        }
        return template.format(**values)


def _paragraph(state: _Article, focus: list[EntitySpec], link: str = "") -> str:
    rng = state.rng
    chosen = rng.sample(SENTENCES, SENTENCES_PER_PARAGRAPH)
    sentences = [state.fill(t, focus) for t in chosen]
    if rng.random() < 0.2:
        words = sentences[-1].split()
        words[-2] = f"**{words[-2]}**"
        sentences[-1] = " ".join(words)
    if link:
        sentences.append(f"Details are in the [company's filing]({link}).")
    return " ".join(sentences)


def _heading(state: _Article, focus: list[EntitySpec]) -> str:
    rng = state.rng
    a, b = focus[0], focus[-1]
    return rng.choice(HEADLINES).format(
        a=a.name,
        b=b.name,
        n=f"{rng.randint(2, 90) / 10:g} Billion Yuan",
        field=rng.choice(FIELDS),
        city=rng.choice(CITIES),
    )


def _digest(state: _Article, headings: list[str], paras: list[str]) -> str:
    """Key points and claims copied from the paragraphs they cite (so they hold)."""

    def claim(number: int, extra: int = 0) -> str:
        sentence = paras[number - 1].split(". ")[0].rstrip(".") + "."
        cites = "".join(f"[para. {n}]" for n in (number, number + extra)[: 1 + bool(extra)])
        return f"{sentence} {cites}"

    third = 2 + 2 * PARAGRAPHS
    points = "\n".join(f"- {claim(2 + k * PARAGRAPHS)}" for k in range(len(headings[:3])))
    first = f"{claim(2)} {claim(2 + PARAGRAPHS)}"
    return f"## Digest\n\n{points}\n\n{first}\n\n{claim(third, 1)}\n"


def article_text(rng: random.Random, index: int, entities, weights) -> tuple[str, str]:
    """(file name, Markdown) of article ``index``."""
    cast: list[EntitySpec] = []
    while len(cast) < min(CAST, len(entities)):
        pick = rng.choices(entities, weights)[0]
        if pick not in cast:
            cast.append(pick)
    state = _Article(rng, cast)
    lead_focus = cast[:2]
    lead = LEADS.format(
        a=state.mention(lead_focus[0]), b=state.mention(lead_focus[-1]), field="data"
    )
    paras, body, headings = [lead], [lead], []
    for story in range(STORIES):
        focus = rng.sample(cast, min(4, len(cast)))
        headings.append(_heading(state, focus))
        body.append(f"## {headings[-1]}")
        for n in range(PARAGRAPHS):
            link = f"https://example.com/filings/{index}-{story}" if n == 1 else ""
            paras.append(_paragraph(state, focus, link))
            body.append(paras[-1])
    if index % 2 == 0:
        body.append(_digest(state, headings, paras))
    date = START + datetime.timedelta(days=index)
    slug = f"roundup-{index + 1:05d}"
    header = [
        f"Title: {headings[0]}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Subtitle: {headings[1]}",
        "Tags: " + ", ".join(rng.sample(TAGS, 3)),
        f"Summary: {STORIES} stories today, led by: {headings[0]}.",
        f"Slug: {slug}",
        "Authors: Tech Roundup Desk",
    ]
    text = "\n".join(header) + "\n\n" + "\n\n".join(body).rstrip() + "\n"
    return f"{date:%Y-%m-%d}-{slug}.md", text


ABOUT = "Title: About\nSlug: about\n\nA synthetic corpus for benchmarks.\n"


def write_corpus(folder: str, articles: int, entities: int, seed: int = 1) -> dict:
    """Write ``folder/content``; returns a summary of what was written."""
    rng = random.Random(seed)
    specs = make_entities(rng, entities)
    content = os.path.join(folder, "content")
    for sub in ("articles", "entities", "pages", "extra"):
        os.makedirs(os.path.join(content, sub), exist_ok=True)
    for spec in specs:
        _write(os.path.join(content, "entities", f"{spec.slug}.md"), entity_file(rng, spec))
    weights = [1 / (rank + 5) ** 0.9 for rank in range(len(specs))]
    words = 0
    for index in range(articles):
        name, text = article_text(rng, index, specs, weights)
        words += len(text.split())
        _write(os.path.join(content, "articles", name), text)
    _write(os.path.join(content, "pages", "about.md"), ABOUT)
    _copy_extra(os.path.join(content, "extra"))
    surfaces = [s for spec in specs for s in spec.surfaces()]
    return {
        "articles": articles,
        "entities": len(specs),
        "surfaces": len(surfaces),
        "cjk_surfaces": sum(1 for s in surfaces if s and ord(s[0]) > 0x2E80),
        "words_per_article": round(words / articles) if articles else 0,
    }


def _copy_extra(target: str) -> None:
    """The project's ``content/extra`` (robots.txt template, favicon): settings expect them."""
    source = os.path.join(ROOT, "content", "extra")
    if os.path.isdir(source):
        shutil.copytree(source, target, dirs_exist_ok=True)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def edit_article(path: str, revision: int) -> None:
    """A realistic small edit: one paragraph of the third story gains a sentence."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    headings = [i for i, line in enumerate(lines) if line.startswith("## ")]
    at = headings[min(2, len(headings) - 1)] + 2 if headings else len(lines) - 1
    first = lines[at].split(". ")[0].rstrip(".")
    lines[at] = f"{lines[at]} Update {revision}: {first}."
    _write(path, "\n".join(lines))
