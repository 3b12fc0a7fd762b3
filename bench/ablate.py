"""``invoke bench --ablate``: what each speed mechanism saves, measured in one run.

On one synthetic corpus, each variant is built in a fresh process: plain
Pelican (B), this project with its speed layer (A), with the speed layer off,
and with each mechanism of :data:`roundup.accel.MECHANISMS` off in turn. For
each variant a full build and a one-article rebuild (content cache on: a
warm-up build, one article edited, the rebuild timed; the article is put
back afterwards) are measured. A mechanism's gain is how much slower A is
without it, as a share of A's own time, for the full build and the rebuild.
"""

from __future__ import annotations

import os
import shutil
import sys

from bench.corpus import edit_article
from bench.measure import Sample, run_build

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "plugins"))
from roundup.accel import MECHANISMS


def variants() -> list[tuple[str, str, dict]]:
    """``(label, variant, settings)`` of every build measured, baselines first."""
    found = [
        ("B: plain Pelican", "B", {}),
        ("A: speed layer on", "A", {}),
        ("A: speed layer off", "A", {"ROUNDUP_ACCELERATE": False}),
    ]
    found += [(f"A without {name}", "A", {"ROUNDUP_ACCEL_OFF": [name]}) for name in MECHANISMS]
    return found


def measure(content: str, folder: str, variant: str, extra: dict, search: bool) -> dict:
    """One variant: a full build, then a warm-up, an edit and a rebuild."""
    output = os.path.join(folder, "out")
    cache = os.path.join(folder, "cache")
    spec = {"variant": variant, "content": content, "output": output, "extra": extra}
    spec["search"] = search
    shutil.rmtree(output, ignore_errors=True)
    full = run_build(spec)
    shutil.rmtree(output, ignore_errors=True)
    cached = {**spec, "cache": cache}
    run_build(cached)  # warm-up: fills the cache, untimed
    articles = sorted(os.listdir(os.path.join(content, "articles")))
    path = os.path.join(content, "articles", articles[len(articles) // 2])
    with open(path, "rb") as handle:
        original = handle.read()
    try:
        edit_article(path, 1)
        rebuild = run_build(cached)
    finally:
        with open(path, "wb") as handle:
            handle.write(original)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
    return {"full": full.as_dict(), "rebuild": rebuild.as_dict()}


def ablate(content: str, folder: str, search: bool = True) -> dict:
    """Every variant measured; the gains computed against A."""
    rows = {}
    for label, variant, extra in variants():
        rows[label] = measure(content, folder, variant, extra, search)
    a = rows["A: speed layer on"]
    for row in rows.values():
        for kind in ("full", "rebuild"):
            row[kind]["vs_a"] = round(row[kind]["wall_s"] / a[kind]["wall_s"] - 1, 3)
    return rows


def table(rows: dict, articles: int) -> str:
    """The rows as a Markdown table (README's ablation table)."""
    head = (
        f"| variant ({articles:,} articles) | full s | vs A | full peak MiB | rebuild s "
        "| vs A | rebuild peak MiB |\n|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for label, row in rows.items():
        full, rebuild = Sample(**_fields(row["full"])), Sample(**_fields(row["rebuild"]))
        lines.append(
            f"| {label} | {full.wall_s:.2f} | {row['full']['vs_a']:+.1%} | {full.peak_rss_mib:.0f} "
            f"| {rebuild.wall_s:.2f} | {row['rebuild']['vs_a']:+.1%} "
            f"| {rebuild.peak_rss_mib:.0f} |"
        )
    return "\n".join(lines)


def _fields(sample: dict) -> dict:
    return {k: v for k, v in sample.items() if k in Sample.__dataclass_fields__}
