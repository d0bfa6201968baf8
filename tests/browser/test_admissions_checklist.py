"""Admissions and the checklist, in the browser: an officer opens an application whose CPR-BLS card was
uploaded, downloads it, verifies it with the expiry date read from the card, enrols the now complete student,
and is refused, with the missing items named, for an incomplete one. Axe finds nothing on each page."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from enrollment import services
from enrollment.models import Application, Requirement
from tests.browser.helpers import STAFF_PASSWORD, assert_no_axe_violations, staff_sign_in
from tests.enrollment.conftest import make_cohort, make_level, make_program, submit
from tests.staff.conftest import ADMISSIONS, make_staff

PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture
def applications(transactional_db):
    level = make_level(slug="emt", ladder_order=2, name="Emergency Medical Technician")
    program = make_program(level=level, requirements=(), name="EMT")
    program.requirements.create(name="CPR-BLS card", expiry=Requirement.Expiry.END, order=1)
    program.requirements.create(name="High-school diploma", order=2)
    cohort = make_cohort(program=program, capacity=5, code="EMT-SPRING")
    complete = submit(cohort, first_name="Robin", last_name="Ready", notify=False)
    incomplete = submit(cohort, first_name="Sasha", last_name="Waiting", notify=False)
    for application in (complete, incomplete):
        card = application.checklist.get(requirement__name="CPR-BLS card")
        services.document_upload(item=card, uploaded=SimpleUploadedFile("bls-card.pdf", PDF))
    diploma = complete.checklist.get(requirement__name="High-school diploma")
    services.checklist_item_verify(item=diploma, by=None)
    return complete, incomplete


def test_admissions_verify_a_bls_card_and_enrol_only_the_complete_student(
    axe_page, applications, django_user_model
):
    page = axe_page
    complete, incomplete = applications
    officer = make_staff(django_user_model, "officer", group=ADMISSIONS, password=STAFF_PASSWORD)
    staff_sign_in(page, officer)

    page.goto(f"/admin/enrollment/application/{complete.pk}/change/")
    checklist = page.get_by_role("region", name=re.compile("Checklist"))
    expect(checklist).to_contain_text("1 of 2 verified")
    expect(checklist).to_contain_text("Sent: to be checked")
    assert_no_axe_violations(page)

    # The card, downloaded as an attachment.
    with page.expect_download() as download:
        checklist.get_by_role("link", name="bls-card.pdf").click()
    assert download.value.suggested_filename == "bls-card.pdf"

    # Verified with the expiry date read from the card: through the course's last day.
    expiry = complete.cohort.end_date + timedelta(days=365)
    page.get_by_label("Expiry date on the card").fill(expiry.isoformat())
    page.get_by_role("button", name="Verify CPR-BLS card").click()
    expect(page.get_by_text("CPR-BLS card: verified.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Checklist: 2 of 2 verified"))).to_be_visible()
    assert_no_axe_violations(page)

    # Enrolled, after the confirmation page.
    page.get_by_role("combobox", name=re.compile("Action", re.I)).select_option("action_application_enrol")
    page.get_by_role("button", name="Run").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Enrol: confirm").click()
    expect(page.get_by_text(re.compile(r"1 application\(s\) enrolled"))).to_be_visible()
    assert Application.objects.get(pk=complete.pk).status == "enrolled"

    # The incomplete student: refused, with what is missing.
    page.goto(f"/admin/enrollment/application/{incomplete.pk}/change/")
    page.get_by_role("combobox", name=re.compile("Action", re.I)).select_option("action_application_enrol")
    page.get_by_role("button", name="Run").click()
    refusal = (
        f"{incomplete.reference} cannot be enrolled yet: CPR-BLS card, High-school diploma are not verified."
    )
    expect(page.get_by_text(refusal).first).to_be_visible()
    page.get_by_role("button", name="Enrol: confirm").click()
    expect(page.get_by_text(refusal).first).to_be_visible()
    assert_no_axe_violations(page)
    assert Application.objects.get(pk=incomplete.pk).status == "held"
