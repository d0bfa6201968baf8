"""Signing up, cancelling, a session's seats and attendance: a session never has more people with a seat
than seats, waitlist positions stay 1..N, and each freed seat goes to the first person waiting."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from infosessions import services
from infosessions.models import InfoSession, SessionEmail, SessionSignup
from tests.infosessions.conftest import make_session, sign_up

pytestmark = pytest.mark.django_db

Status = SessionSignup.Status


def positions(session):
    return list(
        session.signups.filter(status=Status.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    )


def test_seats_go_first_then_the_waitlist_numbered_from_one():
    session = make_session(capacity=2)
    first, second, third, fourth = (sign_up(session) for _ in range(4))

    assert [first.status, second.status] == [Status.BOOKED, Status.BOOKED]
    assert (third.status, third.waitlist_position) == (Status.WAITLISTED, 1)
    assert (fourth.status, fourth.waitlist_position) == (Status.WAITLISTED, 2)
    assert services.seats(session) == services.Seats(capacity=2, taken=2, waiting=2, left=0)


def test_a_full_session_without_a_waitlist_refuses_with_a_message_and_stores_nothing():
    session = make_session(capacity=1, waitlist_allowed=False)
    sign_up(session)

    with pytest.raises(services.SignupError) as refused:
        sign_up(session, email="late@example.org")

    assert refused.value.message == services.MESSAGES["full"]
    assert not SessionSignup.objects.filter(email="late@example.org").exists()


def test_the_same_address_in_any_case_cannot_sign_up_twice_and_gets_its_details_again(
    django_capture_on_commit_callbacks,
):
    session = make_session()
    first = sign_up(session, email="Casey@Example.org")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.AlreadySignedUp) as refused:
        sign_up(session, email="casey@EXAMPLE.org")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.AlreadySignedUp):
        sign_up(session, email="casey@example.org")  # a third click within minutes: no third e-mail

    assert refused.value.signup == first
    assert first.email == "casey@example.org"
    assert session.signups.count() == 1
    assert [message.to for message in mail.outbox] == [["casey@example.org"]]


def test_a_session_that_started_or_is_unpublished_takes_no_sign_up():
    started = make_session(starts_in=timedelta(minutes=-5))
    draft = make_session(is_published=False)

    with pytest.raises(services.SignupError, match="already started"):
        sign_up(started)
    with pytest.raises(services.SignupError, match="no longer taking sign-ups"):
        sign_up(draft)


def test_cancelling_a_seat_gives_it_to_the_first_waiting_who_is_emailed_and_closes_the_gap(
    django_capture_on_commit_callbacks,
):
    session = make_session(capacity=1)
    seat = sign_up(session)
    first_waiting, second_waiting = sign_up(session), sign_up(session)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.signup_cancel(signup=seat)

    assert promoted == [first_waiting]
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    seat.refresh_from_db()
    assert (seat.status, seat.cancelled_at is not None) == (Status.CANCELLED, True)
    assert (first_waiting.status, first_waiting.waitlist_position) == (Status.BOOKED, None)
    assert (second_waiting.status, second_waiting.waitlist_position) == (Status.WAITLISTED, 1)
    assert [message.to for message in mail.outbox] == [[first_waiting.email]]
    assert mail.outbox[0].subject.startswith("A seat is yours")


def test_cancelling_a_waiting_person_closes_the_gap_behind_them():
    session = make_session(capacity=1)
    sign_up(session)
    waiting = [sign_up(session) for _ in range(4)]

    services.signup_cancel(signup=waiting[1])

    assert positions(session) == [1, 2, 3]
    assert [
        SessionSignup.objects.get(pk=s.pk).waitlist_position for s in (waiting[0], waiting[2], waiting[3])
    ] == [1, 2, 3]


def test_cancelling_twice_changes_nothing_the_second_time():
    session = make_session(capacity=1)
    seat = sign_up(session)
    waiting = sign_up(session)
    services.signup_cancel(signup=seat)

    assert services.signup_cancel(signup=seat) == []
    assert services.seats(session).taken == 1
    assert SessionSignup.objects.get(pk=waiting.pk).status == Status.BOOKED


def test_a_seat_cancelled_after_the_start_goes_to_nobody():
    session = make_session(capacity=1)
    seat = sign_up(session)
    waiting = sign_up(session)
    InfoSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(minutes=1))

    assert services.signup_cancel(signup=seat) == []
    assert SessionSignup.objects.get(pk=waiting.pk).status == Status.WAITLISTED


def test_more_seats_go_to_the_people_waiting_in_order():
    session = make_session(capacity=1)
    sign_up(session)
    waiting = [sign_up(session) for _ in range(3)]

    promoted = services.session_set_capacity(session=session, capacity=3)

    assert promoted == waiting[:2]
    assert positions(session) == [1]
    assert SessionSignup.objects.get(pk=waiting[2].pk).waitlist_position == 1
    assert SessionEmail.objects.filter(kind="promotion").count() == 2


def test_seats_cannot_drop_below_the_people_who_have_one():
    session = make_session(capacity=3)
    for _ in range(3):
        sign_up(session)

    with pytest.raises(services.SignupError) as refused:
        services.session_set_capacity(session=session, capacity=2)

    assert refused.value.field == "capacity"
    assert "3 people have a seat booked" in refused.value.message
    assert InfoSession.objects.get(pk=session.pk).capacity == 3


def test_attendance_is_marked_only_for_seats_at_sessions_that_started():
    session = make_session(capacity=1)
    seat, waiting = sign_up(session), sign_up(session)
    assert services.signups_mark_attendance(signups=[seat], attended=True) == 0  # not started yet

    InfoSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=2))

    assert services.signups_mark_attendance(signups=[seat, waiting], attended=True) == 1
    assert SessionSignup.objects.get(pk=seat.pk).attended is True
    assert SessionSignup.objects.get(pk=waiting.pk).attended is None
    assert services.signups_mark_attendance(signups=[seat], attended=False) == 1
    assert SessionSignup.objects.get(pk=seat.pk).attended is False


@pytest.mark.django_db(transaction=True)
def test_the_lock_refuses_to_run_outside_a_transaction(session):
    with pytest.raises(RuntimeError, match="needs a transaction"):
        services.lock_session(session.pk)
    with transaction.atomic():
        assert services.lock_session(session.pk) == session


def test_a_sign_up_owes_its_confirmation_in_its_own_transaction(django_capture_on_commit_callbacks):
    session = make_session()
    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up(session)
        assert SessionEmail.objects.filter(signup=signup, kind="confirmation").count() == 1
        assert mail.outbox == []  # sent only once the sign-up is committed
    assert [message.to for message in mail.outbox] == [[signup.email]]
    assert SessionEmail.objects.get(signup=signup).status == SessionEmail.Status.SENT


def test_a_sign_up_refused_by_its_own_fields_says_which():
    session = make_session()
    with pytest.raises(services.SignupError) as refused:
        sign_up(session, name="x" * 151)
    assert refused.value.field == "name"
