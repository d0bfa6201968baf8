from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from enrollment import services
from enrollment.models import SEAT_STATUSES, Application, Cohort, EmailNotification
from tests.enrollment.conftest import certified, make_cohort, make_program, submit, today

pytestmark = pytest.mark.django_db

ACCEPTED = Application.Status.HELD
OFFERED = Application.Status.OFFERED
WAITLISTED = Application.Status.WAITLISTED


def waitlist(cohort):
    return list(
        cohort.applications.filter(status=WAITLISTED)
        .order_by("waitlist_position")
        .values_list("pk", "waitlist_position")
    )


def full_cohort_with_waitlist(program, *, capacity=2, waiting=3):
    cohort = make_cohort(program=program, capacity=capacity)
    seats = [submit(cohort) for _ in range(capacity)]
    queue = [submit(cohort) for _ in range(waiting)]
    return cohort, seats, queue


# Seats and the waitlist


def test_applicant_gets_a_seat_while_seats_are_left(cohort):
    application = submit(cohort)
    assert application.status == ACCEPTED
    assert application.waitlist_position is None
    assert application.reference.startswith("EMS-") and len(application.reference) == 10


def test_full_cohort_puts_next_applicants_on_the_waitlist_in_order(cohort):
    results = [submit(cohort) for _ in range(5)]
    assert [a.status for a in results] == [ACCEPTED, ACCEPTED, WAITLISTED, WAITLISTED, WAITLISTED]
    assert [a.waitlist_position for a in results[2:]] == [1, 2, 3]


def test_references_are_unique_short_and_unambiguous(cohort):
    references = [submit(cohort).reference for _ in range(6)]
    assert len(set(references)) == 6
    for reference in references:
        assert set(reference[4:]) <= set(services.REFERENCE_ALPHABET)
        assert not set(reference[4:]) & set("0O1IL")


def test_email_is_stored_in_lower_case(cohort):
    assert submit(cohort, email="  Mixed.Case@Example.ORG ").email == "mixed.case@example.org"


def test_withdrawing_a_seat_offers_it_to_the_first_waitlisted_and_moves_the_rest_up(emt_program):
    cohort, seats, queue = full_cohort_with_waitlist(emt_program, capacity=2, waiting=3)

    services.application_withdraw(application=seats[0])

    seats[0].refresh_from_db()
    assert seats[0].status == Application.Status.WITHDRAWN
    first = Application.objects.get(pk=queue[0].pk)
    assert first.status == OFFERED and first.waitlist_position is None
    assert first.offer_expires_at > timezone.now()
    assert waitlist(cohort) == [(queue[1].pk, 1), (queue[2].pk, 2)]
    assert cohort.applications.filter(status__in=SEAT_STATUSES).count() == 2


def test_declining_a_seat_offers_it_to_the_first_waitlisted_too(emt_program):
    cohort, seats, queue = full_cohort_with_waitlist(emt_program, capacity=2, waiting=2)

    services.application_decline(application=seats[1])

    assert Application.objects.get(pk=seats[1].pk).status == Application.Status.DECLINED
    assert Application.objects.get(pk=queue[0].pk).status == OFFERED
    assert waitlist(cohort) == [(queue[1].pk, 1)]


def test_withdrawing_from_the_middle_of_the_waitlist_closes_the_gap(emt_program):
    cohort, seats, queue = full_cohort_with_waitlist(emt_program, capacity=1, waiting=4)

    services.application_withdraw(application=queue[1])

    assert waitlist(cohort) == [(queue[0].pk, 1), (queue[2].pk, 2), (queue[3].pk, 3)]
    assert cohort.applications.filter(status=ACCEPTED).count() == 1


def test_withdrawing_twice_is_refused_with_a_reason(cohort):
    application = submit(cohort)
    services.application_withdraw(application=application)
    with pytest.raises(services.ApplicationStateError) as refused:
        services.application_withdraw(application=application)
    assert refused.value.field == "status"
    assert "withdrawn" in refused.value.message


