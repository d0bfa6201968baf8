"""The paths a visitor takes through the site (DESIGN.md section 1), clicked through in a real browser:
learn what EMS is, compare two levels, open a program and apply (a seat, then a waitlist place); send a
question with mistakes and fix them; do the same on a phone.

Each journey starts from one URL and goes on as a person would: by the links, labels and buttons they
can see (accessible names), not by CSS selectors or typed-in URLs."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from enrollment.models import Application, Enquiry
from tests.browser.helpers import (
    APPLICANT,
    CONSENT_LABEL,
    REFERENCE,
    assert_field_shows_error,
    assert_no_horizontal_scroll,
    error_summary,
    error_summary_links,
    field,
    fill_application,
    fill_fields,
    goto,
)

pytestmark = pytest.mark.usefixtures("demo_content")

# Rows of the comparison table a student decides on (roles/facts.py), by their row header.
DECIDING_FACTS = (
    "Training length",
    "Scope of practice",
    "Certification needed first",
    "Other entry requirements",
    "May drive an ambulance",
    "Exam",
)


def read_reference(page: Page) -> str:
    """The reference on the confirmation page, checked for its format."""
    reference = page.locator(".confirmation-reference").inner_text().strip()
    assert REFERENCE.fullmatch(reference), f"unexpected reference {reference!r}"
    return reference


def test_visitor_learns_about_ems_compares_levels_and_gets_a_seat(page, new_context):
    # Home page, then the guide for people new to EMS.
    goto(page, "/")
    page.get_by_role("link", name="EMS, EMT and paramedic: what is the difference?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "EMS, EMT and paramedic: what is the difference?"
    )

    # From the guide to the ladder of levels and roles.
    page.get_by_role("link", name="See who does what in EMS").click()
    expect(page).to_have_url(re.compile(r"/roles/$"))
    expect(page.get_by_role("heading", name="The certification ladder")).to_be_visible()

    # Compare EMT and Paramedic with the form's checkboxes.
    page.get_by_role("link", name="Compare two or more levels side by side").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare certification levels")
    levels = page.get_by_role("group", name=re.compile("Levels to compare"))
    for checkbox in levels.get_by_role("checkbox").all():
        checkbox.uncheck()
    levels.get_by_label("Emergency Medical Technician", exact=True).check()
    levels.get_by_label("Paramedic", exact=True).check()
    levels.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"levels=emt&levels=paramedic"))

    table = page.get_by_role("table")
    headers = table.get_by_role("columnheader")
    expect(headers).to_have_text(["Fact", "Emergency Medical Technician", "Paramedic"])
    for fact in DECIDING_FACTS:
        row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=fact, exact=True))
        expect(row, f"row {fact!r}").to_have_count(1)
        cells = row.get_by_role("cell")
        expect(cells, f"row {fact!r}").to_have_count(2)
        for cell in cells.all():
            expect(cell, f"a cell of row {fact!r}").not_to_be_empty()
            assert cell.inner_text().strip() != "Not stated", f"row {fact!r} is empty for a level"
    ambulance = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="May drive an ambulance")
    )
    expect(ambulance.get_by_role("cell")).to_have_text([re.compile(r"^(Yes|No)"), re.compile(r"^(Yes|No)")])

    # The EMT level's page, then its program.
    headers.get_by_role("link", name="Emergency Medical Technician", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency Medical Technician (EMT)")
    page.get_by_role("link", name="Emergency Medical Technician (EMT)", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency Medical Technician (EMT) course")

    # Its start dates: pick one with seats left and apply; the form comes with that start chosen.
    start_dates = page.get_by_role("table", name=re.compile("Upcoming starts"))
    start_dates.get_by_role("link", name=re.compile(r"^Apply for the .* start$")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Apply for the Emergency Medical Technician (EMT) course"
    )
    chosen = page.get_by_role("radio", checked=True)
    expect(chosen).to_have_count(1)
    expect(chosen).to_have_accessible_name(re.compile(r"\(\d+ seats? left\)"))
    chosen_label = chosen.evaluate("(el) => el.labels[0].textContent.trim()")

    fill_application(page)
    page.get_by_role("button", name="Send my application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Application received: a seat is held for you")
    reference = read_reference(page)
    expect(page.locator(".program-facts")).to_contain_text("Seat held")
    application = Application.objects.select_related("cohort").get(reference=reference)
    assert application.status == Application.Status.HELD
    assert application.email == APPLICANT["E-mail address"]
    assert chosen_label.startswith(f"{application.cohort.start_date:%B %-d, %Y} to ")

    # A second visitor, in a browser of their own, applies to the start that is full.
    other = new_context().new_page()
    goto(other, "/programs/emt/")
    other.get_by_role("link", name=re.compile(r"^Join the waitlist for the .* start$")).click()
    chosen = other.get_by_role("radio", checked=True)
    expect(chosen).to_have_accessible_name(re.compile(r"full: you would join the waitlist"))
    fill_application(other, **{"First name": "Sam", "E-mail address": "sam.okafor@example.net"})
    other.get_by_role("button", name="Send my application").click()

    # The demo's full cohort has 3 people waiting: this visitor is number 4.
    expect(other.get_by_role("heading", level=1)).to_have_text(
        "Application received: you are number 4 on the waitlist"
    )
    waitlisted = Application.objects.get(reference=read_reference(other))
    assert waitlisted.status == Application.Status.WAITLISTED
    assert waitlisted.waitlist_position == 4


def test_visitor_fixes_the_mistakes_in_a_question_guided_by_the_messages(page):
    goto(page, "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask us a question")

    # Mistakes: no name, an e-mail address without a domain, a call asked for without a phone number.
    fill_fields(
        page, {"E-mail address": "dana.rivera@", "Your question": "When does the next EMT course start?"}
    )
    page.get_by_role("radio", name="Phone call").check()
    page.get_by_role("button", name="Send my question").click()

    # The summary at the top says what is wrong, each entry a link to its field...
    summary = error_summary(page)
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # site.js moves focus there
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    form = page.locator("main form")
    assert summary.bounding_box()["y"] < form.bounding_box()["y"], "the error summary is not above the form"
    assert error_summary_links(page) == [
        ("Enter your name.", "#id_name"),
        ("Enter an e-mail address in the form name@example.com.", "#id_email"),
        ("Enter your phone number, so that we can call you or send a text message.", "#id_phone"),
    ]
    # ...and the same message is next to each field, which keeps what was typed.
    assert_field_shows_error(page, field(page, "Your name"), "Enter your name.")
    assert_field_shows_error(page, field(page, "E-mail address"), "name@example.com")
    assert_field_shows_error(page, field(page, "Phone number (optional)"), "so that we can call you")
    expect(field(page, "E-mail address")).to_have_value("dana.rivera@")
    expect(field(page, "Your question")).to_have_value("When does the next EMT course start?")
    expect(page.get_by_role("radio", name="Phone call")).to_be_checked()

    # Following each link puts the cursor in the field to fix.
    summary.get_by_role("link", name="Enter your name.").click()
    expect(field(page, "Your name")).to_be_focused()
    page.keyboard.type("Dana Rivera")
    summary.get_by_role("link", name=re.compile("Enter an e-mail address")).click()
    expect(field(page, "E-mail address")).to_be_focused()
    field(page, "E-mail address").fill("dana.rivera@example.net")
    summary.get_by_role("link", name=re.compile("Enter your phone number")).click()
    expect(field(page, "Phone number (optional)")).to_be_focused()
    page.keyboard.type("555 010 0456")
    page.get_by_role("button", name="Send my question").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we received your question")
    enquiry = Enquiry.objects.get()
    assert (enquiry.name, enquiry.email, enquiry.phone, enquiry.preferred_contact) == (
        "Dana Rivera",
        "dana.rivera@example.net",
        "555 010 0456",
        "phone",
    )


def test_phone_visitor_reaches_every_page_of_the_navigation(phone_page):
    goto(phone_page, "/")
    navigation = phone_page.get_by_role("navigation", name="Main")
    names = [link.inner_text().strip() for link in navigation.get_by_role("link").all()]
    assert names == ["Roles", "Programs", "FAQ", "Contact", "Apply"]
    for name in names:
        link = navigation.get_by_role("link", name=name, exact=True)
        expect(link).to_be_in_viewport()
        link.tap()
        expect(link).to_have_attribute("aria-current", "page")
        expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_horizontal_scroll(phone_page)
    # And back home by the school's name.
    phone_page.get_by_role("banner").get_by_role("link", name=settings.SCHOOL["NAME"]).tap()
    expect(phone_page).to_have_url(re.compile(r"/$"))


def test_phone_visitor_applies_and_corrects_mistakes_without_scrolling_sideways(phone_page):
    goto(phone_page, "/programs/emt/")
    phone_page.get_by_role("link", name=re.compile(r"^Apply for the .* start$")).first.tap()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(re.compile("^Apply for the"))
    assert_no_horizontal_scroll(phone_page)

    # Sent with mistakes: the error state fits the phone too.
    fill_application(phone_page, **{"E-mail address": "dana at example", "Date of birth": ""})
    phone_page.get_by_role("button", name="Send my application").tap()
    summary = error_summary(phone_page)
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert [text for text, _ in error_summary_links(phone_page)] == [
        "Enter an e-mail address in the form name@example.com.",
        "Enter your date of birth.",
    ]
    assert_no_horizontal_scroll(phone_page)

    summary.get_by_role("link", name="Enter your date of birth.").tap()
    expect(field(phone_page, "Date of birth")).to_be_focused()
    field(phone_page, "Date of birth").fill(APPLICANT["Date of birth"])
    field(phone_page, "E-mail address").fill(APPLICANT["E-mail address"])
    expect(field(phone_page, CONSENT_LABEL)).to_be_checked()
    phone_page.get_by_role("button", name="Send my application").tap()

    expect(phone_page.get_by_role("heading", level=1)).to_have_text(
        "Application received: a seat is held for you"
    )
    read_reference(phone_page)
    assert_no_horizontal_scroll(phone_page)


def test_phone_visitor_sees_the_contact_form_errors_without_scrolling_sideways(phone_page):
    goto(phone_page, "/contact/")
    phone_page.get_by_role("button", name="Send my question").tap()

    expect(error_summary(phone_page)).to_be_focused()
    assert_no_horizontal_scroll(phone_page)
    fill_fields(phone_page, {"Your name": "Dana Rivera", "E-mail address": "dana.rivera@example.net"})
    fill_fields(phone_page, {"Your question": "Can I do the EMT course on weekends?"})
    phone_page.get_by_role("button", name="Send my question").tap()

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Thank you: we received your question")
    assert_no_horizontal_scroll(phone_page)
