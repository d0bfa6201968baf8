"""A start's number of seats changes through the service, under the start's lock: refused below the seats
taken, and, when raising it offers seats to people waiting, only by Admissions after seeing who they are."""

import threading

import pytest
from django.core import mail
from django.db import connections
from django.urls import reverse

from enrollment import services
from enrollment.models import Application, Cohort
from tests.enrollment.conftest import details, make_cohort, make_level, make_program
from tests.enrollment.test_admin import cohort_form
from tests.staff.conftest import submit

pytestmark = pytest.mark.django_db


def change(client, cohort, **changes):
    return client.post(
        reverse("admin:enrollment_cohort_change", args=[cohort.pk]), cohort_form(cohort, **changes)
    )


def test_a_content_editor_may_add_seats_nobody_is_waiting_for(editor_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=2)
    submit(cohort)

    assert change(editor_client, cohort, capacity=5).status_code == 302
    assert Cohort.objects.get(pk=cohort.pk).capacity == 5


def test_a_content_editor_cannot_offer_seats_to_people_waiting(editor_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=1)
    submit(cohort)
    waiting = submit(cohort)

    response = change(editor_client, cohort, capacity=2, offer_seats="on")

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 person on the waitlist would be offered a seat" in page
    assert "Offering seats is for Admissions" in page
    assert waiting.reference not in page  # no personal data for content editors
    assert Cohort.objects.get(pk=cohort.pk).capacity == 1
    assert Application.objects.get(pk=waiting.pk).status == "waitlisted"


def test_admissions_see_who_the_new_seats_go_to_then_confirm(
    admissions_client, emt_program, django_capture_on_commit_callbacks
):
    cohort = make_cohort(program=emt_program, capacity=1)
    submit(cohort)
    first, second = submit(cohort), submit(cohort)

    page = change(admissions_client, cohort, capacity=2).content.decode()
    assert "Tick the box to confirm" in page
    assert f"{first.reference}: {first.first_name} {first.last_name}" in page
    # The offer e-mail itself, as it will be sent, outside the form (nothing it says can be sent with it).
    after_form = page[page.rindex("</form>") :]
    assert "The e-mails the new seats send" in after_form
    assert f"To {first.email}: Seat offered: answer by" in after_form
    assert f"Hello {first.first_name}," in after_form
    assert second.email not in after_form
    with django_capture_on_commit_callbacks(execute=True):
        response = change(admissions_client, cohort, capacity=2, offer_seats="on", follow=True)

    assert response.status_code == 302
    assert Application.objects.get(pk=first.pk).status == "offered"
    assert Application.objects.get(pk=second.pk).waitlist_position == 1
    assert [m.to for m in mail.outbox if "Seat offered: answer by" in m.subject] == [[first.email]]


def test_seats_cannot_go_below_those_taken_nor_past_the_limit(admissions_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=3)
    submit(cohort)
    submit(cohort)

    assert (
        "2 applicants already have a seat" in change(admissions_client, cohort, capacity=1).content.decode()
    )
    assert "at most 500 seats" in change(admissions_client, cohort, capacity=501).content.decode()
    assert Cohort.objects.get(pk=cohort.pk).capacity == 3


def test_other_changes_are_saved_with_the_new_seats(admin_client, emt_program):
    cohort = make_cohort(program=emt_program, capacity=2)
    change(admin_client, cohort, capacity=4, location="North campus")
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.location) == (4, "North campus")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_capacity_changes_racing_submissions_never_leave_more_seats_taken_than_the_capacity():
    program = make_program(level=make_level(slug="emt", ladder_order=2))
    cohort = make_cohort(program=program, capacity=6, code="RACE")
    barrier = threading.Barrier(12, timeout=60)
    errors = []

    def apply(number):
        try:
            barrier.wait()
            services.application_submit(
                cohort=cohort, details=details(email=f"race{number}@example.org"), notify=False
            )
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connections.close_all()

    def shrink(capacity):
        try:
            barrier.wait()
            services.cohort_set_capacity(cohort=cohort, capacity=capacity)
        except services.ApplicationStateError:
            pass  # refused: more seats were already taken
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(n,)) for n in range(8)]
    threads += [threading.Thread(target=shrink, args=(c,)) for c in (2, 3, 4, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    cohort = Cohort.objects.with_seat_counts().get(pk=cohort.pk)
    assert cohort.seats_taken <= cohort.capacity
    assert cohort.seats_taken + cohort.waitlisted_count == 8
    positions = sorted(
        cohort.applications.filter(status="waitlisted").values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, len(positions) + 1))
