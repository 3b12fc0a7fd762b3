"""Real headless Chromium: citations, previews, highlighting, entity descriptions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import ROOT

pytestmark = pytest.mark.browser
SORA = "/2024/05/why-so-few-sora-copycats-in-china/"
FUNDS = "/2024/03/funds-pour-into-chinese-video-generation/"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PREVIEW = ".cite-preview"


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


# ---- Citation previews -------------------------------------------------------


def cite(n: int) -> str:
    """The first visible citation of paragraph N in the digest."""
    return f'#digest a.cite:not(.cite-between)[href="#para-{n}"] >> nth=0'


def own_text(page, n: int) -> str:
    """Paragraph N as a reader sees it, without its "¶ N" link."""
    text = " ".join(page.locator(f"#para-{n}").inner_text().split())
    assert text.startswith(f"¶ {n} "), text
    return text.removeprefix(f"¶ {n} ")


def expect_preview(page, n: int) -> None:
    """The preview is shown, for paragraph N: its heading, and the start of its text."""
    preview = page.locator(PREVIEW)
    expect(preview).to_be_visible()
    expect(preview.locator(".cite-preview-title")).to_have_text(f"Paragraph {n}")
    shown = preview.locator(".cite-preview-text").inner_text().strip()
    full = own_text(page, n)
    start = shown.removesuffix("…")
    assert full.startswith(start), (shown, full)
    assert shown == full or (shown.endswith("…") and len(start) >= min(len(full) // 3, 200))
    assert page.locator(f"{PREVIEW} .cite-preview-go").get_attribute("href") == f"#para-{n}"


def inside_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
            return r.left >= 0 && r.top >= 0 && r.right <= document.documentElement.clientWidth
                && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_citation_hover_previews_its_paragraph(page, server):
    page.clock.install()  # the preview's hiding delay runs when the test says
    page.goto(server + SORA)
    link = page.locator(cite(3))
    link.hover()
    expect_preview(page, 3)
    tooltip = page.locator(f"{PREVIEW} [role=tooltip]")
    assert link.get_attribute("aria-describedby") == tooltip.get_attribute("id")
    assert inside_viewport(page, PREVIEW)
    # The pointer moves onto the preview: it stays, however long.
    page.locator(f"{PREVIEW} .cite-preview-title").hover()
    page.clock.run_for(2000)
    expect(page.locator(PREVIEW)).to_be_visible()
    # It leaves both: the preview goes, shortly after.
    page.mouse.move(0, 0)
    page.clock.run_for(2000)
    expect(page.locator(PREVIEW)).to_be_hidden()
    assert link.get_attribute("aria-describedby") is None
    assert page.evaluate("location.hash") == ""


def focus_by_tab(page, selector: str, presses: int = 80) -> str:
    """Press Tab until an element matching ``selector`` has the focus; its href."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("sel => document.activeElement.matches(sel)", selector):
            return page.evaluate("document.activeElement.getAttribute('href')")
    raise AssertionError(f"Tab never reached {selector}")


def test_citation_preview_by_keyboard(page, server):
    page.goto(server + SORA)
    first = focus_by_tab(page, "#digest a.cite")
    n = int(first.removeprefix("#para-"))
    expect_preview(page, n)
    active = "document.activeElement.getAttribute('aria-describedby')"
    assert page.evaluate(active) == "cite-preview"
    following = focus_by_tab(page, f'#digest a.cite:not([href="{first}"])', presses=5)
    following = int(following.removeprefix("#para-"))
    expect_preview(page, following)  # the next citation: its own paragraph
    page.keyboard.press("Escape")
    expect(page.locator(PREVIEW)).to_be_hidden()
    # Focus stays on the citation, nothing jumped, Enter still follows it.
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"#para-{following}"
    assert page.evaluate(active) is None
    assert page.evaluate("location.hash") == ""
    page.keyboard.press("Shift+Tab")
    expect_preview(page, n)
    page.keyboard.press("Shift+Tab")  # before the first citation: blur hides it
    assert not page.evaluate("document.activeElement.matches('a.cite')")
    expect(page.locator(PREVIEW)).to_be_hidden()
    page.keyboard.press("Tab")
    expect_preview(page, n)
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '#para-{n}'")
    expect(page.locator(PREVIEW)).to_be_hidden()


