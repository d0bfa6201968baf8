"""One availability calculation, one definition of which statuses hold a seat, one rule for "open for
applications": every reader agrees, and a status that holds a seat is a change in one place."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from enrollment import models, selectors, services
from enrollment.models import STATUS_MEANINGS, Application, Cohort
from enrollment.services.locking import lock_cohorts, wait_at_most
from tests.enrollment.conftest import make_cohort, submit, today

pytestmark = pytest.mark.django_db

Status = Application.Status


def put_in(application, status):
    """An application in `status`, whatever the workflows allow (a reader's test, not a workflow's)."""
    position = 99 if status == Status.WAITLISTED else None
    expires = timezone.now() + timedelta(hours=48) if status == Status.OFFERED else None
    Application.objects.filter(pk=application.pk).update(
        status=status, waitlist_position=position, offer_expires_at=expires
    )


def seat_figures_everywhere(client, admin_client, cohort) -> dict:
    """The seats left of one start as every reader shows or uses them."""
    annotated = Cohort.objects.with_seat_counts().get(pk=cohort.pk)
    program_page = client.get(cohort.program.get_absolute_url()).context["program"]
    listed = next(c for c in program_page.upcoming_cohorts if c.pk == cohort.pk)
    form = client.get(reverse("enrollment:apply", kwargs={"slug": cohort.program.slug})).context["form"]
    in_form = next(c for c in form.fields["cohort"].queryset if c.pk == cohort.pk)
    admin_list = admin_client.get(reverse("admin:enrollment_cohort_changelist")).context["cl"].result_list
    in_admin = next(c for c in admin_list if c.pk == cohort.pk)
    soon = {c.pk: c for c in selectors.cohorts_starting_soon()}
    return {
        "queryset": annotated.seats_left,
        "service": services.seats(cohort).left,
        "program page": listed.seats_left,
        "form": in_form.seats_left,
        "admin": in_admin.seats_left,
        "attention panel": soon[cohort.pk].seats_left if cohort.pk in soon else 0,
    }


@pytest.mark.parametrize("status", list(Status))
def test_every_reader_counts_a_seat_exactly_for_the_statuses_that_hold_one(
    client, admin_client, emt_program, settings, status
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    cohort = make_cohort(program=emt_program, capacity=3, starts_in=20)
    put_in(submit(cohort, notify=False), status)

    expected = 2 if STATUS_MEANINGS[status].holds_seat else 3
    assert set(seat_figures_everywhere(client, admin_client, cohort).values()) == {expected}


def test_a_new_seat_holding_status_is_one_line_in_the_definition(
    client, admin_client, emt_program, monkeypatch, settings
):
    """Say "declined" held a seat (a stand-in for a status the lifecycle adds): changing the definition
    alone moves every reader and the services' decisions."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    cohort = make_cohort(program=emt_program, capacity=1, starts_in=20)
    put_in(submit(cohort, notify=False), Status.DECLINED)
    assert set(seat_figures_everywhere(client, admin_client, cohort).values()) == {1}

    monkeypatch.setattr(models, "SEAT_STATUSES", (*models.SEAT_STATUSES, Status.DECLINED.value))

    assert set(seat_figures_everywhere(client, admin_client, cohort).values()) == {0}
    assert submit(cohort, notify=False).status == Status.WAITLISTED  # the service's seat decision too


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"is_open": False},
        {"starts_in": 0},
        {"starts_in": -5},
        {"deadline_before": -1},
        {"starts_in": 1, "deadline_before": 0},
        {"starts_in": 10, "deadline_before": 11},
        {"draft": True},
    ],
)
def test_open_for_applications_is_one_rule_in_the_database_and_for_a_row(emt_program, changes):
    changes = dict(changes)
    if changes.pop("draft", False):
        emt_program.is_published = False
        emt_program.save()
    starts_in = changes.pop("starts_in", 30)
    deadline_before = changes.pop("deadline_before", 7)
    if deadline_before < 0:  # the deadline passed yesterday
        cohort = make_cohort(program=emt_program, starts_in=starts_in, deadline_before=0, **changes)
        Cohort.objects.filter(pk=cohort.pk).update(application_deadline=today() - timedelta(days=1))
        cohort.refresh_from_db()
    else:
        cohort = make_cohort(
            program=emt_program, starts_in=starts_in, deadline_before=deadline_before, **changes
        )

    in_database = Cohort.objects.open_for_applications().filter(pk=cohort.pk).exists()
    annotated = Cohort.objects.with_seat_counts().get(pk=cohort.pk).accepting
    for_the_row = cohort.is_accepting_applications()
    assert in_database == annotated == for_the_row
    assert bool(cohort.closed_reason()) == (not for_the_row)


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused(cohort):
    with pytest.raises(RuntimeError, match="needs a transaction"):
        lock_cohorts([cohort.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="lock timeouts are PostgreSQL's")
def test_a_lock_waits_a_few_seconds_at_most(cohort):
    with transaction.atomic():
        lock_cohorts([cohort.pk])
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "5s"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="lock timeouts are PostgreSQL's")
@pytest.mark.parametrize(("seconds", "timeout"), [(0.0001, "1ms"), (2.5, "2500ms"), (60, "1min")])
def test_a_lock_waits_at_least_a_millisecond_never_for_ever(cohort, seconds, timeout):
    with transaction.atomic():
        wait_at_most(seconds)
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == timeout
