"""Safe output regardless: XSS payloads through a real build leave nothing executable.

The payload article and entity are built with the content check's stop taken
out (a build stops on them before writing anything), so only the sanitizer
stands between them and the published HTML.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from pelican import Pelican, signals

from conftest import ROOT, render
from roundup.build import load_settings
from roundup.checks.sanitize import ATTRIBUTES, TAGS, bad_scheme, blank_code, sanitize_html
from roundup.site import handlers
from roundup.site.handlers import stop_on_errors

PAYLOADS = """Title: Payloads
Date: 2024-06-02 08:00
Slug: payloads
Summary: Summary <script>alert(1)</script> with <img src=x onerror=alert(2)> image.

Lead naming Xss Corp, with a footnote[^1] and the <abbr title="World Trade Organization">WTO</abbr>.

<script>alert(3)</script>

<p onclick="alert(4)">Raw paragraph with a handler.</p>

Inline <img src=x onerror="alert(5)"> and <svg onload=alert(6)><circle r=1></circle></svg> and <svg/onload=alert(7)>.

[js](javascript:alert(8)) [mixed](JaVaScRiPt:alert(9)) [spaced](<  javascript:alert(10)>) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=)

<a href="jav&#x61;script:alert(12)">encoded</a> <a href="  javascript:alert(13)">spaces</a> <a href="java&#09;script:alert(14)">tab</a> <a href="&#106;avascript:alert(15)">decimal</a>

<iframe srcdoc="<script>alert(16)</script>"></iframe>

<math><mtext><table><mglyph><style><img src=x onerror=alert(17)></style></mglyph></table></mtext></math>

<math href="javascript:alert(18)">CLICK</math>

<div style="width: expression(alert(19)); background: url(javascript:alert(20))">styled</div>

<form action="javascript:alert(21)"><button formaction="javascript:alert(22)">go</button></form>

<object data="javascript:alert(23)"></object><embed src="javascript:alert(24)">

<meta http-equiv="refresh" content="0;url=javascript:alert(25)">

<base href="javascript:alert(26)//">

A paragraph with a Markdown attribute list.
{: onmouseover="alert(27)" style="background:url(javascript:alert(28))" }

