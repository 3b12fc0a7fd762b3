"""Tech Roundup plugin: paragraph numbers, entity glossary and Digest Hub.

The pipeline, one folder a stage:

- :mod:`roundup.analysis`: what happens while Markdown renders an article
  (paragraph numbers, mentions, the digest, typography);
- :mod:`roundup.glossary`: the entity files, what articles say of each entity,
  the export and JSON-LD;
- :mod:`roundup.checks`: content checks and the HTML sanitizer;
- :mod:`roundup.site`: the Pelican side (reader, generators, signal handlers);
- :mod:`roundup.search`: the Pagefind index;
- :mod:`roundup.build`: the safe build behind ``invoke build``.

The speed layer, :mod:`roundup.accel`, is a plugin of its own (listed after
this one in ``PLUGINS``, switched by ``ROUNDUP_ACCELERATE``); nothing here
imports it. Settings and their defaults: :mod:`roundup.settings`.
"""

from pelican import signals

from .site import handlers
from .site.feeds import own_feed_id
from .site.sitemap import queue_page
from .site.theme import minify_theme_assets, slim_templates


def register() -> None:
    signals.initialized.connect(handlers.prepare_settings)
    signals.get_generators.connect(handlers.get_generators)
    signals.article_generator_init.connect(handlers.install_reader)
    signals.page_generator_init.connect(handlers.install_page_readers)
    signals.article_generator_finalized.connect(handlers.collect_article_problems)
    signals.page_generator_finalized.connect(handlers.collect_page_problems)
    signals.all_generators_finalized.connect(handlers.stop_on_errors)
    signals.generator_init.connect(slim_templates)
    signals.feed_generated.connect(own_feed_id)
    signals.content_written.connect(queue_page)
    signals.finalized.connect(minify_theme_assets)
