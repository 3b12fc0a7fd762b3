"""Period archives grouped with set lookups (roundup.accel.periods), against Pelican's own."""

from __future__ import annotations

from datetime import datetime

import pytest
from pelican.generators import ArticlesGenerator

from roundup.accel.periods import group_periods, period_archives


class Dated:
    """Compared by identity, like Pelican's contents."""

    def __init__(self, date: datetime) -> None:
        self.date = date


class Valued(Dated):
    """Equal when dated alike: membership must use ``==``, as Pelican's does."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Valued) and other.date == self.date

    __hash__ = None  # type: ignore[assignment]


DAYS = [(2023, 12, 31), (2024, 1, 2), (2024, 1, 2), (2024, 3, 9), (2025, 3, 9)]
ALL = {
    "YEAR": "{date:%Y}/",
    "MONTH": "{date:%Y}/{date:%m}/",
    "DAY": "{date:%Y}/{date:%m}/{date:%d}/",
}


def settings(*on: str) -> dict:
    made = {}
    for granularity, pattern in ALL.items():
        made[f"{granularity}_ARCHIVE_SAVE_AS"] = pattern + "index.html" if granularity in on else ""
        made[f"{granularity}_ARCHIVE_URL"] = pattern if granularity in on else ""
    return made


def newest_first(articles: list) -> list:
    return sorted(articles, key=lambda a: a.date, reverse=True)


def unsorted(articles: list) -> list:
    """Not in date order, one article twice in two runs: groups repeat a period."""
    return [articles[0], articles[3], articles[1], articles[0], *articles[2:]]


@pytest.mark.parametrize("order", [newest_first, unsorted])
@pytest.mark.parametrize("kind", [Dated, Valued])
@pytest.mark.parametrize(
    "on", [("YEAR", "MONTH", "DAY"), ("YEAR", "MONTH"), ("DAY",), ()], ids=repr
)
def test_archives_equal_pelicans(kind: type, on: tuple, order) -> None:
    articles = [kind(datetime(*day, 8)) for day in DAYS]
    articles.append(articles[1])  # listed twice: Pelican lists it twice too
    dates = order(articles)
    ours = period_archives(dates, articles, settings(*on))
    pelicans = ArticlesGenerator._build_period_archives(None, dates, articles, settings(*on))
    assert list(ours) == list(pelicans) == [g.lower() for g in on]
    for granularity in ours:
        assert len(ours[granularity]) == len(pelicans[granularity])
        for mine, theirs in zip(ours[granularity], pelicans[granularity], strict=True):
            assert mine.keys() == theirs.keys()
            for name in mine:
                assert mine[name] == theirs[name], (granularity, name)
                if name in ("articles", "dates"):
                    assert list(map(id, mine[name])) == list(map(id, theirs[name]))


def test_month_archive_lists_its_articles_in_their_order() -> None:
    articles = [Dated(datetime(*day)) for day in DAYS]
    archives = period_archives(articles[::-1], articles, settings("MONTH"))
    march_2024 = archives["month"][1]
    assert march_2024["period"] == (2024, "March")
    assert march_2024["period_num"] == (2024, 3)
    assert march_2024["url"] == "2024/03/"
    assert march_2024["articles"] == [articles[3]]
    january = archives["month"][2]
    assert january["articles"] == [articles[1], articles[2]]


def test_only_a_generator_with_pelicans_method_is_given_ours() -> None:
    class Other:
        pass

    other = Other()
    group_periods(other)
    assert not hasattr(other, "_build_period_archives")
    generator = ArticlesGenerator.__new__(ArticlesGenerator)
    group_periods(generator)
    assert generator._build_period_archives is period_archives
