"""Taxonomy lists with set-backed membership (roundup.accel.taxonomies)."""

from __future__ import annotations

import pickle
from types import SimpleNamespace

import pytest

from roundup.accel.taxonomies import Members, index_taxonomies


class Item:
    """Compared by identity, like Pelican's contents."""


class Valued:
    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Valued) and other.value == self.value

    __hash__ = None  # type: ignore[assignment]


ITEMS = [Item() for _ in range(6)]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda x: x.append(ITEMS[4]),
        lambda x: x.extend([ITEMS[4], ITEMS[5]]),
        lambda x: x.insert(0, ITEMS[5]),
        lambda x: x.remove(ITEMS[0]),
        lambda x: x.pop(),
        lambda x: x.clear(),
        lambda x: x.__setitem__(1, ITEMS[5]),
        lambda x: x.__setitem__(slice(0, 2), [ITEMS[4]]),
        lambda x: x.__delitem__(0),
        lambda x: x.__iadd__([ITEMS[5]]),
        lambda x: x.__imul__(0),
        lambda x: x.sort(key=id),
        lambda x: x.reverse(),
    ],
)
def test_membership_follows_every_mutation(mutate):
    members, plain = Members(ITEMS[:4]), list(ITEMS[:4])
    assert [item in members for item in ITEMS] == [item in plain for item in ITEMS]
    mutate(members)
    mutate(plain)
    assert members == plain
    assert [item in members for item in ITEMS] == [item in plain for item in ITEMS]


def test_items_with_their_own_equality_compare_by_value():
    members = Members([Valued(1), Valued(2)])
    assert Valued(2) in members
    assert Valued(3) not in members


def test_a_pickled_list_answers_for_its_own_items():
    members = Members([Item(), Item()])
    assert members[0] in members
    copy = pickle.loads(pickle.dumps(members))
    assert type(copy) is Members
    assert copy[0] in copy and copy[1] in copy
    assert members[0] not in copy


def test_taxonomies_get_members_lists_in_the_generator_and_context():
    tag, category = object(), object()
    articles = list(ITEMS[:3])
    categories = [(category, list(ITEMS[:2]))]
    context = {"tags": [(tag, articles)], "categories": categories}
    generator = SimpleNamespace(tags={tag: articles}, categories=categories, context=context)
    index_taxonomies(generator)
    assert type(generator.tags[tag]) is Members
    assert generator.tags[tag] == articles
    assert context["tags"] == [(tag, generator.tags[tag])]
    assert context["categories"] is categories  # Pelican shares this list with the context
    assert type(categories[0][1]) is Members
    assert ITEMS[1] in categories[0][1] and ITEMS[2] not in categories[0][1]
