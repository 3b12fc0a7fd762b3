"""One benchmark build, run in its own process: ``python -m bench.child SPEC.json``.

SPEC holds ``variant`` ("A": this project, "B": plain Pelican), ``content``,
``output``, ``cache`` (a folder turns the content cache on), ``result`` (where
to write the report) and optionally ``profile`` (a path for cProfile stats).
The report gives the build's own time and the peak memory of this process and
of its children (read workers).
"""

from __future__ import annotations

import cProfile
import inspect
import json
import logging
import os
import resource
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETTINGS = os.path.join(ROOT, "pelicanconf.py")
sys.path.insert(0, os.path.join(ROOT, "plugins"))


def cache_overrides(cache: str | None) -> dict:
    if not cache:
        return {"LOAD_CONTENT_CACHE": False, "CACHE_CONTENT": False}
    return {"LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True, "CACHE_PATH": cache}


# The project's own Markdown extensions, and the stock ones plain Pelican
# would use for the same output.
STOCK_EXTENSIONS = {"roundup.analysis.typography": "markdown.extensions.smarty"}


def plain_settings(content: str, output: str, cache: str | None) -> dict:
    """Plain Pelican: no plugins, default theme and templates, our URLs and feeds,
    and Markdown with the stock extensions that give the same text."""
    from pelican.settings import DEFAULT_CONFIG, DEFAULT_THEME, read_settings  # noqa: PLC0415

    overrides = {
        "PATH": content,
        "OUTPUT_PATH": output,
        "PLUGINS": [],
        "PLUGIN_PATHS": [],
        "THEME": DEFAULT_THEME,
        "JINJA_ENVIRONMENT": DEFAULT_CONFIG["JINJA_ENVIRONMENT"],
        "DIRECT_TEMPLATES": DEFAULT_CONFIG["DIRECT_TEMPLATES"],
        # Plain Pelican's fastest edit loop: whole articles cached (it has no
        # entity links to resolve against a build's context).
        "CONTENT_CACHING_LAYER": "generator",
        **cache_overrides(cache),
    }
    settings = read_settings(SETTINGS, override=overrides)
    settings["MARKDOWN"] = stock_markdown(settings["MARKDOWN"])
    return settings


def stock_markdown(config: dict) -> dict:
    """``config`` with each of the project's extensions replaced by its stock twin."""
    stock = dict(config)
    configs = config.get("extension_configs", {})
    stock["extension_configs"] = {STOCK_EXTENSIONS.get(k, k): v for k, v in configs.items()}
    extensions = config.get("extensions", [])
    stock["extensions"] = [STOCK_EXTENSIONS.get(e, e) for e in extensions]
    return stock


def build_plain(content: str, output: str, cache: str | None) -> None:
    from pelican import Pelican  # noqa: PLC0415

    Pelican(plain_settings(content, output, cache)).run()


def build_project(
    content: str, output: str, cache: str | None, extra: dict, search: bool = True
) -> None:
    """The project's own build (``invoke build``), optionally without its search step."""
    from roundup.build import build_site  # noqa: PLC0415

    overrides = {"PATH": content, **cache_overrides(cache), **extra}
    if "search" in inspect.signature(build_site).parameters:
        build_site(SETTINGS, output, overrides, search=search)
    else:
        build_site(SETTINGS, output, overrides)


def run(spec: dict) -> dict:
    """Build once as ``spec`` says; return the report."""
    from pelican.log import init  # noqa: PLC0415

    init(level=logging.ERROR)
    os.chdir(ROOT)
    profiler = cProfile.Profile() if spec.get("profile") else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    if spec["variant"] == "A":
        build_project(
            spec["content"],
            spec["output"],
            spec.get("cache"),
            spec.get("extra", {}),
            spec.get("search", True),
        )
    else:
        build_plain(spec["content"], spec["output"], spec.get("cache"))
    if profiler:
        profiler.disable()
        profiler.dump_stats(spec["profile"])
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "maxrss_self_kib": own,
        "maxrss_children_kib": children,
    }


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    report = run(spec)
    with open(spec["result"], "w", encoding="utf-8") as handle:
        json.dump(report, handle)


if __name__ == "__main__":
    main()
