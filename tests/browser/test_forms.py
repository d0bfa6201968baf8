"""The two public forms in every state a visitor sees them: empty, sent with mistakes, and the page that
confirms them (a seat, a waitlist place, a question received). Each state has no axe-core violations at
WCAG 2.2 AA (DESIGN.md section 6), and each form works from start to finish without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from enrollment.models import Application, Enquiry
from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.helpers import (
    APPLICANT,
    REFERENCE,
    assert_no_axe_violations,
    error_summary,
    error_summary_links,
    field,
    fill_application,
    fill_fields,
    goto,
)

pytestmark = pytest.mark.usefixtures("demo_content")

QUESTION = {
    "Your name": "Dana Rivera",
    "E-mail address": "dana.rivera@example.net",
    "Your question": "Do I need a CPR card before the EMT course starts?",
}


def test_application_form_has_no_axe_violations_empty_with_errors_and_confirmed(axe_page):
    page = axe_page
    goto(page, "/programs/emt/apply/")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Send my application").click()
    expect(error_summary(page)).to_be_visible()
    assert_no_axe_violations(page)

    # A seat.
    page.get_by_role("radio", name=re.compile(r"seats? left")).first.check()
    fill_application(page)
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application received: a seat is held for you")
    assert_no_axe_violations(page)

    # A place on the waitlist (the demo's full start).
    goto(page, "/programs/emt/apply/")
    page.get_by_role("radio", name=re.compile("full: you would join the waitlist")).check()
    fill_application(page, **{"E-mail address": "sam.okafor@example.net"})
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"you are number \d+ on the waitlist")
    )
    assert_no_axe_violations(page)

    # A course that asks for a prior certification has more fields, and more messages.
    goto(page, "/programs/paramedic/apply/")
    page.get_by_role("button", name="Send my application").click()
    expect(error_summary(page)).to_contain_text("course requires current")
    assert_no_axe_violations(page)


def test_contact_form_has_no_axe_violations_empty_with_errors_and_sent(axe_page):
    page = axe_page
    goto(page, "/contact/")
    assert_no_axe_violations(page)

    page.get_by_role("radio", name="Text message").check()  # without a phone number: one more message
    page.get_by_role("button", name="Send my question").click()
    expect(error_summary(page).get_by_role("link")).to_have_count(4)
    assert_no_axe_violations(page)

    fill_fields(page, {**QUESTION, "Phone number (optional)": "555 010 0456"})
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we received your question")
    assert_no_axe_violations(page)


def test_question_can_be_sent_without_javascript(no_js_page):
    page = no_js_page
    goto(page, "/contact/")
    fill_fields(page, {"Your name": QUESTION["Your name"], "E-mail address": "dana.rivera"})
    page.get_by_role("button", name="Send my question").click()

    # The summary and the messages come from the server: no script needed to see them.
    expect(error_summary(page)).to_be_visible()
    assert error_summary_links(page) == [
        ("Enter an e-mail address in the form name@example.com.", "#id_email"),
        ("Write your question.", "#id_message"),
    ]
    expect(page.locator("#id_message_error")).to_be_visible()

    fill_fields(page, QUESTION)
    page.get_by_role("button", name="Send my question").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we received your question")
    assert Enquiry.objects.get().email == QUESTION["E-mail address"]


def test_application_can_be_sent_without_javascript(no_js_page):
    page = no_js_page
    goto(page, "/programs/emt/apply/")
    fill_application(page, **{"Date of birth": ""})  # no start chosen, no date of birth
    page.get_by_role("button", name="Send my application").click()

    expect(error_summary(page)).to_be_visible()
    assert [text for text, _ in error_summary_links(page)] == [
        "Choose the course start you want to apply for.",
        "Enter your date of birth.",
    ]
    expect(page.locator("#id_cohort_error")).to_be_visible()
    expect(page.locator("#id_date_of_birth_error")).to_be_visible()

    page.get_by_role("radio", name=re.compile(r"seats? left")).first.check()
    field(page, "Date of birth").fill(APPLICANT["Date of birth"])
    page.get_by_role("button", name="Send my application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Application received: a seat is held for you")
    reference = page.locator(".confirmation-reference").inner_text().strip()
    assert REFERENCE.fullmatch(reference)
    assert Application.objects.get(reference=reference).status == Application.Status.HELD


_FIELDS_IN_ERROR = """() => {
    const ids = [];
    const names = new Set();
    for (const control of document.querySelectorAll("main form [aria-invalid='true']")) {
        if (!names.has(control.name)) {
            names.add(control.name);
            ids.push("#" + control.id);
        }
    }
    return ids;
}"""


def test_error_summary_lists_the_errors_in_the_order_of_the_fields_on_the_page(page):
    # The paramedic course asks for the applicant's EMT certification: fields added after the others.
    goto(page, "/programs/paramedic/apply/")
    page.get_by_role("button", name="Send my application").click()

    links = [href for _, href in error_summary_links(page)]
    assert "#id_certification_level" in links
    assert links == page.evaluate(_FIELDS_IN_ERROR)


_LABEL_IN_VIEW = """(control) => {
    // A choice among radios is named by its group's legend; any other control by its label.
    const label = control.type === "radio" ? control.closest("fieldset").querySelector("legend") : control.labels[0];
    const box = label.getBoundingClientRect();
    return {label: label.textContent.trim(), top: box.top, bottom: box.bottom, height: window.innerHeight};
}"""


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_following_an_error_link_leaves_the_fields_label_in_view(new_context, screen):
    # Reduced motion: Bootstrap's smooth scrolling off, so the page is read where the jump ends.
    page = new_context(reduced_motion="reduce", **screen).new_page()
    goto(page, "/programs/emt/apply/")
    page.get_by_role("button", name="Send my application").click()  # every field in error
    links = error_summary(page).get_by_role("link")
    expect(links.first).to_have_attribute("href", "#id_cohort_0")

    for index in range(links.count()):
        link = links.nth(index)
        link.click()
        control = page.locator(link.get_attribute("href"))
        expect(control).to_be_focused()
        label = control.evaluate(_LABEL_IN_VIEW)
        assert label["top"] >= 0 and label["bottom"] <= label["height"], f"label out of view: {label}"


_CHOICE_SIZES = """() => Array.from(document.querySelectorAll("main form input[type=radio], main form input[type=checkbox]"))
    .filter((input) => input.offsetParent !== null)
    .map((input) => {
        const control = input.getBoundingClientRect();
        const label = input.labels[0].getBoundingClientRect();
        return {id: input.id, width: control.width, height: control.height, target: label.height};
    })"""


@pytest.mark.parametrize("path", ["/programs/emt/apply/", "/contact/"])
def test_radios_and_tick_boxes_are_20_px_with_a_44_px_target(page, path):
    goto(page, path)

    sizes = page.evaluate(_CHOICE_SIZES)
    assert any(size["id"].startswith(("id_cohort_", "id_preferred_contact_")) for size in sizes)
    for size in sizes:
        assert size["width"] >= 20 and size["height"] >= 20, f"control under 20 px: {size}"
        assert size["target"] >= 44, f"label (the tap target) under 44 px high: {size}"


@pytest.mark.parametrize(
    ("path", "group"),
    [("/programs/emt/apply/", "Choose your course start"), ("/contact/", "How should we answer?")],
)
def test_a_radio_groups_error_is_at_the_question_before_the_options(page, path, group):
    goto(page, path)
    if path == "/contact/":  # a choice is made from the start: send a value that is not one
        page.locator("#id_preferred_contact_0").evaluate("(radio) => { radio.value = 'fax'; }")
    page.locator("main form [type=submit]").click()

    fieldset = page.get_by_role("group", name=group)
    error = fieldset.locator(".invalid-feedback")
    expect(error).to_be_visible()
    expect(fieldset).to_have_attribute("aria-describedby", re.compile(rf"\b{error.get_attribute('id')}\b"))
    expect(fieldset).to_have_accessible_description(re.compile(re.escape(error.inner_text().strip())))
    # In the page's order: the legend, then the error, then the first option.
    order = fieldset.evaluate(
        """(set) => [set.querySelector("legend"), set.querySelector(".invalid-feedback"), set.querySelector(".form-check")]
            .map((el) => el.getBoundingClientRect().top)"""
    )
    assert order == sorted(order), f"legend, error, first option at {order}"
