"""How far each application got (Application.furthest_stage, which the reports' funnel counts): kept as its
history is written, never lowered by a later status, and left alone by a preview."""

import pytest

from enrollment import services
from enrollment.models import Application
from tests.enrollment.conftest import make_cohort, submit

pytestmark = pytest.mark.django_db

HELD, ENROLLED, STARTED = 1, 2, 3


def stored(application) -> int:
    return Application.objects.values_list("furthest_stage", flat=True).get(pk=application.pk)


def reload(application):
    return Application.objects.get(pk=application.pk)


def verify_everything(application):
    for item in services.checklist_sync(application):
        services.checklist_item_verify(item=item, by=None)


def test_each_stage_reached_is_kept_and_leaving_the_course_does_not_lower_it(cohort):
    application = submit(cohort, notify=False)
    assert stored(application) == HELD

    verify_everything(application)
    application = services.application_enrol(application=application, notify=False)
    assert stored(application) == application.furthest_stage == ENROLLED

    services.courses_start(today=cohort.start_date)
    assert stored(application) == STARTED

    left = services.application_leave(application=reload(application))
    assert left.status == Application.Status.LEFT
    assert stored(application) == left.furthest_stage == STARTED


def test_a_waitlisted_application_reaches_a_stage_only_when_it_takes_a_seat(emt_program):
    cohort = make_cohort(program=emt_program, capacity=1)
    seated, waiting = submit(cohort, notify=False), submit(cohort, notify=False)
    assert stored(waiting) == 0

    services.application_withdraw(application=seated, notify=False)
    assert reload(waiting).status == Application.Status.OFFERED
    assert stored(waiting) == 0  # an offer is not a seat yet

    services.offer_accept(application=reload(waiting))
    assert stored(waiting) == HELD
    assert stored(seated) == HELD  # withdrawn, it had held a seat


def test_a_preview_of_a_change_leaves_the_stage_as_it_was(cohort):
    application = submit(cohort, notify=False)
    verify_everything(application)

    preview = services.preview(
        lambda: services.application_enrol(application=reload(application), notify=False)
    )

    assert preview.result.status == Application.Status.ENROLLED
    assert stored(application) == HELD


def test_a_waitlisted_application_moved_to_a_free_seat_has_held_one(emt_program):
    full, free = make_cohort(program=emt_program, capacity=1), make_cohort(program=emt_program, starts_in=60)
    submit(full, notify=False)
    waiting = submit(full, notify=False)

    moved = services.application_move(application=waiting, to=free, notify=False)

    assert moved.status == Application.Status.HELD
    assert stored(waiting) == moved.furthest_stage == HELD


def test_every_application_has_the_furthest_stage_its_history_shows(emt_program):
    """After each service that changes a status (one by one, and as the admin's batch), the stored stage is
    the one the reports once read from the history: the furthest status its entries say it moved to."""
    cohort = make_cohort(program=emt_program, capacity=4)
    later = make_cohort(program=emt_program, starts_in=60)
    completes, leaves, released, moved_enrolled = (submit(cohort, notify=False) for _ in range(4))
    withdraws, declines, expires, accepts, moves = (submit(cohort, notify=False) for _ in range(5))  # waiting
    for application in (completes, leaves, moved_enrolled):
        verify_everything(application)
        services.application_enrol(application=application, notify=False)
    batch = services.applications_change_status(
        applications=[reload(released)], status=Application.Status.RELEASED, notify=False
    )  # its seat is offered to `withdraws`,
    services.application_withdraw(application=reload(withdraws), notify=False)  # then to `declines`,
    services.offer_decline(application=reload(declines))  # then to `expires`,
    services.offers_expire(now=reload(expires).offer_expires_at)  # then to `accepts`
    services.offer_accept(application=reload(accepts))
    services.application_move(application=reload(moves), to=later, notify=False)  # a seat there: held
    services.application_move(application=reload(moved_enrolled), to=later, notify=False)  # still enrolled
    services.courses_start(today=cohort.start_date)
    services.application_complete(application=reload(completes))
    services.application_leave(application=reload(leaves))

    assert [result.refusal for result in batch.results] == [""]
    for application in Application.objects.prefetch_related("events"):
        from_history = max((event.stage_reached() for event in application.events.all()), default=0)
        assert application.furthest_stage == from_history, (application.status, application.furthest_stage)
    expected = {
        completes: (Application.Status.COMPLETED, 4),
        leaves: (Application.Status.LEFT, STARTED),
        released: (Application.Status.RELEASED, HELD),
        moved_enrolled: (Application.Status.ENROLLED, ENROLLED),
        withdraws: (Application.Status.WITHDRAWN, 0),
        declines: (Application.Status.WITHDRAWN, 0),
        expires: (Application.Status.EXPIRED, 0),
        accepts: (Application.Status.HELD, HELD),
        moves: (Application.Status.HELD, HELD),
    }
    assert {a.reference: (reload(a).status, stored(a)) for a in expected} == {
        a.reference: outcome for a, outcome in expected.items()
    }


def test_saving_only_the_status_saves_the_stage_it_reached_with_it(cohort):
    application = submit(cohort, notify=False)
    application.status = Application.Status.ENROLLED
    application.save(update_fields=["status"])
    assert stored(application) == ENROLLED
