"""EntityGenerator: one page per entity, the glossary index, feeds and export.

Modelled on Pelican's ``generate_tags``: ``generate_context`` collects and
publishes into the shared context, ``generate_output`` writes through the
writer. Its pages and feeds are listed as jobs (:mod:`roundup.site.jobs`).

Two seams let the speed layer (:mod:`roundup.accel`) do the same work faster,
each left as it is by the plugin itself:

- :attr:`EntityGenerator.task_writer` writes the pages and feeds (the speed
  layer renders them in worker processes);
- :attr:`EntityGenerator.related_memo` makes the related-entity counts (the
  speed layer keeps them between builds).

Entity descriptions rendered ahead are taken from the context
(:data:`DESCRIPTIONS`); the others are rendered here.
"""

from __future__ import annotations

import functools
import html
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from blinker import signal
from markdown import Markdown
from pelican.contents import Content
from pelican.generators import Generator

from ..analysis.text import sentences
from ..checks.sanitize import sanitize_entity
from ..glossary import export, jsonld
from ..glossary import facts as glossary
from ..glossary.registry import EntityDef, Registry
from .contents import last_modified
from .jobs import Feed, Job, Page, Task, TaskWriter, write_tasks

logger = logging.getLogger(__name__)
REGISTRY = "roundup_registry"  # context key: the build's entity Registry
# Context key: {slug: description HTML} rendered ahead (by the speed layer).
DESCRIPTIONS = "roundup_descriptions"
_TAG = re.compile(r"<[^>]*>")
# Sent by the entities generator once its pages are in place (``sender``: the
# generator). They are the last pages of the search index's ``site`` group
# that a build writes, so indexing that group can start.
entity_pages_written = signal("roundup-entity-pages-written")
Memo = Callable[[Any, Callable[[], Any]], Any]  # (key, make) -> what make() makes


def markdown_converter(config: dict) -> Callable[[str], str]:
    """Markdown to HTML with one instance, made on first use."""
    made: list[Markdown] = []

    def convert(text: str) -> str:
        if not made:
            made.append(Markdown(**config))
        made[0].reset()
        return made[0].convert(text)

    return convert


class Entity(Content):
    """A glossary term; URLs come from ``ENTITY_URL`` and ``ENTITY_SAVE_AS``."""

    mandatory_properties = ("title",)
    default_template = "entity"

    # Pelican recomputes URLs on every access; an entity's never change once
    # made, and pages and JSON-LD ask for them thousands of times.
    @functools.cached_property
    def url(self) -> str:
        return self.get_url_setting("url")

    @functools.cached_property
    def save_as(self) -> str:
        return self.get_url_setting("save_as")


@dataclass(frozen=True)
class EntityType:
    type: str
    label: str
    count: int


