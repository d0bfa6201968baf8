"""Journeys of applicants on their own page (docs/lifecycle.md, "The applicant's page"), on a 375 px phone:
a person on the waitlist is offered a freed seat, opens the link in the e-mail and accepts it; an offer left
unanswered passes to the next person; an applicant withdraws after confirming; an applicant sends their BLS
card. Every state of the page passes axe with no violation.

The people are the demo's full EMT weekend start (8 seats held, 3 waiting). What the school does (a seat
freed, time passing) is done through the services, as Admissions and the scheduled job would; what the
applicant does is done in the browser, from the link in the e-mail they were sent."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from enrollment import services
from enrollment.demo import FULL_COHORT
from enrollment.models import Application, ChecklistItem, Cohort, Document, EmailNotification
from tests.browser.chromium import PHONE
from tests.browser.helpers import (
    assert_field_shows_error,
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    goto,
)

pytestmark = pytest.mark.usefixtures("demo_content")

Status = Application.Status
# A small PDF, as a phone's scanner app would save a card (its content makes it a PDF, not its name).
BLS_CARD_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def phone(new_context) -> Page:
    """A 375 px touch phone whose context lets axe-core in (it ignores the Content-Security-Policy)."""
    return new_context(**PHONE, bypass_csp=True).new_page()


@pytest.fixture
def cohort():
    return Cohort.objects.get(code=FULL_COHORT)


def waiting(cohort) -> list[Application]:
    return list(cohort.applications.filter(status=Status.WAITLISTED).order_by("waitlist_position"))


def holders(cohort) -> list[Application]:
    return list(cohort.applications.filter(status=Status.HELD).order_by("submitted_at"))


def reload(application) -> Application:
    return Application.objects.get(pk=application.pk)


def emails_to(application) -> list:
    return [message for message in mail.outbox if message.to == [application.email]]


def page_link(message) -> str:
    """The path of the link to the applicant's page in an e-mail's text (the site's address left out: the
    browser opens it on the live server)."""
    [link] = {url for url in re.findall(r"https?://\S+", message.body) if "/my-application/?t=" in url}
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def check_state(page: Page) -> None:
    """What every state of the applicant's page must be: axe-clean and no wider than the phone."""
    assert_no_axe_violations(page)
    assert_no_horizontal_scroll(page)


def status(page: Page):
    return page.locator("#status")


def test_waitlisted_applicant_is_offered_a_freed_seat_and_accepts_it_from_the_email(phone, cohort):
    first = waiting(cohort)[0]
    services.application_withdraw(application=holders(cohort)[0])  # a seat frees

    [offer] = [m for m in emails_to(first) if m.subject.startswith("Seat offered")]
    goto(phone, page_link(offer), status=200)
    expect(phone).to_have_url(re.compile(rf"/my-application/{first.reference}/$"))  # the token is gone
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Your application {first.reference}")
    expect(status(phone)).to_contain_text("A seat is offered to you: please answer")
    expect(status(phone)).to_contain_text("Please answer by")
    check_state(phone)

    phone.get_by_role("button", name="Accept the seat").tap()

    expect(phone.get_by_role("status")).to_contain_text("Thank you: the seat is yours")
    expect(status(phone)).to_contain_text("Seat held: we are reviewing your application")
    expect(phone.get_by_role("heading", name="What we need before the course")).to_be_visible()
    check_state(phone)
    first = reload(first)
    assert first.status == Status.HELD
    assert "by the applicant" in first.events.first().description
    assert any(m.subject for m in emails_to(first) if m is not offer)


def test_an_offer_left_unanswered_passes_to_the_next_person_who_is_emailed(phone, cohort):
    late, next_in_line = waiting(cohort)[:2]
    services.application_withdraw(application=holders(cohort)[0])
    [offer] = [m for m in emails_to(late) if m.subject.startswith("Seat offered")]
    assert not emails_to(next_in_line)
    # The deadline passes without an answer.
    Application.objects.filter(pk=late.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))

    # Reading the page is enough to end the offer (the scheduled job does the same).
    goto(phone, page_link(offer), status=200)
    expect(status(phone)).to_contain_text("The seat offered to you was not taken up in time")
    expect(phone.get_by_role("button", name="Accept the seat")).to_have_count(0)
    check_state(phone)

    assert reload(late).status == Status.EXPIRED
    assert reload(next_in_line).status == Status.OFFERED
    assert [m.subject for m in emails_to(late) if m.subject.startswith("Offer expired")]
    [passed_on] = [m for m in emails_to(next_in_line) if m.subject.startswith("Seat offered")]

    # The next person's link opens their offer.
    goto(phone, page_link(passed_on), status=200)
    expect(status(phone)).to_contain_text("A seat is offered to you: please answer")


