"""Pelican settings for local development (``invoke build`` / ``invoke serve``)."""

AUTHOR = "Tech Roundup Desk"
SITENAME = "Tech Roundup"
SITESUBTITLE = "A daily briefing on China and Asia tech news"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

THEME = "theme"
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
PLUGIN_PATHS = ["plugins"]
# roundup: the product (plugins/roundup); roundup.accel: its speed layer
# (ROUNDUP_ACCELERATE below); pelican-neighbors: previous/next roundup.
PLUGINS = ["roundup", "roundup.accel", "pelican.plugins.neighbors"]

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Single files, not the folder: extra/robots.txt is a template (TEMPLATE_PAGES).
STATIC_PATHS = ["extra/favicon.ico"]
EXTRA_PATH_METADATA = {"extra/favicon.ico": {"path": "favicon.ico"}}
DEFAULT_CATEGORY = "Daily Tech Roundup"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_PAGINATION = 10
SUMMARY_MAX_PARAGRAPHS = None

ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
DIRECT_TEMPLATES = ["index", "tags", "archives", "search", "404"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None}
TEMPLATE_PAGES = {"extra/robots.txt": "robots.txt"}
# Page 2 and later of any list live in a folder: digest/page/2/, page/2/, tags/ai/page/2/.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
# sitemap.xml: every written page except these (regular expressions on the URL).
SITEMAP_EXCLUDE = [r"^404\.html$", r"^search/", r"^robots\.txt$"]

# Feeds need absolute links; in development they point at `invoke serve`.
FEED_DOMAIN = "http://127.0.0.1:8000"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TAG_FEED_ATOM = "feeds/tag-{slug}.atom.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
RSS_FEED_SUMMARY_ONLY = False

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "roundup.analysis.typography": {},  # curly quotes and dashes, CJK-aware
    },
    "output_format": "html5",
}

# Roundup plugin (all settings and their defaults: plugins/roundup/settings.py)
ENTITY_PATHS = ["entities"]
ENTITY_URL = "entities/{slug}/"
ENTITY_SAVE_AS = "entities/{slug}/index.html"
DIGEST_INDEX_URL = "digest/"
DIGEST_INDEX_SAVE_AS = "digest/index.html"
DIGEST_PAGINATION = 20
DIGEST_FEED_ATOM = "feeds/digest.atom.xml"

# The speed layer (plugins/roundup/accel): the same site, byte for byte, sooner.
ROUNDUP_ACCELERATE = True

# Deterministic output: no build timestamps, stable ordering. The content
# cache is on in `invoke livereload` and `invoke regenerate` (`invoke build --cache`).
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
