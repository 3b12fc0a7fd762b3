"""The speed layer: the same site as the plugin alone builds, byte for byte, sooner.

A plugin of its own, listed after ``roundup`` in ``PLUGINS``; it imports the
plugin's modules, never the other way round. ``ROUNDUP_ACCELERATE = False``
turns all of it off, ``ROUNDUP_ACCEL_OFF`` any of its mechanisms
(:data:`MECHANISMS`), for measuring what each one saves (``invoke bench
--ablate``). Every handler below does nothing for a mechanism that is off,
and none depends on the order in which Pelican's signals reach receivers.
"""

from __future__ import annotations

from pelican import signals

from ..build import build_ended
from ..site.entities import entity_pages_written
from . import hooks
from .switch import MECHANISMS  # noqa: F401 (documented here)


def register() -> None:
    signals.initialized.connect(hooks.prepare)
    signals.get_generators.connect(hooks.start_build)
    signals.generator_init.connect(hooks.generator_made)
    signals.article_generator_init.connect(hooks.articles_generator_made)
    signals.article_generator_preread.connect(hooks.before_first_read)
    signals.content_object_init.connect(hooks.content_made)
    signals.article_generator_pretaxonomy.connect(hooks.articles_listed)
    signals.article_generator_finalized.connect(hooks.articles_read)
    signals.all_generators_finalized.connect(hooks.contexts_complete)
    signals.get_writer.connect(hooks.get_writer)
    signals.article_generator_write_article.connect(hooks.article_page_writing)
    signals.content_written.connect(hooks.page_written)
    signals.article_writer_finalized.connect(hooks.article_pages_written)
    entity_pages_written.connect(hooks.entity_pages_written)
    signals.finalized.connect(hooks.build_done)
    build_ended.connect(hooks.build_done)