def test_applicant_withdraws_from_their_page_after_confirming(phone, cohort):
    leaving = waiting(cohort)[-1]
    services.applicant_links_send(email=leaving.email)  # "send me my link"
    [message] = emails_to(leaving)
    goto(phone, page_link(message), status=200)
    expect(status(phone)).to_contain_text("You are on the waitlist")
    check_state(phone)

    phone.get_by_role("link", name="Withdraw your application").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Withdraw your application?")
    expect(phone.get_by_text("You will leave the waitlist.")).to_be_visible()
    check_state(phone)
    assert reload(leaving).status == Status.WAITLISTED  # nothing happens before the confirmation

    phone.get_by_role("button", name="Yes, withdraw my application").tap()

    expect(phone.get_by_role("status")).to_contain_text("Your application is withdrawn")
    expect(status(phone)).to_contain_text("Withdrawn")
    expect(phone.get_by_role("link", name="Withdraw your application")).to_have_count(0)
    check_state(phone)
    assert reload(leaving).status == Status.WITHDRAWN

    # The confirmation's address, opened again (a bookmark, the back button), says it cannot be done twice.
    goto(phone, f"/my-application/{leaving.reference}/withdraw/", status=409)
    expect(phone.get_by_role("heading", level=1)).to_have_text("This application cannot be withdrawn here")
    check_state(phone)


def test_applicant_sends_their_bls_card_and_sees_it_waiting_for_review(phone, cohort):
    applicant = holders(cohort)[-1]
    services.applicant_links_send(email=applicant.email)
    [message] = emails_to(applicant)
    goto(phone, page_link(message), status=200)
    card = phone.get_by_role("listitem").filter(
        has=phone.get_by_role("heading", name="CPR card (healthcare provider, BLS)")
    )
    expect(card).to_contain_text("Not sent yet")
    check_state(phone)

    # A renamed text file first: refused, with what to send instead.
    card.get_by_label("Your file").set_input_files(
        {"name": "bls-card.pdf", "mimeType": "application/pdf", "buffer": b"just some text\n" * 20}
    )
    card.get_by_label("Expiry date shown on it").fill(f"{cohort.end_date + timedelta(days=365):%Y-%m-%d}")
    card.get_by_role("button", name=re.compile("^Send")).tap()
    expect(phone.locator("[data-error-summary]")).to_contain_text("This file is not a PDF, JPEG, PNG or HEIC")
    card = phone.get_by_role("listitem").filter(
        has=phone.get_by_role("heading", name="CPR card (healthcare provider, BLS)")
    )
    assert_field_shows_error(phone, card.get_by_label("Your file"), "we read the file itself, not its name")
    check_state(phone)

    card = phone.get_by_role("listitem").filter(
        has=phone.get_by_role("heading", name="CPR card (healthcare provider, BLS)")
    )
    card.get_by_label("Your file").set_input_files(
        {"name": "bls-card.pdf", "mimeType": "application/pdf", "buffer": BLS_CARD_PDF}
    )
    card.get_by_label("Expiry date shown on it").fill(f"{cohort.end_date + timedelta(days=365):%Y-%m-%d}")
    card.get_by_role("button", name=re.compile("^Send")).tap()

    expect(phone.get_by_role("status")).to_contain_text(
        "we received it for “CPR card (healthcare provider, BLS)” and will check it"
    )
    card = phone.get_by_role("listitem").filter(
        has=phone.get_by_role("heading", name="CPR card (healthcare provider, BLS)")
    )
    expect(card).to_contain_text("Sent: to be checked")
    check_state(phone)
    item = ChecklistItem.objects.get(application=applicant, requirement__name__startswith="CPR card")
    assert item.state == ChecklistItem.State.SUBMITTED
    assert item.expiry_date == cohort.end_date + timedelta(days=365)
    assert Document.objects.get(item=item).content_type == "application/pdf"


def test_the_pages_to_get_a_link_pass_axe_on_a_phone(phone, cohort):
    goto(phone, "/my-application/?t=not-a-real-link", status=400)
    expect(phone.get_by_role("alert")).to_contain_text("This link does not open an application")
    check_state(phone)

    goto(phone, f"/my-application/{waiting(cohort)[0].reference}/", status=404)  # no cookie for it
    expect(phone.get_by_role("alert")).to_contain_text("This page opens from the link in our e-mails")
    check_state(phone)

    phone.get_by_label("The e-mail address you applied with").fill(waiting(cohort)[0].email)
    phone.get_by_role("button", name="Send me my link").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    check_state(phone)
    assert EmailNotification.objects.filter(kind=EmailNotification.Kind.APPLICANT_LINK).count() == 1
