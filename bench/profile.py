"""Where the time of one A build goes: cProfile, aggregated into stages.

The profiled build reads serially (``READ_PROCESSES = 1``) so that reading and
Markdown are attributed, not hidden in worker processes. Each function's own
time goes to the stage of its module; a built-in function's time goes to the
stage of whoever called it.
"""

from __future__ import annotations

import os
import pstats
from collections import defaultdict

from bench.measure import run_build

# (stage, path fragments); the first stage with a matching fragment wins.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Markdown (Python-Markdown)", ("/markdown/",)),
    ("roundup: analysis inside Markdown", ("roundup/analysis/",)),
    ("roundup: checks and sanitizer", ("roundup/checks/",)),
    ("roundup: glossary (registry, facts, export)", ("roundup/glossary/",)),
    ("roundup: search index", ("roundup/search/",)),
    ("roundup: speed layer", ("roundup/accel/",)),
    ("roundup: reader, generators, build", ("roundup/",)),
    ("templates (Jinja2)", ("/jinja2/", "/markupsafe/", ".html", ".xml", ".txt")),
    ("feeds (feedgenerator)", ("/feedgenerator/",)),
    ("writing files", ("pelican/writers.py", "shutil.py")),
    ("other plugins (neighbors)", ("pelican/plugins/",)),
    ("search index (Pagefind subprocess)", ("subprocess.py", "selectors.py")),
    ("Pelican: reading, content, URLs", ("/pelican/", "/dateutil/", "/blinker/")),
)
OTHER = "other (stdlib, pickle, GC)"


def stage_of(filename: str) -> str | None:
    """The stage of a Python function; ``None`` for built-ins."""
    if filename == "~":
        return None
    name = filename.replace(os.sep, "/")
    for stage, fragments in STAGES:
        if any(fragment in name for fragment in fragments):
            return stage
    return OTHER


def buckets(stats: pstats.Stats) -> dict[str, float]:
    """Seconds per stage, largest first."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, own, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        stage = stage_of(filename)
        if stage is not None:
            totals[stage] += own
            continue
        attributed = 0.0
        for (caller_file, _, _), entry in callers.items():
            totals[stage_of(caller_file) or OTHER] += entry[2]
            attributed += entry[2]
        totals[OTHER] += max(own - attributed, 0.0)
    ordered = sorted(totals.items(), key=lambda item: -item[1])
    return {stage: round(seconds, 2) for stage, seconds in ordered if seconds >= 0.005}


def profile_build(content: str, folder: str) -> dict:
    """Build A once under cProfile; return its total and its stages."""
    path = os.path.join(folder, "profile.pstats")
    output = os.path.join(folder, "out-profile")
    spec = {
        "variant": "A",
        "content": content,
        "output": output,
        "profile": path,
        "extra": {"READ_PROCESSES": 1},
    }
    sample = run_build(spec)
    stats = pstats.Stats(path)
    return {
        "total_s": round(stats.total_tt, 2),  # type: ignore[attr-defined]
        "wall_s": sample.wall_s,
        "buckets": buckets(stats),
    }
