"""Who holds a seat and who waits: status changes, the waitlist, a start's capacity, and previews of them.

Every function here locks the start(s) it changes (services.locking), re-reads what it changes under that
lock, counts seats with the one availability calculation (Cohort.objects.with_seat_counts), writes the
application's history and owes its e-mails in the same transaction."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from enrollment import emails
from enrollment.eligibility import message as refusal_message
from enrollment.models import SEAT_STATUSES, Application, ApplicationEvent, Cohort, EmailNotification
from enrollment.services import history
from enrollment.services.errors import ApplicationStateError
from enrollment.services.locking import lock_cohort, lock_cohorts
from sitetools import pagecache

Status = Application.Status
Event = ApplicationEvent.Kind
Mail = EmailNotification.Kind

MAX_CAPACITY = 500


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
) -> None:
    old, old_position = application.status, application.waitlist_position
    application.status = status
    application.waitlist_position = position
    application.save(update_fields=["status", "waitlist_position", "updated_at"])
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


def promote(cohort: Cohort, *, notify: bool, by=None) -> list[Application]:
    """Fill free seats from the front of the waitlist and tell each person; the cohort must be locked."""
    free = seats(cohort).left
    if free <= 0:
        return []
    promoted = list(cohort.applications.filter(status=Status.WAITLISTED).order_by("waitlist_position")[:free])
    for application in promoted:
        set_status(application, Status.ACCEPTED, by=by, reason="moved up from the waitlist to a free seat")
        if notify:
            history.mail(Mail.PROMOTION, application=application)
    if promoted:
        renumber_waitlist(cohort, by=by)
    return promoted


def live_application_for(*, cohort_id, email: str, other_than=None) -> Application | None:
    """The live (seat or waitlist) application of this e-mail address to the cohort, if any, other than
    `other_than`: one person holds at most one (DESIGN.md 4.2)."""
    applications = Application.objects.filter(
        cohort_id=cohort_id, email=email, status__in=Application.LIVE_STATUSES
    )
    if other_than is not None:
        applications = applications.exclude(pk=other_than.pk)
    return applications.first()


def _refuse_if_email_in_use(application: Application, cohort: Cohort) -> None:
    if not application.is_live:
        clash = live_application_for(cohort_id=cohort.pk, email=application.email, other_than=application)
        if clash is not None:
            raise ApplicationStateError.at(
                "email", refusal_message("email_in_use", reference=clash.reference, cohort=cohort.code)
            )


def _notice_details(notify: bool, message: str) -> dict:
    """What the history keeps about the e-mail a staff status change sends."""
    details = {"applicant_emailed": notify}
    if notify and message:
        details["message"] = message
    return details


def _status_mail(application: Application, message: str, *, previous: str) -> None:
    """The e-mail of a status change, with what it needs to say exactly what happened (emails.py): the
    status before and after, the waitlist place it gave, who asked for it. Plain JSON values only."""
    history.mail(
        Mail.STATUS_CHANGE,
        application=application,
        payload={
            "status": str(application.status),
            "previous": str(previous),
            "position": application.waitlist_position,
            # Staff withdraw an application when the applicant asks them to; admissions' own decision is a
            # decline.
            "withdrawn_by": "applicant",
            "message": message,
        },
    )


def _locked(application: Application) -> tuple[Cohort, Application]:
    cohort = lock_cohort(application.cohort_id)
    return cohort, Application.objects.select_related("cohort").get(pk=application.pk)


def _release(*, application, status, verb, notify, message, by) -> Application:
    with transaction.atomic():
        cohort, application = _locked(application)
        if not application.is_live:
            raise ApplicationStateError.at(
                "status",
                f"{application.reference} is {application.get_status_display().lower()}; only an application "
                f"with a seat or a waitlist place can be {verb}.",
            )
        previous = application.status
        was_waiting = previous == Status.WAITLISTED
        set_status(application, status, by=by, details=_notice_details(notify, message))
        if notify:
            _status_mail(application, message, previous=previous)
        if was_waiting:
            renumber_waitlist(cohort, by=by)
        promote(cohort, notify=notify, by=by)
    return application


def application_withdraw(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """The applicant gives up their seat or waitlist place. A freed seat goes to the first on the waitlist."""
    return _release(
        application=application,
        status=Status.WITHDRAWN,
        verb="withdrawn",
        notify=notify,
        message=message,
        by=by,
    )


def application_decline(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """Admissions turns the application down. A freed seat goes to the first on the waitlist."""
    return _release(
        application=application,
        status=Status.DECLINED,
        verb="declined",
        notify=notify,
        message=message,
        by=by,
    )


def application_accept(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """Admissions offers a seat to a waitlisted (or earlier withdrawn or declined) applicant, only when a
    seat is free: never beyond the cohort's capacity."""
    with transaction.atomic():
        cohort, application = _locked(application)
        if application.holds_seat:
            raise ApplicationStateError.at("status", f"{application.reference} already has a seat.")
        _refuse_if_email_in_use(application, cohort)
        if seats(cohort).left <= 0:
            raise ApplicationStateError.at(
                "status",
                f"No seat is free in {cohort.code}: all {cohort.capacity} seats are taken. Withdraw or decline "
                "an applicant with a seat first, or raise the start's capacity.",
            )
        previous = application.status
        was_waiting = previous == Status.WAITLISTED
        set_status(application, Status.ACCEPTED, by=by, details=_notice_details(notify, message))
        if notify:
            _status_mail(application, message, previous=previous)
        if was_waiting:
            renumber_waitlist(cohort, by=by)
    return application