An [attribute-list link](https://example.com){: href="javascript:alert(29)" } and <a href="https://example.com" onfocus="alert(30)" autofocus>focus</a>.

## Legit markup

| Left | Right |
|:-----|------:|
| 1    | 2     |

```python
print("hello")
```

![A chart](/images/chart.png "Chart title")

See [the Sora roundup]({filename}/articles/2024-05-23-why-so-few-sora-copycats-in-china.md) and [OpenAI](https://openai.com), or [mail us](mailto:desk@example.com).

[^1]: A footnote with <b onclick="alert(31)">bold</b> text.
"""

DIGEST = """Title: Digest payloads
Date: 2024-06-03 08:00
Slug: digest-payloads

Xss Corp sold 12 robots in May.

## Robots

Factories bought 12 of them.

## Digest

- Point <script>alert(40)</script> with <img src=x onerror=alert(41)>.

Xss Corp sold 12 robots [para. 1]. Factories bought 12 <a href="javascript:alert(42)">of them</a> [para. 2].
"""

ENTITY = """Name: Xss Corp
Type: company
Website: javascript:alert(50)

Xss Corp is a test company. <script>alert(51)</script><img src=x onerror=alert(52)>
[click](javascript:alert(53)) <a href="data:text/html,x">data</a> <svg onload=alert(54)>.
"""

PAGE_HEADER = "Title: Page payloads\nSlug: page-payloads"

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
NEVER = {"iframe", "object", "embed", "svg", "math", "frame", "frameset", "applet", "base"}
CONTENT = (
    ".article-body, #digest, .entity-description, .entity-desc, .card-summary, .digest-points,"
    " .page .prose"
)
ALLOWED_ATTRIBUTES = set().union(*ATTRIBUTES.values())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A copy of the shipped content plus the payloads, built with Pelican,
    the content check's stop taken out."""
    base = tmp_path_factory.mktemp("xss")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "articles/2024-06-02-payloads.md").write_text(PAYLOADS, encoding="utf-8")
    (content / "articles/2024-06-03-digest-payloads.md").write_text(DIGEST, encoding="utf-8")
    (content / "entities/xss-corp.md").write_text(ENTITY, encoding="utf-8")
    page = PAYLOADS.replace("Title: Payloads\nDate: 2024-06-02 08:00\nSlug: payloads", PAGE_HEADER)
    (content / "pages/payloads.md").write_text(page, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        settings = load_settings(
            "pelicanconf.py", {"PATH": str(content), "OUTPUT_PATH": str(base / "out")}
        )
        pelican = Pelican(settings)  # registers the plugin's handlers
        patch.setattr(handlers, "stop_on_errors", lambda generators: None)  # the speed layer's
        signals.all_generators_finalized.disconnect(stop_on_errors)  # the plugin's own
        try:
            pelican.run()
        finally:
            signals.all_generators_finalized.connect(stop_on_errors)
    return base / "out"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def executable_url(value: str) -> bool:
    plain = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    return plain.startswith(("javascript:", "vbscript:", "data:"))


def assert_nothing_executable(soup: BeautifulSoup, where: str) -> None:
    for el in soup.find_all(True):
        assert el.name not in NEVER, (where, str(el)[:120])
        if el.name == "meta":
            assert el.get("http-equiv", "").lower() != "refresh", where
        if el.name == "script":
            if el.get("type") == "application/ld+json":
                json.loads(el.string)
            else:
                assert el.get("src") and not (el.string or "").strip(), (where, str(el))
        for name, value in el.attrs.items():
            text = " ".join(value) if isinstance(value, list) else value
            assert not name.lower().startswith("on"), (where, name, text)
            assert name.lower() != "srcdoc", where
            assert "alert(" not in text, (where, name, text)
            if name.lower() in URL_ATTRIBUTES:
                assert not executable_url(text), (where, name, text)
            if name.lower() == "style":
                assert not re.search(r"expression|url\(|javascript", text, re.I), (where, text)


def test_payload_pages_were_built(built):
    assert (built / "2024/06/payloads/index.html").exists()
    assert (built / "2024/06/digest-payloads/index.html").exists()
    assert (built / "entities/xss-corp/index.html").exists()
    assert (built / "page-payloads/index.html").exists()


def test_no_html_file_carries_anything_executable(built):
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        assert_nothing_executable(soup_of(page), str(page.relative_to(built)))


def test_content_areas_hold_only_allow_listed_markup(built):
    for page in ("2024/06/payloads/index.html", "2024/06/digest-payloads/index.html",
                 "entities/xss-corp/index.html", "index.html",
                 "page-payloads/index.html"):  # fmt: skip
        soup = soup_of(built / page)
        areas = soup.select(CONTENT)
        assert areas, page
        for area in areas:
            for el in area.find_all(True):
                assert el.name in TAGS, (page, el.name)
                assert set(el.attrs) <= ALLOWED_ATTRIBUTES, (page, str(el)[:120])


def test_feeds_carry_nothing_executable(built):
    feeds = sorted(built.rglob("*.xml"))
    atom = "{http://www.w3.org/2005/Atom}"
    checked = 0
    for feed in feeds:
        root = ElementTree.parse(feed).getroot()
        for node in [*root.iter(f"{atom}content"), *root.iter(f"{atom}summary")]:
            fragment = BeautifulSoup(node.text or "", "html.parser")
            assert not fragment.find_all(["script", *NEVER]), feed
            assert_nothing_executable(fragment, str(feed.relative_to(built)))
            checked += 1
    assert checked > 3


def test_legitimate_markup_survives(built):
    soup = soup_of(built / "2024/06/payloads/index.html")
    body = soup.select_one(".article-body")
    numbers = [int(el["id"].removeprefix("para-")) for el in body.select("[id^=para-]")]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 8
    entity = body.select_one('a.entity[data-entity="xss-corp"]')
    assert entity["href"].endswith("entities/xss-corp/")
    assert body.select_one('sup[id="fnref:1"] > a.footnote-ref[href="#fn:1"]')
    assert body.select_one('div.footnote li[id="fn:1"] a.footnote-backref[href="#fnref:1"]')
    assert [th["style"] for th in body.select("table th")] == [
        "text-align: left;",
        "text-align: right;",
    ]
    assert body.select_one('abbr[title="World Trade Organization"]').get_text() == "WTO"
    assert body.select_one("pre > code.language-python").get_text() == 'print("hello")\n'
    image = body.select_one("img[title]")
    assert (image["alt"], image["src"], image["title"]) == ("A chart", "/images/chart.png", "Chart title")  # fmt: skip
    hrefs = [a.get("href") for a in body.select("a")]
    assert any(h and h.endswith("2024/05/why-so-few-sora-copycats-in-china/") for h in hrefs)
    assert {"https://openai.com", "mailto:desk@example.com"} <= set(hrefs)
    assert body.select_one("a.para-num[aria-label='Paragraph 1'][href='#para-1']")


def test_intrasite_links_are_resolved_everywhere(built):
    for page in built.rglob("*.html"):
        assert "{filename}" not in page.read_text(encoding="utf-8"), page


def test_digest_keeps_citations_and_loses_payloads(built):
    soup = soup_of(built / "2024/06/digest-payloads/index.html")
    digest = soup.select_one("#digest")
    assert [a["href"] for a in digest.select("a.cite")] == ["#para-1", "#para-2"]
    point = digest.select_one("ul.digest-points li").get_text()
    assert " ".join(point.split()) == "Point with ."
    assert digest.find("a", string="of them").get("href") is None


def test_entity_page_keeps_description_drops_website(built):
    soup = soup_of(built / "entities/xss-corp/index.html")
    description = soup.select_one(".entity-description")
    assert description.get_text(" ", strip=True).startswith("Xss Corp is a test company.")
    assert not soup.find("dt", string="Website")
    assert [a.get("href") for a in description.select("a")] == [None, None]


# -- the sanitizer on its own ------------------------------------------------


def test_plugin_markup_is_unchanged_by_sanitizing():
    html, _ = render(
        "Nio leads[^n].\n\n## Deals\n\nNio and FAW sign.\n\n## Digest\n\nNio signs [para. 2].\n\n"
        "[^n]: Note.\n",
        {"Nio": "nio", "FAW": "faw"},
    )
    assert sanitize_html(html) == html.replace("&#160;", "&nbsp;").replace("&#8617;", "↩")


@pytest.mark.parametrize(
    "link",
    [
        "{filename}/articles/a.md",
        "{static}/images/a.png",
        "{attach}a.pdf",
        "|filename|/articles/a.md",
        "{filename}/articles/a.md#para-3",
    ],
)
def test_pelican_intrasite_links_survive(link):
    assert sanitize_html(f'<a href="{link}">x</a>') == f'<a href="{link}">x</a>'


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<a href="JAVASCRIPT:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>"),
        ('<a href="vbscript:msgbox(1)">x</a>', "<a>x</a>"),
        ("<img src=x onerror=alert(1)>", '<img src="x">'),
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
        ("<p>a<style>p{}</style>b</p>", "<p>ab</p>"),
        ('<table><tr><td style="text-align: center;">1</td></tr></table>',
         '<table><tbody><tr><td style="text-align: center;">1</td></tr></tbody></table>'),
        ('<table><tr><td style="text-align: expression(alert(1))">1</td></tr></table>',
         "<table><tbody><tr><td>1</td></tr></tbody></table>"),
        ('<a href="#x" target="_blank" rel="opener">x</a>', '<a href="#x">x</a>'),
        ("<p>x<!-- comment --></p>", "<p>x</p>"),
    ],
)  # fmt: skip
def test_sanitize_examples(dirty, clean):
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript:"),
        ("javascript&colon;alert(1)", "javascript:"),  # the colon only once decoded
        ("javascript&#58;alert(1)", "javascript:"),
        ("da&#x74;a&#x3a;text/html,x", "data:"),
        ("{filename}/entities/nio.md", ""),  # neither a colon nor an entity: no scheme
        ("../entities/nio/", ""),
        ("https://example.com/a?b=c&amp;d=e", ""),
    ],
)
def test_bad_scheme(url, scheme):
    assert bad_scheme(url) == scheme


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a `<b>` c", "`<b>`"),
        ("```\n<b>\n```\nx", "```\n<b>\n```"),
        ("~~~\n<b>\n~~~\nx", "~~~\n<b>\n~~~"),
        ("a <!-- <b> --> c", "<!-- <b> -->"),
        ("no code at all <b>", ""),
    ],
)
def test_blank_code(text, code):
    """Code and comments become spaces, lines kept; text without any stays as it is."""
    expected = text.replace(code, re.sub(r"[^\n]", " ", code)) if code else text
    assert blank_code(text) == expected
