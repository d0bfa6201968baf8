"""What people send: an application to a start (a seat while seats are left, else the next waitlist place)
and a question. Each is stored, with the e-mails it owes, in one transaction."""

import secrets
import unicodedata

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from enrollment import eligibility, outbox
from enrollment.eligibility import ApplicantDetails
from enrollment.models import (
    Application,
    ApplicationEvent,
    Cohort,
    EmailNotification,
    Enquiry,
    EnquiryEvent,
    Program,
)
from enrollment.services import history
from enrollment.services.checklist import checklist_sync
from enrollment.services.errors import AlreadyApplied, EligibilityError
from enrollment.services.locking import lock_cohort
from enrollment.services.seats import (
    hold_deadline,
    live_application_for,
    next_waitlist_position,
    seat_elsewhere_in_program,
    seats,
    status_label,
)
from sitetools import pagecache
from sitetools.sources import NO_SOURCE, Source

Status = Application.Status
Mail = EmailNotification.Kind

# No 0/O, 1/I/L: a reference is read out on the phone and copied from e-mails.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and by meaning: stored in lower case, with width
    variants read as what they are (NFKC: a full-width ｅｘａｍｐｌｅ.org is example.org)."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def errors_from_validation(error: ValidationError) -> list[tuple[str | None, str]]:
    if not hasattr(error, "error_dict"):
        return [(None, message) for message in error.messages]
    return [
        (None if field == NON_FIELD_ERRORS else field, message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


def _new_reference() -> str:
    for _ in range(20):
        reference = "EMS-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if not Application.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free application reference.")  # 31**6 references: never in practice


def application_submit(
    *,
    cohort: Cohort,
    details: ApplicantDetails,
    notify: bool = True,
    by=None,
    source: Source = NO_SOURCE,
) -> Application:
    """Apply to a cohort: a seat while seats are left, else the next waitlist place. Raises
    EligibilityError (with every reason, each at its field) when the application is refused, and
    AlreadyApplied when the address already has a live application to the start. The applicant and
    admissions are e-mailed (through the outbox) when `notify` is true. `source`: where the person came
    from (the public form's; staff entering a phone call leave it empty)."""
    details = ApplicantDetails(**{**details.as_fields(), "email": normalize_email(details.email)})
    # Cheap first checks outside the lock: refusals never wait for the write lock.
    _refuse_if_already_applied(cohort.pk, details.email)
    unlocked = Cohort.objects.select_related("program__level__prerequisite").get(pk=cohort.pk)
    if errors := eligibility.errors(unlocked, details):
        raise EligibilityError(errors)

    with transaction.atomic():
        cohort = lock_cohort(cohort.pk)
        # Re-checked under the lock: the deadline or the cohort's state may have changed meanwhile.
        if errors := eligibility.errors(cohort, details):
            raise EligibilityError(errors)
        # A program that allows one seat per person: a seat in another of its starts.
        if elsewhere := seat_elsewhere_in_program(cohort=cohort, email=details.email):
            raise EligibilityError.at(
                "email",
                f"You already have a seat on the {elsewhere.cohort.start_date:%-d %B %Y} start of this course "
                f"({elsewhere.reference}), and it takes one seat per person. To change start, write to us.",
            )
        # And the same person's form sent twice at once: the second waits for the lock, then finds the first.
        duplicate = live_application_for(cohort_id=cohort.pk, email=details.email)
        if duplicate is None:
            application = _application_create(
                cohort=cohort, details=details, notify=notify, by=by, source=source
            )
    if duplicate is not None:
        _refuse_if_already_applied(cohort.pk, details.email)
    return application


def _refuse_if_already_applied(cohort_id: int, email: str) -> None:
    """Raise AlreadyApplied when the address has a live application to the cohort, after e-mailing its
    details to that address again (once within a few minutes, however often the form is sent)."""
    existing = live_application_for(cohort_id=cohort_id, email=email)
    if existing is not None:
        with transaction.atomic():
            outbox.email_queue_again(Mail.APPLICATION_CONFIRMATION, application=existing)
        history.log(
            "Application %s: the same address applied again; details e-mailed again", existing.reference
        )
        raise AlreadyApplied(existing)


def _application_create(
    *, cohort: Cohort, details: ApplicantDetails, notify: bool, by, source: Source
) -> Application:
    """Write the application with a held seat while seats are left (its documents due by hold_deadline),
    else the next waitlist place, with its checklist, history and e-mails. The cohort must be locked by the
    caller."""
    if seats(cohort).left > 0:
        status, position = Status.HELD, None
    else:
        status, position = Status.WAITLISTED, next_waitlist_position(cohort)
    application = Application(
        reference=_new_reference(),
        cohort=cohort,
        status=status,
        waitlist_position=position,
        hold_until=hold_deadline(cohort) if status == Status.HELD else None,
        **details.as_fields(),
        **source.as_fields(),
    )
    try:
        # Field values only: the rules across rows were checked above under the lock, and the
        # database's constraints stand behind them (validating them here costs a query each).
        application.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise EligibilityError(errors_from_validation(error)) from error
    application.save()
    pagecache.invalidate_on_commit(pagecache.SEATS)  # seats left, people waiting
    history.add_event(
        application=application,
        actor=by,
        kind=ApplicationEvent.Kind.SUBMITTED,
        description=f"{'Entered by staff for the applicant: applied' if by is not None else 'Applied'} to "
        f"{cohort.code}: {status_label(status, position)}",
        changes={"status": [None, status], "waitlist_position": [None, position]},
    )
    history.log(
        "Application %s to cohort %s: %s%s%s",
        application.reference,
        cohort.code,
        status,
        f" #{position}" if position else "",
        f" (entered by user {by.pk})" if by is not None else "",
    )
    checklist_sync(application)
    if notify:
        history.mail(Mail.APPLICATION_CONFIRMATION, application=application)
        history.mail(Mail.ADMISSIONS_NOTICE, application=application)
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
    source: Source = NO_SOURCE,
) -> Enquiry:
    """Store a question from the contact form, with where the person came from; admissions and the
    enquirer are e-mailed."""
    enquiry = Enquiry(
        **source.as_fields(),
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
        raise EligibilityError(errors_from_validation(error)) from error
    with transaction.atomic():
        enquiry.save()
        history.add_enquiry_event(
            enquiry=enquiry,
            at=enquiry.submitted_at,
            kind=EnquiryEvent.Kind.RECEIVED,
            description="Received through the contact form",
        )
        history.log("Enquiry #%s received", enquiry.pk)
        if notify:
            history.mail(Mail.ENQUIRY_ACKNOWLEDGEMENT, enquiry=enquiry)
            history.mail(Mail.ENQUIRY_NOTICE, enquiry=enquiry)
    return enquiry
