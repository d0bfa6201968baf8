"""Who holds a seat and who waits, through the admissions cycle (docs/lifecycle.md):

- an application with a free seat HOLDS it until Admissions ENROL the student or the hold ends (the documents
  deadline passes and Admissions release it, or the applicant withdraws); the others wait on the waitlist;
- a freed seat is OFFERED to the first person waiting, for a set time: accepted, it becomes a held seat;
  turned down or left unanswered, it passes to the next person (EXPIRED);
- after the start an enrolled student has STARTED, then COMPLETED or LEFT.

Every function here locks the start(s) it changes (services.locking), re-reads what it changes under that
lock, counts seats with the one availability calculation (Cohort.objects.with_seat_counts), writes the
application's history and owes its e-mails in the same transaction."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Max, Value
from django.db.models.functions import Greatest
from django.tasks import task
from django.utils import timezone

from enrollment import emails
from enrollment.eligibility import day
from enrollment.eligibility import message as refusal_message
from enrollment.models import (
    SEAT_STATUSES,
    STAGE_RANKS,
    Application,
    ApplicationEvent,
    Cohort,
    EmailNotification,
)
from enrollment.services import history
from enrollment.services.checklist import checklist_missing, checklist_sync
from enrollment.services.errors import ApplicationStateError
from enrollment.services.locking import lock_cohort, lock_cohorts
from sitetools import pagecache

Status = Application.Status
Event = ApplicationEvent.Kind
Mail = EmailNotification.Kind

MAX_CAPACITY = 500
# An offer made close to the start still leaves the person this long to answer.
SHORTEST_OFFER = timedelta(hours=4)


@dataclass(frozen=True)
class Seats:
    capacity: int
    taken: int
    waiting: int
    left: int


def seats(cohort: Cohort) -> Seats:
    """The start's seats now, from the one availability calculation (call it under the start's lock to act
    on it)."""
    row = (
        Cohort.objects.filter(pk=cohort.pk)
        .with_seat_counts()
        .values("capacity", "seats_taken", "waitlisted_count", "seats_left")
        .get()
    )
    return Seats(row["capacity"], row["seats_taken"], row["waitlisted_count"], row["seats_left"])


# Deadlines


def hold_deadline(cohort: Cohort, *, applied_on: date | None = None) -> date:
    """When a held seat's documents are due: the program's number of days after applying, never later than
    its number of days before the start, and never before today."""
    program = cohort.program
    today = timezone.localdate()
    applied_on = applied_on or today
    due = min(
        applied_on + timedelta(days=program.documents_due_days),
        cohort.start_date - timedelta(days=program.documents_due_before_start_days),
    )
    return max(due, today)


def offer_deadline(cohort: Cohort, *, now: datetime | None = None) -> datetime:
    """When a seat offered now must be answered by: the program's number of hours, shorter when the start is
    near (the day before it at the latest), but never less than SHORTEST_OFFER before the first day."""
    now = now or timezone.now()
    start = timezone.make_aware(datetime.combine(cohort.start_date, time.min))
    latest = start - timedelta(days=1)
    return max(
        min(now + timedelta(hours=cohort.program.offer_hours), latest), min(now + SHORTEST_OFFER, start)
    )


# History and the waitlist


def status_label(status: str | None, position: int | None = None) -> str:
    if status is None:
        return "nothing"
    label = Status(status).label
    return f"{label}, #{position}" if position else label


def set_status(
    application: Application,
    status: str,
    *,
    position: int | None = None,
    by=None,
    reason: str = "",
    details: dict | None = None,
    hold_until: date | None = None,
    offer_expires_at: datetime | None = None,
) -> None:
    """Move the application to `status`, with what that status carries (a waitlist place, a documents
    deadline, an offer's deadline, the reason it ended), and write it to the history."""
    old, old_position = application.status, application.waitlist_position
    application.status = status
    application.waitlist_position = position
    application.offer_expires_at = offer_expires_at
    application.status_reason = reason[:300]
    fields = ["status", "waitlist_position", "offer_expires_at", "status_reason", "updated_at"]
    if status == Status.HELD:
        application.hold_until = hold_until or hold_deadline(application.cohort)
        application.hold_overdue_noticed_at = application.documents_reminded_at = None
        fields += ["hold_until", "hold_overdue_noticed_at", "documents_reminded_at"]
    application.save(update_fields=fields)
    pagecache.invalidate_on_commit(pagecache.SEATS)  # seats left, people waiting
    description = f"{status_label(old, old_position)} → {status_label(status, position)}"
    history.add_event(
        application=application,
        actor=by,
        kind=Event.STATUS,
        description=f"{description} ({reason})" if reason else description,
        changes={"status": [old, status], "waitlist_position": [old_position, position], **(details or {})},
    )
    history.log(
        "Application %s: %s -> %s%s",
        application.reference,
        old,
        status if position is None else f"{status} #{position}",
        f" (by user {by.pk})" if by is not None else "",
    )


def next_waitlist_position(cohort: Cohort) -> int:
    last = cohort.applications.filter(status=Status.WAITLISTED).aggregate(last=Max("waitlist_position"))[
        "last"
    ]
    return (last or 0) + 1


def renumber_waitlist(cohort: Cohort, *, by=None) -> None:
    """Close the gaps: positions become 1..N in their current order. Rows are updated one by one in
    ascending order, so each new position is already free and the unique constraint on (cohort,
    position) never sees a duplicate, without needing a deferrable constraint (which SQLite lacks).
    Each move is written to the application's history."""
    waiting = cohort.applications.filter(status=Status.WAITLISTED).order_by("waitlist_position")
    now = timezone.now()
    events = []
    for new_position, (pk, old_position) in enumerate(
        waiting.values_list("pk", "waitlist_position"), start=1
    ):
        if old_position != new_position:
            Application.objects.filter(pk=pk).update(waitlist_position=new_position, updated_at=now)
            events.append(
                ApplicationEvent(
                    application_id=pk,
                    at=now,
                    actor=by,
                    kind=Event.POSITION,
                    description=f"Moved up the waitlist: #{old_position} → #{new_position}",
                    changes={"waitlist_position": [old_position, new_position]},
                )
            )
    history.add_events(events)


def offer_free_seats(cohort: Cohort, *, notify: bool = True, by=None) -> list[Application]:
    """Offer each free seat to the next person waiting, for a set time (offer_deadline), and tell them;
    exactly one offer per free seat, the cohort locked by the caller. Returns the people offered a seat."""
    free = seats(cohort).left
    if free <= 0 or cohort.start_date <= timezone.localdate():  # no offers once the course has begun
        return []
    offered = list(cohort.applications.filter(status=Status.WAITLISTED).order_by("waitlist_position")[:free])
    for application in offered:
        expires = offer_deadline(cohort)
        set_status(
            application,
            Status.OFFERED,
            by=by,
            reason="a seat was freed: offered to the first on the waitlist",
            offer_expires_at=expires,
        )
        if notify:
            _offer_mail(application)
        _schedule_expiry(cohort.pk, expires)
    if offered:
        renumber_waitlist(cohort, by=by)
    return offered


def _offer_mail(application: Application) -> None:
    """Owe the offer e-mail, with its deadline kept in the payload: sent again or read later, once the offer
    was answered or ran out, it still says by when it was to be answered."""
    history.mail(
        Mail.PROMOTION,
        application=application,
        payload={"offer_expires_at": application.offer_expires_at.isoformat()},
    )


# Who may change what


def live_application_for(*, cohort_id, email: str, other_than=None) -> Application | None:
    """The live (seat or waitlist) application of this e-mail address to the cohort, if any, other than
    `other_than`: one person holds at most one (DESIGN.md 4.2)."""
    applications = Application.objects.filter(
        cohort_id=cohort_id, email=email, status__in=Application.LIVE_STATUSES
    )
    if other_than is not None:
        applications = applications.exclude(pk=other_than.pk)
    return applications.first()


def seat_elsewhere_in_program(*, cohort: Cohort, email: str, other_than=None) -> Application | None:
    """Where the program allows one seat per person: a seat the same address holds in another of its starts."""
    if not cohort.program.one_seat_per_person:
        return None
    others = Application.objects.filter(
        cohort__program_id=cohort.program_id, email=email, status__in=SEAT_STATUSES
    ).exclude(cohort_id=cohort.pk)
    if other_than is not None:
        others = others.exclude(pk=other_than.pk)
    return others.select_related("cohort").first()


def _refuse_if_email_in_use(application: Application, cohort: Cohort) -> None:
    if not application.is_live:
        clash = live_application_for(cohort_id=cohort.pk, email=application.email, other_than=application)
        if clash is not None:
            raise ApplicationStateError.at(
                "email", refusal_message("email_in_use", reference=clash.reference, cohort=cohort.code)
            )


def _refuse_if_seat_elsewhere(application: Application, cohort: Cohort) -> None:
    other = seat_elsewhere_in_program(cohort=cohort, email=application.email, other_than=application)
    if other is not None:
        raise ApplicationStateError.at(
            "status",
            f"{application.email} already holds a seat in {other.cohort.code} ({other.reference}), and the "
            f"{cohort.program.name} program allows one seat per person. Withdraw that one first.",
        )


def _notice_details(notify: bool, message: str) -> dict:
    """What the history keeps about the e-mail a staff status change sends."""
    details = {"applicant_emailed": notify}
    if notify and message:
        details["message"] = message
    return details


def _status_mail(
    application: Application, message: str, *, previous: str, withdrawn_by: str = "applicant"
) -> None:
    """The e-mail of a status change, with what it needs to say exactly what happened (emails.py): the status
    before and after, the waitlist place it gave, who asked for it. Plain JSON values only."""
    history.mail(
        Mail.STATUS_CHANGE,
        application=application,
        payload={
            "status": str(application.status),
            "previous": str(previous),
            "position": application.waitlist_position,
            "withdrawn_by": withdrawn_by,
            "message": message,
        },
    )


def _locked(application: Application) -> tuple[Cohort, Application]:
    """The application's start, locked, and the application read again under that lock. The object passed in
    may be stale: when the application was moved to another start meanwhile, that start is the one locked."""
    cohort_id = application.cohort_id
    while True:
        cohort = lock_cohort(cohort_id)
        current = Application.objects.select_related("cohort").get(pk=application.pk)
        if current.cohort_id == cohort_id:
            current.cohort = cohort
            return cohort, current
        cohort_id = current.cohort_id  # moved since it was read: lock where it is now


def _refuse_unless(application: Application, allowed, what: str) -> None:
    if application.status not in allowed:
        raise ApplicationStateError.at(
            "status",
            f"{application.reference} is {application.get_status_display().lower()}: it cannot be {what}.",
        )


# The applicant's and Admissions' changes


def _release_seat(
    *, application, status, what, allowed, notify, message, by, reason="", withdrawn_by="applicant"
):
    """Move a live application to a closed status; a freed seat is offered to the next person waiting."""
    with transaction.atomic():
        cohort, application = _locked(application)
        _refuse_unless(application, allowed, what)
        previous = application.status
        set_status(application, status, by=by, reason=reason, details=_notice_details(notify, message))
        if notify:
            _status_mail(application, message, previous=previous, withdrawn_by=withdrawn_by)
        if previous == Status.WAITLISTED:
            renumber_waitlist(cohort, by=by)
        offer_free_seats(cohort, notify=notify, by=by)
    return application


# What can be withdrawn: anything live before the course (once it has started, the student leaves it).
WITHDRAWABLE_STATUSES = frozenset(Application.LIVE_STATUSES) - {Status.STARTED, Status.COMPLETED}


def application_withdraw(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """The applicant gives up their seat, offer or waitlist place (on their page, or through staff who record
    it for them). A freed seat is offered to the next person waiting."""
    return _release_seat(
        application=application,
        status=Status.WITHDRAWN,
        what="withdrawn",
        allowed=WITHDRAWABLE_STATUSES,
        notify=notify,
        message=message,
        by=by,
        reason="withdrawn by the applicant" if by is None else "withdrawn at the applicant's request",
    )


def application_decline(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """Admissions turn the application down. A freed seat is offered to the next person waiting."""
    return _release_seat(
        application=application,
        status=Status.DECLINED,
        what="declined",
        allowed={Status.HELD, Status.OFFERED, Status.WAITLISTED},
        notify=notify,
        message=message,
        by=by,
        reason=message or "declined by admissions",
    )


def application_release(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """Admissions end a hold whose documents did not come in time (never automatically: they decide after
    being told the deadline passed). The seat is offered to the next person waiting."""
    return _release_seat(
        application=application,
        status=Status.RELEASED,
        what="released (only a held seat can be)",
        allowed={Status.HELD},
        notify=notify,
        message=message,
        by=by,
        reason=message or "documents not complete by the deadline",
    )


def application_hold(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """Admissions give a seat to a waitlisted (or an earlier withdrawn, declined, expired or released)
    applicant, only while a seat is free: never beyond the start's capacity. The seat is held for the
    documents, as an application that found a free seat is."""
    with transaction.atomic():
        cohort, application = _locked(application)
        if application.holds_seat:
            raise ApplicationStateError.at("status", f"{application.reference} already has a seat.")
        _refuse_if_email_in_use(application, cohort)
        _refuse_if_seat_elsewhere(application, cohort)
        if seats(cohort).left <= 0:
            raise ApplicationStateError.at(
                "status",
                f"No seat is free in {cohort.code}: all {cohort.capacity} seats are taken. Withdraw or decline "
                "an applicant with a seat first, or raise the start's capacity.",
            )
        previous = application.status
        set_status(application, Status.HELD, by=by, details=_notice_details(notify, message))
        if notify:
            _status_mail(application, message, previous=previous)
        if previous == Status.WAITLISTED:
            renumber_waitlist(cohort, by=by)
        checklist_sync(application)
    return application


def application_waitlist(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """Admissions move an applicant to the end of the waitlist (from a held seat or an offer, from further up
    the waitlist, or back from a closed status). A seat freed this way is offered to the first person waiting;
    one still free when the applicant joins the end is offered to them (and the e-mail says so)."""
    with transaction.atomic():
        cohort, application = _locked(application)
        _refuse_unless(
            application,
            {
                Status.HELD,
                Status.OFFERED,
                Status.WAITLISTED,
                Status.WITHDRAWN,
                Status.DECLINED,
                Status.EXPIRED,
                Status.RELEASED,
            },
            "moved to the waitlist",
        )
        others_waiting = (
            cohort.applications.filter(status=Status.WAITLISTED).exclude(pk=application.pk).exists()
        )
        if application.status == Status.WAITLISTED and not others_waiting:
            raise ApplicationStateError.at(
                "status", f"{application.reference} is already the only one on the waitlist."
            )
        if application.holds_seat and not others_waiting:
            raise ApplicationStateError.at(
                "status",
                f"Nobody else is on the waitlist of {cohort.code}, so {application.reference} would get the seat "
                "straight back. To free the seat, decline or withdraw the application instead.",
            )
        _refuse_if_email_in_use(application, cohort)
        previous = application.status
        set_status(
            application,
            Status.WAITLISTED,
            position=next_waitlist_position(cohort),
            by=by,
            details=_notice_details(notify, message),
        )
        if previous == Status.WAITLISTED:
            renumber_waitlist(cohort, by=by)
        offered = offer_free_seats(cohort, notify=False, by=by)
        for other in offered:
            if notify and other.pk != application.pk:
                _offer_mail(other)
        application.refresh_from_db(fields=["status", "waitlist_position", "offer_expires_at", "updated_at"])
        if notify:
            # What the change left the applicant with: the end of the waitlist, or an offer at once.
            if application.status == Status.OFFERED:
                _offer_mail(application)
            else:
                _status_mail(application, message, previous=previous)
    return application


OFFER_PASSED = (
    "The time to answer this offer has passed, so the seat was offered to the next person. Write to us if you "
    "still want a place: we will tell you what is possible."
)


def _refuse_if_offer_passed(application: Application) -> None:
    """Expire the start's overdue offers first, in their own transaction: an answer that comes too late is
    refused, and the offer it came for stays expired (and its seat offered on) rather than rolled back with
    the refusal."""
    offers_expire(cohort_ids=[application.cohort_id])
    application.refresh_from_db(fields=["status", "offer_expires_at"])
    if application.status == Status.EXPIRED:
        raise ApplicationStateError.at("status", OFFER_PASSED)


def offer_accept(*, application: Application, by=None) -> Application:
    """The applicant takes the seat offered to them, before the offer's deadline: it becomes a held seat."""
    _refuse_if_offer_passed(application)
    with transaction.atomic():
        cohort, application = _locked(application)
        if _expire_due_offers(cohort):  # its deadline passed since: refused below (and rolled back)
            application.refresh_from_db(fields=["status", "offer_expires_at"])
        if application.status == Status.EXPIRED:
            raise ApplicationStateError.at("status", OFFER_PASSED)
        _refuse_unless(application, {Status.OFFERED}, "accepted (no seat is offered to it)")
        set_status(
            application,
            Status.HELD,
            by=by,
            reason="accepted the seat offered"
            + (" by the applicant" if by is None else " for the applicant"),
        )
        _status_mail(application, "", previous=Status.OFFERED)
        checklist_sync(application)
    return application


def offer_decline(*, application: Application, by=None) -> Application:
    """The applicant turns the offered seat down: it is offered to the next person waiting."""
    _refuse_if_offer_passed(application)
    return _release_seat(
        application=application,
        status=Status.WITHDRAWN,
        what="turned down (no seat is offered to it)",
        allowed={Status.OFFERED},
        notify=True,
        message="",
        by=by,
        reason="turned down the seat offered" + (" by the applicant" if by is None else " for the applicant"),
    )


def application_enrol(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """Admissions enrol a student whose held seat has every requirement verified (refused, with what is still
    missing, otherwise)."""
    with transaction.atomic():
        cohort, application = _locked(application)
        _refuse_unless(application, {Status.HELD}, "enrolled (only a held seat can be)")
        missing = checklist_missing(application)
        if missing:
            raise ApplicationStateError.at(
                "status",
                f"{application.reference} cannot be enrolled yet: {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not verified.",
            )
        set_status(application, Status.ENROLLED, by=by, details=_notice_details(notify, message))
        if notify:
            _status_mail(application, message, previous=Status.HELD)
    return application


def application_complete(
    *, application: Application, notify: bool = False, message: str = "", by=None
) -> Application:
    """The student finished the course."""
    with transaction.atomic():
        _, application = _locked(application)
        _refuse_unless(application, {Status.STARTED}, "marked completed (only a started course can be)")
        set_status(application, Status.COMPLETED, by=by, details=_notice_details(notify, message))
    return application


def application_leave(
    *, application: Application, notify: bool = False, message: str = "", by=None
) -> Application:
    """The student left the course after it started."""
    with transaction.atomic():
        _, application = _locked(application)
        _refuse_unless(application, {Status.STARTED}, "marked as left (only a started course can be)")
        set_status(application, Status.LEFT, by=by, reason=message, details=_notice_details(notify, message))
    return application


def hold_extend(*, application: Application, until: date, by=None) -> Application:
    """Admissions give a held seat more time for its documents (Admissions are told again if it passes)."""
    with transaction.atomic():
        cohort, application = _locked(application)
        _refuse_unless(application, {Status.HELD}, "given more time (only a held seat can be)")
        if until <= timezone.localdate() or until >= cohort.start_date:
            raise ApplicationStateError.at(
                "hold_until",
                f"Choose a day after today and before the first day of the course ({day(cohort.start_date)}).",
            )
        before = application.hold_until
        application.hold_until = until
        application.hold_overdue_noticed_at = application.documents_reminded_at = None
        application.save(
            update_fields=["hold_until", "hold_overdue_noticed_at", "documents_reminded_at", "updated_at"]
        )
        history.add_event(
            application=application,
            actor=by,
            kind=Event.HOLD,
            description=f"Documents deadline moved: {day(before) if before else 'none'} → {day(until)}",
            changes={"hold_until": [before.isoformat() if before else None, until.isoformat()]},
        )
    return application


def application_move(*, application: Application, to: Cohort, notify: bool = True, by=None) -> Application:
    """Move an application to another start of the same program, as if it had applied there: a seat (its held
    or enrolled status kept) when one is free, else the end of that start's waitlist. Both starts are locked
    in a fixed order; positions stay gapless in both, and a seat freed in the first is offered on."""
    with transaction.atomic():
        cohorts = lock_cohorts([application.cohort_id, to.pk])
        source, target = cohorts[application.cohort_id], cohorts[to.pk]
        application = Application.objects.get(pk=application.pk)
        # Moved by someone else since it was read: the start it is in now is not locked.
        if application.cohort_id != source.pk:
            raise ApplicationStateError.at(
                "cohort", f"{application.reference} was moved to another start meanwhile: look at it again."
            )
        if target.pk == source.pk:
            raise ApplicationStateError.at("cohort", f"{application.reference} is already in {target.code}.")
        if target.program_id != source.program_id:
            raise ApplicationStateError.at(
                "cohort", "An application moves only to another start of the same program."
            )
        _refuse_unless(application, {Status.HELD, Status.ENROLLED, Status.WAITLISTED}, "moved")
        if reason := target.closed_reason():
            raise ApplicationStateError.at("cohort", reason)
        clash = live_application_for(cohort_id=target.pk, email=application.email)
        if clash is not None:
            raise ApplicationStateError.at(
                "email", refusal_message("email_in_use", reference=clash.reference, cohort=target.code)
            )
        previous, previous_position = application.status, application.waitlist_position
        had_seat = application.holds_seat
        if seats(target).left > 0:
            status, position = (previous if had_seat else Status.HELD), None
        else:
            status, position = Status.WAITLISTED, next_waitlist_position(target)
        Application.objects.filter(pk=application.pk).update(
            cohort=target,
            status=status,
            waitlist_position=position,
            # As Application.save does with a status (this update does not go through it).
            furthest_stage=Greatest("furthest_stage", Value(STAGE_RANKS.get(status, 0))),
            updated_at=timezone.now(),
        )
        application.refresh_from_db()
        if status == Status.HELD:
            # A new hold gets the new start's deadline; a hold that moves keeps its own (an extension granted
            # stays), never later than the new start allows.
            application.cohort = target
            if previous == Status.HELD and application.hold_until:
                latest = target.start_date - timedelta(days=target.program.documents_due_before_start_days)
                application.hold_until = max(min(application.hold_until, latest), timezone.localdate())
            else:
                application.hold_until = hold_deadline(target)
            application.save(update_fields=["hold_until"])
        history.add_event(
            application=application,
            actor=by,
            kind=Event.MOVED,
            description=f"Moved from {source.code} to {target.code}: "
            f"{status_label(previous, previous_position)} → {status_label(status, position)}",
            changes={
                "cohort": [source.code, target.code],
                "status": [previous, status],
                "waitlist_position": [previous_position, position],
            },
        )
        pagecache.invalidate_on_commit(pagecache.SEATS)
        if notify:
            history.mail(Mail.MOVED, application=application, payload={"from": source.code})
        renumber_waitlist(source, by=by)
        offer_free_seats(source, notify=notify, by=by)
        checklist_sync(application)
    return application


# Deadlines that pass: run by `manage.py run_admissions_deadlines` (cron, several machines at once is safe),
# by the worker at an offer's deadline, and when a start is read.


def _expire_due_offers(cohort: Cohort, *, now: datetime | None = None) -> list[Application]:
    """Offers of this (locked) start whose deadline passed: expired, the people told, the seats offered on."""
    now = now or timezone.now()
    due = list(
        cohort.applications.filter(status=Status.OFFERED, offer_expires_at__lte=now).order_by(
            "offer_expires_at"
        )
    )
    for application in due:
        application.cohort = cohort
        offered_until = application.offer_expires_at  # cleared by the change of status
        deadline = timezone.localtime(offered_until)
        set_status(
            application, Status.EXPIRED, reason=f"no answer by {day(deadline.date())}, {deadline:%H:%M}"
        )
        history.mail(
            Mail.OFFER_EXPIRED,
            application=application,
            payload={"offer_expires_at": offered_until.isoformat()},
        )
    if due:
        offer_free_seats(cohort)
    return due


@task
def expire_offers_of(cohort_id: int) -> int:
    """The worker's task at an offer's deadline (enqueued when the offer is made, where the task backend can
    run a task later): expire the start's overdue offers and offer the seats on."""
    return offers_expire(cohort_ids=[cohort_id])


def _schedule_expiry(cohort_id: int, when: datetime) -> None:
    backend = expire_offers_of.get_backend()
    if backend.supports_defer:
        # With the database backend the task row is written in this transaction, like the offer itself.
        history.enqueue_task(expire_offers_of.using(run_after=when), cohort_id)


def offers_expire(*, cohort_ids=None, now: datetime | None = None) -> int:
    """Expire every offer whose deadline passed (of these starts, or all), each start under its lock, and
    offer the seats on: safe to run anywhere at once (a start's expired offers are found under its lock).
    Returns how many offers expired."""
    now = now or timezone.now()
    due = Application.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
    if cohort_ids is not None:
        due = due.filter(cohort_id__in=cohort_ids)
    expired = 0
    for cohort_id in sorted(set(due.values_list("cohort_id", flat=True))):
        with transaction.atomic():
            expired += len(_expire_due_offers(lock_cohort(cohort_id), now=now))
    return expired


def courses_start(*, today: date | None = None) -> int:
    """Enrolled students of starts that have begun have started. Returns how many."""
    today = today or timezone.localdate()
    started = 0
    for cohort_id in sorted(
        set(
            Application.objects.filter(status=Status.ENROLLED, cohort__start_date__lte=today).values_list(
                "cohort_id", flat=True
            )
        )
    ):
        with transaction.atomic():
            cohort = lock_cohort(cohort_id)
            for application in cohort.applications.filter(status=Status.ENROLLED):
                set_status(application, Status.STARTED, reason="the course began")
                started += 1
    return started


# Several applications at once (the admin's actions), and previews.

STATUS_SERVICES = {
    Status.HELD: application_hold,
    Status.WAITLISTED: application_waitlist,
    Status.WITHDRAWN: application_withdraw,
    Status.DECLINED: application_decline,
    Status.RELEASED: application_release,
    Status.ENROLLED: application_enrol,
    Status.COMPLETED: application_complete,
    Status.LEFT: application_leave,
}


@dataclass
class Result:
    """One selected application: refused with a reason, or changed."""

    application: Application
    refusal: str = ""


@dataclass
class Batch:
    """The same change made to several applications: each one's result, and every history entry written
    (the selected applications' and others': people offered a seat from the waitlist)."""

    results: list[Result]
    events: list[ApplicationEvent]

    def offered_a_seat(self) -> list[Application]:
        """People other than the selected ones who were offered a seat (from the waitlist)."""
        selected = {result.application.pk for result in self.results}
        ids = [
            event.application_id
            for event in self.events
            if event.kind == Event.STATUS
            and event.changes.get("status", [None, None])[1] in SEAT_STATUSES
            and event.application_id not in selected
        ]
        return sorted(Application.objects.filter(pk__in=ids), key=lambda application: application.reference)


def applications_change_status(
    *, applications, status: str, notify: bool, message: str = "", by=None
) -> Batch:
    """Make the same status change to each application in turn (waitlisted people in their order), each in a
    savepoint: a refusal (with its reason) leaves the others to go ahead."""
    service = STATUS_SERVICES[status]
    return applications_each(
        applications=applications,
        change=lambda application: service(application=application, notify=notify, message=message, by=by),
    )


def applications_each(*, applications, change, cohort_ids=()) -> Batch:
    """Make `change(application)` (one service call) to each application in turn, each in a savepoint: a
    refusal (with its reason) leaves the others to go ahead. The applications' starts, and `cohort_ids` (a
    move's destination), are locked first, in the fixed order."""
    results = []
    with transaction.atomic(), history.recording() as record:
        lock_cohorts({application.cohort_id for application in applications} | set(cohort_ids))
        for application in applications:
            try:
                with transaction.atomic():
                    change(application)
            except ApplicationStateError as error:
                results.append(Result(application, refusal=error.message))
            else:
                results.append(Result(application))
    return Batch(results, record.events)


@dataclass
class PreviewEmail:
    kind: str
    application: Application | None
    to: list[str]
    subject: str
    body: str
    from_email: str = ""


@dataclass
class Preview:
    """What a change would do if made now: its own result, every history entry it would write (status
    changes, waitlist moves, of the selected applications and of others) and every e-mail it would send,
    exactly as it would send them."""

    result: object
    events: list[ApplicationEvent] = field(default_factory=list)
    emails: list[PreviewEmail] = field(default_factory=list)

    def events_of(self, application: Application) -> list[ApplicationEvent]:
        return [event for event in self.events if event.application_id == application.pk]

    def events_of_others(self, applications) -> list[ApplicationEvent]:
        selected = {application.pk for application in applications}
        return [event for event in self.events if event.application_id not in selected]


def preview(change) -> Preview:
    """Run `change()` (a service call) as it would run now, under the same locks, record what it writes and
    the e-mails it owes (rendered as they would be sent), then roll everything back."""
    with transaction.atomic(), history.recording(preview=True) as record:
        result = change()
        rendered = []
        for notification in record.emails:
            message = emails.build(notification)
            rendered.append(
                PreviewEmail(
                    notification.kind,
                    notification.application,
                    list(message.to),
                    message.subject,
                    message.body,
                    message.from_email,
                )
            )
        events = [event for event in record.events if isinstance(event, ApplicationEvent)]
        applications = Application.objects.select_related("cohort").in_bulk(
            {event.application_id for event in events}
        )
        for event in events:
            event.application = applications[event.application_id]
        transaction.set_rollback(True)
    return Preview(result=result, events=events, emails=rendered)
