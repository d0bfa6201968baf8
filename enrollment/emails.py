"""The e-mails of the enrollment app: what each kind of EmailNotification says, as a text part and an HTML part
from one template source (templates/enrollment/emails/<template>.html). The outbox (enrollment/outbox.py) sends
what `build` returns; the admin previews what `build` returns for an unsaved notification, so that what staff
see is what is sent.

A kind is one template and one entry of KINDS (docs/architecture.md, "Adding a kind of e-mail")."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from enrollment.access import applicant_page_link
from enrollment.models import (
    SEAT_STATUSES,
    Application,
    ApplicationEvent,
    ChecklistItem,
    EmailNotification,
    Enquiry,
    EnquiryReply,
    Program,
)

Kind = EmailNotification.Kind
Status = Application.Status

ADULT_AGE = 18
# Who withdrew an application (payload["withdrawn_by"] of a status change to "withdrawn").
WITHDRAWN_BY = ("applicant", "admissions")
HTML = "email_html"  # the templates' flag: True while the HTML part renders (templatetags/email_blocks.py)


def one_line(text: str) -> str:
    """A header value: any run of whitespace or control characters (a line break in a program's name,
    a tab) becomes one space, so that no header can be split or refused."""
    return " ".join("".join(" " if not char.isprintable() else char for char in text).split())


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _school_context() -> dict:
    school = settings.SCHOOL
    return {
        "school": school,
        "site_url": settings.SITE_URL,
        "admissions_mailto": f"mailto:{school['ADMISSIONS_EMAIL']}",
        "phone_url": "tel:" + "".join(char for char in school["PHONE"] if char.isdigit() or char == "+"),
        "apply_url": _absolute(reverse("enrollment:apply-start")),
        "contact_url": _absolute(reverse("enrollment:contact")),
    }


def age_on(day: date, date_of_birth: date) -> int:
    """Whole years of age on `day`."""
    birthday_passed = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if birthday_passed else 1)


def requirements(program: Program, application: Application) -> list[str]:
    """What the program requires of this person, in the words the e-mails use: the minimum age, the
    prerequisite certification, the program's own admission requirements, and a parent's or guardian's
    signature when the person is under 18 on the first day of a course that admits people that young."""
    items = []
    minimum_age = program.required_minimum_age
    if minimum_age:
        items.append(f"You must be at least {minimum_age} years old on the first day of the course.")
    if program.level.prerequisite:
        items.append(
            f"Current {program.level.prerequisite.name} certification or state license, still valid after "
            "the first day of the course."
        )
    items += program.requirements_list
    start = application.cohort.start_date
    if (minimum_age is None or minimum_age < ADULT_AGE) and age_on(
        start, application.date_of_birth
    ) < ADULT_AGE:
        items.append(
            "A parent's or guardian's signature on your enrollment papers: you will be under 18 on the "
            "first day of the course."
        )
    return items


def _application_context(notification: EmailNotification) -> dict:
    application = notification.application
    cohort = application.cohort
    program = cohort.program
    return {
        "application": application,
        "cohort": cohort,
        "program": program,
        "reference": application.reference,
        "requirements": requirements(program, application),
        "total_cost": program.total_cost,
        "program_url": _absolute(program.get_absolute_url()),
        "again": bool(notification.payload.get("again")),
        # Every e-mail about an application opens the applicant's own page (a signed link, enrollment.access).
        "page_url": applicant_page_link(application),
        "hold_until": application.hold_until,
        # An offer's deadline as the offer e-mail gave it (kept in the payload), else the application's now.
        "offer_expires_at": _moment(notification.payload.get("offer_expires_at"))
        or application.offer_expires_at,
    }


def _moment(value: str | None):
    return parse_datetime(value) if value else None


def _previous_status(notification: EmailNotification, status: str) -> str | None:
    """The status the change started from: the payload's "previous"; for a preview (an unsaved
    notification, before the change) the application's status now; else the history's record of the
    change that led to `status`, if it is the latest before the e-mail was owed."""
    if "previous" in notification.payload:
        return notification.payload["previous"]
    application = notification.application
    if notification.pk is None:
        return application.status
    event = application.events.filter(
        kind=ApplicationEvent.Kind.STATUS, at__lte=notification.created_at
    ).first()
    if event is None:
        return None
    before, after = (event.changes.get("status") or [None, None])[:2]
    return before if after == status else None


def _status_change_context(notification: EmailNotification) -> dict:
    """A status change made by admissions. Payload: "status" (the status the change produced), "message"
    (a personal note from staff, maybe empty) and, optional: "previous" (the status before), "position"
    (the waitlist place the change gave), "withdrawn_by" ("applicant", the default, or "admissions")."""
    application, payload = notification.application, notification.payload
    status = payload.get("status", application.status)
    if status not in Status.values:
        raise ValueError(f"No status e-mail for {status!r}.")
    position = payload.get("position")
    if position is None and status == application.status == Status.WAITLISTED and notification.pk is not None:
        # The place now (people ahead may have left since the change); a preview has no place yet.
        position = application.waitlist_position
    withdrawn_by = payload.get("withdrawn_by", "applicant")
    if withdrawn_by not in WITHDRAWN_BY:
        raise ValueError(f"Withdrawn by {withdrawn_by!r}: say {' or '.join(WITHDRAWN_BY)}.")
    previous = _previous_status(notification, status)
    return {
        **_application_context(notification),
        "status": status,
        "previous": previous,
        "had_seat": previous in SEAT_STATUSES,
        "position": position,
        "withdrawn_by": withdrawn_by,
        "staff_message": payload.get("message", ""),
    }


def _checklist_context(notification: EmailNotification) -> dict:
    """An application's checklist: what is still to send or to fix (a reminder), or the item just checked."""
    application = notification.application
    items = list(application.checklist.select_related("requirement"))
    checked = next((item for item in items if item.pk == notification.payload.get("item")), None)
    return {
        **_application_context(notification),
        "to_do": [item for item in items if item.state != ChecklistItem.State.VERIFIED],
        "item": checked,
    }


