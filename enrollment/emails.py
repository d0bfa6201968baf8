"""The e-mails of the enrollment app, built from plain-text templates in templates/enrollment/emails/.
Each kind of EmailNotification has one builder here (`build`); they are sent by the outbox
(enrollment/outbox.py), never from a request directly."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from enrollment.models import Application, EmailNotification


def _context(**extra):
    return {"school": settings.SCHOOL, "site_url": settings.SITE_URL, **extra}


def _message(subject: str, template: str, to: list[str], context: dict, *, reply_to=None) -> EmailMessage:
    body = render_to_string(f"enrollment/emails/{template}", _context(**context))
    return EmailMessage(
        subject=one_line(subject),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or [settings.SCHOOL["ADMISSIONS_EMAIL"]],
    )


def one_line(text: str) -> str:
    """A header value: any run of whitespace or control characters (a line break in a program's name,
    a tab) becomes one space, so that no header can be split or refused."""
    return " ".join("".join(" " if not char.isprintable() else char for char in text).split())


def _admin_url(name: str, pk: int) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=[pk])}"


def application_confirmation(application: Application, *, again: bool = False) -> EmailMessage:
    """The applicant's confirmation; `again` when the same address sent the form again and this repeats
    the details of the application that is in."""
    if application.status == Application.Status.ACCEPTED:
        outcome = "you have a seat"
    else:
        outcome = f"you are number {application.waitlist_position} on the waitlist"
    return _message(
        f"Your application {application.reference}: {outcome}",
        "application_confirmation.txt",
        [application.email],
        {
            "application": application,
            "cohort": application.cohort,
            "program": application.cohort.program,
            "again": again,
        },
    )


def admissions_notice(application: Application) -> EmailMessage:
    """To the admissions inbox: the reference and a link to the admin, not the person's details."""
    return _message(
        f"New application {application.reference} to {application.cohort.code} ({application.get_status_display()})",
        "admissions_notice.txt",
        [settings.SCHOOL["ADMISSIONS_EMAIL"]],
        {
            "application": application,
            "cohort": application.cohort,
            "program": application.cohort.program,
            "admin_url": _admin_url("admin:enrollment_application_change", application.pk),
        },
        reply_to=[settings.SCHOOL["ADMISSIONS_EMAIL"]],
    )


def promotion_notice(application: Application) -> EmailMessage:
    return _message(
        f"A seat is yours: application {application.reference}",
        "promotion_notice.txt",
        [application.email],
        {"application": application, "cohort": application.cohort, "program": application.cohort.program},
    )


STATUS_SUBJECTS = {
    Application.Status.ACCEPTED: "a seat is yours",
    Application.Status.WAITLISTED: "your place on the waitlist",
    Application.Status.WITHDRAWN: "withdrawn",
    Application.Status.DECLINED: "a decision on your application",
}


def status_notice(application: Application, status: str, message: str = "") -> EmailMessage:
    """A status change made by admissions, with the note staff wrote for the applicant (if any).
    `status` is the status the change produced (it may have changed again before a worker sends this)."""
    return _message(
        f"Application {application.reference}: {STATUS_SUBJECTS.get(status, 'an update')}",
        "status_notice.txt",
        [application.email],
        {
            "application": application,
            "cohort": application.cohort,
            "program": application.cohort.program,
            "status": status,
            "staff_message": message,
        },
    )


def enquiry_acknowledgement(enquiry) -> EmailMessage:
    return _message(
        f"We received your question: {settings.SCHOOL['NAME']}",
        "enquiry_acknowledgement.txt",
        [enquiry.email],
        {"enquiry": enquiry},
    )


def enquiry_notice(enquiry) -> EmailMessage:
    """To the admissions inbox: that a question is waiting, with a link to it in the admin."""
    return _message(
        f"New enquiry #{enquiry.pk}" + (f" about {enquiry.program.name}" if enquiry.program else ""),
        "enquiry_notice.txt",
        [settings.SCHOOL["ADMISSIONS_EMAIL"]],
        {"enquiry": enquiry, "admin_url": _admin_url("admin:enrollment_enquiry_change", enquiry.pk)},
    )


def build(notification: EmailNotification) -> EmailMessage:
    """The e-mail an EmailNotification owes, from its kind, its record and its payload."""
    Kind = EmailNotification.Kind
    application, enquiry, payload = notification.application, notification.enquiry, notification.payload
    match notification.kind:
        case Kind.APPLICATION_CONFIRMATION:
            return application_confirmation(application, again=payload.get("again", False))
        case Kind.ADMISSIONS_NOTICE:
            return admissions_notice(application)
        case Kind.PROMOTION:
            return promotion_notice(application)
        case Kind.STATUS_CHANGE:
            return status_notice(
                application, payload.get("status", application.status), payload.get("message", "")
            )
        case Kind.ENQUIRY_ACKNOWLEDGEMENT:
            return enquiry_acknowledgement(enquiry)
        case Kind.ENQUIRY_NOTICE:
            return enquiry_notice(enquiry)
    raise ValueError(f"No e-mail of kind {notification.kind!r}.")
