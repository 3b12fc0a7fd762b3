"""Which speed mechanisms are on: ``ROUNDUP_ACCELERATE`` and ``ROUNDUP_ACCEL_OFF``."""

from __future__ import annotations

# Each mechanism: what it does (README's ablation table names them the same).
MECHANISMS = {
    "readahead": "articles read in forked worker processes before Pelican's loop asks",
    "inline": "Markdown's inline step skips patterns whose characters are absent",
    "articlecache": "whole articles cached one file each (no reader, no Article made)",
    "pagecache": "pages and feeds rendered only when their inputs changed",
    "links": "unchanged pages hard-linked from the site being replaced",
    "prerender": "entity pages and feeds rendered in forked worker processes",
    "packed": "article bodies kept compressed; rendered copies released once written",
    "urls": "article URLs computed once; {filename} links resolved once per build",
    "heap": "the garbage collector skips what the build keeps to the end",
    "periods": "year and month archives grouped in one pass",
    "taxonomies": "tag and category lists answer membership with a set",
    "searchahead": "search bundles made while pages are written, or kept from the last site",
    "templates": "compiled templates kept between builds",
    "related": "related-entity counts kept between builds",
}


def active(settings: dict, name: str) -> bool:
    """Whether mechanism ``name`` runs in a build with ``settings``."""
    if name not in MECHANISMS:
        raise KeyError(f"unknown speed mechanism {name!r}")
    return bool(settings.get("ROUNDUP_ACCELERATE", True)) and name not in settings.get(
        "ROUNDUP_ACCEL_OFF", ()
    )
