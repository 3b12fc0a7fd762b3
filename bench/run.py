"""``invoke bench``: this project's build (A) against plain Pelican (B).

Both build the same synthetic corpus (:mod:`bench.corpus`), alternating
A B A B, each build in a fresh process (:mod:`bench.measure`). ``rebuild``
measures the edit loop instead: with the content cache on, after a warm-up
build, one article is edited and the site rebuilt.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass

from bench.ablate import ablate, table
from bench.corpus import edit_article, write_corpus
from bench.measure import Sample, run_build
from bench.profile import profile_build

VARIANTS = ("A", "B")
LABELS = {"A": "A: Tech Roundup (plugin, theme, search)", "B": "B: plain Pelican"}


@dataclass(frozen=True)
class Options:
    articles: int = 1000
    entities: int = 2000
    rounds: int = 3
    rebuild: bool = False
    profile: bool = False
    seed: int = 1
    search: bool = True  # A runs the project's search step (Pagefind) too
    workdir: str | None = None  # where the temporary folder goes (default: tmpfs)
    ablate: bool = False  # each speed mechanism off in turn (bench/ablate.py)


def default_workdir() -> str | None:
    """tmpfs when there is one: measure the build, not this machine's disk."""
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


def run_full(content: str, folder: str, options: Options) -> list[Sample]:
    samples = []
    for _ in range(options.rounds):
        for variant in VARIANTS:
            output = os.path.join(folder, f"out-{variant}")
            shutil.rmtree(output, ignore_errors=True)
            spec = {"variant": variant, "content": content, "output": output}
            samples.append(run_build({**spec, "search": options.search}))
    return samples


def run_rebuilds(content: str, folder: str, options: Options) -> list[Sample]:
    """Warm up each variant's cache, then per round edit one article and rebuild."""
    specs = {
        v: {
            "variant": v,
            "content": content,
            "output": os.path.join(folder, f"out-{v}"),
            "cache": os.path.join(folder, f"cache-{v}"),
            "search": options.search,
        }
        for v in VARIANTS
    }
    for spec in specs.values():
        run_build(spec)
    articles = sorted(os.listdir(os.path.join(content, "articles")))
    samples = []
    for round_ in range(options.rounds):
        name = articles[(round_ * 7919 + len(articles) // 2) % len(articles)]
        edit_article(os.path.join(content, "articles", name), round_ + 1)
        samples.extend(run_build(specs[v]) for v in VARIANTS)
    return samples


def median_of(samples: list[Sample], variant: str) -> dict:
    mine = [s for s in samples if s.variant == variant]
    return {
        "wall_s": round(statistics.median(s.wall_s for s in mine), 3),
        "build_s": round(statistics.median(s.build_s for s in mine), 3),
        "cpu_s": round(statistics.median(s.cpu_s for s in mine), 3),
        "peak_rss_mib": round(statistics.median(s.peak_rss_mib for s in mine), 1),
        "build_rss_mib": round(statistics.median(s.build_rss_mib for s in mine), 1),
        "cleanup_s": round(statistics.median(s.cleanup_s for s in mine), 3),
        "html_pages": mine[-1].html_pages,
        "files": mine[-1].files,
        "samples": [s.as_dict() for s in mine],
    }


def summarise(options: Options, corpus: dict, samples: list[Sample]) -> dict:
    result = {
        "mode": "rebuild" if options.rebuild else "full",
        "articles": options.articles,
        "entities": options.entities,
        "rounds": options.rounds,
        "search": options.search,
        "corpus": corpus,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    for variant in VARIANTS:
        stats = median_of(samples, variant)
        stats["articles_per_s"] = round(options.articles / stats["wall_s"], 1)
        result[variant] = stats
    result["ratio"] = {
        key: round(result["A"][key] / result["B"][key], 3)
        for key in ("wall_s", "build_s", "cpu_s", "peak_rss_mib")
    }
    return result


def bench(options: Options) -> dict:
    """Write the corpus, run the builds, return the summary (and remove the corpus)."""
    folder = tempfile.mkdtemp(prefix="roundup-bench-", dir=options.workdir or default_workdir())
    try:
        corpus = write_corpus(folder, options.articles, options.entities, options.seed)
        content = os.path.join(folder, "content")
        if options.ablate:
            rows = ablate(content, folder, options.search)
            machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
            return {"mode": "ablate", "articles": options.articles, "entities": options.entities,
                    "search": options.search, "corpus": corpus, "rows": rows,
                    "machine": machine}  # fmt: skip
        run = run_rebuilds if options.rebuild else run_full
        result = summarise(options, corpus, run(content, folder, options))
        if options.profile:
            result["profile"] = profile_build(content, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def report(result: dict) -> str:
    """The summary as a small text table."""
    if result["mode"] == "ablate":
        return (
            f"{result['articles']} articles, {result['entities']} entities; one full build and "
            f"one one-article rebuild per variant, on {result['machine']['cpus']} CPUs\n"
            + table(result["rows"], result["articles"])
        )
    what = "one-article rebuild, content cache on" if result["mode"] == "rebuild" else "full build"
    lines = [
        f"{result['articles']} articles, {result['entities']} entities, {what}; "
        f"medians of {result['rounds']} run(s) on {result['machine']['cpus']} CPUs",
        f"{'':42} {'wall s':>8} {'build s':>8} {'cpu s':>8} {'peak MiB':>9} {'pages':>6} "
        f"{'art/s':>7}",
    ]
    labels = {**LABELS, "A": LABELS["A"] if result["search"] else "A: Tech Roundup, no search step"}
    for variant in VARIANTS:
        s = result[variant]
        lines.append(
            f"{labels[variant]:42} {s['wall_s']:8.2f} {s['build_s']:8.2f} {s['cpu_s']:8.2f} "
            f"{s['peak_rss_mib']:9.1f} {s['html_pages']:6d} {s['articles_per_s']:7.1f}"
        )
    if result["A"]["cleanup_s"]:
        lines.append(
            f"{'A: old site deleted after the swap, s':42} {result['A']['cleanup_s']:8.2f}"
            "  (in the background; not in A's time)"
        )
    r = result["ratio"]
    lines.append(
        f"{'A/B':42} {r['wall_s']:8.3f} {r['build_s']:8.3f} {r['cpu_s']:8.3f} "
        f"{r['peak_rss_mib']:9.3f}"
    )
    if "profile" in result:
        lines.append("\nWhere A's time goes (one serial-read build under cProfile):")
        total = result["profile"]["total_s"]
        for name, seconds in result["profile"]["buckets"].items():
            lines.append(f"  {name:44} {seconds:8.2f} s {100 * seconds / total:5.1f}%")
    return "\n".join(lines)


def main(options: Options, json_to: str | bool = False) -> dict:
    result = bench(options)
    if json_to is True or json_to == "-":
        json.dump(result, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(report(result))
        if json_to:
            with open(json_to, "w", encoding="utf-8") as handle:
                json.dump(result, handle, indent=1)
    return result
