"""Settings of the roundup plugin, with their defaults in one place.

| name | type | default | example |
|---|---|---|---|
| ``ENTITY_PATHS`` | list of str | ``["entities"]`` | ``["glossary"]`` — folders (in ``PATH``) holding one ``<slug>.md`` per entity |
| ``ENTITY_URL`` | str | ``"entities/{slug}/"`` | ``"glossary/{slug}.html"`` |
| ``ENTITY_SAVE_AS`` | str | ``"entities/{slug}/index.html"`` | ``"glossary/{slug}.html"`` |
| ``ENTITY_INDEX_SAVE_AS`` | str | ``"entities/index.html"`` | ``""`` disables the glossary index |
| ``ENTITY_INDEX_URL`` | str | ``"entities/"`` | ``"glossary/"`` |
| ``ENTITY_FEED_ATOM`` | str | ``"entities/{slug}/atom.xml"`` | ``""`` disables entity feeds |
| ``ENTITY_EXPORT_JSON`` | str | ``"entities/entities.json"`` | ``""`` disables the export |
| ``ENTITY_RELATED_LIMIT`` | int | ``8`` | ``12`` — related entities shown per page |
| ``ENTITY_TYPE_LABELS`` | dict | see below | ``{"company": "Firm", ...}`` |
"""

from __future__ import annotations

DEFAULTS: dict[str, object] = {
    "ENTITY_PATHS": ["entities"],
    "ENTITY_URL": "entities/{slug}/",
    "ENTITY_SAVE_AS": "entities/{slug}/index.html",
    "ENTITY_INDEX_SAVE_AS": "entities/index.html",
    "ENTITY_INDEX_URL": "entities/",
    "ENTITY_FEED_ATOM": "entities/{slug}/atom.xml",
    "ENTITY_EXPORT_JSON": "entities/entities.json",
    "ENTITY_RELATED_LIMIT": 8,
    "ENTITY_TYPE_LABELS": {
        "company": "Company",
        "organization": "Organization",
        "government": "Government body",
        "person": "Person",
        "product": "Product",
        "place": "Place",
    },
}


def apply_defaults(pelican) -> None:
    """``initialized`` handler: fill in every setting the project left out."""
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)
