"""Enquiries as an inbox: answers sent from the admin (placeholders filled in, e-mailed through the outbox,
kept as the enquiry's thread), the status, the assignment, staff notes and export records. Each change is
written to the enquiry's history (EnquiryEvent) in the same transaction, one enquiry or many at once."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateformat import format as date_format

from enrollment.models import (
    PLACEHOLDER,
    Cohort,
    EmailNotification,
    Enquiry,
    EnquiryEvent,
    EnquiryNote,
    EnquiryReply,
    placeholders_refusal,
    placeholders_unknown,
)
from enrollment.services import history
from enrollment.services.errors import EnrollmentError
from enrollment.services.staff import note_save
from enrollment.services.submission import errors_from_validation

Event = EnquiryEvent.Kind
Status = Enquiry.Status

# How many starts {next_starts} lists at most.
NEXT_STARTS = 4
NO_PROGRAM = "our courses"
NO_STARTS = "No start is open for applications at the moment: we will write when the next one opens."
REPLIED_MEANWHILE = (
    "Someone answered this enquiry while you were writing: read their answer above before you send yours. "
    "What you wrote is kept below."
)


def _locked(enquiries: Iterable[Enquiry]) -> list[Enquiry]:
    """The enquiries read again and locked for the rest of the transaction, in id order (PostgreSQL; SQLite's
    immediate transactions serialise writers), with who is assigned."""
    ids = sorted({enquiry.pk for enquiry in enquiries})
    return list(
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("assigned_to", "program")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _refreshed(enquiry: Enquiry, *fields: str) -> Enquiry:
    """The caller's copy of an enquiry, saying what the change wrote."""
    enquiry.refresh_from_db(fields=[*fields, "updated_at"])
    return enquiry


def _status_label(status: str) -> str:
    return Status(status).label


# Placeholders


def _next_starts(enquiry: Enquiry) -> str:
    cohorts = Cohort.objects.all()
    if enquiry.program_id is not None:
        cohorts = cohorts.filter(program_id=enquiry.program_id)
    lines = [
        f"- {cohort.program.name} ({cohort.code}): starts {date_format(cohort.start_date, 'F j, Y')}, "
        f"{cohort.schedule}; "
        f"apply by {date_format(cohort.application_deadline, 'F j, Y')}"
        for cohort in cohorts.next_starts(limit=NEXT_STARTS)
    ]
    return "\n".join(lines) or NO_STARTS


def reply_render(*, enquiry: Enquiry, body: str) -> str:
    """An answer as it is sent to the person who asked: each placeholder filled in for them (the admin's
    preview shows what this returns, through enquiry_reply). An unknown placeholder is refused."""
    unknown = placeholders_unknown(body)
    if unknown:
        raise EnrollmentError.at("body", placeholders_refusal(unknown))
    values = {
        "name": lambda: enquiry.name,
        "program": lambda: enquiry.program.name if enquiry.program_id is not None else NO_PROGRAM,
        "next_starts": lambda: _next_starts(enquiry),
    }
    return PLACEHOLDER.sub(lambda match: values[match.group(1)](), body)


# Answers


def enquiry_reply(*, enquiry: Enquiry, body: str, by, replies_seen: int | None = None) -> EnquiryReply:
    """Answer an enquiry by e-mail: the answer (placeholders filled in) is kept in the enquiry's thread with
    who sent it and when, the e-mail is owed through the outbox (sent by the task worker), the enquiry
    becomes Answered and its first answer's time is kept. `replies_seen`: how many answers the sender saw;
    when someone answered since, the answer is refused (EnrollmentError) so that it is not sent blind."""
    body = body.strip()
    if not body:
        raise EnrollmentError.at("body", "Write the answer before sending it.")
    with transaction.atomic():
        (fresh,) = _locked([enquiry])
        if replies_seen is not None and fresh.replies.count() != replies_seen:
            raise EnrollmentError.at(None, REPLIED_MEANWHILE)
        reply = EnquiryReply(enquiry=fresh, author=by, body=reply_render(enquiry=fresh, body=body))
        try:
            reply.full_clean(exclude=["enquiry", "author", "notification"])
        except ValidationError as error:
            raise EnrollmentError(errors_from_validation(error)) from error
        reply.save()
        reply.notification = history.mail(
            EmailNotification.Kind.ENQUIRY_REPLY, enquiry=fresh, payload={"reply": reply.pk}
        )
        reply.save(update_fields=["notification"])
        before = fresh.status
        fresh.status = Status.ANSWERED
        fresh.first_replied_at = fresh.first_replied_at or reply.created_at
        fresh.save(update_fields=["status", "first_replied_at", "updated_at"])
        changes = {"reply": reply.pk}
        description = "Answered by e-mail"
        if before != fresh.status:
            changes["status"] = [before, fresh.status]
            description += f" ({_status_label(before)} → {_status_label(fresh.status)})"
        history.add_enquiry_event(
            enquiry=fresh,
            at=reply.created_at,
            actor=by,
            kind=Event.REPLIED,
            description=description,
            changes=changes,
        )
    _refreshed(enquiry, "status", "first_replied_at")
    history.log("Enquiry #%s answered by e-mail by user %s", enquiry.pk, by and by.pk)
    return reply