@pytest.mark.parametrize("follow", ["tap again", "go to paragraph"])
def test_citation_tap_previews_then_follows(browser, server, follow):
    context = browser.new_context(
        has_touch=True, is_mobile=True, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    page.goto(server + SORA)
    link = page.locator(cite(6))
    link.tap()
    expect_preview(page, 6)
    assert page.evaluate("location.hash") == "", "a first tap only previews"
    assert inside_viewport(page, PREVIEW)
    if follow == "tap again":
        link.tap()
    else:
        page.locator(f"{PREVIEW} .cite-preview-go").tap()
    page.wait_for_function("location.hash === '#para-6'")
    assert scrolls_into_view(page, "#para-6")
    expect(page.locator(PREVIEW)).to_be_hidden()
    # A tap elsewhere closes an open preview without following anything.
    page.locator(cite(2)).tap()
    expect_preview(page, 2)
    page.locator("#para-1").tap()
    expect(page.locator(PREVIEW)).to_be_hidden()
    assert page.evaluate("location.hash") == "#para-6"
    context.close()


def test_inner_citation_of_a_run_shows_when_focused(page, server):
    """a.cite-between (a run like [para. 5–8] shows its ends) is visually
    hidden until the keyboard reaches it; then it previews as any citation."""
    page.goto(server + SORA)
    page.evaluate(
        """() => { const a = document.createElement('a');
            a.className = 'cite cite-between'; a.id = 'between'; a.href = '#para-6';
            a.textContent = ', 6'; document.querySelector('#digest p').append(a); }"""
    )
    size = "sel => { const r = document.querySelector(sel).getBoundingClientRect(); return r.width * r.height; }"
    assert page.evaluate(size, "#between") <= 1
    page.evaluate("document.querySelector('#between').previousElementSibling?.focus()")
    focus_by_tab(page, "#between")
    assert page.evaluate(size, "#between") > 10
    expect_preview(page, 6)
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#para-6'")


def test_citation_to_another_page_stays_a_plain_link(page, server):
    page.goto(server + SORA)
    page.evaluate(
        """url => { const a = document.createElement('a');
            a.className = 'cite'; a.id = 'elsewhere'; a.href = url; a.textContent = '[para. 2]';
            document.querySelector('#digest p').append(' ', a); }""",
        FUNDS + "#para-2",
    )
    page.hover("#elsewhere")
    page.focus("#elsewhere")
    expect(page.locator(f"{PREVIEW}:visible")).to_have_count(0)
    page.click("#elsewhere")
    page.wait_for_url(re.compile(re.escape(FUNDS) + "#para-2$"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_citation_preview_passes_axe(page, server, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(server + SORA)
    page.hover(cite(2))
    expect_preview(page, 2)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document)).violations.map(v =>
            `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"""
    )
    assert violations == [], "\n".join(violations)


# ---- Entities in context ------------------------------------------------------


def test_each_entity_shows_the_sentence_of_its_first_mention(page, server):
    """One link an entity: words of the sentence of its first mention (at most
    14, "…" marking a cut), to the paragraph where the body links it first."""
    page.goto(server + SORA)
    items = page.locator("#entities li[data-entity]")
    assert items.count() >= 5
    for i in range(items.count()):
        item = items.nth(i)
        slug = item.get_attribute("data-entity")
        context = item.locator("a.entity-context")
        expect(context).to_have_count(1)
        shown = " ".join(context.inner_text().split())
        n = int(context.get_attribute("href").removeprefix("#para-"))
        words = shown.strip("…").split()
        assert 3 <= len(words) <= 14, (slug, shown)
        assert " ".join(words) in own_text(page, n), (slug, shown)
        # The context is a block line of its own, under the description.
        desc = item.locator(".entity-desc").bounding_box()
        assert context.bounding_box()["y"] >= desc["y"] + desc["height"] - 1
        # The first mention is the one linked in the body: in that paragraph,
        # and no earlier paragraph names the entity with a link.
        first = page.locator(f'.article-body a.entity[data-entity="{slug}"]')
        expect(first).to_have_count(1)
        assert first.evaluate("a => a.closest('[id^=para-]').id") == f"para-{n}"
        assert first.inner_text() in shown, (slug, shown)
    # The entity tooltip still shows the description alone.
    link = page.locator(".article-body a.entity").first
    slug = link.get_attribute("data-entity")
    link.hover()
    tooltip = page.locator(".entity-tooltip[role=tooltip]")
    expect(tooltip).to_have_text(
        page.locator(f'#entities [data-entity="{slug}"] .entity-desc').inner_text().strip()
    )


# ---- Glossary ----------------------------------------------------------------


def test_glossary_type_filter_buttons(page, server):
    """glossary.js (loaded by the glossary alone) turns the links to the
    per-type sections into buttons that filter the A–Z list."""
    page.goto(server + "/entities/")
    expect(page.locator("nav.type-filter")).to_be_hidden()
    buttons = page.locator(".filter-buttons[role=group] button")
    expect(buttons.first).to_have_text("All types")
    expect(buttons.first).to_have_attribute("aria-pressed", "true")
    items = page.locator("#glossary-az li[data-type]")
    shown = page.locator("#glossary-az li[data-type]:visible")
    total = items.count()
    kind = page.locator(".type-filter a[data-filter-type]").first.get_attribute("data-filter-type")
    buttons.nth(1).click()
    expect(buttons.nth(1)).to_have_attribute("aria-pressed", "true")
    expect(buttons.first).to_have_attribute("aria-pressed", "false")
    count = shown.count()
    assert 0 < count < total
    assert {shown.nth(i).get_attribute("data-type") for i in range(count)} == {kind}
    expect(page.locator(".filter-status")).to_have_text(f"Showing {count} of {total} entries.")
    buttons.first.click()
    expect(shown).to_have_count(total)
    expect(page.locator(".filter-status")).to_have_text("")


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
