"""A small site of marked and unmarked pages for the search index tests."""

from __future__ import annotations

from pathlib import Path

from roundup.search.shards import index_site


def page(title: str, body: str, marked: bool = True) -> str:
    mark = " data-pagefind-body" if marked else ""
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head>'
        f"<body><main{mark}><h1>{title}</h1><p>{body}</p></main></body></html>"
    )


def nio(news: str) -> str:
    """The Nio entity page, with its news list where Pagefind does not look."""
    return page("Nio", f"Electric carmaker.</p><ul data-pagefind-ignore>{news}</ul><p>More.")


PAGES = {
    "2015/01/a/index.html": page("Battery swapping", "Nio opens swapping stations."),
    "2015/02/b/index.html": page("Chip exports", "Export rules tighten for chips."),
    "2016/03/c/index.html": page("Video models", "Shengshu ships a video model."),
    "entities/nio/index.html": nio("<li>Swapping stations</li>"),
    "index.html": page("Home", "Latest roundups.", marked=False),
}


def write_site(folder: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def fresh_index(tmp_path: Path, name: str, pages: dict[str, str]) -> Path:
    site = write_site(tmp_path / name, pages)
    index_site(site)
    return site / "pagefind"