# Status, assignment, notes, exports


def _set_status(enquiry: Enquiry, status: str, by) -> bool:
    before = enquiry.status
    if before == status:
        return False
    enquiry.status = status
    enquiry.save(update_fields=["status", "updated_at"])
    history.add_enquiry_event(
        enquiry=enquiry,
        actor=by,
        kind=Event.STATUS,
        description=f"{_status_label(before)} → {_status_label(status)}",
        changes={"status": [before, status]},
    )
    history.log("Enquiry #%s: %s%s", enquiry.pk, status, f" (by user {by.pk})" if by is not None else "")
    return True


def enquiries_set_status(*, enquiries: Iterable[Enquiry], status: str, by=None) -> int:
    """Mark enquiries new, answered or closed, in one transaction; returns how many changed."""
    if status not in Status.values:
        raise ValueError(f"Unknown enquiry status {status!r}.")
    with transaction.atomic():
        return sum(_set_status(fresh, status, by) for fresh in _locked(enquiries))


def enquiry_set_status(*, enquiry: Enquiry, status: str, by=None) -> Enquiry:
    """Mark an enquiry new, answered or closed."""
    enquiries_set_status(enquiries=[enquiry], status=status, by=by)
    return _refreshed(enquiry, "status")


def _assign(enquiry: Enquiry, to, by) -> bool:
    if enquiry.assigned_to_id == (to and to.pk):
        return False
    before = enquiry.assigned_to
    enquiry.assigned_to = to
    enquiry.save(update_fields=["assigned_to", "updated_at"])
    description = f"Assigned to {history.staff_name(to)}" if to is not None else "Unassigned"
    history.add_enquiry_event(
        enquiry=enquiry,
        actor=by,
        kind=Event.ASSIGNED,
        description=description,
        changes={"assigned_to": [history.plain(before), history.plain(to)]},
    )
    history.log("Enquiry #%s assigned to user %s by user %s", enquiry.pk, to and to.pk, by and by.pk)
    return True


def enquiries_assign(*, enquiries: Iterable[Enquiry], to, by=None) -> int:
    """Make `to` (a staff user, or None) the person who answers each enquiry; returns how many changed."""
    with transaction.atomic():
        return sum(_assign(fresh, to, by) for fresh in _locked(enquiries))


def enquiry_assign(*, enquiry: Enquiry, to, by=None) -> Enquiry:
    """Make `to` (a staff user, or None) the person who answers the enquiry."""
    enquiries_assign(enquiries=[enquiry], to=to, by=by)
    return _refreshed(enquiry, "assigned_to")


def enquiry_note_add(*, enquiry: Enquiry, text: str, by) -> EnquiryNote:
    """Add a staff note to an enquiry (what was said on the phone, what to do next), with its author."""
    with transaction.atomic():
        note = note_save(EnquiryNote(enquiry=enquiry, author=by, text=text))
        history.add_enquiry_event(enquiry=enquiry, actor=by, kind=Event.NOTE, description="Note added")
    history.log("Enquiry #%s: note added by user %s", enquiry.pk, by and by.pk)
    return note


def enquiry_export_record(*, enquiries: Iterable[Enquiry], by) -> None:
    """Record in each enquiry's history that someone exported the personal data stored with it."""
    history.add_exported(
        enquiries, by=by, description="Everything stored about the person who asked was exported"
    )