def plain(html_text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", html_text)).split())


class EntityGenerator(Generator):
    """Builds :class:`Entity` objects from the registry and the articles."""

    #: Writes the entity pages and feeds (:data:`~roundup.site.jobs.TaskWriter`).
    task_writer: TaskWriter = staticmethod(write_tasks)
    #: ``memo(key, make)`` for the related-entity counts; ``None``: make them.
    related_memo: Memo | None = None

    def generate_context(self) -> None:
        registry: Registry = self.context[REGISTRY]
        self.entities = self._make_entities(registry)
        articles = list(self.context.get("articles", []))
        analyses = [a.roundup for a in articles if hasattr(a, "roundup")]
        articles = [a for a in articles if hasattr(a, "roundup")]
        self._attach_mentions(articles, analyses)
        self._attach_jsonld(articles)
        labels = self.settings["ENTITY_TYPE_LABELS"]
        ordered = sorted(self.entities.values(), key=lambda e: (e.name.casefold(), e.slug))
        counts = {t: sum(1 for e in ordered if e.type == t) for t in labels}
        self.context["entities"] = self.entities
        self.entity_list = ordered
        self.context["entity_list"] = ordered
        self.context["entity_types"] = [EntityType(t, labels[t], n) for t, n in counts.items() if n]

    def _make_entities(self, registry: Registry) -> dict[str, Entity]:
        rendered = self.context.get(DESCRIPTIONS, {})
        convert = markdown_converter(self.settings["MARKDOWN"])
        labels = self.settings["ENTITY_TYPE_LABELS"]
        entities = {}
        for slug, definition in sorted(registry.entities.items()):
            if not definition.name:
                continue
            description = rendered.get(slug)
            if description is None:
                description = convert(definition.body)
            entity = self._entity(*sanitize_entity(definition, description), labels)
            self.context["generated_content"][definition.source] = entity
            entities[slug] = entity
        return entities

    def _entity(self, d: EntityDef, description: str, labels) -> Entity:
        metadata = {"title": d.name, "slug": d.slug}
        entity = Entity(
            description,
            metadata=metadata,
            settings=self.settings,
            source_path=os.path.join(self.path, d.source),
            context=self.context,
        )
        first = sentences(plain(description))
        entity.name, entity.type, entity.slug = d.name, d.type, d.slug
        entity.type_label = labels.get(d.type, d.type.title())
        entity.aliases, entity.native_name, entity.website = d.aliases, d.native_name, d.website
        entity.short_description = first[0] if first else ""
        entity.appearances, entity.related, entity.mention_count = [], [], 0
        entity.latest_appearances, entity.earlier_count = [], 0
        entity.first_seen = entity.last_seen = None
        entity.feed_url = ""
        return entity

    def _attach_mentions(self, articles, analyses) -> None:
        found = glossary.appearances([glossary.ArticleRef(a) for a in articles], analyses)
        counts = glossary.mention_counts(analyses)
        names = {slug: e.name for slug, e in self.entities.items()}
        related = self._related(analyses, names)
        feed = self.settings["ENTITY_FEED_ATOM"]
        shown = self.settings["ENTITY_PAGE_ARTICLES"] or None
        for slug, entity in self.entities.items():
            entity.appearances = found.get(slug, [])
            entity.latest_appearances = entity.appearances[:shown]
            entity.earlier_count = len(entity.appearances) - len(entity.latest_appearances)
            entity.mention_count = counts.get(slug, 0)
            dates = [a.article.date for a in entity.appearances]
            entity.first_seen = min(dates) if dates else None
            entity.last_seen = max(dates) if dates else None
            entity.related = [
                glossary.Related(self.entities[s], n)
                for s, n in related.get(slug, [])
                if s in self.entities
            ]
            if feed and entity.appearances:
                entity.feed_url = feed.format(slug=slug)
            entity.jsonld = jsonld.Deferred(functools.partial(self._entity_jsonld, entity))

    def _related(self, analyses, names: dict[str, str]) -> dict[str, list[tuple[str, int]]]:
        """:func:`glossary.related`, through :attr:`related_memo` if set: its key
        names everything the counts depend on."""
        limit = self.settings["ENTITY_RELATED_LIMIT"]

        def make() -> dict[str, list[tuple[str, int]]]:
            return glossary.related(analyses, names, limit)

        if self.related_memo is None:
            return make()
        lists = ["\0".join(analysis.entities) for analysis in analyses]
        return self.related_memo((limit, sorted(names.items()), lists), make)

    def _absolute(self, url: str) -> str:
        siteurl = self.settings.get("SITEURL", "")
        return f"{siteurl}/{url}" if siteurl else f"/{url}"

    def _node(self, entity: Entity, full: bool = False) -> dict:
        """The entity's JSON-LD node; in an article's ``mentions``, a short
        reference (type, ``@id``, name) to the full node on its page."""
        alternate = [*entity.aliases, *([entity.native_name] if entity.native_name else [])]
        node = jsonld.entity_node(
            entity.name,
            entity.type,
            self._absolute(entity.url),
            alternate if full else (),
            entity.website if full else "",
            entity.short_description if full else "",
        )
        return node if full else {k: v for k, v in node.items() if k != "url"}

    def _entity_jsonld(self, entity: Entity) -> str:
        return jsonld.entity_document(self._node(entity, full=True))

    def _attach_jsonld(self, articles) -> None:
        """Each article's ``NewsArticle`` document, made when its page shows it."""
        publisher = {
            "@type": "Organization",
            "name": self.settings["SITENAME"],
            "url": self._absolute(""),
        }
        nodes: dict[str, dict] = {}  # an entity's short node, made when an article names it
        for article in articles:
            make = functools.partial(self._article_jsonld, article, nodes, publisher)
            article.roundup_jsonld = jsonld.Deferred(make)

    def _article_jsonld(self, article, nodes: dict, publisher: dict) -> str:
        slugs = [s for s in article.roundup.entities if s in self.entities]
        for slug in slugs:
            if slug not in nodes:
                nodes[slug] = self._node(self.entities[slug])
        modified = last_modified(article)
        return jsonld.article_document(
            headline=article.title,
            url=self._absolute(article.url),
            published=article.date.isoformat(),
            modified=modified.isoformat(),
            description=plain(getattr(article, "summary", "") or ""),
            authors=[a.name for a in getattr(article, "authors", [])],
            publisher=publisher,
            keywords=[t.name for t in getattr(article, "tags", [])],
            mentions=[nodes[s] for s in slugs],
            language=getattr(article, "lang", ""),
            section=str(getattr(article, "category", "") or ""),
        )

    @functools.cached_property
    def tasks(self) -> tuple[list[Task], list[int]]:
        """Every entity's page and feed, then the glossary index; and which
        tasks to take first (the index: written last, the slowest to render)."""
        tasks: list[Task] = [self._entity_jobs(entity) for entity in self.context["entity_list"]]
        first = []
        if self.settings["ENTITY_INDEX_SAVE_AS"]:
            first.append(len(tasks))
            tasks.append([self._index_job()])
        return tasks, first

    def generate_output(self, writer) -> None:
        """Entity pages and feeds, the index, then the export."""
        tasks, first = self.tasks
        self.task_writer(writer, self.context, tasks, first)
        entity_pages_written.send(self)
        save_as = self.settings["ENTITY_EXPORT_JSON"]
        if save_as:
            articles = [a for a in self.context.get("articles", []) if hasattr(a, "roundup")]
            path = os.path.join(self.output_path, save_as)
            export.write(path, save_as, self.entities.values(), articles, self._absolute, writer)

    def _index_job(self) -> Page:
        """The glossary index (after the entity pages, whose keys it reuses)."""
        options = {"url": self.settings["ENTITY_INDEX_URL"]}
        options["relative_urls"] = self.settings["RELATIVE_URLS"]
        options["entity_list"] = self.context["entity_list"]  # its own objects, for page keys
        save_as = self.settings["ENTITY_INDEX_SAVE_AS"]
        return Page(save_as, self.get_template("entities"), options)

    def _entity_jobs(self, entity: Entity) -> list[Job]:
        """The entity's page and feed, each left out when its setting is ``""``."""
        options = {"entity": entity, "url": entity.url}
        options["relative_urls"] = self.settings["RELATIVE_URLS"]
        jobs: list[Job] = []
        if entity.save_as:
            template = self.get_template(entity.template)
            jobs.append(Page(entity.save_as, template, options))
        if not entity.feed_url:
            return jobs
        feed = Feed(
            functools.partial(self._feed_entries, entity),  # made where it is keyed
            entity.feed_url,
            self._absolute(entity.feed_url),
            f"{entity.name} in the news",
        )
        return [*jobs, feed]

    def _feed_entries(self, entity: Entity) -> list[glossary.FeedEntry]:
        """The entity feed's items: its newest appearances first."""
        newest = sorted(
            entity.appearances, key=lambda a: (a.article.date, a.article.url), reverse=True
        )
        limit = self.settings["ENTITY_FEED_MAX_ITEMS"] or None
        return [glossary.FeedEntry(a) for a in newest[:limit]]