def _moved_context(notification: EmailNotification) -> dict:
    return {**_application_context(notification), "moved_from": notification.payload.get("from", "")}


def _hold_overdue_context(notification: EmailNotification) -> dict:
    return {**_checklist_context(notification), **_admissions_notice_context(notification)}


def _admissions_notice_context(notification: EmailNotification) -> dict:
    application = notification.application
    return {
        "application": application,
        "cohort": application.cohort,
        "program": application.cohort.program,
        "admin_url": _absolute(reverse("admin:enrollment_application_change", args=[application.pk])),
    }


def enquiry_reference(enquiry: Enquiry) -> str:
    return f"Enquiry #{enquiry.pk}"


def _enquiry_context(notification: EmailNotification) -> dict:
    enquiry = notification.enquiry
    return {"enquiry": enquiry, "reference": enquiry_reference(enquiry)}


def _enquiry_notice_context(notification: EmailNotification) -> dict:
    enquiry = notification.enquiry
    return {
        **_enquiry_context(notification),
        "admin_url": _absolute(reverse("admin:enrollment_enquiry_change", args=[enquiry.pk])),
    }


def paragraphs(text: str) -> list[str]:
    """A text as typed, split into its paragraphs at blank lines (the lines inside one are kept)."""
    return [part.strip("\n") for part in re.split(r"\n[^\S\n]*\n", text) if part.strip()]


def _enquiry_reply_context(notification: EmailNotification) -> dict:
    """An answer from admissions (payload "reply": the EnquiryReply, whose text is the answer as sent)."""
    enquiry = notification.enquiry
    reply = EnquiryReply.objects.filter(pk=notification.payload.get("reply"), enquiry=enquiry).first()
    if reply is None:
        raise ValueError(f"No answer {notification.payload.get('reply')!r} to {enquiry_reference(enquiry)}.")
    return {**_enquiry_context(notification), "reply": reply, "paragraphs": paragraphs(reply.body)}


@dataclass(frozen=True)
class EmailKind:
    """How one kind of e-mail is made. `template`: its source under templates/enrollment/emails/, without
    ".html"; it may name a value of the context ("status_{status}"). `context`: what the template needs,
    from the notification. `staff_notice`: to the admissions inbox, marked as sent automatically.
    `from_admissions`: written by a person of admissions, so sent from the admissions address."""

    template: str
    context: Callable[[EmailNotification], dict]
    staff_notice: bool = False
    from_admissions: bool = False


