"""Lighter pages: templates compiled without indentation, theme CSS/JS minified."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from test_build import build, project  # noqa: F401 (fixture)

from conftest import FUNDS_PAGE
from roundup.site.theme import DedentExtension, dedent, minify_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<ul>\n  <li>a</li>\n</ul>\n", "<ul>\n<li>a</li>\n</ul>\n"),
        ("\t\t<p>x</p>", "<p>x</p>"),
        ("<p>a  b</p>", "<p>a  b</p>"),  # only leading blanks go
        ("  {% if x %}\n    y\n  {% endif %}", "{% if x %}\n y\n{% endif %}"),
        ("a{# c #}\n  b", "a{# c #}\n b"),  # the newline goes: one blank stays
        ("", ""),
    ],
)
def test_dedent(source, expected):
    assert dedent(source) == expected


def test_extension_leaves_values_and_non_html_templates_alone():
    templates = {"page.html": "<div>\n    {{ body }}\n</div>", "robots.txt": "  User-agent: *"}
    env = Environment(loader=DictLoader(templates), extensions=[DedentExtension])
    body = "<pre>\n    indented code\n</pre>"
    assert env.get_template("page.html").render(body=body) == f"<div>\n{body}\n</div>"
    assert env.get_template("robots.txt").render() == "  User-agent: *"


@pytest.mark.parametrize(
    ("name", "text", "gone", "kept"),
    [
        ("a.css", "/* note */\nbody {\n  color : red;\n}\n", "/* note */", "body{color:red}"),
        ("a.js", "// note\nvar a = 1 ;\nfunction f ( x ) { return x; }\n", "// note", "var a=1;"),
    ],
)
def test_minify_file(tmp_path, name, text, gone, kept):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert minify_file(str(path))
    result = path.read_text(encoding="utf-8")
    assert gone not in result and kept in result and len(result) < len(text)


def test_minify_file_ignores_other_files(tmp_path):
    path = tmp_path / "a.svg"
    path.write_text("<svg>  </svg>", encoding="utf-8")
    assert not minify_file(str(path))
    assert path.read_text(encoding="utf-8") == "<svg>  </svg>"


def build_pair(content: Path, tmp_path: Path) -> tuple[Path, Path]:
    slim, plain = tmp_path / "slim", tmp_path / "plain"
    build(content, slim, SLIM_TEMPLATES=True, MINIFY_THEME_ASSETS=True)
    build(content, plain, SLIM_TEMPLATES=False, MINIFY_THEME_ASSETS=False)
    return slim, plain


def test_build_ships_slim_pages_and_assets(project, tmp_path):  # noqa: F811
    slim, plain = build_pair(project, tmp_path)
    names = (
        "theme/css/site.css",
        "theme/js/roundup.js",
        "theme/js/glossary.js",
        "theme/js/search.js",
    )
    for name in names:
        source = (ROOT / "theme/static" / name.removeprefix("theme/")).read_text(encoding="utf-8")
        assert (plain / name).read_text(encoding="utf-8") == source
        minified = (slim / name).read_text(encoding="utf-8")
        assert len(minified) < 0.85 * len(source) and "/*" not in minified
    page, unslimmed = (
        (slim / FUNDS_PAGE).read_text(encoding="utf-8"),
        (plain / FUNDS_PAGE).read_text(encoding="utf-8"),
    )
    assert "\n  <" in unslimmed and "\n  <" not in page
    # Same text and markup otherwise: only whitespace between tags differs.
    assert page.split() == unslimmed.split()
