"""An application's history: every change, who made it and when, written by the services in the same
transaction as the change."""

import pytest
from django.db import transaction

from enrollment import services
from enrollment.models import Application, ApplicationEvent, ApplicationNote
from tests.staff.conftest import make_cohort, submit

pytestmark = pytest.mark.django_db

Kind = ApplicationEvent.Kind


def history(application):
    return list(application.events.order_by("at", "id").values_list("kind", "description"))


def test_submission_is_the_first_entry(emt_program):
    cohort = make_cohort(program=emt_program, capacity=1, code="EMT-H")
    seat, waiting = submit(cohort), submit(cohort)
    assert history(seat) == [(Kind.SUBMITTED, "Applied to EMT-H: Seat held")]
    assert history(waiting) == [(Kind.SUBMITTED, "Applied to EMT-H: On the waitlist, #1")]
    assert seat.events.get().actor is None


def test_a_status_change_records_from_and_to_who_and_the_email(full_cohort, officer):
    cohort, seats, waiting = full_cohort
    services.application_decline(application=seats[0], message="Not this time.", by=officer)
    event = seats[0].events.get(kind=Kind.STATUS)
    assert event.actor == officer
    assert event.description == "Seat held → Declined (Not this time.)"
    assert event.changes == {
        "status": ["held", "declined"],
        "waitlist_position": [None, None],
        "applicant_emailed": True,
        "message": "Not this time.",
    }


def test_promotion_and_renumbering_are_in_the_history_of_those_who_moved(full_cohort, officer):
    cohort, seats, waiting = full_cohort
    services.application_withdraw(application=seats[0], notify=False, by=officer)

    promoted = waiting[0].events.get(kind=Kind.STATUS)
    assert (
        promoted.description
        == "On the waitlist, #1 → Seat offered, awaiting an answer (a seat was freed: offered to the first on the waitlist)"
    )
    assert promoted.actor == officer
    assert [e.description for e in waiting[1].events.filter(kind=Kind.POSITION)] == [
        "Moved up the waitlist: #2 → #1"
    ]
    assert [e.changes for e in waiting[2].events.filter(kind=Kind.POSITION)] == [
        {"waitlist_position": [3, 2]}
    ]


def test_leaving_the_waitlist_moves_the_people_behind_in_their_history(full_cohort):
    cohort, seats, waiting = full_cohort
    services.application_withdraw(application=waiting[0], notify=False)
    assert not waiting[0].events.filter(kind=Kind.POSITION).exists()
    assert waiting[1].events.get(kind=Kind.POSITION).changes == {"waitlist_position": [2, 1]}


def test_the_history_is_rolled_back_with_the_change(full_cohort):
    cohort, seats, waiting = full_cohort

    class Abort(Exception):
        pass

    before = ApplicationEvent.objects.count()
    with pytest.raises(Abort), transaction.atomic():
        services.application_withdraw(application=seats[0], notify=False)
        raise Abort
    assert ApplicationEvent.objects.count() == before
    assert Application.objects.get(pk=seats[0].pk).status == "held"


def test_a_refused_change_leaves_no_entry(full_cohort):
    cohort, seats, waiting = full_cohort
    with pytest.raises(services.ApplicationStateError):
        services.application_hold(application=waiting[0], notify=False)
    assert not waiting[0].events.exclude(kind=Kind.SUBMITTED).exists()


def test_edits_record_before_and_after_and_refuse_workflow_fields(emt_program, officer, levels):
    application = submit(make_cohort(program=emt_program), city="Springfield")
    application.city = "Northfield"
    application.certification_level = levels["emr"]
    services.application_update(application=application, fields=["city", "certification_level"], by=officer)
    event = application.events.get(kind=Kind.EDITED)
    assert event.description == "Changed city, certification level"
    assert event.changes == {
        "city": ["Springfield", "Northfield"],
        "certification_level": [None, "Emergency Medical Responder"],
    }
    for field in ("status", "waitlist_position", "cohort", "reference"):
        with pytest.raises(ValueError):
            services.application_update(application=application, fields=[field], by=officer)


def test_assignment_and_notes(emt_program, officer):
    application = submit(make_cohort(program=emt_program))
    services.application_assign(application=application, to=officer, by=officer)
    services.application_assign(application=application, to=None, by=officer)
    note = services.application_note_add(application=application, text="  Called back.  ", by=officer)
    assert note.text == "Called back."
    assert [d for k, d in history(application) if k != Kind.SUBMITTED] == [
        "Assigned to Dana Officer",
        "Assigned to nobody",
        "Note added",
    ]
    with pytest.raises(services.ApplicationStateError):
        services.application_note_add(application=application, text="   ", by=officer)
    assert ApplicationNote.objects.count() == 1
