"""The enrollment workflows, each one transaction. Views and the admin call only these functions: nothing
else writes an application's status or waitlist position.

Seats: every function that changes who holds a seat or a waitlist place first locks the cohort row
(`select_for_update`, on PostgreSQL) and re-reads what it changes under that lock. On SQLite the same
code runs inside an immediate transaction (settings: `transaction_mode: IMMEDIATE`), which takes the
database's write lock at BEGIN, so writers queue there instead. The e-mails a change owes are written in
its transaction (enrollment/outbox.py) and sent by the task worker: a failing mail server can never undo a
submission, and nothing that fails after the commit can lose an e-mail.

History: every change to an application (submission, status, waitlist position, assignment, edits, notes)
is recorded as an ApplicationEvent by these functions, in the transaction of the change itself.
"""

import logging
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.dateformat import format as format_date

from enrollment import outbox
from enrollment.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    Cohort,
    EmailNotification,
    Enquiry,
    EnquiryNote,
    Program,
    StaffNote,
)
from roles.models import CertificationLevel

logger = logging.getLogger(__name__)

Status = Application.Status
Event = ApplicationEvent.Kind

# No 0/O, 1/I/L: a reference is read out on the phone and copied from e-mails.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6


class EnrollmentError(Exception):
    """A refusal a person can act on. `errors` lists (field, message) pairs; `field` is the name of the
    form field the message belongs to (None: the whole form). `field` and `message` are the first pair."""

    def __init__(self, errors: Iterable[tuple[str | None, str]]):
        self.errors = list(errors)
        if not self.errors:
            raise ValueError("An EnrollmentError needs at least one reason.")
        self.field, self.message = self.errors[0]
        super().__init__(self.message)

    @classmethod
    def at(cls, field: str | None, message: str):
        return cls([(field, message)])


class EligibilityError(EnrollmentError):
    """A submission refused: not eligible, closed, a duplicate, or invalid data."""


class AlreadyApplied(EligibilityError):
    """The same e-mail address already has a live application to the cohort: most often the same person
    sending the form again (after an error page, or a second click). Their application's details have been
    e-mailed to that address again; `application` is the one that is in."""

    MESSAGE = (
        "An application from this e-mail address for this course start is already in. We have e-mailed its "
        "details to that address again."
    )

    def __init__(self, application: Application):
        super().__init__([("email", self.MESSAGE)])
        self.application = application


class ApplicationStateError(EnrollmentError):
    """A staff action that the application or the cohort does not allow right now."""


def _day(value: date) -> str:
    return format_date(value, "j F Y")


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and by meaning: stored in lower case, with width
    variants read as what they are (NFKC: a full-width ｅｘａｍｐｌｅ.org is example.org)."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def _lock_cohort(cohort_id: int) -> Cohort:
    """Lock the cohort row for the rest of the transaction (PostgreSQL; on SQLite the immediate
    transaction already holds the write lock). Only the cohort row: `of` keeps joins out of the lock."""
    cohort = Cohort.objects.select_for_update(of=("self",)).get(pk=cohort_id)
    # Read separately so that the lock never reaches the program or level rows.
    cohort.program = Program.objects.select_related("level", "level__prerequisite").get(pk=cohort.program_id)
    return cohort


def certification_shortfall(program: Program, level) -> str:
    """Why `level` (a CertificationLevel) does not meet the program's prerequisite, or "" when it does."""
    required = program.level.prerequisite
    if required is None or level is None or level.ladder_order >= required.ladder_order:
        return ""
    return f"The {program.name} course requires {required.name} certification or higher; {level.name} is not enough."


