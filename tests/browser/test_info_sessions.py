"""Signing up for an info session on a phone (375 px), as a person would: from the home page's next session
to the list, a session's page, a form sent with a mistake and fixed, and the confirmation; axe-core finds no
violation on any of these pages, and nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from infosessions.models import SessionSignup
from tests.browser.chromium import PHONE
from tests.browser.helpers import (
    assert_field_shows_error,
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    error_summary,
    field,
    fill_fields,
    goto,
)

pytestmark = pytest.mark.usefixtures("demo_content")


def checked(page):
    assert_no_axe_violations(page)
    assert_no_horizontal_scroll(page)


def test_phone_visitor_signs_up_for_an_info_session_and_sees_the_confirmation(new_context):
    page = new_context(bypass_csp=True, **PHONE).new_page()  # CSP bypassed for axe only
    goto(page, "/")
    next_session = page.get_by_role("region", name="Meet us first: next info session")
    expect(next_session).to_be_visible()
    next_session.get_by_role("link", name="All info sessions").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Info sessions")
    checked(page)
    page.get_by_role("link", name="EMT course open evening").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("EMT course open evening")
    expect(page.get_by_text(re.compile(r"\d+ seats left"))).to_be_visible()
    checked(page)

    # A mistake: the e-mail address has no domain.
    fill_fields(page, {"Your name": "Dana Rivera", "E-mail address": "dana.rivera@"})
    page.get_by_role("button", name="Sign me up").click()
    expect(error_summary(page)).to_be_visible()
    assert_field_shows_error(page, field(page, "E-mail address"), "name@example.com")
    expect(field(page, "Your name")).to_have_value("Dana Rivera")
    checked(page)

    field(page, "E-mail address").fill("dana.rivera@example.net")
    page.get_by_role("button", name="Sign me up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You have a seat at the info session")
    signup = SessionSignup.objects.get(email="dana.rivera@example.net")
    expect(page.locator(".confirmation-reference")).to_have_text(signup.reference)
    expect(page.get_by_role("link", name=re.compile("Add to your calendar"))).to_be_visible()
    checked(page)


def test_the_sign_up_works_without_javascript(no_js_page):
    goto(no_js_page, "/info-sessions/")
    no_js_page.get_by_role("link", name="EMT course open evening").click()
    fill_fields(no_js_page, {"Your name": "Sam Lee", "E-mail address": "sam.lee@example.net"})
    no_js_page.get_by_role("button", name="Sign me up").click()

    expect(no_js_page.get_by_role("heading", level=1)).to_have_text("You have a seat at the info session")
    assert SessionSignup.objects.filter(email="sam.lee@example.net", status="booked").exists()
