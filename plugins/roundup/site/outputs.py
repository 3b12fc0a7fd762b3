"""Every file a build plans to write, known before it writes one.

:func:`planned_outputs` lists, once every generator has its context, the
output path of each article, page, entity page and feed and static file (by
its source file), and of the pages the settings make (the index, the tag
list, the archives, feeds...) by the setting that names them. Two of them
at one path would leave only one in the site, so the build reports it
(:func:`roundup.checks.site.output_collisions`) before writing anything.
"""

from __future__ import annotations

from collections.abc import Iterator

from .contents import contents

# Pages the settings name (Pelican's and the plugin's): ``<NAME>_SAVE_AS``.
SETTINGS_OUTPUTS = (
    "FEED_ALL_ATOM",
    "FEED_ALL_RSS",
    "FEED_ATOM",
    "FEED_RSS",
    "ENTITY_INDEX_SAVE_AS",
    "ENTITY_EXPORT_JSON",
    "DIGEST_INDEX_SAVE_AS",
    "DIGEST_FEED_ATOM",
    "SITEMAP_SAVE_AS",
)
Output = tuple[str, str, bool]  # save_as, source path or setting name, whether a file


def planned_outputs(generators) -> list[Output]:
    """Contents first (in the generators' order), then what the settings make."""
    outputs: list[Output] = []
    settings = generators[0].settings
    for generator in generators:
        outputs.extend(_of_generator(generator))
    outputs.extend(_of_settings(settings))
    return outputs


def _of_generator(generator) -> Iterator[Output]:
    for content in contents(generator):
        if content.save_as:
            yield content.save_as, content.source_path, True
    for static in getattr(generator, "staticfiles", []):
        if static.save_as:
            yield static.save_as, static.source_path, True
    for entity in getattr(generator, "entity_list", []):
        if entity.save_as:
            yield entity.save_as, entity.source_path, True
        if entity.feed_url:
            yield entity.feed_url, entity.source_path, True
    for name, items in (("tag", "tags"), ("category", "categories"), ("author", "authors")):
        for wrapper in _terms(getattr(generator, items, None)):
            if wrapper.save_as:
                yield wrapper.save_as, f"{name.upper()}_SAVE_AS ({wrapper})", False
    for archives in (getattr(generator, "period_archives", None) or {}).values():
        for period in archives:
            yield period["save_as"], "period archives", False


def _terms(found) -> list:
    if isinstance(found, dict):
        return list(found)
    return [term for term, _ in found or []]


def _of_settings(settings: dict) -> Iterator[Output]:
    for template in settings.get("DIRECT_TEMPLATES", []):
        name = f"{template.upper()}_SAVE_AS"
        save_as = settings.get(name, f"{template}.html")
        if save_as:
            yield save_as, name, False
    for name in SETTINGS_OUTPUTS:
        if settings.get(name):
            yield settings[name], name, False
    for source, save_as in (settings.get("TEMPLATE_PAGES") or {}).items():
        yield save_as, f"TEMPLATE_PAGES ({source})", False
