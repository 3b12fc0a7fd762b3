"""schema.org JSON-LD for entity and article pages (pure)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

SCHEMA_TYPES = {
    "company": "Organization",
    "organization": "Organization",
    "government": "GovernmentOrganization",
    "person": "Person",
    "product": "Product",
    "place": "Place",
}


def script_json(data: dict[str, Any]) -> str:
    """JSON that is safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("</", "<\\/")


def entity_node(
    name: str,
    kind: str,
    url: str,
    alternate: Sequence[str],
    website: str = "",
    description: str = "",
) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": SCHEMA_TYPES.get(kind, "Thing"),
        "@id": f"{url}#entity",
        "name": name,
        "url": url,
    }
    if alternate:
        node["alternateName"] = list(alternate)
    if website:
        node["sameAs"] = website
    if description:
        node["description"] = description
    return node


def entity_document(node: dict[str, Any]) -> str:
    return script_json({"@context": "https://schema.org", **node})


def article_document(
    headline: str,
    url: str,
    published: str,
    modified: str,
    description: str,
    authors: Sequence[str],
    publisher: dict[str, Any],
    keywords: Sequence[str],
    mentions: Sequence[dict[str, Any]],
    language: str = "",
    section: str = "",
) -> str:
    """A ``NewsArticle``; ``mentions`` are entity nodes whose ``@id`` is the one
    on the entity's own page, the publisher's ``@id`` the same on every page."""
    site = publisher.get("url", "")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": f"{url}#article",
        "headline": headline,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": published,
        "dateModified": modified,
        "description": description,
        "author": [{"@type": "Organization", "name": a} for a in authors],
        "publisher": {"@id": f"{site}#publisher", **publisher},
        "isPartOf": {
            "@type": "WebSite",
            "@id": f"{site}#website",
            "url": site,
            "name": publisher.get("name", ""),
        },
        "mentions": list(mentions),
    }
    if keywords:
        data["keywords"] = list(keywords)
    if language:
        data["inLanguage"] = language
    if section:
        data["articleSection"] = section
    return script_json(data)


class Deferred:
    """Markup made when a template shows it (``{{ value|safe }}``), not before:
    thousands of articles need not hold their JSON-LD until their page."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], str]) -> None:
        self.make = make

    def __html__(self) -> str:
        return self.make()

    __str__ = __html__
