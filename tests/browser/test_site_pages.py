"""What every public page owes every visitor, checked in a real browser on each page of PUBLIC_PAGES
(tests/browser/pages.py): no axe-core violations at WCAG 2.2 AA, one <h1> and a declared language, a skip
link that works from the keyboard, a layout that fits a phone, and content that needs no JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.chromium import PHONE
from tests.browser.helpers import assert_no_axe_violations, assert_no_horizontal_scroll, goto
from tests.browser.pages import PUBLIC_PAGES

pytestmark = pytest.mark.usefixtures("demo_content")

each_public_page = pytest.mark.parametrize(
    "public_page", PUBLIC_PAGES, ids=lambda public_page: public_page.id
)


@each_public_page
def test_page_has_no_axe_violations(axe_page, public_page):
    goto(axe_page, public_page.url(), status=public_page.status)

    assert_no_axe_violations(axe_page)


@each_public_page
def test_page_has_no_axe_violations_on_a_phone(new_context, public_page):
    page = new_context(bypass_csp=True, **PHONE).new_page()
    goto(page, public_page.url(), status=public_page.status)

    assert_no_axe_violations(page)


@each_public_page
def test_page_has_one_h1_and_declares_english(page, public_page):
    goto(page, public_page.url(), status=public_page.status)

    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", "en")


@each_public_page
def test_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_main(page, public_page):
    goto(page, public_page.url(), status=public_page.status)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


@each_public_page
def test_page_fits_a_phone_and_its_navigation_can_be_tapped(phone_page, public_page):
    goto(phone_page, public_page.url(), status=public_page.status)

    assert_no_horizontal_scroll(phone_page)
    header_links = phone_page.locator("header a")
    assert header_links.count() >= 1
    for link in header_links.all():
        expect(link).to_be_in_viewport()
        link.tap(trial=True)  # Playwright's actionability checks: visible, stable, not covered, enabled


@each_public_page
def test_page_shows_its_content_without_javascript(no_js_page, public_page):
    goto(no_js_page, public_page.url(), status=public_page.status)

    expect(no_js_page.locator("main h1")).to_be_visible()
    assert len(no_js_page.locator("main").inner_text().split()) >= 10


@each_public_page
def test_page_loads_every_file_and_breaks_no_content_security_rule(page, public_page):
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url} {request.failure}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status}: {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )

    goto(page, public_page.url(), status=public_page.status)
    page.wait_for_load_state("load")

    assert not problems, "\n".join(problems)


def test_home_page_without_javascript_shows_the_ladder_of_levels(no_js_page):
    goto(no_js_page, "/")

    expect(no_js_page.get_by_role("heading", level=1)).to_have_text(re.compile("emergency medical", re.I))
    expect(no_js_page.locator("main")).to_contain_text("Paramedic")


def test_live_server_serves_bootstrap_and_the_site_stylesheet(page):
    goto(page, "/")

    # From static/css/site.css: the navy header.
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(18, 53, 91)")
    # From the subset of Bootstrap (static/css/bootstrap.css) with our font token: the system font stack.
    expect(page.locator("body")).to_have_css("font-family", re.compile(r"^system-ui"))


@each_public_page
def test_page_asks_no_other_host_for_anything(page, live_server, public_page):
    """Fonts, scripts, styles, images: everything comes from the site itself (DESIGN.md 6)."""
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url) if not request.url.startswith((live_server.url, "data:")) else None
        ),
    )

    goto(page, public_page.url(), status=public_page.status)
    page.wait_for_load_state("load")

    assert elsewhere == []
