"""What the workflows share: the history of applications and enquiries (ApplicationEvent, EnquiryEvent), the
e-mails they owe, and the record a preview keeps of both.

A preview (services.preview) runs a change for real inside a transaction that is then rolled back; while it
runs, every history entry and every e-mail the change makes is also kept (`recording`), so that the admin
shows exactly what confirming will do and send, from the same code. A batch of changes keeps the same record
to say afterwards who else it moved (people promoted from the waitlist)."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from enrollment import outbox
from enrollment.models import ApplicationEvent, EmailNotification, EnquiryEvent, HistoryEvent

logger = logging.getLogger("enrollment.services")


@dataclass
class Record:
    """What a change did: its history entries and the e-mails it owes, kept while it runs."""

    preview: bool = False
    events: list[HistoryEvent] = field(default_factory=list)
    emails: list[EmailNotification] = field(default_factory=list)


_records: ContextVar[tuple[Record, ...]] = ContextVar("enrollment_records", default=())


@contextmanager
def recording(*, preview: bool = False):
    """Keep what the changes made inside the block write (records nest: an outer one sees it too)."""
    record = Record(preview=preview)
    token = _records.set((*_records.get(), record))
    try:
        yield record
    finally:
        _records.reset(token)


def previewing() -> bool:
    return any(record.preview for record in _records.get())


def log(message: str, *args) -> None:
    """An INFO line about a change; nothing while previewing (nothing changes)."""
    if not previewing():
        logger.info(message, *args)


def add_events(events: list[HistoryEvent]) -> None:
    """Write history entries, all of one kind of record (applications' or enquiries')."""
    if not events:
        return
    type(events[0]).objects.bulk_create(events)
    for record in _records.get():
        record.events.extend(events)


def add_event(**fields) -> ApplicationEvent:
    """An entry of an application's history."""
    event = ApplicationEvent(**fields)
    add_events([event])
    return event


def add_enquiry_event(**fields) -> EnquiryEvent:
    """An entry of an enquiry's history."""
    event = EnquiryEvent(**fields)
    add_events([event])
    return event


def add_exported(records, *, by, description: str) -> None:
    """Record in the history of each record (applications or enquiries: their `events`) that someone
    exported the personal data stored with it."""
    now = timezone.now()
    add_events(
        [
            record.events.model(
                **{record.events.field.name: record},
                at=now,
                actor=by,
                kind="exported",
                description=description,
            )
            for record in records
        ]
    )


def mail(kind: str, *, application=None, enquiry=None, payload: dict | None = None) -> EmailNotification:
    """Owe an e-mail (enrollment/outbox.py), in the current transaction."""
    notification = outbox.email_queue(kind, application=application, enquiry=enquiry, payload=payload)
    for record in _records.get():
        record.emails.append(notification)
    return notification


def plain(value):
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


def staff_name(user) -> str:
    return plain(user) if user is not None else "nobody"


def enqueue_task(task, *args) -> None:
    """Enqueue a background task in the current transaction (never raises: the scheduled job does the same
    work when a task is missing)."""
    try:
        with transaction.atomic():
            task.enqueue(*args)
    except Exception as error:  # noqa: BLE001 - the change itself must stand
        logger.error("Could not enqueue %s: %s", task.name, type(error).__name__)
