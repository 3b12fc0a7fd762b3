"""Skip rendering pages whose inputs did not change (``pagecache``, with the content cache on).

Pelican renders and writes every page on every build, even when one article
changed. :class:`PageCacheWriter` (installed through ``get_writer`` when
``CACHE_CONTENT`` or ``LOAD_CONTENT_CACHE`` is on) keys each page and feed by
its inputs (:mod:`roundup.accel.pagekeys`) and keeps what was rendered in
``CACHE_PATH/roundup-pages``. A page whose key is known
is written from there: Pelican still writes the file and sends its signals
(the sitemap sees every page), it only skips the template.

With the site being replaced at hand (``build_site``), a page or feed whose
key and file are unchanged is not even written: it is hard-linked from there
(``links``, :mod:`roundup.accel.outputlinks`) and Pelican's
``content_written`` is still sent.

A page without objects of its own is keyed on the site alone when its
template is one of ``PAGE_CACHE_SITE_TEMPLATES`` (archives, tag list, search,
404: they show only what the site part covers), and is otherwise rendered at
every build. So are pages whose rendering logged a warning or error (so the
message appears on every build until fixed) and feeds when another plugin
listens to feed signals (the plugin's own feed ids are part of the text).
"""

from __future__ import annotations

import logging
import os

from pelican import signals
from pelican.writers import Writer

from ..build import PREVIOUS_OUTPUT
from ..fingerprints import digest
from ..site.entities import REGISTRY
from ..site.feeds import own_feed_id
from .outputlinks import LinkingWriter, OutputLinks
from .pagekeys import Fingerprints, UncacheableError
from .pagestore import PageStore
from .switch import active
from .workers import WarningAlarm

logger = logging.getLogger(__name__)
STORE = "roundup-pages"
PRINTS = "roundup_fingerprints"  # context key: the build's Fingerprints
PAGE_PARTS = ("_page", "_paginator", "_previous_page", "_next_page")  # added by pagination


class _CachedTemplate:
    """Stands in for a Jinja template in ``Writer.write_file``: each page of a
    paginated call is keyed here, with the page's own objects, and rendered
    only if the store does not hold it."""

    def __init__(self, template, call: str, parts: list[str], writer: PageCacheWriter,
                 paged: bool) -> None:  # fmt: skip
        self.template, self.call, self.parts, self.writer = template, call, parts, writer
        self.paged = paged
        self.names: list[str] = []  # pages kept, in order
        self.complete = True  # every page so far was kept

    def render(self, localcontext: dict) -> str:
        writer = self.writer
        key = writer.page_key(self.call, self.parts, localcontext)
        name = localcontext.get("output_file")
        writer.stored = None
        text = writer.through_cache(key, lambda: self.template.render(localcontext))
        if self.paged and writer.stored and writer.links is not None:
            writer.links.expect(name, key, writer.stored, writer.path_of(name))
            self.names.append(name)
        else:
            self.complete = False
        return text


