"""The e-mails owed to people who signed up for an info session, from the moment they are owed until sent.

The same guarantees as enrollment/outbox.py, with a table of this app's own (enrollment's EmailNotification
belongs to applications and enquiries): `email_queue` writes a SessionEmail in the caller's transaction (the
sign-up, a seat freed, the reminders' job), and the task that sends it too with the database task backend
(otherwise the task is asked for once the transaction commits). A failed send is tried again after the
same growing delays (settings.EMAIL_RETRY_MINUTES); `manage.py send_session_reminders` sends whatever is due
in any case (a lost task, a sender that died). A sender claims an e-mail with one UPDATE that moves its next
attempt a few minutes ahead (a lease), so two senders never send it at once."""

import logging
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from enrollment import outbox as enrollment_outbox
from infosessions import emails
from infosessions.models import SessionEmail

logger = logging.getLogger(__name__)

Status = SessionEmail.Status


@task
def deliver_session_email(email_id: int) -> str:
    """The worker's task: send one owed e-mail (see email_deliver)."""
    return email_deliver(email_id)


def _enqueue(email_id: int, *, run_after=None) -> None:
    """Enqueue the send; never raise (an e-mail whose task is lost stays owed, and the sweep sends it)."""
    in_database = isinstance(deliver_session_email.get_backend(), DatabaseBackend)
    try:
        with transaction.atomic() if in_database else nullcontext():
            deliver_session_email.using(run_after=run_after).enqueue(email_id)
    except Exception as error:  # noqa: BLE001 - what made the e-mail owed stands
        logger.error("Could not enqueue sign-up e-mail %s: %s", email_id, type(error).__name__)


def email_queue(kind: str, *, signup, again: bool = False) -> SessionEmail:
    """Owe an e-mail of `kind` to the person who signed up. Call it inside the transaction of the change."""
    email = SessionEmail.objects.create(kind=kind, signup=signup, again=again, next_attempt_at=timezone.now())
    if isinstance(deliver_session_email.get_backend(), DatabaseBackend):
        _enqueue(email.pk)
    else:
        transaction.on_commit(lambda: _enqueue(email.pk), robust=True)
    return email


def email_queue_again(kind: str, *, signup) -> SessionEmail | None:
    """Queue the e-mail once more because the person sent the form again, unless it was already queued in
    the last few minutes (five clicks bring one e-mail)."""
    since = timezone.now() - enrollment_outbox.REPEAT_QUIET_PERIOD
    if SessionEmail.objects.filter(kind=kind, signup=signup, again=True, created_at__gte=since).exists():
        return None
    return email_queue(kind, signup=signup, again=True)


def email_deliver(email_id: int, *, now=None) -> str:
    """Send one owed e-mail if it is due and nobody else is sending it: "sent", "failed" (tried again
    later, or given up) or "not-due". A mail server's failure never raises."""
    now = now or timezone.now()
    claimed = SessionEmail.objects.filter(
        pk=email_id, status=Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + enrollment_outbox.LEASE)
    if not claimed:
        return "not-due"
    email = SessionEmail.objects.select_related("signup__session").get(pk=email_id)
    email.attempts += 1
    email.last_attempt_at = now
    try:
        emails.build(email).send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail server stays inside the task
        # The class only: SMTP errors can carry the recipient's address in their text.
        email.error = type(error).__name__[:200]
        delays = [timedelta(minutes=minutes) for minutes in settings.EMAIL_RETRY_MINUTES]
        if email.attempts > len(delays):
            email.status, email.next_attempt_at = Status.FAILED, None
        else:
            email.next_attempt_at = now + delays[email.attempts - 1]
        email.save(update_fields=["status", "attempts", "error", "last_attempt_at", "next_attempt_at"])
        logger.warning(
            "Sign-up e-mail %s (%s) for %s failed, attempt %s: %s",
            email.pk,
            email.kind,
            email.signup.reference,
            email.attempts,
            email.error,
        )
        if email.status == Status.PENDING and deliver_session_email.get_backend().supports_defer:
            _enqueue(email.pk, run_after=email.next_attempt_at)
        return "failed"
    email.status, email.error, email.sent_at, email.next_attempt_at = Status.SENT, "", now, None
    email.save(update_fields=["status", "attempts", "error", "last_attempt_at", "next_attempt_at", "sent_at"])
    return "sent"


def emails_send_due(*, now=None, limit: int = 500) -> dict[str, int]:
    """Send every sign-up e-mail that is due (the sweep of `send_session_reminders`). Counts by outcome."""
    now = now or timezone.now()
    due = list(
        SessionEmail.objects.due(now=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcomes = {"sent": 0, "failed": 0, "not-due": 0}
    for email_id in due:
        try:
            outcomes[email_deliver(email_id, now=now)] += 1
        except DatabaseError as error:
            logger.error("Sending due sign-up e-mails stopped: %s", type(error).__name__)
            break
    return outcomes
