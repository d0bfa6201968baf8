"""Journey 5: an admissions officer signs in, finds a new application, withdraws an accepted applicant of a
full cohort and sees the first person on the waitlist promoted, all under the strict CSP."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from enrollment import services
from enrollment.demo import FULL_COHORT
from enrollment.eligibility import ApplicantDetails
from enrollment.models import Application, Cohort
from tests.browser.helpers import STAFF_PASSWORD, staff_sign_in
from tests.staff.conftest import ADMISSIONS, make_staff


@pytest.fixture
def officer(django_user_model):
    return make_staff(django_user_model, "officer", group=ADMISSIONS, password=STAFF_PASSWORD)


def test_officer_withdraws_a_seat_and_sees_the_first_on_the_waitlist_promoted(
    page, demo_content, officer, policy_errors
):
    cohort = Cohort.objects.get(code=FULL_COHORT)
    waitlist = list(cohort.applications.filter(status="waitlisted").order_by("waitlist_position"))
    assert len(waitlist) >= 2, "the demo's full cohort has a waitlist"
    leaving = cohort.applications.filter(status="held").order_by("submitted_at").first()
    new = services.application_submit(
        cohort=Cohort.objects.get(code="EMT-EVE"),
        details=ApplicantDetails(
            first_name="Rosalind",
            last_name="Okonkwo-Test",
            email="rosalind.test@example.org",
            phone="555 010 3344",
            date_of_birth=date(1996, 4, 2),
            address_line1="3 Example Road",
            city="Springfield",
            state="MA",
            postal_code="01000",
            consent_data_processing=True,
        ),
        notify=False,
    )

    staff_sign_in(page, officer)
    expect(
        page.get_by_role("heading", name=re.compile("Needs attention|attention", re.I)).first
    ).to_be_visible()

    # Find the new application by its reference, and open it.
    page.get_by_role("link", name=re.compile(r"^Applications$")).first.click()
    page.get_by_role("textbox", name=re.compile("search", re.I)).fill(new.reference)
    page.keyboard.press("Enter")
    page.get_by_role("link", name=new.reference).click()
    expect(page).to_have_url(re.compile(rf"/admin/enrollment/application/{new.pk}/change/"))
    page.wait_for_load_state("load")
    assert "Okonkwo-Test" in page.content()

    # Withdraw an accepted applicant of the full cohort from the list.
    page.goto(f"/admin/enrollment/application/?q={leaving.reference}")
    page.get_by_role("checkbox", name=re.compile("Select this object|select", re.I)).last.check()
    page.get_by_role("combobox", name=re.compile("Action", re.I)).select_option("action_application_withdraw")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text(leaving.reference).first).to_be_visible()
    page.get_by_role("button", name="Withdraw: confirm").click()
    expect(page.get_by_text(re.compile("withdrawn", re.I)).first).to_be_visible()

    # On the cohort's list the first waitlisted person is now offered the seat, and the rest moved up.
    page.goto(f"/admin/enrollment/application/?cohort__id__exact={cohort.pk}")
    expect(page.get_by_text(waitlist[0].reference)).to_be_visible()
    promoted = Application.objects.get(pk=waitlist[0].pk)
    assert promoted.status == "offered" and promoted.waitlist_position is None
    assert Application.objects.get(pk=leaving.pk).status == "withdrawn"
    assert Application.objects.get(pk=waitlist[1].pk).waitlist_position == 1
    positions = sorted(
        cohort.applications.filter(status="waitlisted").values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, len(waitlist)))

    assert not [error for error in policy_errors if "Content Security Policy" in error or "Refused" in error]
    assert not policy_errors
