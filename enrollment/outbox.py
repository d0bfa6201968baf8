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
so an e-mail is sent at least once, and twice only when a sender dies between sending and recording it."""

import logging
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from enrollment import emails
from enrollment.models import EmailAttempt, EmailNotification

logger = logging.getLogger(__name__)

Kind = EmailNotification.Kind
Status = EmailNotification.Status

# How long a sender may take before its claim on an e-mail runs out (above the SMTP timeout).
LEASE = timedelta(minutes=5)
# The same e-mail asked for again within this time (a person sending a form twice) is not queued twice.
REPEAT_QUIET_PERIOD = timedelta(minutes=10)


def _retry_delays() -> list[timedelta]:
    return [timedelta(minutes=minutes) for minutes in settings.EMAIL_RETRY_MINUTES]


def max_attempts() -> int:
    """The first try, then one per retry delay."""
    return len(_retry_delays()) + 1


def _subject(notification: EmailNotification) -> str:
    if notification.application_id:
        return f"application {notification.application_id}"
    return f"enquiry {notification.enquiry_id}"


@task
def deliver_email(notification_id: int) -> str:
    """The worker's task: send one owed e-mail (see email_deliver)."""
    return email_deliver(notification_id)


def _enqueue(notification_id: int, *, run_after=None) -> None:
    """Enqueue the send of an e-mail; never raise. An e-mail whose task could not be enqueued stays owed,
    and the sweep sends it when due. The database backend writes its task row in the current transaction,
    in a savepoint, so that a failure there leaves the rest of the transaction standing."""
    in_database = isinstance(deliver_email.get_backend(), DatabaseBackend)
    try:
        with transaction.atomic() if in_database else nullcontext():
            deliver_email.using(run_after=run_after).enqueue(notification_id)
    except Exception as error:  # noqa: BLE001 - what made the e-mail owed is committed or will be
        logger.error("Could not enqueue e-mail %s: %s", notification_id, type(error).__name__)


def _trigger(notification_id: int) -> None:
    """Ask the task worker to send the e-mail. The database backend's task is written in the current
    transaction, so it stands or falls with what made the e-mail owed; any other backend is asked once
    that transaction has committed (the immediate backend then sends at once, after the commit and outside
    any transaction: nothing it does may reach the request)."""
    if isinstance(deliver_email.get_backend(), DatabaseBackend):
        _enqueue(notification_id)
    else:
        transaction.on_commit(lambda: _enqueue(notification_id), robust=True)


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
    _trigger(notification.pk)
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


def _claim(notification_id: int, now) -> bool:
    return bool(
        EmailNotification.objects.filter(pk=notification_id, status=Status.PENDING)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
        .update(next_attempt_at=now + LEASE)
    )


def email_deliver(notification_id: int, *, now=None) -> str:
    """Send one owed e-mail if it is due and nobody else is sending it: "sent", "failed" (will be tried
    again, or every attempt is used up), or "not-due". Never raises for a mail server's failure."""
    now = now or timezone.now()
    if not _claim(notification_id, now):
        return "not-due"
    notification = EmailNotification.objects.select_related(
        "application__cohort__program__level", "enquiry__program"
    ).get(pk=notification_id)
    try:
        emails.build(notification).send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail server stays inside the task
        return _failed(notification, now, error)
    notification.status = Status.SENT
    notification.attempts += 1
    notification.error = ""
    notification.sent_at = notification.last_attempt_at = now
    notification.next_attempt_at = None
    notification.save(
        update_fields=["status", "attempts", "error", "sent_at", "last_attempt_at", "next_attempt_at"]
    )
    EmailAttempt.objects.create(notification=notification, at=now, succeeded=True)
    return "sent"


def _failed(notification: EmailNotification, now, error: Exception) -> str:
    # The class only: SMTP errors can carry the recipient's address in their text.
    error_name = type(error).__name__[:200]
    notification.attempts += 1
    notification.error = error_name
    notification.last_attempt_at = now
    delays = _retry_delays()
    if notification.attempts > len(delays):
        notification.status = Status.FAILED
        notification.next_attempt_at = None
    else:
        notification.next_attempt_at = now + delays[notification.attempts - 1]
    notification.save(update_fields=["status", "attempts", "error", "last_attempt_at", "next_attempt_at"])
    EmailAttempt.objects.create(notification=notification, at=now, succeeded=False, error=error_name)
    retry = notification.status == Status.PENDING
    logger.log(
        logging.WARNING if retry else logging.ERROR,
        "E-mail %s (%s) for %s failed, attempt %s of %s: %s%s",
        notification.pk,
        notification.kind,
        _subject(notification),
        notification.attempts,
        max_attempts(),
        error_name,
        f"; next attempt at {notification.next_attempt_at:%Y-%m-%d %H:%M} UTC" if retry else "; giving up",
    )
    if retry and deliver_email.get_backend().supports_defer:
        _enqueue(notification.pk, run_after=notification.next_attempt_at)
    return "failed"


def emails_send_due(*, now=None, limit: int = 500) -> dict[str, int]:
    """Send every e-mail that is due (for cron: `manage.py send_pending_emails`). Counts by outcome."""
    now = now or timezone.now()
    due = list(
        EmailNotification.objects.due(now=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcomes = {"sent": 0, "failed": 0, "not-due": 0}
    for notification_id in due:
        try:
            outcomes[email_deliver(notification_id, now=now)] += 1
        except DatabaseError as error:
            logger.error("Sending due e-mails stopped: %s", type(error).__name__)
            break
    return outcomes


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
                _trigger(notification.pk)
            count += 1
    logger.info("%s e-mail(s) queued again by user %s", count, by.pk if by else None)
    return count