def application_waitlist(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """Admissions moves an applicant to the end of the waitlist (from a seat, from further up the
    waitlist, or back from withdrawn or declined). A seat freed this way goes to the first on the waitlist;
    one still free when the applicant joins the end is theirs at once (and the e-mail says so)."""
    with transaction.atomic():
        cohort, application = _locked(application)
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
        was_waiting = previous == Status.WAITLISTED
        set_status(
            application,
            Status.WAITLISTED,
            position=next_waitlist_position(cohort),
            by=by,
            details=_notice_details(notify, message),
        )
        if was_waiting:
            renumber_waitlist(cohort, by=by)
        promoted = promote(cohort, notify=False, by=by)
        for other in promoted:
            if notify and other.pk != application.pk:
                history.mail(Mail.PROMOTION, application=other)
        application.refresh_from_db(fields=["status", "waitlist_position", "updated_at"])
        if notify:
            # What the change left the applicant with: the end of the waitlist, or a free seat at once.
            _status_mail(application, message, previous=previous)
    return application


def waitlist_promote(*, cohort: Cohort, notify: bool = True, by=None) -> list[Application]:
    """Offer every free seat of the cohort to the first people on its waitlist, renumbering the rest."""
    with transaction.atomic():
        return promote(lock_cohort(cohort.pk), notify=notify, by=by)


def cohort_set_capacity(*, cohort: Cohort, capacity: int, notify: bool = True, by=None) -> list[Application]:
    """Change a start's number of seats under its lock: refused below the seats already taken (or above
    MAX_CAPACITY); new seats go to the first people on the waitlist at once, who are e-mailed. Returns them."""
    with transaction.atomic():
        cohort = lock_cohort(cohort.pk)
        taken = seats(cohort).taken
        if capacity > MAX_CAPACITY:
            raise ApplicationStateError.at(
                "capacity",
                f"A course start has at most {MAX_CAPACITY} seats. Check the number, or split the start in two.",
            )
        if capacity < taken:
            raise ApplicationStateError.at(
                "capacity",
                f"{taken} applicant{'s' if taken != 1 else ''} already "
                f"{'have' if taken != 1 else 'has'} a seat. Withdraw or decline some of them before lowering the "
                f"capacity below {taken}.",
            )
        if capacity == cohort.capacity:
            return []
        history.log(
            "Cohort %s: capacity %s -> %s%s",
            cohort.code,
            cohort.capacity,
            capacity,
            f" (by user {by.pk})" if by else "",
        )
        Cohort.objects.filter(pk=cohort.pk).update(capacity=capacity, updated_at=timezone.now())
        pagecache.invalidate_on_commit(pagecache.SEATS)
        cohort.capacity = capacity
        return promote(cohort, notify=notify, by=by)


# Several applications at once (the admin's actions), and previews.

STATUS_SERVICES = {
    Status.ACCEPTED: application_accept,
    Status.WAITLISTED: application_waitlist,
    Status.WITHDRAWN: application_withdraw,
    Status.DECLINED: application_decline,
}


@dataclass
class Result:
    """One selected application: refused with a reason, or changed."""

    application: Application
    refusal: str = ""


@dataclass
class Batch:
    """The same change made to several applications: each one's result, and every history entry written
    (the selected applications' and others': people moved up from the waitlist)."""

    results: list[Result]
    events: list[ApplicationEvent]

    def moved_to_a_seat(self) -> list[Application]:
        """People other than the selected ones who were given a seat (from the waitlist)."""
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
    results = []
    with transaction.atomic(), history.recording() as record:
        lock_cohorts({application.cohort_id for application in applications})
        for application in applications:
            try:
                with transaction.atomic():
                    service(application=application, notify=notify, message=message, by=by)
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
                )
            )
        events = list(record.events)
        applications = Application.objects.select_related("cohort").in_bulk(
            {event.application_id for event in events}
        )
        for event in events:
            event.application = applications[event.application_id]
        transaction.set_rollback(True)
    return Preview(result=result, events=events, emails=rendered)
