"""Where a visitor came from, in a real browser: our script notes the campaign and the referring site of the
page that started the visit and the form sends them, however many pages later; without JavaScript, the
campaign of the form page's own address arrives through the browser's Referer. No cookie is set for it."""

import pytest
from playwright.sync_api import expect

from enrollment.models import Enquiry
from tests.browser.helpers import fill_fields, goto

pytestmark = pytest.mark.usefixtures("demo_content")

QUESTION = {
    "Your name": "Dana Rivera",
    "E-mail address": "dana.rivera@example.net",
    "Your question": "Do I need a CPR card before the EMT course starts?",
}
SENT = "Thank you: we received your question"


def test_the_campaign_and_referring_site_of_the_landing_page_reach_the_enquiry(page, policy_errors):
    page.goto(
        "/?utm_source=newsletter&utm_medium=email&utm_campaign=spring-emt",
        referer="https://www.search.example/results?q=emt+course",
    )
    goto(page, "/programs/")  # a page of the visit in between, reached from our own site
    page.get_by_role("link", name="Contact").first.click()

    fill_fields(page, QUESTION)
    page.get_by_label("How did you hear about us? (optional)").select_option(label="A search engine")
    page.get_by_role("button", name="Send my question").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(SENT)
    enquiry = Enquiry.objects.get()
    assert [enquiry.utm_source, enquiry.utm_medium, enquiry.utm_campaign] == [
        "newsletter",
        "email",
        "spring-emt",
    ]
    assert enquiry.referrer_host == "www.search.example"
    assert enquiry.heard_about == "search"
    # Only the form's own cookies: nothing that follows the visitor from page to page.
    cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert cookies <= {"csrftoken", "__Host-csrftoken", "applied"}
    assert not policy_errors


def test_without_javascript_the_form_pages_own_campaign_reaches_the_enquiry(no_js_page):
    page = no_js_page
    goto(page, "/contact/?utm_source=flyer&utm_campaign=open-day")

    fill_fields(page, QUESTION)
    page.get_by_role("button", name="Send my question").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(SENT)
    enquiry = Enquiry.objects.get()
    assert (enquiry.utm_source, enquiry.utm_campaign, enquiry.referrer_host) == ("flyer", "open-day", "")
