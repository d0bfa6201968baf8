"""The basic staff side: status changes and capacity changes go through the services."""

import pytest
from django.urls import reverse

from enrollment.models import Application
from tests.enrollment.conftest import make_cohort, submit

pytestmark = pytest.mark.django_db


def cohort_form(cohort, **changes):
    data = {
        "program": cohort.program_id,
        "code": cohort.code,
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "meeting_pattern": cohort.meeting_pattern,
        "schedule": cohort.schedule,
        "location": cohort.location,
        "capacity": cohort.capacity,
        "application_deadline": cohort.application_deadline.isoformat(),
        "is_open": "on",
    }
    return {**data, **changes}


def test_raising_capacity_in_the_admin_offers_the_new_seats_to_the_waitlist(admin_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=1)
    submit(cohort)
    first, second = submit(cohort), submit(cohort)

    url = reverse("admin:enrollment_cohort_change", args=[cohort.pk])
    shown = admin_client.post(url, cohort_form(cohort, capacity=2))

    # First who would be offered the new seat, and a tick to confirm; nothing changed yet.
    assert shown.status_code == 200
    page = shown.content.decode()
    assert "Tick the box to confirm" in page
    offered = page[page.index('id="offers-heading"') :].split("</section>")[0]
    assert first.reference in offered and second.reference not in offered
    assert Application.objects.get(pk=first.pk).status == "waitlisted"

    response = admin_client.post(url, cohort_form(cohort, capacity=2, offer_seats="on"))

    assert response.status_code == 302
    assert Application.objects.get(pk=first.pk).status == "offered"
    second.refresh_from_db()
    assert (second.status, second.waitlist_position) == ("waitlisted", 1)


def test_capacity_cannot_go_below_the_seats_already_taken(admin_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=3)
    submit(cohort)
    submit(cohort)
    response = admin_client.post(
        reverse("admin:enrollment_cohort_change", args=[cohort.pk]), cohort_form(cohort, capacity=1)
    )
    assert response.status_code == 200
    assert "2 applicants already have a seat" in response.content.decode()


def test_application_status_is_read_only_and_applications_are_added_only_through_the_form(
    admin_client, cohort
):
    application = submit(cohort)
    page = admin_client.get(
        reverse("admin:enrollment_application_change", args=[application.pk])
    ).content.decode()
    assert 'name="status"' not in page
    assert 'name="waitlist_position"' not in page
    assert 'name="cohort"' not in page
    # Adding one is the public form's fields and service (an application taken by phone), never the model's
    # fields: no status, position or start to set by hand.
    add_page = admin_client.get(f"{reverse('admin:enrollment_application_add')}?program={cohort.program_id}")
    assert add_page.status_code == 200
    assert 'name="status"' not in add_page.content.decode()
    assert 'name="waitlist_position"' not in add_page.content.decode()


def test_accept_action_refuses_politely_when_the_cohort_is_full(admin_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=1)
    submit(cohort)
    waiting = submit(cohort)
    response = admin_client.post(
        reverse("admin:enrollment_application_changelist"),
        {"action": "action_application_hold", "_selected_action": [waiting.pk]},
        follow=True,
    )
    assert "No seat is free" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"


def test_admin_lists_answer(admin_client, cohort):
    submit(cohort)
    for name in ("program", "cohort", "application", "enquiry", "emailnotification"):
        assert admin_client.get(reverse(f"admin:enrollment_{name}_changelist")).status_code == 200
