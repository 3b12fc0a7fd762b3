"""Taxonomy lists that answer ``article in articles`` at once.

To write a tag, category or author page, Pelican picks that term's articles
out of every article by date: ``[a for a in self.dates if a in articles]``.
With a plain list each ``in`` scans the term's articles, so one term costs
its article count times the site's, and a site with 4,000 roundups and a few
dozen tags spent about half a second of every build there. :class:`Members`
is that list, with membership answered from a set of identities (Pelican's
contents compare by identity); it is kept current through every mutation.
"""

from __future__ import annotations

from typing import Any

_MUTATORS = (
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "clear",
    "__setitem__",
    "__delitem__",
    "__iadd__",
    "__imul__",
)


class Members(list):
    """A list whose ``in`` is a set lookup for items compared by identity."""

    _ids: frozenset[int] | None = None

    def __contains__(self, item: object) -> bool:
        if type(item).__eq__ is not object.__eq__:
            return list.__contains__(self, item)
        if self._ids is None:
            self._ids = frozenset(map(id, self))
        return id(item) in self._ids

    def __reduce__(self) -> tuple:
        return (Members, (list(self),))  # identities mean nothing in another process


def _forgetting(name: str) -> Any:
    method = getattr(list, name)

    def mutate(self: Members, *args: Any) -> Any:
        self._ids = None
        return method(self, *args)

    mutate.__name__ = name
    return mutate


for _name in _MUTATORS:
    setattr(Members, _name, _forgetting(_name))


def index_taxonomies(generator: Any) -> None:
    """Give an articles generator's tags, categories and authors ``Members`` lists.

    Runs at ``article_generator_finalized``: the lists are complete, and the
    context (which shares them) is rebuilt to hold the new ones.
    """
    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for tag, articles in tags.items():
            tags[tag] = Members(articles)
        generator.context["tags"] = list(tags.items())
    for name in ("categories", "authors"):
        pairs = getattr(generator, name, None)
        if isinstance(pairs, list):
            pairs[:] = [(term, Members(articles)) for term, articles in pairs]