class PageCacheWriter(LinkingWriter, Writer):
    """A Pelican writer that reuses what an earlier build rendered."""

    def __init__(self, output_path, settings=None) -> None:
        super().__init__(output_path, settings=settings)
        folder = os.path.join(self.settings["CACHE_PATH"], STORE)
        load = self.settings["LOAD_CONTENT_CACHE"]
        save = self.settings["CACHE_CONTENT"]
        self.store = PageStore(folder, load, save)
        previous = self.settings.get(PREVIOUS_OUTPUT) if active(self.settings, "links") else None
        self.links: OutputLinks | None = OutputLinks(folder, previous, load, save)
        self.fingerprints: Fingerprints | None = None
        self.quiet = True  # no warning logged while rendering so far
        self.stored: str | None = None  # store key of the text last written, if kept
        signals.finalized.connect(self._finalized)  # a weak reference: one build

    def _finalized(self, _pelican) -> None:
        signals.finalized.disconnect(self._finalized)
        if self.links is not None:
            self.links.save()
        if self.quiet:
            self.store.prune()

    def _prints(self, context: dict) -> Fingerprints:
        if self.fingerprints is None:
            self.fingerprints = site_prints(context, self.settings)
        return self.fingerprints

    def call_key(self, prints: Fingerprints, name, template, options, kwargs) -> str | None:
        """Key of one ``write_file`` call, or ``None`` when it is not cached."""
        owned = [key for key, value in kwargs.items() if prints.owns(value)]
        paginated = options["template_name"] in self.settings["PAGINATED_TEMPLATES"]
        if not owned and not paginated and not self._shows_site_only(template):
            return None
        # A paginated page shows its own items (keyed per page); of the whole
        # list only the order matters, what it shows of others is site data.
        lists = set(_lists(options, kwargs)) if paginated else set()
        try:
            values = sorted(
                (key, prints.order(value) if key in lists else prints.of(value))
                for key, value in kwargs.items()
            )
        except UncacheableError:
            return None
        return digest(prints.site, name, getattr(template, "name", None), options, values)

    def _shows_site_only(self, template) -> bool:
        """Whether ``template`` is one that shows site data only (``PAGE_CACHE_SITE_TEMPLATES``)."""
        name = os.path.splitext(getattr(template, "name", None) or "")[0]
        return name in self.settings["PAGE_CACHE_SITE_TEMPLATES"]

    def page_key(self, call: str, parts: list[str], localcontext: dict) -> str | None:
        """Key of one page of a call: pagination adds the page's own objects."""
        prints = self.fingerprints
        try:
            pages = [(k, prints.of(localcontext.get(k))) for k in parts] if prints else []
        except UncacheableError:
            return None
        where = (localcontext.get("output_file"), localcontext.get("SITEURL"))
        return digest(call, where, localcontext.get("localsiteurl"), pages)

    def through_cache(self, key: str | None, render) -> str:
        """The stored text for ``key``, or ``render()`` (stored if nothing was logged)."""
        if key is None:
            return render()
        text = self.store.get(key)
        if text is not None:
            self.stored = key
            return text
        alarm = WarningAlarm()
        root = logging.getLogger()
        root.addHandler(alarm)
        try:
            text = render()
        finally:
            root.removeHandler(alarm)
        self.quiet = self.quiet and not alarm.raised
        if self.quiet:
            self.store.put(key, text)
            self.stored = key
        return text

    def cached_texts(self, name: str, inputs: list[tuple], make) -> list[str]:
        """Texts made from ``inputs`` (one tuple of site data and contents each;
        ``make(index)`` makes one), kept together in the store under ``name``.
        For texts whose making logs nothing (an export's lines)."""
        return self.store.texts(name, [self._text_key(each) for each in inputs], make)

    def _text_key(self, inputs: tuple) -> str | None:
        if self.fingerprints is None:
            return None
        try:
            return digest(self.fingerprints.site, [self.fingerprints.of(i) for i in inputs])
        except UncacheableError:
            return None

    def _whole_call(self, name, template, context, options, kwargs) -> tuple[str | None, bool]:
        """The call's key, and whether it writes one file (keyed by that key)."""
        call = self.call_key(self._prints(context), name, template, options, kwargs)
        return call, call is not None and not self._paginates(options, kwargs)

    def link_ahead(self, target, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
        """:meth:`write_file`'s link of a whole call, into ``target`` (a worker's)."""
        options = _options(relative_urls, paginated, template_name, override_output, url)
        call, single = self._whole_call(name, template, context, options, kwargs)
        return self._link_ahead(name, call if single else None, target)

    def feed_link_ahead(self, target, elements, context, path, url=None, feed_type="atom",
                        override_output=False, feed_title=None):  # fmt: skip
        """:meth:`write_feed`'s link, into ``target`` (a worker's)."""
        key = self._feed_key(elements, context, path, url, feed_type, override_output, feed_title)
        return self._link_ahead(path, key, target)

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
        options = _options(relative_urls, paginated, template_name, override_output, url)
        call, single = self._whole_call(name, template, context, options, kwargs)
        linked = self._linked(name, call, override_output) if single else None
        if linked:
            self._announce(linked, name, context, relative_urls, kwargs)
            return None
        lists = _lists(options, kwargs)
        whole = self.list_key(call, lists, paginated or kwargs) if call and not single else None
        if whole and self.link_list(whole, context, relative_urls, override_output, kwargs):
            return None
        if call is not None:
            parts = [f"{k}{part}" for k in lists for part in PAGE_PARTS]
            template = _CachedTemplate(template, call, parts, self, not single)
        self.stored = None
        written = super().write_file(name, template, context, relative_urls, paginated,
                                     template_name, override_output, url, **kwargs)  # fmt: skip
        if single and self.stored:
            self._record(name, call, self.stored, self.path_of(name))
        elif whole and template.complete and self.links is not None:
            self.links.lists_now[whole] = tuple(template.names)
        return written

    def list_key(self, call: str, lists: list[str], source: dict) -> str | None:
        """Key of a paginated call as a whole: its call key (the lists' order)
        and every listed item (what each page's key takes of its own items)."""
        try:
            items = [self.fingerprints.of_all(source[k]) for k in lists]
        except UncacheableError:
            return None
        return digest(call, items)

    def _paginates(self, options: dict, kwargs: dict) -> bool:
        """Whether Pelican may split the call into several pages (see ``Writer.write_file``)."""
        paginated = options["template_name"] in self.settings["PAGINATED_TEMPLATES"]
        return paginated and bool(_lists(options, kwargs))

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):  # fmt: skip
        key = self._feed_key(elements, context, path, url, feed_type, override_output, feed_title)
        if key and self._linked(path, key, override_output):
            return None
        args = (elements, context, path, url, feed_type, override_output, feed_title)
        text = self.store.get(key) if key else None
        complete = self.path_of(path) if path else None
        if text is None:
            feed = super().write_feed(*args)
            if key and self.quiet:
                self.store.put(key, self._written_text(complete))
                self._record(path, key, key, complete)
            return feed
        os.makedirs(os.path.dirname(complete), exist_ok=True)
        with self._open_w(complete, "utf-8", override_output) as handle:
            handle.write(text)
        self._record(path, key, key, complete)
        return None

    def _written_text(self, path: str) -> str:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()

    def _feed_key(self, elements, context, path, url, feed_type, override, title) -> str | None:
        if not path or feeds_watched():
            return None
        prints = self._prints(context)
        limit = self.settings["FEED_MAX_ITEMS"]
        try:
            items = [prints.of(e) for e in elements[:limit]]
        except UncacheableError:
            return None
        return digest(prints.site, "feed", path, url, feed_type, override, title, items)


