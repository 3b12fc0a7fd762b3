"""``{% cache key %}``: a fragment rendered once per build and key, and the
site the same as without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup
from pelican import Pelican
from test_build import build, project  # noqa: F401 (fixture)

from conftest import SORA_PAGE, snapshot
from roundup.accel.fragments import FragmentCacheExtension
from roundup.build import load_settings


def environment(template: str, **options) -> Environment:
    loader = DictLoader({"t.html": template})
    return Environment(loader=loader, extensions=[FragmentCacheExtension], **options)


def test_a_key_met_again_repeats_its_first_rendering() -> None:
    template = environment("{% cache 'item', key %}{{ value }}{% endcache %}").get_template(
        "t.html"
    )
    assert template.render(key="a", value="one") == "one"
    assert template.render(key="a", value="two") == "one"
    assert template.render(key="b", value="two") == "two"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% for x in xs %}{% cache x %}[{{ x }}]{% endcache %}{% endfor %}", "[1][2][1]"),
        ("{% for x in xs %}{% cache 'k' %}[{{ x }}]{% endcache %}{% endfor %}", "[1][1][1]"),
        ("{% for x in xs %}{% cache 'k', x, loop.index %}{{ x }}{% endcache %}{% endfor %}", "121"),
        ("a\n{% cache 1 %}\nb\n{% endcache %}\nc", "a\nb\nc"),
    ],
)
def test_keys_and_blocks(source: str, expected: str) -> None:
    env = environment(source, trim_blocks=True, lstrip_blocks=True)
    assert env.get_template("t.html").render(xs=[1, 2, 1]) == expected


def test_escaping_is_kept() -> None:
    env = environment(
        "{% cache 1 %}{{ v }}{% endcache %}|{% cache 1 %}{% endcache %}", autoescape=True
    )
    assert env.get_template("t.html").render(v="<b>") == "&lt;b&gt;|&lt;b&gt;"
    assert isinstance(env.fragment_cache[1], Markup)


def test_each_environment_has_its_own_cache() -> None:
    source = "{% cache 'k' %}{{ v }}{% endcache %}"
    first, second = environment(source), environment(source)
    assert first.get_template("t.html").render(v="one") == "one"
    assert second.get_template("t.html").render(v="two") == "two"


def test_the_site_is_the_same_as_without_the_cache(project, monkeypatch):  # noqa: F811
    build(project, project / "cached")
    monkeypatch.setattr(FragmentCacheExtension, "_fragment", lambda self, key, caller: caller())
    build(project, project / "uncached")
    cached = snapshot(project / "cached")
    assert cached == snapshot(project / "uncached")
    page = (project / "cached" / SORA_PAGE).read_text(encoding="utf-8")
    assert page.count('<li data-entity="') >= 5


def test_a_rebuild_by_the_same_pelican_shows_an_edited_entity(project: Path):  # noqa: F811
    """``pelican --autoreload`` runs again with the same settings: the entity
    items of the article pages are rendered anew."""
    settings = load_settings(
        "pelicanconf.py", {"PATH": str(project / "content"), "OUTPUT_PATH": str(project / "out")}
    )
    pelican = Pelican(settings)
    pelican.run()
    page = project / "out" / SORA_PAGE
    assert "Quietly rewritten" not in page.read_text(encoding="utf-8")
    entity = project / "content/entities/sora.md"
    text = entity.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    entity.write_text(f"{head}\n\nQuietly rewritten. {body}", encoding="utf-8")
    pelican.run()
    assert "Quietly rewritten" in page.read_text(encoding="utf-8")
