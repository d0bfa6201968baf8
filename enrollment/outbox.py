"""The e-mails owed to people and to admissions, from the moment they are owed until they are sent.

`email_queue` writes an EmailNotification in the caller's transaction (an application, a status change):
what is committed with the submission is the promise of its e-mails, so nothing that fails after the commit
(a dropped connection, a worker that is down, the mail server) can lose one. The task worker sends it
(`deliver_email`, the app's one `django.tasks` task, which takes only the e-mail's id): with the database
task backend (django-tasks-db, production) the task row is written in the same transaction too; with the
immediate backend (development, tests) the send runs once the transaction has committed.

A failed send is tried again after a growing delay (settings.EMAIL_RETRY_MINUTES) until it is sent or every
attempt has failed; each attempt is kept (EmailAttempt). Retries are enqueued for later when the task backend
can defer tasks, and `manage.py send_pending_emails` (run it from cron every few minutes) sends whatever is
due in any case: e-mails whose task was lost, or whose sender died mid-send. Staff send e-mails again from
the admin (`email_resend`).

Two senders never send the same e-mail at once: a sender first claims it with one UPDATE that moves its next
attempt a few minutes ahead (a lease). If the sender dies, the lease runs out and the e-mail is due again;
so an e-mail is sent at least once, and twice only when a sender dies between sending and recording it.

The delivery itself (the trigger, the lease, the retries, the sweep) is sitetools.outbox's engine, shared with
the other apps' outboxes; this module says what this table's e-mails are about and keeps each attempt."""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from enrollment import emails
from enrollment.models import EmailAttempt, EmailNotification
from sitetools import outbox as engine
from sitetools.outbox import LEASE, REPEAT_QUIET_PERIOD, max_attempts

__all__ = [
    "LEASE",
    "REPEAT_QUIET_PERIOD",
    "deliver_email",
    "email_deliver",
    "email_queue",
    "email_queue_again",
    "email_resend",
    "emails_send_due",
    "max_attempts",
]

logger = logging.getLogger(__name__)

Kind = EmailNotification.Kind
Status = EmailNotification.Status


@task
def deliver_email(notification_id: int) -> str:
    """The worker's task: send one owed e-mail (see email_deliver)."""
    return email_deliver(notification_id)


def _subject(notification: EmailNotification) -> str:
    if notification.application_id:
        return f"application {notification.application_id}"
    return f"enquiry {notification.enquiry_id}"


def _keep_attempt(notification: EmailNotification, at, error: str | None) -> None:
    EmailAttempt.objects.create(notification=notification, at=at, succeeded=error is None, error=error or "")


OUTBOX = engine.Outbox(
    model=EmailNotification,
    task=deliver_email,
    build=emails.build,
    describe=_subject,
    related=("application__cohort__program__level", "enquiry__program"),
    after_attempt=_keep_attempt,
)


def email_queue(
    kind: str, *, application=None, enquiry=None, payload: dict | None = None, by=None
) -> EmailNotification:
    """Owe an e-mail of `kind` about an application or an enquiry. Call it inside the transaction of the
    change that makes the e-mail owed. `payload`: plain JSON values the e-mail needs (a status, a message)."""
    notification = EmailNotification.objects.create(
        kind=kind,
        application=application,
        enquiry=enquiry,
        payload=payload or {},
        next_attempt_at=timezone.now(),
        requested_by=by,
    )
    OUTBOX.trigger(notification.pk)
    return notification


def email_queue_again(kind: str, *, application=None, enquiry=None) -> EmailNotification | None:
    """Queue an e-mail once more because the person asked for it again (sent the same form twice), unless
    it was already queued again in the last few minutes: clicking "send" five times brings one e-mail."""
    recent = EmailNotification.objects.filter(
        kind=kind,
        application=application,
        enquiry=enquiry,
        payload__again=True,
        created_at__gte=timezone.now() - REPEAT_QUIET_PERIOD,
    )
    if recent.exists():
        return None
    return email_queue(kind, application=application, enquiry=enquiry, payload={"again": True})


def email_deliver(notification_id: int, *, now=None) -> str:
    """Send one owed e-mail if it is due and nobody else is sending it: "sent", "failed" (will be tried
    again, or every attempt is used up), or "not-due". Never raises for a mail server's failure."""
    return OUTBOX.deliver(notification_id, now=now)


def emails_send_due(*, now=None, limit: int = 500) -> dict[str, int]:
    """Send every e-mail that is due (for cron: `manage.py send_pending_emails`). Counts by outcome."""
    return OUTBOX.send_due(now=now, limit=limit)


def email_resend(*, notifications, by) -> int:
    """Staff ask for e-mails to be sent (again): one still waiting or given up is tried at once, with a
    fresh set of attempts; one already sent is sent once more, as a new e-mail. Returns how many."""
    count = 0
    with transaction.atomic():
        for notification in notifications:
            if notification.status == Status.SENT:
                email_queue(
                    notification.kind,
                    application=notification.application,
                    enquiry=notification.enquiry,
                    payload=notification.payload,
                    by=by,
                )
            else:
                EmailNotification.objects.filter(pk=notification.pk).update(
                    status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), requested_by=by
                )
                OUTBOX.trigger(notification.pk)
            count += 1
    logger.info("%s e-mail(s) queued again by user %s", count, by.pk if by else None)
    return count