def test_staff_can_accept_a_waitlisted_applicant_only_when_a_seat_is_free(emt_program):
    cohort, seats, queue = full_cohort_with_waitlist(emt_program, capacity=2, waiting=2)

    with pytest.raises(services.ApplicationStateError) as refused:
        services.application_hold(application=queue[1])
    assert "No seat is free" in refused.value.message
    assert cohort.applications.filter(status=ACCEPTED).count() == 2

    cohort.capacity = 3
    cohort.save()
    accepted = services.application_hold(application=queue[1])
    assert accepted.status == ACCEPTED
    assert waitlist(cohort) == [(queue[0].pk, 1)]
    assert cohort.applications.filter(status=ACCEPTED).count() == 3


def test_raising_capacity_offers_the_new_seats_in_waitlist_order(emt_program):
    cohort, seats, queue = full_cohort_with_waitlist(emt_program, capacity=1, waiting=3)

    promoted = services.cohort_set_capacity(cohort=cohort, capacity=3)

    assert [a.pk for a in promoted] == [queue[0].pk, queue[1].pk]
    assert waitlist(cohort) == [(queue[2].pk, 1)]


def test_staff_moving_a_seat_holder_to_the_waitlist_offers_the_seat_to_the_first_waiting(emt_program):
    cohort, seats, queue = full_cohort_with_waitlist(emt_program, capacity=2, waiting=2)

    moved = services.application_waitlist(application=seats[0])

    assert moved.status == WAITLISTED
    assert Application.objects.get(pk=queue[0].pk).status == OFFERED
    assert waitlist(cohort) == [(queue[1].pk, 1), (seats[0].pk, 2)]


def test_staff_moving_a_waitlisted_applicant_to_the_end_renumbers_the_rest(emt_program):
    cohort, seats, queue = full_cohort_with_waitlist(emt_program, capacity=1, waiting=3)

    services.application_waitlist(application=queue[0])

    assert waitlist(cohort) == [(queue[1].pk, 1), (queue[2].pk, 2), (queue[0].pk, 3)]


def test_moving_the_only_seat_holder_when_nobody_waits_is_refused(cohort):
    application = submit(cohort)
    with pytest.raises(services.ApplicationStateError) as refused:
        services.application_waitlist(application=application)
    assert "Nobody else is on the waitlist" in refused.value.message
    application.refresh_from_db()
    assert application.status == ACCEPTED


def test_a_declined_applicant_put_back_on_the_waitlist_is_offered_a_free_seat_at_once(emt_program):
    cohort = make_cohort(program=emt_program, capacity=2)
    first = submit(cohort)
    submit(cohort)
    services.application_decline(application=first)

    back = services.application_waitlist(application=first)

    assert back.status == OFFERED
    assert cohort.applications.filter(status__in=SEAT_STATUSES).count() == 2


def test_reinstating_is_refused_when_the_same_email_has_applied_again(emt_program):
    cohort = make_cohort(program=emt_program, capacity=5)
    old = submit(cohort, email="same@example.org")
    services.application_withdraw(application=old)
    submit(cohort, email="same@example.org")

    with pytest.raises(services.ApplicationStateError) as refused:
        services.application_hold(application=old)
    assert refused.value.field == "email"


# Eligibility: each refusal says why, at its field


def refusal(cohort, **overrides):
    with pytest.raises(services.EligibilityError) as refused:
        submit(cohort, **overrides)
    return refused.value


def test_applicant_under_the_minimum_age_on_the_start_date_is_refused(cohort):
    start = cohort.start_date
    turns_18_day_after_start = date(start.year - 18, start.month, start.day) + timedelta(days=1)
    error = refusal(cohort, date_of_birth=turns_18_day_after_start)
    assert error.field == "date_of_birth"
    assert "at least 18 on the first day" in error.message


def test_applicant_turning_the_minimum_age_on_the_start_date_is_accepted(cohort):
    start = cohort.start_date
    eighteenth_birthday = (
        start.replace(year=start.year - 18) if not (start.month == 2 and start.day == 29) else None
    )
    if eighteenth_birthday is None:
        pytest.skip("start date on 29 February")
    assert submit(cohort, date_of_birth=eighteenth_birthday).status == ACCEPTED


