"""Names that would link ordinary text: an entity may not be called by one.

Matching is case-sensitive and word-bounded, so a company called ``Apple``
does not link "an apple"; but a name that is itself an everyday capitalised
word would link in every roundup: a word that starts sentences (``The``,
``It``), a month or weekday, a country, city, region or nationality
(``China``, ``Beijing``, ``Chinese``), or any single character.
:func:`common_word` says which, and why. Countries and Chinese provinces
come from ISO 3166 (``pycountry``), cities from the IANA time-zone database
(Python's ``zoneinfo``) and a list of mainland China's large cities, months
and weekdays from ``calendar``; the rest is listed here.
"""

from __future__ import annotations

import calendar
import functools
import re
import zoneinfo

import pycountry

# Capitalised at the start of a sentence, never a name on their own.
FUNCTION_WORDS = frozenset({
    "A", "About", "After", "Again", "Against", "All", "Also", "Although", "Among", "An", "And",
    "Another", "Any", "As", "At", "Because", "Before", "Being", "Both", "But", "By", "Can",
    "Could", "Despite", "Did", "Do", "Does", "Each", "Either", "Even", "Every", "Few", "For",
    "From", "Further", "Had", "Has", "Have", "He", "Her", "Here", "Hers", "Him", "His", "How",
    "However", "I", "If", "In", "Instead", "Into", "Is", "It", "Its", "Just", "Last", "Later",
    "Less", "Many", "May", "Meanwhile", "Might", "More", "Most", "Much", "Must", "My",
    "Neither", "Never", "Next", "No", "Nor", "Not", "Now", "Of", "Off", "On", "Once", "One",
    "Only", "Or", "Other", "Our", "Over", "Own", "Same", "She", "Should", "Since", "So",
    "Some", "Still", "Such", "Than", "That", "The", "Their", "Them", "Then", "There", "These",
    "They", "This", "Those", "Though", "Through", "Thus", "To", "Today", "Too", "Under",
    "Until", "Up", "Upon", "Very", "Was", "We", "Were", "What", "When", "Where", "Whether",
    "Which", "While", "Who", "Whom", "Whose", "Why", "Will", "With", "Within", "Without",
    "Would", "Yes", "Yet", "You", "Your",
})  # fmt: skip
REGIONS = frozenset({
    "Africa", "America", "Americas", "Antarctica", "Asia", "Asia-Pacific", "Australasia",
    "Central Asia", "East Asia", "Eastern Europe", "Europe", "Greater China", "Latin America",
    "Mainland China", "Middle East", "North America", "Oceania", "South America", "South Asia",
    "Southeast Asia", "Western Europe", "the West", "Britain", "Korea", "Mainland",
})  # fmt: skip
NATIONALITIES = frozenset({
    "African", "American", "Asian", "Australian", "Brazilian", "British", "Canadian",
    "Chinese", "Dutch", "Emirati", "English", "European", "Filipino", "French", "German",
    "Indian", "Indonesian", "Iranian", "Israeli", "Italian", "Japanese", "Korean",
    "Malaysian", "Mexican", "Russian", "Saudi", "Singaporean", "South Korean", "Spanish",
    "Swiss", "Taiwanese", "Thai", "Turkish", "Ukrainian", "Vietnamese", "Western",
})  # fmt: skip
COUNTRY_SHORT = frozenset({
    "China", "PRC", "US", "USA", "U.S.", "UK", "U.K.", "EU", "Hong Kong", "Macau", "Taiwan",
    "Russia", "Vietnam", "Iran", "Syria", "Laos", "South Korea", "North Korea", "Japan",
})  # fmt: skip
CITIES = frozenset({
    "Beijing", "Changsha", "Chengdu", "Chongqing", "Dalian", "Dongguan", "Foshan", "Fuzhou",
    "Guangzhou", "Hangzhou", "Harbin", "Hefei", "Jinan", "Kunming", "Nanjing", "Ningbo",
    "Qingdao", "Shanghai", "Shenyang", "Shenzhen", "Suzhou", "Tianjin", "Wuhan", "Wuxi",
    "Xiamen", "Xi'an", "Zhengzhou", "Zhuhai", "Washington", "Brussels", "Davos",
})  # fmt: skip
# The same in Chinese script: countries, regions, cities, nationalities.
CJK = frozenset({
    "中国", "中华", "美国", "日本", "韩国", "朝鲜", "英国", "法国", "德国", "俄罗斯", "印度",
    "欧洲", "亚洲", "非洲", "美洲", "欧盟", "香港", "澳门", "台湾", "新加坡", "越南",
    "北京", "上海", "深圳", "广州", "杭州", "成都", "武汉", "南京", "天津", "重庆", "苏州",
    "西安", "中国人", "美国人", "日本人",
})  # fmt: skip
_PROVINCE_SUFFIX = re.compile(r"\s+(Sheng|Shi|Zizhiqu|SAR|\w+zu Zizhiqu|Uygur Zizhiqu)$")
_AREAS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/")
_AREAS += ("Indian/", "Pacific/")
# Parts of old time-zone names that are no city.
_NOT_CITIES = frozenset({"Center", "Central", "East", "North", "South", "West", "Knox"})


@functools.cache
def _places() -> dict[str, str]:
    """Place name -> what it is."""
    places: dict[str, str] = {}
    for province in pycountry.subdivisions.get(country_code="CN"):
        places[_PROVINCE_SUFFIX.sub("", province.name)] = "a province"
    for zone in zoneinfo.available_timezones():
        city = zone.rsplit("/", 1)[-1].replace("_", " ")
        if zone.startswith(_AREAS) and city not in _NOT_CITIES:
            places[city] = "a city"
    places.update(dict.fromkeys(CITIES, "a city"))
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            if hasattr(country, attribute):
                places[getattr(country, attribute)] = "a country"
    places.update(dict.fromkeys(COUNTRY_SHORT, "a country"))
    places.update(dict.fromkeys(REGIONS, "a region"))
    return places


def common_word(surface: str) -> str | None:
    """Why ``surface`` would match ordinary text (``None``: it would not)."""
    text = surface.strip()
    if len(text) <= 1:
        return "a single character"
    return _words().get(text) or _places().get(text)


@functools.cache
def _words() -> dict[str, str]:
    """Everyday word -> what it is (the calendar's names are made once: each
    is a ``strftime`` call)."""
    checks = (
        (CJK, "a place or nationality in Chinese"),
        (NATIONALITIES, "a nationality"),
        ({*calendar.day_name, *calendar.day_abbr}, "a weekday"),
        ({*calendar.month_name[1:], *calendar.month_abbr[1:]}, "a month"),
        (FUNCTION_WORDS, "a word that starts sentences"),
    )
    return {word: why for words, why in checks for word in words}