def applicant_eligibility_errors(
    *,
    cohort: Cohort,
    date_of_birth: date | None,
    certification_level: CertificationLevel | None,
    certification_number: str,
    certification_state: str,
    certification_expiry: date | None,
) -> list[tuple[str, str]]:
    """DESIGN.md 4.2, the rules about the person: minimum age on the start date, prerequisite certification
    valid after the start date. Every reason found, each at its field. The public form's submission and staff
    edits of an application holding a place (enrollment/admin/applications.py) both check them."""
    program = cohort.program
    start = _day(cohort.start_date)
    errors = []
    minimum_age = program.required_minimum_age
    if minimum_age and date_of_birth is not None:
        birthday_passed = (cohort.start_date.month, cohort.start_date.day) >= (
            date_of_birth.month,
            date_of_birth.day,
        )
        age_at_start = cohort.start_date.year - date_of_birth.year - (0 if birthday_passed else 1)
        if age_at_start < minimum_age:
            errors.append(
                (
                    "date_of_birth",
                    f"You must be at least {minimum_age} on the first day of the course ({start}). "
                    "Check your date of birth, or choose a later start date.",
                )
            )

    required = program.level.prerequisite
    if required is not None:
        if certification_level is None:
            errors.append(
                (
                    "certification_level",
                    f"The {program.name} course requires current {required.name} certification. "
                    "Choose the certification you hold.",
                )
            )
        elif shortfall := certification_shortfall(program, certification_level):
            errors.append(("certification_level", shortfall))
        if not (certification_number or "").strip():
            errors.append(
                ("certification_number", "Enter the number of your certification or state license.")
            )
        if not (certification_state or "").strip():
            errors.append(
                ("certification_state", "Enter the state that issued your certification or license.")
            )
        if certification_expiry is None:
            errors.append(("certification_expiry", "Enter the date your certification expires."))
        elif certification_expiry <= cohort.start_date:
            errors.append(
                (
                    "certification_expiry",
                    f"Your certification must still be valid after the first day of the course ({start}), but it "
                    f"expires on {_day(certification_expiry)}. Renew it first, or choose an earlier start date.",
                )
            )
    return errors


def _eligibility_errors(
    *,
    cohort: Cohort,
    date_of_birth: date,
    certification_level: CertificationLevel | None,
    certification_number: str,
    certification_state: str,
    certification_expiry: date | None,
) -> list[tuple[str, str]]:
    """DESIGN.md 4.2: open cohort, and the rules about the person (applicant_eligibility_errors). Every
    reason found, each at its field. (One live application per e-mail and cohort is kept by
    application_submit itself: a second one is not a mistake to fix, see AlreadyApplied.)"""
    today = timezone.localdate()
    program = cohort.program
    start = _day(cohort.start_date)
    errors = []

    if not cohort.is_open or not program.is_published:
        errors.append(
            (
                "cohort",
                f"The {start} start ({cohort.code}) is closed to applications. Choose another start date.",
            )
        )
    elif cohort.start_date <= today:
        errors.append(
            ("cohort", f"The {start} start ({cohort.code}) has already begun. Choose a later start date.")
        )
    elif cohort.application_deadline < today:
        errors.append(
            (
                "cohort",
                f"Applications for the {start} start ({cohort.code}) closed on {_day(cohort.application_deadline)}. "
                "Choose another start date.",
            )
        )

    errors += applicant_eligibility_errors(
        cohort=cohort,
        date_of_birth=date_of_birth,
        certification_level=certification_level,
        certification_number=certification_number,
        certification_state=certification_state,
        certification_expiry=certification_expiry,
    )

    return errors


def _new_reference() -> str:
    for _ in range(20):
        reference = "EMS-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if not Application.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free application reference.")  # 31**6 references: never in practice