def test_program_minimum_age_overrides_the_levels(levels):
    program = make_program(level=levels["emr"], minimum_age=16)
    cohort = make_cohort(program=program)
    fifteen = today().replace(year=today().year - 15)
    assert refusal(cohort, date_of_birth=fifteen).field == "date_of_birth"
    assert submit(cohort, date_of_birth=today().replace(year=today().year - 17)).status == ACCEPTED


def test_paramedic_applicant_without_certification_is_refused_at_each_missing_field(paramedic_program):
    cohort = make_cohort(program=paramedic_program)
    error = refusal(cohort)
    fields = {field for field, _ in error.errors}
    assert fields == {
        "certification_level",
        "certification_number",
        "certification_state",
        "certification_expiry",
    }
    assert (
        "requires current Emergency Medical Technician certification"
        in dict(error.errors)["certification_level"]
    )


def test_paramedic_applicant_with_a_lower_certification_is_refused(paramedic_program, levels):
    cohort = make_cohort(program=paramedic_program)
    error = refusal(cohort, **certified(levels["emr"]))
    assert error.field == "certification_level"
    assert "not enough" in error.message


def test_certification_expiring_before_the_start_is_refused(paramedic_program, levels):
    cohort = make_cohort(program=paramedic_program, starts_in=60)
    error = refusal(
        cohort, **certified(levels["emt"], certification_expiry=cohort.start_date - timedelta(days=1))
    )
    assert error.field == "certification_expiry"
    assert "must still be valid after the first day" in error.message


def test_certified_paramedic_applicant_is_accepted(paramedic_program, levels):
    cohort = make_cohort(program=paramedic_program)
    application = submit(cohort, **certified(levels["emt"]))
    assert application.status == ACCEPTED
    assert application.certification_level == levels["emt"]


def test_application_after_the_deadline_is_refused(emt_program):
    cohort = make_cohort(program=emt_program, starts_in=10, deadline_before=12)
    error = refusal(cohort)
    assert error.field == "cohort"
    assert "closed on" in error.message


def test_application_to_a_cohort_that_has_started_is_refused(emt_program):
    cohort = make_cohort(program=emt_program, starts_in=0, deadline_before=0)
    error = refusal(cohort)
    assert error.field == "cohort"
    assert "already begun" in error.message


def test_application_to_a_closed_cohort_is_refused(emt_program):
    cohort = make_cohort(program=emt_program, is_open=False)
    error = refusal(cohort)
    assert error.field == "cohort"
    assert "closed to applications" in error.message


