"""Real headless Chromium: citations, highlighting, entity descriptions."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
SORA = "/2024/05/why-so-few-sora-copycats-in-china/"
FUNDS = "/2024/03/funds-pour-into-chinese-video-generation/"


IN_VIEW = (
    "sel => { const r = document.querySelector(sel).getBoundingClientRect();"
    " return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0; }"
)


def in_view(page, selector: str) -> bool:
    return page.evaluate(IN_VIEW, selector)


def scrolls_into_view(page, selector: str) -> bool:
    """True once the element is in the viewport (smooth scrolling may animate)."""
    for _ in range(50):
        if in_view(page, selector):
            return True
        page.wait_for_timeout(100)
    return False


def background(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor")


@pytest.mark.parametrize("javascript", [True, False])
def test_citation_click_scrolls_to_and_highlights_paragraph(browser, server, javascript):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.goto(server + SORA)
    plain = background(page, "#para-12")
    assert not in_view(page, "#para-12")
    page.click('#digest a.cite[href="#para-12"] >> nth=0')
    page.wait_for_function("location.hash === '#para-12'")
    assert scrolls_into_view(page, "#para-12")
    page.wait_for_timeout(400)  # let a highlight transition finish
    assert page.eval_on_selector("#para-12", "el => el.matches(':target')")
    assert background(page, "#para-12") != plain
    assert background(page, "#para-11") == plain
    context.close()


def test_generated_digest_citations_reach_their_paragraphs(page, server):
    page.goto(server + FUNDS)
    links = page.eval_on_selector_all(
        "#digest a.cite", "els => els.map(a => a.getAttribute('href'))"
    )
    assert len(links) >= 10
    target = links[-1]
    page.click(f'#digest a.cite[href="{target}"] >> nth=0')
    page.wait_for_function(f"location.hash === '{target}'")
    assert scrolls_into_view(page, target)


def test_entity_hover_shows_short_description(page, server):
    page.goto(server + SORA)
    link = page.locator(".article-body a.entity").first
    slug = link.get_attribute("data-entity")
    expected = page.locator(f'#entities [data-entity="{slug}"] .entity-desc').inner_text().strip()
    assert expected
    link.hover()
    tooltip = page.locator(".entity-tooltip[role=tooltip]")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().strip() == expected
    assert link.get_attribute("aria-describedby") == tooltip.get_attribute("id")
    page.mouse.move(0, 0)
    tooltip.wait_for(state="hidden")


def test_entity_description_by_keyboard(page, server):
    page.goto(server + SORA)
    link = page.locator(".article-body a.entity").first
    link.focus()
    tooltip = page.locator(".entity-tooltip[role=tooltip]")
    tooltip.wait_for(state="visible")
    page.keyboard.press("Escape")
    tooltip.wait_for(state="hidden")


def test_entity_link_is_a_plain_link_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + SORA)
    link = page.locator(".article-body a.entity").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(href if href.startswith("http") else server + href)
    assert page.locator("h1").inner_text()
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        SORA,
        FUNDS,
        "/entities/",
        "/entities/nio/",
        "/archives/",
        "/tags/",
        "/about/",
        "/404.html",
    ],
)
def test_no_console_errors(page, server, path):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert errors == []
