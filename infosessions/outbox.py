"""The e-mails owed to people who signed up for an info session, from the moment they are owed until sent.

The same guarantees as enrollment/outbox.py, with a table of this app's own (enrollment's EmailNotification
belongs to applications and enquiries) and the same delivery engine (sitetools.outbox): `email_queue` writes a
SessionEmail in the caller's transaction (the sign-up, a seat freed, the reminders' job) and asks the task
worker to send it; a failed send is tried again after settings.EMAIL_RETRY_MINUTES; `manage.py
send_session_reminders` sends whatever is due in any case (a lost task, a sender that died)."""

from django.tasks import task
from django.utils import timezone

from infosessions import emails
from infosessions.models import SessionEmail
from sitetools import outbox as engine


@task
def deliver_session_email(email_id: int) -> str:
    """The worker's task: send one owed e-mail (see email_deliver)."""
    return email_deliver(email_id)


OUTBOX = engine.Outbox(
    model=SessionEmail,
    task=deliver_session_email,
    build=emails.build,
    describe=lambda email: email.signup.reference,
    related=("signup__session",),
)


def email_queue(kind: str, *, signup, again: bool = False) -> SessionEmail:
    """Owe an e-mail of `kind` to the person who signed up. Call it inside the transaction of the change."""
    email = SessionEmail.objects.create(kind=kind, signup=signup, again=again, next_attempt_at=timezone.now())
    OUTBOX.trigger(email.pk)
    return email


def email_queue_again(kind: str, *, signup) -> SessionEmail | None:
    """Queue the e-mail once more because the person sent the form again, unless it was already queued in
    the last few minutes (five clicks bring one e-mail)."""
    since = timezone.now() - engine.REPEAT_QUIET_PERIOD
    if SessionEmail.objects.filter(kind=kind, signup=signup, again=True, created_at__gte=since).exists():
        return None
    return email_queue(kind, signup=signup, again=True)


def email_deliver(email_id: int, *, now=None) -> str:
    """Send one owed e-mail if it is due and nobody else is sending it: "sent", "failed" or "not-due"."""
    return OUTBOX.deliver(email_id, now=now)


def emails_send_due(*, now=None, limit: int = 500) -> dict[str, int]:
    """Send every sign-up e-mail that is due (the sweep of `send_session_reminders`). Counts by outcome."""
    return OUTBOX.send_due(now=now, limit=limit)
