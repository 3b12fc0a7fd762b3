"""Which pages Pagefind indexes, in which group, and a digest of what it reads of each.

Pages marked ``data-pagefind-body`` are grouped: articles by the year folder
they are written to, everything else (entity pages, site pages) in the group
``site`` (:func:`shard_of`). A page's digest covers what Pagefind reads of
it: the page without its ``data-pagefind-ignore`` elements
(:func:`indexed_bytes`).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from ..files import stamp_of

BUNDLE = "pagefind"  # the search index's folder in the site: never indexed
PRIMARY = "site"
MARKER = b"data-pagefind-body"
YEAR = re.compile(r"\d{4}")
IGNORE_ATTRIBUTE = re.compile(rb"data-pagefind-ignore(?![\w-])")  # literal first: fast
START_TAG = re.compile(rb"<([a-zA-Z][\w-]*)\s[^<>]*>")
CAPTURED = re.compile(rb"data-pagefind-(?:filter|meta|sort)")


def shard_of(page: str) -> str:
    """The group of the page at ``page`` (relative, with ``/``): its year folder, or ``site``."""
    head, sep, _ = page.partition("/")
    return head if sep and YEAR.fullmatch(head) else PRIMARY


def indexable_pages(
    site: Path,
    known: dict | None = None,
    include: Callable[[str], bool] | None = None,
    overlay: dict[str, str] | None = None,
) -> dict[str, dict[str, bytes]]:
    """Pages Pagefind would index, by :func:`shard_of` group: path -> digest of
    :func:`indexed_bytes`, in path order.

    ``known`` (page -> (stat, digest)) remembers digests between calls: a page
    whose size, inode and modification time did not change is not read again;
    after a walk of the whole site it holds the site's pages only.
    ``include`` limits the walk to the groups it accepts. ``overlay`` gives
    pages not in the site yet (page -> the file that will be it).
    """
    groups: dict[str, dict[str, bytes]] = {}
    known = {} if known is None else known
    wanted = include or (lambda group: True)
    seen = set()
    files = {page: path for path, page in _html_files(str(site), wanted)}
    files.update((p, f) for p, f in (overlay or {}).items() if wanted(shard_of(p)))
    for page, path in files.items():
        seen.add(page)
        if (digest := _page_digest(path, page, known)) is not None:
            groups.setdefault(shard_of(page), {})[page] = digest
    if include is None:
        for gone in known.keys() - seen:
            del known[gone]
    return {name: dict(sorted(pages.items())) for name, pages in sorted(groups.items())}


def _html_files(site: str, wanted: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
    """``(path, page)`` of each HTML file below ``site`` in a group ``wanted``
    accepts, outside the bundle and hidden folders (scratch space of a build:
    ``.search-*``); symbolic links to folders are not followed (as
    ``os.walk``). Strings, not ``Path``: a site has thousands of pages."""
    folders = [(site, "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                page = prefix + entry.name
                if entry.is_dir():
                    top = not prefix
                    hidden = entry.name == BUNDLE or entry.name.startswith(".")
                    skip = hidden or (top and not wanted(shard_of(page + "/")))
                    if not skip and not entry.is_symlink():
                        folders.append((entry.path, page + "/"))
                elif entry.name.endswith(".html") and (prefix or wanted(shard_of(page))):
                    yield entry.path, page


def _page_digest(path: str, page: str, known: dict) -> bytes | None:
    """Digest of what Pagefind reads of the page; ``None`` when it is not indexed."""
    stamp = stamp_of(path)
    remembered = known.get(page)
    if remembered and remembered[0] == stamp:
        return remembered[1]
    with open(path, "rb") as handle:
        html = handle.read()
    digest = hashlib.sha256(indexed_bytes(html)).digest() if MARKER in html else None
    known[page] = (stamp, digest)
    return digest


def _element_end(html: bytes, tag: bytes, start: int) -> int | None:
    """Where the element whose start tag ends at ``start`` closes (same-name nesting)."""
    depth = 1
    for match in re.compile(rb"<(/?)" + re.escape(tag) + rb"[\s/>]", re.I).finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = html.find(b">", match.end() - 1)
            return None if close < 0 else close + 1
    return None


def _ignored_elements(html: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Start, end of the start tag and tag name of each ``data-pagefind-ignore`` element."""
    for attribute in IGNORE_ATTRIBUTE.finditer(html):
        start = html.rfind(b"<", 0, attribute.start())
        tag = START_TAG.match(html, start) if start >= 0 else None
        if tag and tag.end() > attribute.end() and html[attribute.start() - 1] in b" \t\n\r\f":
            yield start, tag.end(), tag.group(1)


def indexed_bytes(html: bytes) -> bytes:
    """The page without what Pagefind leaves out: its ``data-pagefind-ignore`` elements.

    Entity pages list the roundups that mention them inside such elements, so
    most edits change them without changing their index entry. The cut is
    conservative: an ignored element holding filters, metadata or sort keys
    (which Pagefind still reads there) stays, and so does everything from an
    element whose end is not found.
    """
    parts, position = [], 0
    for start, tag_end, tag in _ignored_elements(html):
        if start < position:
            continue  # inside an element already cut
        end = _element_end(html, tag, tag_end)
        if end is None:
            break
        if not CAPTURED.search(html, start, end):
            parts.append(html[position:start])
            position = end
    parts.append(html[position:])
    return b"".join(parts)
