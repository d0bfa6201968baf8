"""The admissions cycle (docs/lifecycle.md): held seats with a documents deadline, time-limited offers of
freed seats that pass on, enrolment only when the checklist is verified, the course, moves between starts,
and the deadlines' job. Time moves with time-machine, never with sleeps."""

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from enrollment import services
from enrollment.models import SEAT_STATUSES, Application, ApplicationEvent, ChecklistItem, EmailNotification
from tests.enrollment.conftest import make_cohort, make_program, submit, today

pytestmark = pytest.mark.django_db

Status = Application.Status
Kind = EmailNotification.Kind
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def waitlist(cohort):
    return list(
        cohort.applications.filter(status=Status.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("pk", "waitlist_position")
    )


def full(program, *, capacity=1, waiting=2, **cohort_fields):
    cohort = make_cohort(program=program, capacity=capacity, **cohort_fields)
    seats = [submit(cohort) for _ in range(capacity)]
    queue = [submit(cohort) for _ in range(waiting)]
    return cohort, seats, queue


def verify_everything(application):
    for item in services.checklist_sync(application):
        services.checklist_item_verify(item=item, by=None)


def reload(application):
    return Application.objects.get(pk=application.pk)


# Held seats and their documents deadline


def test_an_application_with_a_free_seat_holds_it_until_its_documents_deadline(emt_program):
    cohort = make_cohort(program=emt_program, starts_in=60)
    application = submit(cohort)

    assert application.status == Status.HELD
    assert application.status_for_applicant == "Seat held: we are reviewing your application"
    assert application.hold_until == today() + timedelta(days=emt_program.documents_due_days)
    assert [item.requirement.name for item in application.checklist.all()] == ["A diploma", "A CPR card"]


def test_the_documents_deadline_is_never_later_than_the_programs_days_before_the_start(emt_program):
    cohort = make_cohort(program=emt_program, starts_in=12, deadline_before=1)
    assert submit(cohort).hold_until == cohort.start_date - timedelta(
        days=emt_program.documents_due_before_start_days
    )


def test_enrolment_is_refused_while_a_requirement_is_not_verified(emt_program):
    application = submit(make_cohort(program=emt_program))
    first = application.checklist.first()
    services.checklist_item_verify(item=first, by=None)

    with pytest.raises(services.ApplicationStateError, match="A CPR card is not verified"):
        services.application_enrol(application=application)

    verify_everything(application)
    assert services.application_enrol(application=application).status == Status.ENROLLED


def test_an_expiry_that_does_not_cover_the_course_keeps_enrolment_refused(levels):
    program = make_program(level=levels["emt"], requirements=())
    program.requirements.create(name="CPR card", expiry="end")
    cohort = make_cohort(program=program)
    application = submit(cohort)
    item = application.checklist.get()

    services.checklist_item_verify(item=item, expiry_date=cohort.end_date - timedelta(days=1), by=None)

    assert reload(application).checklist.get().expiry_falls_short
    with pytest.raises(services.ApplicationStateError, match="CPR card is not verified"):
        services.application_enrol(application=application)
    services.checklist_item_verify(item=item, expiry_date=cohort.end_date, by=None)
    assert services.application_enrol(application=application).status == Status.ENROLLED


def test_a_rejected_document_tells_the_applicant_why(emt_program, django_capture_on_commit_callbacks):
    application = submit(make_cohort(program=emt_program), notify=False)
    item = application.checklist.first()
    services.document_upload(item=item, uploaded=SimpleUploadedFile("card.png", PNG))
    assert ChecklistItem.objects.get(pk=item.pk).state == ChecklistItem.State.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        services.checklist_item_reject(item=item, reason="The photo is blurred.", by=None)

    [message] = mail.outbox
    assert message.to == [application.email]
    assert "The photo is blurred." in message.body
    assert application.events.filter(kind=ApplicationEvent.Kind.CHECKLIST).count() == 2


def test_a_document_is_checked_from_its_content_not_its_name(emt_program):
    application = submit(make_cohort(program=emt_program), notify=False)
    item = application.checklist.first()
    with pytest.raises(services.ApplicationStateError, match="not a PDF, JPEG, PNG or HEIC"):
        services.document_upload(
            item=item, uploaded=SimpleUploadedFile("card.pdf", b"MZ\x90\x00 not a pdf" * 10)
        )
    document = services.document_upload(
        item=item, uploaded=SimpleUploadedFile("scan.txt", b"%PDF-1.7\n" + b"0" * 64)
    )
    assert document.content_type == "application/pdf"
    assert document.file.name.endswith(".pdf") and "scan" not in document.file.name


def test_a_document_whose_records_fail_leaves_no_file_behind(emt_program, monkeypatch):
    from enrollment.models import Document
    from enrollment.services import history

    item = submit(make_cohort(program=emt_program), notify=False).checklist.first()
    storage = Document._meta.get_field("file").storage

    def database_gone(**kwargs):
        raise RuntimeError("the connection dropped")

    folder = f"documents/{item.application_id}"

    def files_kept():  # other tests' applications had this id before (the database rolls back, files stay)
        return set(storage.listdir(folder)[1]) if storage.exists(folder) else set()

    before = files_kept()
    monkeypatch.setattr(history, "add_event", database_gone)
    with pytest.raises(RuntimeError):
        services.document_upload(item=item, uploaded=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n" + b"0" * 64))

    assert not Document.objects.exists()
    assert files_kept() == before


def test_an_overdue_hold_is_reported_to_admissions_once_and_never_released_by_itself(
    emt_program, django_capture_on_commit_callbacks
):
    cohort = make_cohort(program=emt_program, starts_in=60)
    application = submit(cohort, notify=False)
    after_deadline = timezone.make_aware(
        datetime.combine(application.hold_until + timedelta(days=1), datetime.min.time())
    )

    with (
        time_machine.travel(after_deadline + timedelta(hours=9)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = services.deadlines_run()
        second = services.deadlines_run()

    assert (first.overdue_holds, second.overdue_holds) == (1, 0)
    assert reload(application).status == Status.HELD  # Admissions decide
    assert [m.to for m in mail.outbox] == [["admissions@example.org"]]
    assert "Documents deadline passed" in mail.outbox[0].subject

    services.hold_extend(application=application, until=cohort.start_date - timedelta(days=3))
    assert reload(application).hold_overdue_noticed_at is None  # told again if the new deadline passes


def test_a_complete_hold_past_its_deadline_is_not_reported(emt_program):
    application = submit(make_cohort(program=emt_program, starts_in=60), notify=False)
    verify_everything(application)
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        assert services.deadlines_run().overdue_holds == 0


def test_applicants_are_reminded_once_before_their_documents_are_due(
    emt_program, django_capture_on_commit_callbacks
):
    application = submit(make_cohort(program=emt_program, starts_in=60), notify=False)
    with (
        time_machine.travel(timezone.now() + timedelta(days=12)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.deadlines_run().reminders == 1
        assert services.deadlines_run().reminders == 0
    [reminder] = mail.outbox
    assert reminder.to == [application.email] and "Documents due by" in reminder.subject


# Offers of freed seats


def test_a_freed_seat_is_offered_to_the_first_waiting_for_the_programs_hours(emt_program):
    cohort, seats, queue = full(emt_program, waiting=2, starts_in=30)
    with time_machine.travel(timezone.now(), tick=False):
        services.application_withdraw(application=seats[0])
        offered = reload(queue[0])
        assert offered.status == Status.OFFERED
        assert offered.offer_expires_at == timezone.now() + timedelta(hours=emt_program.offer_hours)
    assert waitlist(cohort) == [(queue[1].pk, 1)]


def test_an_offer_near_the_start_is_shorter(emt_program):
    cohort, seats, queue = full(emt_program, waiting=1, starts_in=2, deadline_before=1)
    services.application_withdraw(application=seats[0])
    start = timezone.make_aware(datetime.combine(cohort.start_date, datetime.min.time()))
    assert reload(queue[0]).offer_expires_at == start - timedelta(days=1)


def test_an_accepted_offer_becomes_a_held_seat(emt_program):
    cohort, seats, queue = full(emt_program, waiting=1)
    services.application_withdraw(application=seats[0])
    held = services.offer_accept(application=queue[0])
    assert (held.status, held.offer_expires_at) == (Status.HELD, None)
    assert held.hold_until is not None


def test_an_offer_turned_down_passes_to_the_next_person(emt_program):
    cohort, seats, queue = full(emt_program, waiting=3)
    services.application_withdraw(application=seats[0])
    services.offer_decline(application=queue[0])
    assert reload(queue[0]).status == Status.WITHDRAWN
    assert reload(queue[1]).status == Status.OFFERED
    assert waitlist(cohort) == [(queue[2].pk, 1)]


def test_an_unanswered_offer_expires_and_passes_on_with_everyone_told(
    emt_program, django_capture_on_commit_callbacks
):
    cohort, seats, queue = full(emt_program, waiting=3)
    services.application_withdraw(application=seats[0], notify=False)
    expires = reload(queue[0]).offer_expires_at

    with (
        time_machine.travel(expires + timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("run_admissions_deadlines", stdout=io.StringIO())
        with pytest.raises(services.ApplicationStateError, match="time to answer this offer has passed"):
            services.offer_accept(application=queue[0])

    assert reload(queue[0]).status == Status.EXPIRED
    assert reload(queue[1]).status == Status.OFFERED
    assert waitlist(cohort) == [(queue[2].pk, 1)]
    sent = {tuple(m.to): m.subject for m in mail.outbox}
    assert sent[(queue[0].email,)].startswith("Offer expired")
    assert sent[(queue[1].email,)].startswith("Seat offered: answer by")
    kinds = list(reload(queue[0]).events.values_list("description", flat=True))
    assert any("Offer expired" in kind for kind in kinds)


def test_an_offer_that_expired_is_over_as_soon_as_a_page_reads_the_start(client, emt_program):
    cohort, seats, queue = full(emt_program, waiting=2)
    services.application_withdraw(application=seats[0], notify=False)
    with time_machine.travel(reload(queue[0]).offer_expires_at + timedelta(seconds=1)):
        client.get(emt_program.get_absolute_url())
    assert reload(queue[0]).status == Status.EXPIRED
    assert reload(queue[1]).status == Status.OFFERED


def test_raising_the_capacity_makes_one_offer_per_new_seat(emt_program):
    cohort, seats, queue = full(emt_program, waiting=4)
    offered = services.cohort_set_capacity(cohort=cohort, capacity=3)
    assert [a.pk for a in offered] == [queue[0].pk, queue[1].pk]
    assert cohort.applications.filter(status__in=SEAT_STATUSES).count() == 3


def test_no_offer_is_made_once_the_course_has_begun(emt_program):
    cohort, seats, queue = full(emt_program, waiting=1, starts_in=10, deadline_before=1)
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        services.application_withdraw(application=seats[0])
    assert reload(queue[0]).status == Status.WAITLISTED


# The course


def test_enrolled_students_start_with_their_course_then_complete_or_leave(emt_program):
    cohort = make_cohort(program=emt_program, capacity=3, starts_in=20)
    applications = [submit(cohort) for _ in range(2)]
    for application in applications:
        verify_everything(application)
        services.application_enrol(application=application)

    with time_machine.travel(timezone.now() + timedelta(days=21)):
        assert services.deadlines_run().started == 2
    services.application_complete(application=applications[0])
    services.application_leave(application=applications[1], message="Moved away.")
    assert [reload(a).status for a in applications] == [Status.COMPLETED, Status.LEFT]
    assert reload(applications[1]).status_reason == "Moved away."


# Moves between starts


def test_a_move_takes_a_free_seat_in_the_other_start_and_offers_the_old_one_on(emt_program):
    source, seats, queue = full(emt_program, waiting=1)
    target = make_cohort(program=emt_program, capacity=2, starts_in=60)

    moved = services.application_move(application=seats[0], to=target)

    assert (moved.cohort_id, moved.status) == (target.pk, Status.HELD)
    assert reload(queue[0]).status == Status.OFFERED
    assert moved.events.filter(kind=ApplicationEvent.Kind.MOVED).exists()


def test_a_held_seat_moved_to_an_earlier_start_is_due_before_that_start(emt_program):
    type(emt_program).objects.filter(pk=emt_program.pk).update(
        documents_due_days=60, documents_due_before_start_days=3
    )
    later = make_cohort(program=emt_program, capacity=2, starts_in=120)
    sooner = make_cohort(program=emt_program, capacity=2, starts_in=20)
    held = submit(later)
    assert held.hold_until == today() + timedelta(days=60)

    moved = services.application_move(application=held, to=sooner)

    assert moved.hold_until == sooner.start_date - timedelta(days=3)


def test_a_held_seat_moved_to_a_later_start_keeps_its_deadline_extended_or_not(emt_program):
    held = submit(make_cohort(program=emt_program, capacity=2, starts_in=40))
    services.hold_extend(application=held, until=today() + timedelta(days=30))
    moved = services.application_move(
        application=held, to=make_cohort(program=emt_program, capacity=2, starts_in=90)
    )
    assert moved.hold_until == today() + timedelta(days=30)


def test_a_move_to_a_full_start_joins_the_end_of_its_waitlist_and_closes_the_gap_behind(emt_program):
    source = make_cohort(program=emt_program, capacity=1)
    submit(source)
    leaving, staying = submit(source), submit(source)
    target, _, target_queue = full(emt_program, waiting=1, starts_in=60)

    moved = services.application_move(application=leaving, to=target)

    assert (moved.status, moved.waitlist_position) == (Status.WAITLISTED, 2)
    assert waitlist(source) == [(staying.pk, 1)]
    assert waitlist(target) == [(target_queue[0].pk, 1), (leaving.pk, 2)]


def test_a_move_stays_within_the_program(emt_program, paramedic_program):
    application = submit(make_cohort(program=emt_program))
    other = make_cohort(program=paramedic_program)
    with pytest.raises(services.ApplicationStateError, match="same program"):
        services.application_move(application=application, to=other)


# One seat per person


def test_a_program_may_allow_one_seat_per_person(emt_program):
    emt_program.one_seat_per_person = True
    emt_program.save()
    first = make_cohort(program=emt_program)
    second = make_cohort(program=emt_program, starts_in=60)
    submit(first, email="once@example.org")
    with pytest.raises(services.EligibilityError, match="one seat per person"):
        submit(second, email="once@example.org")


def test_the_statuses_and_what_they_mean_are_defined_once():
    from enrollment.models import STATUS_MEANINGS

    assert set(STATUS_MEANINGS) == set(Status)
    assert {status for status, meaning in STATUS_MEANINGS.items() if meaning.holds_seat} == {
        Status.HELD,
        Status.OFFERED,
        Status.ENROLLED,
        Status.STARTED,
        Status.COMPLETED,
    }


def test_the_hold_deadline_is_never_before_today(emt_program):
    cohort = make_cohort(program=emt_program, starts_in=3, deadline_before=1)
    assert services.hold_deadline(cohort, applied_on=date(2020, 1, 1)) == today()
