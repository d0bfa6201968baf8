"""What staff do around applications that does not move seats: notes, assignment, edits of an applicant's
details, export records. Each change is written to the application's history in the same transaction.
(Enquiries: enrollment/services/inbox.py.)"""

from collections.abc import Iterable

from django.db import transaction

from enrollment.models import Application, ApplicationEvent, ApplicationNote, StaffNote
from enrollment.services import history
from enrollment.services.errors import ApplicationStateError, EnrollmentError

Event = ApplicationEvent.Kind

# What the admin may change on an application; seats and references belong to the seat workflows.
NOT_EDITABLE = frozenset({"reference", "cohort", "status", "waitlist_position", "submitted_at", "updated_at"})


def application_update(*, application: Application, fields: Iterable[str], by=None) -> Application:
    """Save staff edits of `fields` (already set on `application`, e.g. by an admin form) and record in
    the history what changed, from what to what. Status, waitlist position, cohort and reference change
    only through the seat workflows: naming them here is a programming error."""
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
                changes[name] = [history.plain(old), history.plain(new)]
        if not changes:
            return application
        application.save(update_fields=[*changes, "updated_at"])
        if list(changes) == ["assigned_to"]:
            kind = Event.ASSIGNED
            description = f"Assigned to {history.staff_name(application.assigned_to)}"
        else:
            kind = Event.EDITED
            labels = [str(Application._meta.get_field(name).verbose_name) for name in changes]
            description = f"Changed {', '.join(labels)}"
        history.add_event(
            application=application, actor=by, kind=kind, description=description[:300], changes=changes
        )
    history.log(
        "Application %s edited (%s) by user %s", application.reference, ", ".join(changes), by and by.pk
    )
    return application


def application_assign(*, application: Application, to, by=None) -> Application:
    """Make `to` (a staff user, or None) the person in charge of the application."""
    application.assigned_to = to
    return application_update(application=application, fields=["assigned_to"], by=by)


def note_save(note: StaffNote, refusal=EnrollmentError) -> StaffNote:
    note.text = note.text.strip()
    if not note.text:
        raise refusal.at("text", "Write the note before saving it.")
    note.full_clean(exclude=["application", "enquiry", "author"])
    note.save()
    return note


def application_note_add(*, application: Application, text: str, by) -> ApplicationNote:
    """Add a staff note; its author and time are recorded, and the history says a note was added."""
    with transaction.atomic():
        note = note_save(
            ApplicationNote(application=application, author=by, text=text), ApplicationStateError
        )
        history.add_event(application=application, actor=by, kind=Event.NOTE, description="Note added")
    return note


def application_export_record(*, applications: Iterable[Application], by) -> None:
    """Record in each application's history that someone exported the personal data stored with it."""
    history.add_exported(
        applications, by=by, description="Everything stored about the applicant was exported"
    )