def test_second_live_application_with_the_same_email_is_refused_whatever_the_case(
    cohort, django_capture_on_commit_callbacks
):
    first = submit(cohort, email="twice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        error = refusal(cohort, email="Twice@Example.org")
    assert isinstance(error, services.AlreadyApplied)
    assert error.application == first
    assert error.field == "email"
    assert "is already in" in error.message
    assert cohort.applications.count() == 1


def test_applying_again_emails_the_details_of_the_application_already_in_once(
    cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(cohort, email="twice@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # a person clicking "send" again and again gets one e-mail
            with pytest.raises(services.AlreadyApplied):
                submit(cohort, email="twice@example.org", first_name="Someone", last_name="Else")

    assert [m.to for m in mail.outbox] == [["twice@example.org"]]
    assert first.reference in mail.outbox[0].body
    assert "was sent again from this e-mail address" in mail.outbox[0].body
    assert "Someone" not in mail.outbox[0].body  # the details of the application that is in


def test_the_same_email_may_apply_again_after_withdrawing(cohort):
    first = submit(cohort, email="again@example.org")
    services.application_withdraw(application=first)
    assert submit(cohort, email="again@example.org").is_live


def test_the_database_refuses_two_live_applications_for_one_email_even_without_the_service(cohort):
    from django.db import IntegrityError

    first = submit(cohort, email="dup@example.org")
    duplicate = Application(
        **{
            f.name: getattr(first, f.name)
            for f in Application._meta.concrete_fields
            if f.name not in ("id", "reference")
        },
        reference="EMS-ZZZZZZ",
    )
    duplicate.waitlist_position = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_database_refuses_a_waitlisted_application_without_a_position(cohort):
    from django.db import IntegrityError

    application = submit(cohort)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(status=WAITLISTED)


# E-mails: scheduled on commit, never before


def test_confirmation_and_admissions_notice_are_sent_after_commit(
    cohort, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cohort)
    assert len(mail.outbox) == 2
    to_applicant = next(m for m in mail.outbox if m.to == [application.email])
    to_admissions = next(m for m in mail.outbox if m.to == [settings.SCHOOL["ADMISSIONS_EMAIL"]])
    assert application.reference in to_applicant.subject
    assert "You have a seat" in to_applicant.subject
    assert application.reference in to_applicant.body
    assert "Avery" not in to_admissions.body  # the reference and an admin link, not the person's details
    assert application.reference in to_admissions.body
    assert EmailNotification.objects.filter(application=application, status="sent").count() == 2


def test_waitlist_confirmation_gives_the_position(cohort, django_capture_on_commit_callbacks):
    submit(cohort)
    submit(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        third = submit(cohort)
    message = next(m for m in mail.outbox if m.to == [third.email])
    assert "number 1 on the waitlist" in message.subject
    assert "number 1 on its waitlist" in message.body


def test_nothing_is_sent_when_the_transaction_rolls_back(cohort, django_capture_on_commit_callbacks):
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        submit(cohort)
        raise Abort
    assert callbacks == []
    assert mail.outbox == []
    assert not Application.objects.exists()


def test_promoted_applicant_is_emailed(emt_program, django_capture_on_commit_callbacks):
    cohort, seats, queue = full_cohort_with_waitlist(emt_program, capacity=1, waiting=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=seats[0], message="Sorry to see you go.")
    promoted = Application.objects.get(pk=queue[0].pk)
    promotion = next(m for m in mail.outbox if m.to == [promoted.email])
    assert "Seat offered: answer by" in promotion.subject
    withdrawn = next(m for m in mail.outbox if m.to == [seats[0].email])
    assert "Sorry to see you go." in withdrawn.body


def test_notify_off_sends_nothing(cohort, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cohort, notify=False)
        services.application_withdraw(application=application, notify=False)
    assert mail.outbox == []
    assert not EmailNotification.objects.exists()


def test_enquiry_is_stored_and_both_emails_sent(emt_program, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = services.enquiry_submit(
            name="Casey Demo",
            email="Casey@Example.org",
            message="When is the next start?",
            program=emt_program,
        )
    assert enquiry.email == "casey@example.org"
    assert enquiry.status == "new"
    assert {tuple(m.to) for m in mail.outbox} == {
        ("casey@example.org",),
        (settings.SCHOOL["ADMISSIONS_EMAIL"],),
    }


# Previews: what the admin shows before a change is what the change does and sends.


@pytest.mark.parametrize(
    ("status", "pick"),
    [
        (ACCEPTED, lambda seats, queue: queue[0]),
        (WAITLISTED, lambda seats, queue: seats[0]),
        (Application.Status.WITHDRAWN, lambda seats, queue: seats[1]),
        (Application.Status.DECLINED, lambda seats, queue: queue[1]),
    ],
)
def test_a_preview_shows_exactly_what_the_change_then_does_and_sends(
    emt_program, status, pick, django_capture_on_commit_callbacks
):
    cohort, seats, queue = full_cohort_with_waitlist(emt_program, capacity=2, waiting=3)
    if status == ACCEPTED:
        Cohort.objects.filter(pk=cohort.pk).update(capacity=3)  # a free seat, not yet offered
    chosen = pick(seats, queue)

    def change():
        return services.applications_change_status(
            applications=[chosen], status=status, notify=True, message="See you soon."
        )

    # The same moment for both: an offer's deadline is counted from the moment it is made.
    with time_machine.travel(timezone.now(), tick=False):
        preview = services.preview(change)
        assert waitlist(cohort) == [(a.pk, n) for n, a in enumerate(queue, start=1)]  # nothing changed
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            batch = change()

    assert [r.refusal for r in batch.results] == [r.refusal for r in preview.result.results] == [""]
    assert [(e.application_id, e.description) for e in batch.events] == [
        (e.application_id, e.description) for e in preview.events
    ]
    sent = sorted((m.to, m.subject, m.body) for m in mail.outbox)
    previewed = sorted((e.to, e.subject, e.body) for e in preview.emails)
    assert sent == previewed and len(sent) >= 1
