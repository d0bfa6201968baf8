"""The forms with the keyboard alone (WCAG 2.1.1, 2.4.3, 2.4.7, 3.3.1): Tab, Shift+Tab, Enter, Space and
the arrow keys, no mouse. Every element that receives focus on the way must show it; after a failed
submission focus is on the error summary, whose entries are links that put the cursor in the field."""

import re

import pytest
from playwright.sync_api import expect

from enrollment.models import Application, Enquiry
from tests.browser.helpers import (
    APPLICANT,
    CONSENT_LABEL,
    REFERENCE,
    assert_focus_visible,
    error_summary,
    error_summary_links,
    field,
    goto,
    tab_to,
)

pytestmark = pytest.mark.usefixtures("demo_content")


@pytest.fixture
def keyboard_page(new_context):
    """A desktop page for keyboard use: US date format in date inputs (month, day, year), and reduced
    motion so that styles are read as they end, not half-way through one of Bootstrap's transitions."""
    return new_context(locale="en-US", reduced_motion="reduce").new_page()


def start_in_main_content(page):
    """Skip the header as a keyboard user does: the first Tab reaches the skip link, Enter moves focus
    to the top of <main> (and leaves #main in the address, which the forms must cope with)."""
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def assert_focus_on_error_summary(page, timeout=5000):
    summary = error_summary(page)
    expect(summary).to_be_focused(timeout=timeout)
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert_focus_visible(page)


