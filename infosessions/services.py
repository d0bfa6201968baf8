"""The info sessions' workflows, each one transaction: signing up (a seat, else a waitlist place, else a
refusal when the session takes no waitlist), cancelling (the freed seat goes to the first person waiting),
a session's number of seats, attendance, and the reminders the day before.

As enrollment's seats: every change of who holds a seat or a waitlist place first locks the session's row
(`lock_session`: only inside a transaction, with a lock timeout on PostgreSQL; SQLite's immediate
transactions serialise writers), re-reads under that lock what it changes, counts seats with the one
calculation (InfoSession.objects.with_seat_counts), and owes its e-mails in the same transaction
(infosessions/outbox.py). Waitlist positions stay 1..N with no gap. Views, the admin and the command call
only these functions."""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from enrollment.services import EnrollmentError, normalize_email
from enrollment.services.locking import LOCK_TIMEOUT_SECONDS, wait_at_most
from enrollment.services.submission import REFERENCE_ALPHABET, REFERENCE_LENGTH, errors_from_validation
from infosessions import outbox
from infosessions.models import InfoSession, SessionEmail, SessionSignup
from sitetools import pagecache
from sitetools.sources import NO_SOURCE, Source

logger = logging.getLogger(__name__)

Status = SessionSignup.Status
Mail = SessionEmail.Kind

# Nobody is reminded of a session they signed up for less than this long ago: their confirmation is fresh.
FRESH_SIGNUP = timedelta(hours=12)

MESSAGES = {
    "unpublished": "This info session is no longer taking sign-ups. Choose another session from the list.",
    "over": "This info session has already started, so sign-ups have closed. Choose a later session.",
    "full": "Every seat is taken and this session has no waitlist. Choose another session, or ask us when the next one is.",
    "already": "This e-mail address is already signed up for this session. We have e-mailed the details to it again.",
    "capacity": "{taken} people have a seat booked, so the session needs at least {taken} seats. "
    "Cancel sign-ups first to have fewer seats.",
}


class SignupError(EnrollmentError):
    """A sign-up or a staff change refused, with the message to show at its field."""


class AlreadySignedUp(SignupError):
    """The address already has a seat or a waitlist place at the session (most often the same person
    sending the form again); the details have been e-mailed to it again. `signup` is the one that is in."""

    def __init__(self, signup):
        super().__init__([("email", MESSAGES["already"])])
        self.signup = signup


@dataclass(frozen=True)
class Seats:
    capacity: int
    taken: int
    waiting: int
    left: int