def _lists(options: dict, kwargs: dict) -> list[str]:
    """The lists a call is paginated by, sorted: its ``paginated`` keys, else
    the ``articles`` and ``dates`` among its objects (as ``Writer.write_file``)."""
    return options["paginated"] or sorted(kwargs.keys() & {"articles", "dates"})


def _options(relative_urls, paginated, template_name, override_output, url) -> dict:
    """What of a ``write_file`` call besides its objects goes into its key."""
    options = {"relative": relative_urls, "template_name": template_name, "url": url}
    options["override"] = override_output
    options["paginated"] = sorted(paginated) if paginated else None
    return options


def feeds_watched() -> bool:
    """Whether another plugin listens to feed signals (it expects a feed object,
    which only rendering makes); the plugin's own feed ids are in the text."""
    generated = [r for r in signals.feed_generated.receivers_for(None) if r is not own_feed_id]
    return bool(generated or signals.feed_written.receivers)


def detached(writer):
    """``writer`` without its end-of-build step: a helper (a worker's, say), not
    the build's writer, whose store and links must not be saved or pruned."""
    finalized = getattr(writer, "_finalized", None)
    if finalized is not None:
        signals.finalized.disconnect(finalized)
    return writer


def site_prints(context: dict, settings: dict) -> Fingerprints:
    """The build's :class:`Fingerprints`, made once its context is complete."""
    if PRINTS not in context:
        context[PRINTS] = Fingerprints(context, settings, context.get(REGISTRY))
    return context[PRINTS]