def test_keyboard_user_sends_a_question_after_fixing_mistakes(keyboard_page):
    page = keyboard_page
    goto(page, "/contact/")
    start_in_main_content(page)

    # The first Tab from the top of the content reaches the first field of the form.
    page.keyboard.press("Tab")
    expect(field(page, "Your name")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type("Dana Rivera")
    tab_to(page, field(page, "E-mail address"))
    page.keyboard.type("dana.rivera@")  # a mistake: no domain
    tab_to(page, field(page, "Course you are interested in (optional)"))
    page.keyboard.press("ArrowDown")  # "Not sure yet" -> the first course
    expect(field(page, "Course you are interested in (optional)")).to_have_value(re.compile(r"^\d+$"))
    email = page.get_by_role("radio", name="E-mail")
    tab_to(page, email)  # the group's stop is its checked radio
    page.keyboard.press("ArrowDown")  # a mistake: a phone call, and no phone number given
    expect(page.get_by_role("radio", name="Phone call")).to_be_checked()
    tab_to(page, field(page, "Your question"))
    page.keyboard.type("Can I take the EMT course while working full time?")
    tab_to(page, page.get_by_role("button", name="Send my question"))
    page.keyboard.press("Enter")

    assert_focus_on_error_summary(page)
    assert error_summary_links(page) == [
        ("Enter an e-mail address in the form name@example.com.", "#id_email"),
        ("Enter your phone number, so that we can call you or send a text message.", "#id_phone"),
    ]

    # Fix the e-mail address from the first link...
    first_link = error_summary(page).get_by_role("link").first
    tab_to(page, first_link)
    page.keyboard.press("Enter")
    expect(field(page, "E-mail address")).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("dana.rivera@example.net")
    # ...then go back up to the second link (Shift+Tab) for the phone number.
    second_link = error_summary(page).get_by_role("link").nth(1)
    tab_to(page, second_link, backwards=True)
    page.keyboard.press("Enter")
    expect(field(page, "Phone number (optional)")).to_be_focused()
    page.keyboard.type("555 010 0456")
    tab_to(page, page.get_by_role("button", name="Send my question"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we received your question")
    enquiry = Enquiry.objects.select_related("program").get()
    assert (enquiry.email, enquiry.phone, enquiry.preferred_contact) == (
        "dana.rivera@example.net",
        "555 010 0456",
        "phone",
    )
    assert enquiry.program is not None


def test_keyboard_user_applies_for_a_course_start_with_the_keyboard_alone(keyboard_page):
    page = keyboard_page
    goto(page, "/programs/emt/apply/")
    start_in_main_content(page)

    # Into the group of start dates (none chosen yet: Tab stops on the first), and Space picks it.
    first_start = page.get_by_role("radio").first
    expect(first_start).to_have_accessible_name(re.compile(r"seats? left"))
    tab_to(page, first_start)
    page.keyboard.press("Space")
    expect(first_start).to_be_checked()

    typed = {label: value for label, value in APPLICANT.items() if label not in ("Date of birth", "ZIP code")}
    for label, value in typed.items():
        tab_to(page, field(page, label))
        page.keyboard.type(value)
        if label == "Phone number":
            tab_to(page, field(page, "Date of birth"))
            page.keyboard.type("04121995")  # the segments of a US date: month, day, year
            expect(field(page, "Date of birth")).to_have_value(APPLICANT["Date of birth"])
    # Mistakes: no ZIP code, consent not given. Send with Enter on the button.
    tab_to(page, page.get_by_role("button", name="Send my application"))
    page.keyboard.press("Enter")

    assert_focus_on_error_summary(page)
    links = error_summary_links(page)
    assert links == [
        ("Enter your ZIP code.", "#id_postal_code"),
        (
            "Tick the box to agree: we cannot process an application without it.",
            "#id_consent_data_processing",
        ),
    ]
    expect(first_start).to_be_checked()  # what was chosen and typed is kept

    tab_to(page, error_summary(page).get_by_role("link").first)
    page.keyboard.press("Enter")
    expect(field(page, "ZIP code")).to_be_focused()
    page.keyboard.type(APPLICANT["ZIP code"])
    tab_to(page, field(page, CONSENT_LABEL))
    page.keyboard.press("Space")
    expect(field(page, CONSENT_LABEL)).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Send my application"))
    page.keyboard.press("Space")

    expect(page.get_by_role("heading", level=1)).to_have_text("Application received: a seat is held for you")
    reference = page.locator(".confirmation-reference").inner_text().strip()
    assert REFERENCE.fullmatch(reference)
    application = Application.objects.get(reference=reference)
    assert application.status == Application.Status.HELD
    assert application.date_of_birth.isoformat() == APPLICANT["Date of birth"]
    assert application.postal_code == APPLICANT["ZIP code"]


def test_every_entry_of_the_application_error_summary_leads_to_its_field(keyboard_page):
    page = keyboard_page
    goto(page, "/programs/emt/apply/")
    start_in_main_content(page)
    tab_to(page, page.get_by_role("button", name="Send my application"))
    page.keyboard.press("Enter")  # nothing chosen or filled in

    assert_focus_on_error_summary(page)
    links = error_summary_links(page)
    assert len(links) == 11
    for index, (text, href) in enumerate(links):
        assert re.fullmatch(r"#id_\w+", href), f"summary entry {text!r} links to {href!r}, not to a field"
        # Back up to the entry (the fields are below the summary), follow it, land in its field.
        tab_to(page, error_summary(page).get_by_role("link").nth(index), backwards=index > 0)
        page.keyboard.press("Enter")
        expect(page.locator(href)).to_be_focused()


def test_focus_is_on_the_error_summary_after_the_skip_link_was_used(keyboard_page):
    page = keyboard_page
    goto(page, "/contact/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    tab_to(page, page.get_by_role("button", name="Send my question"))
    page.keyboard.press("Enter")  # nothing filled in

    expect(page.get_by_role("heading", level=1)).to_have_text("Ask us a question")
    page.wait_for_load_state("load")
    assert_focus_on_error_summary(page, timeout=1000)


def test_every_header_link_shows_keyboard_focus(keyboard_page):
    page = keyboard_page
    goto(page, "/")
    header_links = page.locator("header").get_by_role("link")
    expect(header_links).to_have_count(6)
    tab_to(page, header_links.last)  # checks every stop on the way: skip link, name, Roles ... Apply


def test_every_kind_of_control_shows_the_one_site_focus_outline(keyboard_page):
    """A text input, a radio, a checkbox, a button and a link: the same 3 px outline with 3:1 contrast,
    not Bootstrap's faint glow (WCAG 2.4.13). tab_to checks every stop on the way, header links included."""
    page = keyboard_page
    goto(page, "/programs/emt/apply/")
    controls = [
        page.get_by_role("link", name="Programs", exact=True).last,  # the breadcrumb
        page.get_by_role("radio").first,
        field(page, "First name"),
        field(page, CONSENT_LABEL),
        page.get_by_role("button", name="Send my application"),
    ]
    seen = {}
    for control in controls:
        tab_to(page, control)
        focused = assert_focus_visible(page)
        seen[focused["element"]] = (focused["outlineWidth"], focused["outlineColor"])
    assert len(set(seen.values())) == 1, f"more than one focus style: {seen}"
