"""A session is never overbooked: many people signing up at the same moment, on SQLite and on PostgreSQL
(run with DATABASE_URL for the latter), with real threads, each with its own connection, released together
by a barrier; and cancellations at the same moment give each freed seat to exactly one person waiting."""

import threading

import pytest
from django.db import connections

from infosessions import services
from infosessions.models import SessionSignup
from tests.enrollment.test_concurrency import connection_slots, run_together
from tests.infosessions.conftest import make_session

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PEOPLE = 60
SEATS = 8


@pytest.fixture(autouse=True)
def patient_lock(monkeypatch):
    """Sixty people queue for one session's lock: on a busy machine the last may wait longer than the site's
    few seconds (a 503 for them, by design). This test is about seats, not that timeout."""
    monkeypatch.setattr(services, "LOCK_TIMEOUT_SECONDS", 60)


def sign_up_all_at_once(session):
    barrier = threading.Barrier(PEOPLE, timeout=120)
    slots = threading.BoundedSemaphore(connection_slots())
    results, errors = [], []
    lock = threading.Lock()

    def sign_up(number):
        try:
            barrier.wait()
            with slots:
                try:
                    signup = services.signup_create(
                        session=session, name=f"Person {number}", email=f"p{number}@example.org", notify=False
                    )
                    with lock:
                        results.append(signup)
                finally:
                    connections.close_all()
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=sign_up, args=(number,)) for number in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a sign-up never finished"
    return results, errors


def test_simultaneous_sign_ups_never_overbook_and_number_the_waitlist_without_gaps():
    session = make_session(capacity=SEATS)

    results, errors = sign_up_all_at_once(session)

    assert errors == []
    stored = SessionSignup.objects.filter(session=session)
    assert stored.count() == PEOPLE
    assert stored.filter(status="booked").count() == SEATS
    positions = sorted(stored.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    assert positions == list(range(1, PEOPLE - SEATS + 1))
    told = {(s.pk, s.status, s.waitlist_position) for s in results}
    assert told == set(stored.values_list("pk", "status", "waitlist_position"))


def test_simultaneous_sign_ups_to_a_session_without_a_waitlist_fill_it_and_refuse_the_rest():
    session = make_session(capacity=SEATS, waitlist_allowed=False)

    results, errors = sign_up_all_at_once(session)

    assert len(results) == SEATS
    assert len(errors) == PEOPLE - SEATS
    assert all(isinstance(error, services.SignupError) for error in errors)
    assert SessionSignup.objects.filter(session=session, status="booked").count() == SEATS


def test_seats_freed_at_once_go_to_one_waiting_person_each():
    session = make_session(capacity=4)
    people = [
        services.signup_create(session=session, name="P", email=f"w{n}@example.org", notify=False)
        for n in range(12)
    ]
    seats = people[:4]

    errors = run_together(
        [lambda s=s: services.signup_cancel(signup=s, notify=False) for s in seats]
        + [lambda: services.session_set_capacity(session=session, capacity=5, notify=False)]
    )

    assert errors == []
    stored = SessionSignup.objects.filter(session=session)
    assert stored.filter(status="booked").count() == 5
    positions = sorted(stored.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    assert positions == list(range(1, 12 - 4 - 5 + 1))