KINDS: dict[str, EmailKind] = {
    Kind.APPLICATION_CONFIRMATION: EmailKind("application_confirmation", _application_context),
    Kind.ADMISSIONS_NOTICE: EmailKind("admissions_notice", _admissions_notice_context, staff_notice=True),
    Kind.PROMOTION: EmailKind("promotion", _application_context),
    Kind.OFFER_EXPIRED: EmailKind("offer_expired", _application_context),
    Kind.DOCUMENTS_REMINDER: EmailKind("documents_reminder", _checklist_context),
    Kind.HOLD_OVERDUE: EmailKind("hold_overdue", _hold_overdue_context, staff_notice=True),
    Kind.CHECKLIST_UPDATE: EmailKind("checklist_update", _checklist_context),
    Kind.APPLICANT_LINK: EmailKind("applicant_link", _application_context),
    Kind.MOVED: EmailKind("moved", _moved_context),
    Kind.STATUS_CHANGE: EmailKind("status_{status}", _status_change_context),
    Kind.ENQUIRY_ACKNOWLEDGEMENT: EmailKind("enquiry_acknowledgement", _enquiry_context),
    Kind.ENQUIRY_NOTICE: EmailKind("enquiry_notice", _enquiry_notice_context, staff_notice=True),
    Kind.ENQUIRY_REPLY: EmailKind("enquiry_reply", _enquiry_reply_context, from_admissions=True),
}


def _render(template, context: dict, *, layout: str, html: bool) -> str:
    values = {**context, "layout": f"enrollment/emails/{layout}", HTML: html}
    return template.template.render(Context(values, autoescape=html))


def _tidy_text(text: str) -> str:
    """The text part as a plain str (never a safe string: it holds what people typed, unescaped), with
    no spaces at the ends of lines and one blank line at most between blocks."""
    lines = "\n".join(line.rstrip() for line in str.splitlines(text))
    return re.sub(r"\n{3,}", "\n\n", lines).strip("\n") + "\n"


def _recipient(notification: EmailNotification, kind: EmailKind) -> str:
    if kind.staff_notice:
        return settings.SCHOOL["ADMISSIONS_EMAIL"]
    return (notification.application or notification.enquiry).email


def _subject_and_text(template, values: dict) -> tuple[str, str]:
    """The subject and the text part (`values` gains the subject, which the layouts show)."""
    subject = one_line(_render(template, values, layout="_subject.txt", html=False))
    values["subject"] = subject
    return subject, _tidy_text(_render(template, values, layout="_layout.txt", html=False))


def compose(
    template_name: str,
    context: dict,
    *,
    to: list[str],
    from_email: str | None = None,
    headers: dict | None = None,
):
    """One e-mail from one template (which extends the layouts of enrollment/emails/): its subject, a text part
    and an HTML part, with the school's details in the context, rendered in the school's time zone and
    language whoever renders it. Other apps' e-mails (info sessions) are composed here too."""
    with timezone.override(settings.TIME_ZONE), translation.override(settings.LANGUAGE_CODE):
        values = {**_school_context(), **context}
        template = get_template(template_name)
        subject, text = _subject_and_text(template, values)
        html = _render(template, values, layout="_layout.html", html=True)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[settings.SCHOOL["ADMISSIONS_EMAIL"]],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def build_text(notification: EmailNotification) -> Text:
    """The subject and text part of the e-mail `build` makes, and nothing else: what the applicant's page
    shows of the latest message. The HTML part (the larger render, with its layout and styles) is left out."""
    kind = KINDS.get(notification.kind)
    if kind is None:
        raise ValueError(f"No e-mail of kind {notification.kind!r}.")
    with timezone.override(settings.TIME_ZONE), translation.override(settings.LANGUAGE_CODE):
        context = kind.context(notification)
        template = get_template(f"enrollment/emails/{kind.template.format(**context)}.html")
        subject, body = _subject_and_text(template, {**_school_context(), **context})
    return Text(subject, body)


def build(notification: EmailNotification) -> EmailMultiAlternatives:
    """The e-mail an EmailNotification owes, from its kind, its record and its payload: a text part and an
    HTML part, ready to send. The notification need not be saved: an unsaved one is a preview of exactly
    what would be sent. Dates and times are the school's (settings.TIME_ZONE), whoever renders it."""
    kind = KINDS.get(notification.kind)
    if kind is None:
        raise ValueError(f"No e-mail of kind {notification.kind!r}.")
    with timezone.override(settings.TIME_ZONE), translation.override(settings.LANGUAGE_CODE):
        context = kind.context(notification)
    admissions = settings.SCHOOL["ADMISSIONS_EMAIL"]
    return compose(
        f"enrollment/emails/{kind.template.format(**context)}.html",
        context,
        from_email=(
            formataddr((f"{one_line(settings.SCHOOL['NAME'])} Admissions", admissions))
            if kind.from_admissions
            else None
        ),
        to=[_recipient(notification, kind)],
        # Staff notices are automatic: an out-of-office reply to one must not start a loop (RFC 3834).
        headers={"Auto-Submitted": "auto-generated"} if kind.staff_notice else None,
    )