def _errors_from_validation(error: ValidationError) -> list[tuple[str | None, str]]:
    if not hasattr(error, "error_dict"):
        return [(None, message) for message in error.messages]
    return [
        (None if field == NON_FIELD_ERRORS else field, message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


Mail = EmailNotification.Kind


def _status_mail(application: Application, status: str, message: str) -> None:
    # Plain JSON values only (a choices member becomes its string).
    outbox.email_queue(
        Mail.STATUS_CHANGE, application=application, payload={"status": str(status), "message": message}
    )


def _status_label(status: str | None, position: int | None = None) -> str:
    if status is None:
        return "nothing"
    label = Status(status).label
    return f"{label}, #{position}" if position else label


def _set_status(
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
    description = f"{_status_label(old, old_position)} → {_status_label(status, position)}"
    ApplicationEvent.objects.create(
        application=application,
        actor=by,
        kind=Event.STATUS,
        description=f"{description} ({reason})" if reason else description,
        changes={"status": [old, status], "waitlist_position": [old_position, position], **(details or {})},
    )
    logger.info(
        "Application %s: %s -> %s%s",
        application.reference,
        old,
        status if position is None else f"{status} #{position}",
        f" (by user {by.pk})" if by is not None else "",
    )


def _next_waitlist_position(cohort: Cohort) -> int:
    last = cohort.applications.filter(status=Status.WAITLISTED).aggregate(last=Max("waitlist_position"))[
        "last"
    ]
    return (last or 0) + 1


def _renumber_waitlist(cohort: Cohort, *, by=None) -> None:
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
    ApplicationEvent.objects.bulk_create(events)


def _accepted_count(cohort: Cohort) -> int:
    return cohort.applications.filter(status=Status.ACCEPTED).count()


def _promote(cohort: Cohort, *, by=None) -> list[Application]:
    """Fill free seats from the front of the waitlist; the cohort must be locked by the caller."""
    free = cohort.capacity - _accepted_count(cohort)
    if free <= 0:
        return []
    promoted = list(cohort.applications.filter(status=Status.WAITLISTED).order_by("waitlist_position")[:free])
    for application in promoted:
        _set_status(application, Status.ACCEPTED, by=by, reason="moved up from the waitlist to a free seat")
    if promoted:
        _renumber_waitlist(cohort, by=by)
    return promoted


def _notice_details(notify: bool, message: str) -> dict:
    """What the history keeps about the e-mail a staff status change sends."""
    details = {"applicant_emailed": notify}
    if notify and message:
        details["message"] = message
    return details


def _reread(application: Application) -> Application:
    return Application.objects.select_related("cohort").get(pk=application.pk)


def live_application_for(*, cohort_id, email: str, other_than=None) -> Application | None:
    """The live (accepted or waitlisted) application of this e-mail address to the cohort, if any,
    other than `other_than`: one person holds at most one (DESIGN.md 4.2)."""
    applications = Application.objects.filter(
        cohort_id=cohort_id, email=email, status__in=Application.LIVE_STATUSES
    )
    if other_than is not None:
        applications = applications.exclude(pk=other_than.pk)
    return applications.first()


def _other_live_application_exists(application: Application) -> bool:
    return (
        live_application_for(cohort_id=application.cohort_id, email=application.email, other_than=application)
        is not None
    )


def application_submit(
    *,
    cohort: Cohort,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    date_of_birth: date,
    address_line1: str,
    address_line2: str = "",
    city: str,
    state: str,
    postal_code: str,
    certification_level: CertificationLevel | None = None,
    certification_number: str = "",
    certification_state: str = "",
    certification_expiry: date | None = None,
    consent_data_processing: bool,
    consent_sms: bool = False,
    notify: bool = True,
    by=None,
) -> Application:
    """Apply to a cohort: a seat while seats are left, else the next waitlist place. Raises
    EligibilityError (with every reason, each at its field) when the application is refused.
    The applicant and admissions are e-mailed after commit when `notify` is true."""
    if not consent_data_processing:
        raise EligibilityError.at(
            "consent_data_processing", "Tick the box to agree: we cannot process an application without it."
        )
    email = normalize_email(email)
    certification = {
        "certification_level": certification_level,
        "certification_number": certification_number,
        "certification_state": certification_state,
        "certification_expiry": certification_expiry,
    }
    # Cheap first checks outside the lock: refusals never wait for the write lock.
    _refuse_if_already_applied(cohort.pk, email)
    unlocked = Cohort.objects.select_related("program__level__prerequisite").get(pk=cohort.pk)
    errors = _eligibility_errors(cohort=unlocked, date_of_birth=date_of_birth, **certification)
    if errors:
        raise EligibilityError(errors)

    with transaction.atomic():
        cohort = _lock_cohort(cohort.pk)
        # Re-checked under the lock: the deadline or the cohort's state may have changed meanwhile.
        errors = _eligibility_errors(cohort=cohort, date_of_birth=date_of_birth, **certification)
        if errors:
            raise EligibilityError(errors)
        # And the same person's form sent twice at once: the second waits for the lock, then finds the first.
        duplicate = live_application_for(cohort_id=cohort.pk, email=email)
        if duplicate is None:
            application = _application_create(
                cohort=cohort,
                details={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": email,
                    "phone": phone,
                    "date_of_birth": date_of_birth,
                    "address_line1": address_line1,
                    "address_line2": address_line2,
                    "city": city,
                    "state": state,
                    "postal_code": postal_code,
                    "consent_data_processing": consent_data_processing,
                    "consent_sms": consent_sms,
                    **certification,
                },
                notify=notify,
                by=by,
            )
    if duplicate is not None:
        _refuse_if_already_applied(cohort.pk, email)
    return application


def _refuse_if_already_applied(cohort_id: int, email: str) -> None:
    """Raise AlreadyApplied when the address has a live application to the cohort, after e-mailing its
    details to that address again (once within a few minutes, however often the form is sent)."""
    existing = live_application_for(cohort_id=cohort_id, email=email)
    if existing is not None:
        with transaction.atomic():
            outbox.email_queue_again(Mail.APPLICATION_CONFIRMATION, application=existing)
        logger.info(
            "Application %s: the same address applied again; details e-mailed again", existing.reference
        )
        raise AlreadyApplied(existing)


def _application_create(*, cohort: Cohort, details: dict, notify: bool, by) -> Application:
    """Write the application with a seat while seats are left, else the next waitlist place, with its
    history and its e-mails. The cohort must be locked by the caller."""
    if _accepted_count(cohort) < cohort.capacity:
        status, position = Status.ACCEPTED, None
    else:
        status, position = Status.WAITLISTED, _next_waitlist_position(cohort)
    application = Application(
        reference=_new_reference(),
        cohort=cohort,
        status=status,
        waitlist_position=position,
        **{name: value.strip() if isinstance(value, str) else value for name, value in details.items()},
    )
    try:
        # Field values only: the rules across rows were checked above under the lock, and the
        # database's constraints stand behind them (validating them here costs a query each).
        application.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise EligibilityError(_errors_from_validation(error)) from error
    # Under the lock nobody else can take the seat or the address meanwhile; the database's constraints
    # stand behind that as the last line of defence.
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        actor=by,
        kind=Event.SUBMITTED,
        description=f"Applied to {cohort.code}: {_status_label(status, position)}",
        changes={"status": [None, status], "waitlist_position": [None, position]},
    )
    logger.info(
        "Application %s to cohort %s: %s%s%s",
        application.reference,
        cohort.code,
        status,
        f" #{position}" if position else "",
        f" (entered by user {by.pk})" if by is not None else "",
    )
    if notify:
        outbox.email_queue(Mail.APPLICATION_CONFIRMATION, application=application)
        outbox.email_queue(Mail.ADMISSIONS_NOTICE, application=application)
    return application


def waitlist_promote(*, cohort: Cohort, notify: bool = True, by=None) -> list[Application]:
    """Offer every free seat of the cohort to the first people on its waitlist, renumbering the rest.
    The services call it whenever a seat may have been freed; the admin calls it after a capacity change."""
    with transaction.atomic():
        cohort = _lock_cohort(cohort.pk)
        promoted = _promote(cohort, by=by)
        if notify:
            for application in promoted:
                outbox.email_queue(Mail.PROMOTION, application=application)
    return promoted


def _release(
    *, application: Application, status: str, verb: str, notify: bool, message: str, by
) -> Application:
    with transaction.atomic():
        cohort = _lock_cohort(application.cohort_id)
        application = _reread(application)
        if not application.is_live:
            raise ApplicationStateError.at(
                "status",
                f"{application.reference} is {application.get_status_display().lower()}; only an application "
                f"with a seat or a waitlist place can be {verb}.",
            )
        was_waitlisted = application.status == Status.WAITLISTED
        _set_status(application, status, by=by, details=_notice_details(notify, message))
        if was_waitlisted:
            _renumber_waitlist(cohort, by=by)
        promoted = _promote(cohort, by=by)
        if notify:
            _status_mail(application, status, message)
            for other in promoted:
                outbox.email_queue(Mail.PROMOTION, application=other)
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
        cohort = _lock_cohort(application.cohort_id)
        application = _reread(application)
        if application.status == Status.ACCEPTED:
            raise ApplicationStateError.at("status", f"{application.reference} already has a seat.")
        if not application.is_live and _other_live_application_exists(application):
            raise ApplicationStateError.at(
                "email", f"The same e-mail address already has another live application to {cohort.code}."
            )
        if _accepted_count(cohort) >= cohort.capacity:
            raise ApplicationStateError.at(
                "status",
                f"No seat is free in {cohort.code}: all {cohort.capacity} seats are taken. Withdraw or decline "
                f"an accepted applicant first, or raise the cohort's capacity.",
            )
        was_waitlisted = application.status == Status.WAITLISTED
        _set_status(application, Status.ACCEPTED, by=by, details=_notice_details(notify, message))
        if was_waitlisted:
            _renumber_waitlist(cohort, by=by)
        if notify:
            _status_mail(application, Status.ACCEPTED, message)
    return application


def application_waitlist(
    *, application: Application, notify: bool = True, message: str = "", by=None
) -> Application:
    """Admissions moves an applicant to the end of the waitlist (from a seat, from further up the
    waitlist, or back from withdrawn or declined). A seat freed this way goes to the first on the waitlist."""
    with transaction.atomic():
        cohort = _lock_cohort(application.cohort_id)
        application = _reread(application)
        others_waiting = (
            cohort.applications.filter(status=Status.WAITLISTED).exclude(pk=application.pk).exists()
        )
        if application.status == Status.WAITLISTED and not others_waiting:
            raise ApplicationStateError.at(
                "status", f"{application.reference} is already the only one on the waitlist."
            )
        if application.status == Status.ACCEPTED and not others_waiting:
            raise ApplicationStateError.at(
                "status",
                f"Nobody else is on the waitlist of {cohort.code}, so {application.reference} would get the seat "
                "straight back. To free the seat, decline or withdraw the application instead.",
            )
        if not application.is_live and _other_live_application_exists(application):
            raise ApplicationStateError.at(
                "email", f"The same e-mail address already has another live application to {cohort.code}."
            )
        was_waitlisted = application.status == Status.WAITLISTED
        _set_status(
            application,
            Status.WAITLISTED,
            position=_next_waitlist_position(cohort),
            by=by,
            details=_notice_details(notify, message),
        )
        if was_waitlisted:
            _renumber_waitlist(cohort, by=by)
        promoted = _promote(cohort, by=by)
        application.refresh_from_db(fields=["status", "waitlist_position", "updated_at"])
        if notify:
            _status_mail(application, application.status, message)
            for other in promoted:
                if other.pk != application.pk:
                    outbox.email_queue(Mail.PROMOTION, application=other)
    return application


def enquiry_submit(
    *,
    name: str,
    email: str,
    message: str,
    preferred_contact: str = Enquiry.ContactMethod.EMAIL,
    phone: str = "",
    program: Program | None = None,
    notify: bool = True,
) -> Enquiry:
    """Store a question from the contact form; admissions and the enquirer are e-mailed after commit."""
    enquiry = Enquiry(
        name=name.strip(),
        email=normalize_email(email),
        phone=phone.strip(),
        program=program,
        message=message.strip(),
        preferred_contact=preferred_contact,
    )
    try:
        enquiry.full_clean()
    except ValidationError as error:
        raise EligibilityError(_errors_from_validation(error)) from error
    with transaction.atomic():
        enquiry.save()
        logger.info("Enquiry #%s received", enquiry.pk)
        if notify:
            outbox.email_queue(Mail.ENQUIRY_ACKNOWLEDGEMENT, enquiry=enquiry)
            outbox.email_queue(Mail.ENQUIRY_NOTICE, enquiry=enquiry)
    return enquiry


# Staff-side services: notes, assignment, edits of an application's details, export records.

# What the admin may change on an application; seats and references belong to the workflows above.
NOT_EDITABLE = frozenset({"reference", "cohort", "status", "waitlist_position", "submitted_at", "updated_at"})


def _plain(value):
    """A value as the history keeps it (JSON): users by name, dates as ISO strings, objects as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "get_username"):
        return value.get_full_name() or value.get_username()
    if isinstance(value, Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _staff_name(user) -> str:
    return _plain(user) if user is not None else "nobody"


def application_update(*, application: Application, fields: Iterable[str], by=None) -> Application:
    """Save staff edits of `fields` (already set on `application`, e.g. by an admin form) and record in
    the history what changed, from what to what. Status, waitlist position, cohort and reference change
    only through the workflows above: naming them here is a programming error."""
    fields = list(dict.fromkeys(fields))
    forbidden = NOT_EDITABLE.intersection(fields)
    if forbidden:
        raise ValueError(f"{', '.join(sorted(forbidden))} cannot be edited; use the enrollment services.")
    with transaction.atomic():
        before = Application.objects.get(pk=application.pk)
        changes = {}
        for name in fields:
            field = Application._meta.get_field(name)
            old, new = getattr(before, field.name), getattr(application, field.name)
            if old != new:
                changes[name] = [_plain(old), _plain(new)]
        if not changes:
            return application
        application.save(update_fields=[*changes, "updated_at"])
        if list(changes) == ["assigned_to"]:
            kind = Event.ASSIGNED
            description = f"Assigned to {_staff_name(application.assigned_to)}"
        else:
            kind = Event.EDITED
            labels = [str(Application._meta.get_field(name).verbose_name) for name in changes]
            description = f"Changed {', '.join(labels)}"
        ApplicationEvent.objects.create(
            application=application, actor=by, kind=kind, description=description[:300], changes=changes
        )
    logger.info(
        "Application %s edited (%s) by user %s", application.reference, ", ".join(changes), by and by.pk
    )
    return application


def application_assign(*, application: Application, to, by=None) -> Application:
    """Make `to` (a staff user, or None) the person in charge of the application."""
    application.assigned_to = to
    return application_update(application=application, fields=["assigned_to"], by=by)


def application_note_add(*, application: Application, text: str, by) -> ApplicationNote:
    """Add a staff note; its author and time are recorded, and the history says a note was added."""
    with transaction.atomic():
        note = _note_save(
            ApplicationNote(application=application, author=by, text=text), ApplicationStateError
        )
        ApplicationEvent.objects.create(
            application=application, actor=by, kind=Event.NOTE, description="Note added"
        )
    return note


def _note_save(note: StaffNote, refusal=EnrollmentError) -> StaffNote:
    note.text = note.text.strip()
    if not note.text:
        raise refusal.at("text", "Write the note before saving it.")
    note.full_clean(exclude=["application", "enquiry", "author"])
    note.save()
    return note


def application_export_record(*, applications: Iterable[Application], by) -> None:
    """Record in each application's history that someone exported the personal data stored with it."""
    now = timezone.now()
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(
            application=application,
            at=now,
            actor=by,
            kind=Event.EXPORTED,
            description="Everything stored about the applicant was exported",
        )
        for application in applications
    )


def enquiry_note_add(*, enquiry: Enquiry, text: str, by) -> EnquiryNote:
    """Add a staff note to an enquiry (what was said on the phone, what to do next), with its author."""
    note = _note_save(EnquiryNote(enquiry=enquiry, author=by, text=text))
    logger.info("Enquiry #%s: note added by user %s", enquiry.pk, by and by.pk)
    return note


def enquiry_assign(*, enquiry: Enquiry, to, by=None) -> Enquiry:
    """Make `to` (a staff user, or None) the person who answers the enquiry."""
    if enquiry.assigned_to_id != (to and to.pk):
        enquiry.assigned_to = to
        enquiry.save(update_fields=["assigned_to", "updated_at"])
        logger.info("Enquiry #%s assigned to user %s by user %s", enquiry.pk, to and to.pk, by and by.pk)
    return enquiry


def enquiry_set_status(*, enquiry: Enquiry, status: str, by=None) -> Enquiry:
    """Mark an enquiry new, answered or closed."""
    if status not in Enquiry.Status.values:
        raise ValueError(f"Unknown enquiry status {status!r}.")
    if enquiry.status != status:
        enquiry.status = status
        enquiry.save(update_fields=["status", "updated_at"])
        logger.info("Enquiry #%s: %s%s", enquiry.pk, status, f" (by user {by.pk})" if by is not None else "")
    return enquiry
