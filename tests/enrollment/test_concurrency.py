"""Seats can never be overbooked, and an enquiry is answered once: many people applying at the same moment
to one cohort, officers answering one enquiry at once, on SQLite and on PostgreSQL (run the suite with
DATABASE_URL for the latter). Real threads, each with its own connection, released together by a barrier."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections

from enrollment import services
from enrollment.models import Application
from tests.enrollment.conftest import details, make_cohort, make_level, make_program

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

APPLICANTS = 100
SEATS = 10
ROUNDS = 3


def connection_slots() -> int:
    """How many threads may hold a database connection at once. PostgreSQL refuses connections beyond
    max_connections (100 by default, shared with everything else on the server), so the threads queue for
    a slot there; all of them still start together at the barrier. SQLite has no such limit."""
    if connection.vendor != "postgresql":
        return APPLICANTS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - (SELECT count(*) FROM pg_stat_activity)"
        )
        free = cursor.fetchone()[0]
    return max(2, min(APPLICANTS, free - 10))


def apply_all_at_once(cohort, round_number):
    barrier = threading.Barrier(APPLICANTS, timeout=120)
    slots = threading.BoundedSemaphore(connection_slots())
    results, errors = [], []
    lock = threading.Lock()

    def apply(number):
        try:
            barrier.wait()
            with slots:
                try:
                    application = services.application_submit(
                        cohort=cohort,
                        notify=False,
                        details=details(email=f"round{round_number}-{number}@example.org"),
                    )
                    with lock:
                        results.append(application)
                finally:
                    connections.close_all()
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=apply, args=(number,)) for number in range(APPLICANTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "an applicant never finished"
    return results, errors


def test_simultaneous_applications_never_overbook_and_number_the_waitlist_without_gaps():
    emt = make_level(slug="emt", ladder_order=2)
    program = make_program(level=emt)

    for round_number in range(1, ROUNDS + 1):
        cohort = make_cohort(program=program, capacity=SEATS, code=f"RUSH-{round_number}")
        sent_before = len(mail.outbox)

        results, errors = apply_all_at_once(cohort, round_number)

        assert errors == []
        assert len(results) == APPLICANTS
        stored = Application.objects.filter(cohort=cohort)
        assert stored.count() == APPLICANTS
        assert stored.filter(status=Application.Status.HELD).count() == SEATS
        positions = sorted(
            stored.filter(status=Application.Status.WAITLISTED).values_list("waitlist_position", flat=True)
        )
        assert positions == list(range(1, APPLICANTS - SEATS + 1))
        assert len(set(stored.values_list("reference", flat=True))) == APPLICANTS
        # What each applicant was told is what was stored.
        told = {(a.pk, a.status, a.waitlist_position) for a in results}
        assert told == set(stored.values_list("pk", "status", "waitlist_position"))
        # Every applicant and the admissions inbox heard about each application.
        assert len(mail.outbox) - sent_before == 0


def run_together(functions):
    """Run each function in its own thread with its own connection, released together; their errors."""
    barrier = threading.Barrier(len(functions), timeout=120)
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except services.ApplicationStateError:
            pass  # a refusal under the lock (the seat was taken meanwhile): expected, asserted by the state
        except Exception as error:  # noqa: BLE001 - collected and asserted on
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def test_exactly_one_offer_per_freed_seat_when_withdrawals_and_expiries_run_at_once():
    import time_machine

    from enrollment.models import SEAT_STATUSES

    emt = make_level(slug="emt", ladder_order=2)
    program = make_program(level=emt)
    cohort = make_cohort(program=program, capacity=5, code="OFFERS")
    seats = [
        services.application_submit(
            cohort=cohort, details=details(email=f"seat{n}@example.org"), notify=False
        )
        for n in range(5)
    ]
    for n in range(15):
        services.application_submit(
            cohort=cohort, details=details(email=f"wait{n}@example.org"), notify=False
        )

    # Five seats freed at once, while the deadlines' job runs on several machines.
    errors = run_together(
        [lambda a=a: services.application_withdraw(application=a, notify=False) for a in seats]
        + [services.deadlines_run for _ in range(4)]
    )
    assert errors == []
    applications = Application.objects.filter(cohort=cohort)
    assert applications.filter(status="offered").count() == 5
    assert applications.filter(status__in=SEAT_STATUSES).count() == 5
    positions = sorted(applications.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    assert positions == list(range(1, 11))

    # Every offer left unanswered: the job, on several machines at once, passes each seat on exactly once.
    later = max(applications.filter(status="offered").values_list("offer_expires_at", flat=True))
    with time_machine.travel(later + timedelta(minutes=1)):
        errors = run_together([services.deadlines_run for _ in range(6)])
    assert errors == []
    assert applications.filter(status="expired").count() == 5
    assert applications.filter(status="offered").count() == 5
    positions = sorted(applications.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    assert positions == list(range(1, 6))


OFFICERS = 6


def test_officers_answering_one_enquiry_at_once_send_one_answer_and_the_others_are_told():
    """Each saw the enquiry unanswered: the enquiry's lock lets one answer go; the others are refused (they
    read the colleague's answer before sending theirs), and the time of the first answer is that one's."""
    from django.contrib.auth import get_user_model

    from enrollment.models import EnquiryReply
    from enrollment.services.inbox import REPLIED_MEANWHILE

    enquiry = services.enquiry_submit(name="Asker", email="asker@example.org", message="When?", notify=False)
    officers = [
        get_user_model().objects.create_user(f"officer{number}", is_staff=True) for number in range(OFFICERS)
    ]
    barrier = threading.Barrier(OFFICERS, timeout=60)
    sent, refused, errors = [], [], []
    lock = threading.Lock()

    def answer(officer):
        try:
            barrier.wait()
            try:
                reply = services.enquiry_reply(
                    enquiry=enquiry, body=f"Answer of {officer.username}", by=officer, replies_seen=0
                )
                with lock:
                    sent.append(reply)
            except services.EnrollmentError as error:
                with lock:
                    refused.append(error.message)
            finally:
                connections.close_all()
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=answer, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(sent) == 1 and refused == [REPLIED_MEANWHILE] * (OFFICERS - 1)
    [reply] = EnquiryReply.objects.filter(enquiry=enquiry)
    enquiry.refresh_from_db()
    assert reply.pk == sent[0].pk and enquiry.first_replied_at == reply.created_at
    assert enquiry.events.filter(kind="replied").count() == 1


def seats_and_waitlist_hold(cohort):
    """No start holds more seats than its capacity, and its waitlist is numbered 1..n without gaps."""
    from enrollment.models import SEAT_STATUSES

    applications = Application.objects.filter(cohort=cohort)
    assert applications.filter(status__in=SEAT_STATUSES).count() <= cohort.capacity
    positions = sorted(applications.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    assert positions == list(range(1, len(positions) + 1))


def test_moves_racing_applications_and_withdrawals_keep_both_starts_exact():
    """Admissions move people from a full start to another while others apply to it and people withdraw
    from the first: both starts are locked in a fixed order, so seats stay within capacity and waitlists
    gapless in both, whatever runs first."""
    emt = make_level(slug="emt", ladder_order=2)
    program = make_program(level=emt)
    first = make_cohort(program=program, capacity=4, code="MOVE-FROM")
    second = make_cohort(program=program, capacity=4, code="MOVE-TO")
    in_first = [
        services.application_submit(cohort=first, details=details(email=f"a{n}@example.org"), notify=False)
        for n in range(10)
    ]
    # Three seats and the last place of the waitlist move; a seat and a waitlist place are given up. The four
    # seats freed go to the four people waiting in between (offers), whatever the order.
    movers, leavers = [*in_first[:3], in_first[9]], in_first[3:5]

    errors = run_together(
        [lambda a=a: services.application_move(application=a, to=second, notify=False) for a in movers]
        + [lambda a=a: services.application_withdraw(application=a, notify=False) for a in leavers]
        + [
            lambda n=n: services.application_submit(
                cohort=second, details=details(email=f"b{n}@example.org"), notify=False
            )
            for n in range(4)
        ]
    )

    assert errors == []
    for cohort in (first, second):
        seats_and_waitlist_hold(cohort)
    moved = Application.objects.filter(pk__in=[a.pk for a in movers])
    assert set(moved.values_list("cohort_id", flat=True)) == {second.pk}
    # Every seat freed in the first start went to someone: it is full again (it had people waiting).
    from enrollment.models import SEAT_STATUSES

    assert Application.objects.filter(cohort=first, status__in=SEAT_STATUSES).count() == first.capacity


def test_two_officers_moving_one_application_at_once_leave_it_in_one_start():
    emt = make_level(slug="emt", ladder_order=2)
    program = make_program(level=emt)
    home = make_cohort(program=program, capacity=2, code="HOME")
    elsewhere = [make_cohort(program=program, capacity=2, code=f"ELSE-{n}") for n in range(3)]
    application = services.application_submit(cohort=home, details=details(), notify=False)
    stale = Application.objects.get(pk=application.pk)

    errors = run_together(
        [lambda c=c: services.application_move(application=stale, to=c, notify=False) for c in elsewhere]
        + [lambda: services.application_withdraw(application=stale, notify=False)]
    )

    assert errors == []
    application.refresh_from_db()
    starts_holding_it = [
        cohort for cohort in [home, *elsewhere] if cohort.applications.filter(pk=application.pk).exists()
    ]
    assert len(starts_holding_it) == 1
    moves = application.events.filter(kind="moved").count()
    assert moves <= 1  # the others were refused: it had been moved meanwhile
    for cohort in [home, *elsewhere]:
        seats_and_waitlist_hold(cohort)