def lock_session(session_id: int) -> InfoSession:
    """Lock the session's row for the rest of the current transaction and return it (as
    enrollment.services.locking.lock_cohorts does for course starts)."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_session() needs a transaction: call it inside transaction.atomic().")
    wait_at_most(LOCK_TIMEOUT_SECONDS)
    return InfoSession.objects.select_for_update().get(pk=session_id)


def seats(session: InfoSession) -> Seats:
    """The session's seats now (call it under the session's lock to act on it)."""
    row = (
        InfoSession.objects.filter(pk=session.pk)
        .with_seat_counts()
        .values("capacity", "seats_taken", "waiting_count", "seats_left")
        .get()
    )
    return Seats(row["capacity"], row["seats_taken"], row["waiting_count"], row["seats_left"])


def live_signup_for(*, session_id: int, email: str) -> SessionSignup | None:
    return SessionSignup.objects.filter(
        session_id=session_id, email=email, status__in=[Status.BOOKED, Status.WAITLISTED]
    ).first()


def _new_reference() -> str:
    for _ in range(20):
        reference = "INF-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if not SessionSignup.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free sign-up reference.")  # 31**6 references: never in practice


def _refusal(session: InfoSession) -> str:
    if not session.is_published:
        return MESSAGES["unpublished"]
    if session.has_started():
        return MESSAGES["over"]
    return ""


def _refuse_if_signed_up(session_id: int, email: str) -> None:
    existing = live_signup_for(session_id=session_id, email=email)
    if existing is not None:
        with transaction.atomic():
            outbox.email_queue_again(Mail.CONFIRMATION, signup=existing)
        logger.info(
            "Sign-up %s: the same address signed up again; details e-mailed again", existing.reference
        )
        raise AlreadySignedUp(existing)


def signup_create(
    *,
    session: InfoSession,
    name: str,
    email: str,
    phone: str = "",
    notify: bool = True,
    source: Source = NO_SOURCE,
) -> SessionSignup:
    """Sign a person up: a seat while seats are left, else the next waitlist place where the session keeps
    one. Raises SignupError (at its field) when refused, AlreadySignedUp when the address is in already."""
    email = normalize_email(email)
    # Cheap first checks outside the lock: refusals never wait for it.
    _refuse_if_signed_up(session.pk, email)
    with transaction.atomic():
        session = lock_session(session.pk)
        if refusal := _refusal(session):
            raise SignupError.at(None, refusal)
        # The same form sent twice at once: the second waits for the lock, then finds the first.
        duplicate = live_signup_for(session_id=session.pk, email=email)
        if duplicate is None:
            signup = _signup_write(
                session=session, name=name, email=email, phone=phone, notify=notify, source=source
            )
    if duplicate is not None:
        _refuse_if_signed_up(session.pk, email)
    return signup


def _signup_write(*, session, name, email, phone, notify, source) -> SessionSignup:
    """Write the sign-up with a seat, a waitlist place or a refusal; the session must be locked."""
    if seats(session).left > 0:
        status, position = Status.BOOKED, None
    elif session.waitlist_allowed:
        status, position = Status.WAITLISTED, _next_position(session)
    else:
        raise SignupError.at(None, MESSAGES["full"])
    signup = SessionSignup(
        reference=_new_reference(),
        session=session,
        name=name.strip(),
        email=email,
        phone=phone.strip(),
        status=status,
        waitlist_position=position,
        **source.as_fields(),
    )
    try:
        # Field values only: the rules across rows were checked under the lock, and the constraints stand behind.
        signup.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise SignupError(errors_from_validation(error)) from error
    signup.save()
    pagecache.invalidate_on_commit(pagecache.SEATS)
    logger.info(
        "Sign-up %s to info session %s: %s%s",
        signup.reference,
        session.pk,
        status,
        f" #{position}" if position else "",
    )
    if notify:
        outbox.email_queue(Mail.CONFIRMATION, signup=signup)
    return signup


def _next_position(session: InfoSession) -> int:
    last = session.signups.filter(status=Status.WAITLISTED).aggregate(last=Max("waitlist_position"))["last"]
    return (last or 0) + 1


def _renumber(session: InfoSession) -> None:
    """Positions become 1..N in their order. One row at a time, ascending, so each new position is free
    already and the unique constraint never sees a duplicate (SQLite has no deferrable constraints)."""
    waiting = session.signups.filter(status=Status.WAITLISTED).order_by("waitlist_position")
    for new_position, (pk, old_position) in enumerate(
        waiting.values_list("pk", "waitlist_position"), start=1
    ):
        if new_position != old_position:
            SessionSignup.objects.filter(pk=pk).update(waitlist_position=new_position)


def _seat_the_waiting(session: InfoSession, *, notify: bool = True) -> list[SessionSignup]:
    """Give the free seats to the people first on the waitlist, in order, and tell them; the session must
    be locked. A session that has started seats nobody."""
    if session.has_started():
        return []
    free = seats(session).left
    promoted = list(session.signups.filter(status=Status.WAITLISTED).order_by("waitlist_position")[:free])
    for signup in promoted:
        signup.status, signup.waitlist_position = Status.BOOKED, None
        signup.save(update_fields=["status", "waitlist_position"])
        logger.info("Sign-up %s: a seat freed, booked from the waitlist", signup.reference)
        if notify:
            outbox.email_queue(Mail.PROMOTION, signup=signup)
    if promoted:
        _renumber(session)
    return promoted


def signup_cancel(*, signup: SessionSignup, by=None, notify: bool = True) -> list[SessionSignup]:
    """Cancel a sign-up (at the person's request); a seat it held goes to the first person waiting, who is
    e-mailed. Returns who got a seat. Cancelling a cancelled sign-up changes nothing."""
    with transaction.atomic():
        session = lock_session(signup.session_id)
        signup = SessionSignup.objects.get(pk=signup.pk)  # as it is now, under the lock
        if signup.status == Status.CANCELLED:
            return []
        had_seat = signup.has_seat
        signup.status, signup.waitlist_position, signup.cancelled_at = Status.CANCELLED, None, timezone.now()
        signup.save(update_fields=["status", "waitlist_position", "cancelled_at"])
        logger.info("Sign-up %s cancelled by user %s", signup.reference, by.pk if by else None)
        promoted = _seat_the_waiting(session, notify=notify) if had_seat else []
        _renumber(session)
        pagecache.invalidate_on_commit(pagecache.SEATS)
    return promoted


def session_set_capacity(*, session: InfoSession, capacity: int, notify: bool = True) -> list[SessionSignup]:
    """Change a session's number of seats: never below the seats booked; new seats go to the people waiting
    (e-mailed). Returns who got a seat."""
    with transaction.atomic():
        locked = lock_session(session.pk)
        taken = seats(locked).taken
        if capacity < taken:
            raise SignupError.at("capacity", MESSAGES["capacity"].format(taken=taken))
        locked.capacity = capacity
        locked.save(update_fields=["capacity", "updated_at"])
        promoted = _seat_the_waiting(locked, notify=notify)
        pagecache.invalidate_on_commit(pagecache.SEATS)
    session.capacity = capacity
    return promoted


def signups_mark_attendance(*, signups, attended: bool | None, by=None, now=None) -> int:
    """Record whether people with a seat came (None: not marked). Only sign-ups with a seat at a session
    that has started are marked; returns how many."""
    marked = SessionSignup.objects.filter(
        pk__in=[signup.pk for signup in signups],
        status=Status.BOOKED,
        session__starts_at__lte=now or timezone.now(),
    ).update(attended=attended)
    logger.info("Attendance of %s sign-up(s) marked %s by user %s", marked, attended, by.pk if by else None)
    return marked


def reminders_send(*, now=None) -> int:
    """Owe the reminder of tomorrow's sessions (the school's days) to everyone with a seat, once each: each
    is claimed with one conditional UPDATE, so the job may run on several machines at once."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    starts = timezone.make_aware(datetime.combine(tomorrow, time.min))
    ends = timezone.make_aware(datetime.combine(tomorrow + timedelta(days=1), time.min))
    due = SessionSignup.objects.filter(
        status=Status.BOOKED,
        reminder_sent_at__isnull=True,
        created_at__lt=now - FRESH_SIGNUP,
        session__is_published=True,
        session__starts_at__gte=starts,
        session__starts_at__lt=ends,
    )
    reminded = 0
    for signup in due:
        with transaction.atomic():
            claimed = SessionSignup.objects.filter(
                pk=signup.pk, status=Status.BOOKED, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                outbox.email_queue(Mail.REMINDER, signup=signup)
                reminded += 1
    return reminded
