"""Tech Roundup plugin: paragraph numbers, entity glossary and Digest Hub.

Settings and their defaults: :mod:`roundup.settings`.
"""

from pelican import signals

from .accel.articlecache import cache_templates
from .accel.fragments import cache_fragments
from .accel.packed import pack_body, release_all, release_page, thaw_heap
from .accel.pagecache import get_writer
from .accel.periods import group_periods
from .settings import apply_defaults
from .site.signals import (
    finish_pages,
    finish_reading,
    freeze_article_urls,
    get_generators,
    prepare_pages,
    prepare_reader,
    start_rendering,
)
from .site.sitemap import queue_page
from .site.theme import minify_theme_assets, slim_templates


def register() -> None:
    signals.initialized.connect(apply_defaults)
    signals.initialized.connect(thaw_heap)
    signals.article_generator_init.connect(prepare_reader)
    signals.article_generator_init.connect(group_periods)
    signals.page_generator_init.connect(prepare_pages)
    signals.article_generator_pretaxonomy.connect(freeze_article_urls)
    signals.article_generator_finalized.connect(finish_reading)
    signals.page_generator_finalized.connect(finish_pages)
    signals.content_object_init.connect(pack_body)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    signals.all_generators_finalized.connect(start_rendering)
    signals.content_written.connect(queue_page)
    signals.content_written.connect(release_page)
    signals.finalized.connect(release_all)
    signals.generator_init.connect(slim_templates)
    signals.generator_init.connect(cache_templates)
    signals.generator_init.connect(cache_fragments)
    signals.finalized.connect(minify_theme_assets)
