"""Settings of the roundup plugin, with their defaults in one place.

Each setting: name (type, default) — what it does; example.

- ``ENTITY_PATHS`` (list of str, ``["entities"]``) — folders in ``PATH`` holding
  one ``<slug>.md`` per entity; e.g. ``["glossary"]``.
- ``ENTITY_URL`` (str, ``"entities/{slug}/"``) — URL of an entity page;
  e.g. ``"glossary/{slug}.html"``.
- ``ENTITY_SAVE_AS`` (str, ``"entities/{slug}/index.html"``) — where it is
  written; e.g. ``"glossary/{slug}.html"``.
- ``ENTITY_INDEX_URL`` (str, ``"entities/"``) — URL of the glossary index.
- ``ENTITY_INDEX_SAVE_AS`` (str, ``"entities/index.html"``) — ``""`` disables it.
- ``ENTITY_FEED_ATOM`` (str, ``"entities/{slug}/atom.xml"``) — per-entity Atom
  feed of the articles that mention it; ``""`` disables them.
- ``ENTITY_EXPORT_JSON`` (str, ``"entities/entities.json"``) — every entity with
  its mentions, for other programs; ``""`` disables it.
- ``ENTITY_RELATED_LIMIT`` (int, ``8``) — related entities listed per page; e.g. ``12``.
- ``ENTITY_PAGE_ARTICLES`` (int, ``40``) — newest roundups quoted on an entity
  page (``entity.latest_appearances``; ``entity.earlier_count`` says how many
  more there are); ``0``: all. Keeps entity pages small as the site grows.
- ``ENTITY_FEED_MAX_ITEMS`` (int, ``20``) — entries per entity feed (newest);
  ``0``: Pelican's ``FEED_MAX_ITEMS``.
- ``ENTITY_TYPE_LABELS`` (dict, see ``DEFAULTS``) — display label of each
  ``Type``; e.g. ``{"company": "Firm", ...}``.
- ``SEARCH_INDEX`` (bool, ``True``) — index the site with Pagefind into
  ``pagefind/`` (:mod:`roundup.search`); ``False`` builds without a search index.
- ``ROUNDUP_LOCK_WAIT`` (int, ``600``) — seconds ``invoke build`` waits for
  another build of the same output folder to end before it refuses
  (:mod:`roundup.swap`); e.g. ``0``: refuse at once.
- ``ROUNDUP_ACCELERATE`` (bool, ``True``) — the speed layer (:mod:`roundup.accel`,
  listed in ``PLUGINS`` after ``roundup``). ``False``: the plugin uses only
  Pelican's public extension points and its own content cache; the site is
  byte for byte the same, only slower.
- ``ROUNDUP_ACCEL_OFF`` (list of str, ``[]``) — speed mechanisms to leave off
  (names in :data:`roundup.accel.MECHANISMS`), for measuring each one
  (``invoke bench --ablate``).
- ``READ_PROCESSES`` (int or None, ``None``) — with the speed layer, worker
  processes that read articles in parallel; ``None``: one per CPU, ``1``: read
  in the build process only.
- ``RENDER_PROCESSES`` (int or None, ``None``) — with the speed layer, worker
  processes that render entity pages and feeds; ``None``: one per CPU, ``1``:
  render in the build process only.
- ``PAGE_CACHE_SITE_TEMPLATES`` (list of str, ``["archives", "tags", "search",
  "404"]``) — with the speed layer and the content cache, templates (names
  without ``.html``) whose pages show only site data: settings, theme, entity
  files and every article's and page's title, URL, date, summary and tags. A
  page of one of them is rendered again only when that changes; a page
  without objects of its own from any other template is rendered at every
  build. Add a template only if that holds for it, e.g. ``"authors"``.
- ``SLIM_TEMPLATES`` (bool, ``True``) — compile HTML templates without their
  indentation (:mod:`roundup.site.theme`); ``False`` keeps it, e.g. to read the output.
- ``MINIFY_THEME_ASSETS`` (bool, ``True``) — minify the theme's CSS and JS in the
  output with rcssmin/rjsmin; ``False`` ships them as written.
- ``DIGEST_INDEX_URL`` (str, ``"digest/"``) — URL of the site-wide Digest Hub:
  every roundup's key points, newest first (:mod:`roundup.site.digest_hub`).
- ``DIGEST_INDEX_SAVE_AS`` (str, ``"digest/index.html"``) — where its first page
  is written (later pages follow ``PAGINATION_PATTERNS``); ``""`` disables it.
- ``DIGEST_PAGINATION`` (int, ``20``) — roundups per Digest Hub page; e.g. ``50``.
- ``DIGEST_FEED_ATOM`` (str, ``"feeds/digest.atom.xml"``) — Atom feed with one
  entry per roundup holding its key points; ``""`` disables it.
- ``SITEMAP_SAVE_AS`` (str, ``"sitemap.xml"``) — the sitemap of every page the
  build writes (:mod:`roundup.site.sitemap`); ``""`` disables it.
- ``SITEMAP_EXCLUDE`` (list of str, ``[]``) — regular expressions; pages whose
  URL (relative, e.g. ``"search/"``) matches one are left out of the sitemap;
  e.g. ``[r"^search/", r"^tags/"]``.
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
    "ENTITY_PAGE_ARTICLES": 40,
    "ENTITY_FEED_MAX_ITEMS": 20,
    "SEARCH_INDEX": True,
    "ROUNDUP_LOCK_WAIT": 600,
    "ROUNDUP_ACCELERATE": True,
    "ROUNDUP_ACCEL_OFF": [],
    "READ_PROCESSES": None,
    "RENDER_PROCESSES": None,
    "PAGE_CACHE_SITE_TEMPLATES": ["archives", "tags", "search", "404"],
    "SLIM_TEMPLATES": True,
    "MINIFY_THEME_ASSETS": True,
    "ENTITY_TYPE_LABELS": {
        "company": "Company",
        "organization": "Organization",
        "government": "Government body",
        "person": "Person",
        "product": "Product",
        "place": "Place",
    },
    "DIGEST_INDEX_URL": "digest/",
    "DIGEST_INDEX_SAVE_AS": "digest/index.html",
    "DIGEST_PAGINATION": 20,
    "DIGEST_FEED_ATOM": "feeds/digest.atom.xml",
    "SITEMAP_SAVE_AS": "sitemap.xml",
    "SITEMAP_EXCLUDE": [],
}


def apply_defaults(settings: dict) -> dict:
    """Fill in every setting the project left out (in place; returns ``settings``)."""
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    return settings
