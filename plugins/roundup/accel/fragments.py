"""Template fragments rendered once per build and key: ``{% cache key %}``.

An article page lists its ~25 entities (name, native name, type, short
description, link), and each roundup appears as a card on its tag, category,
period and index pages: the same HTML, rendered again with every page, a few
hundred escaped values a page. In the theme::

    {% cache "entity-item", e.slug, SITEURL %}<li>...</li>{% endcache %}

renders the body the first time a key is met and repeats that text after.
The key must name everything the body shows: here the entity (its name,
description and URL are fixed for a build) and ``SITEURL``, which differs
between pages when ``RELATIVE_URLS`` is on. The cache belongs to the Jinja
environment, which Pelican makes for each generator at each build, so
``pelican --autoreload`` never sees a fragment of an earlier build.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import ClassVar

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser


class FragmentCacheExtension(Extension):
    """Jinja extension: ``{% cache a, b %}...{% endcache %}``."""

    tags: ClassVar[set[str]] = {"cache"}

    def __init__(self, environment) -> None:
        super().__init__(environment)
        environment.extend(fragment_cache={})

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = parser.parse_tuple()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [key])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, key: Hashable, caller: Callable[[], str]) -> str:
        cache: dict = self.environment.fragment_cache
        found = cache.get(key)
        if found is None:
            found = cache[key] = caller()
        return found


def cache_fragments(generator) -> None:
    """``generator_init``: the theme's ``{% cache %}`` tag, in every generator."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.add_extension(FragmentCacheExtension)
