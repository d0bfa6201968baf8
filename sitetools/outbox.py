"""The delivery of owed e-mails: one engine for every app's outbox table.

An app keeps the e-mails it owes as rows of a model of its own (enrollment's EmailNotification, infosessions'
SessionEmail), written in the transaction of the change that makes them owed, and declares one `django.tasks`
task that sends one row by its id. `Outbox` does the rest, the same way for every table:

- `trigger` asks the task worker to send: the database task backend (django-tasks-db, production) writes its
  task row in the current transaction, in a savepoint, so it stands or falls with what made the e-mail owed;
  any other backend is asked once that transaction has committed (the immediate backend then sends at once,
  outside any transaction: nothing it does may reach the request). Enqueueing never raises: an e-mail whose
  task was lost stays owed, and the sweep (`send_due`, from each app's cron command) sends it.
- `deliver` claims the row with one UPDATE that moves its next attempt a few minutes ahead (a lease), so two
  senders never send it at once; if a sender dies, the lease runs out and the e-mail is due again (sent at
  least once, twice only when a sender dies between sending and recording it).
- a failed send is tried again after the growing delays of settings.EMAIL_RETRY_MINUTES, enqueued for later when
  the backend can defer tasks, until it is sent or every attempt has failed. Only the error's class is kept and
  logged: an SMTP error's text can carry the recipient's address.

The model needs: `status` (with `Status.PENDING`, `SENT`, `FAILED`), `attempts`, `error`, `last_attempt_at`,
`next_attempt_at`, `sent_at`, and a `due(now=...)` queryset method."""

import logging
from collections.abc import Callable
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db import DatabaseBackend

# How long a sender may take before its claim on an e-mail runs out (above the SMTP timeout).
LEASE = timedelta(minutes=5)
# The same e-mail asked for again within this time (a person sending a form twice) is not queued twice.
REPEAT_QUIET_PERIOD = timedelta(minutes=10)


def retry_delays() -> list[timedelta]:
    return [timedelta(minutes=minutes) for minutes in settings.EMAIL_RETRY_MINUTES]


def max_attempts() -> int:
    """The first try, then one per retry delay."""
    return len(retry_delays()) + 1


class Outbox:
    """Sends the rows of `model` through `task` (a `django.tasks` task taking a row's id).

    build(row) -> an EmailMessage; describe(row) -> who or what the e-mail is about, for the log (never an
    address); related: select_related() paths that build() reads; after_attempt(row, now, error): called after
    each attempt (error None when it was sent), to keep a history of attempts."""

    def __init__(
        self,
        *,
        model,
        task,
        build: Callable,
        describe: Callable,
        related: tuple[str, ...] = (),
        after_attempt: Callable | None = None,
    ):
        self.model = model
        self.task = task
        self.build = build
        self.describe = describe
        self.related = related
        self.after_attempt = after_attempt
        # Logged under the app's own outbox (enrollment.outbox, infosessions.outbox), where people look.
        self.logger = logging.getLogger(f"{model._meta.app_label}.outbox")

    def _in_database(self) -> bool:
        return isinstance(self.task.get_backend(), DatabaseBackend)

    def enqueue(self, pk: int, *, run_after=None) -> None:
        """Enqueue the send of one e-mail; never raise (see the module's text)."""
        try:
            with transaction.atomic() if self._in_database() else nullcontext():
                self.task.using(run_after=run_after).enqueue(pk)
        except Exception as error:  # noqa: BLE001 - what made the e-mail owed is committed or will be
            self.logger.error(
                "Could not enqueue %s %s: %s", self.model._meta.verbose_name, pk, type(error).__name__
            )

    def trigger(self, pk: int) -> None:
        """Ask the task worker to send the e-mail: in the current transaction with the database backend,
        after its commit with any other."""
        if self._in_database():
            self.enqueue(pk)
        else:
            transaction.on_commit(lambda: self.enqueue(pk), robust=True)

    def claim(self, pk: int, now) -> bool:
        return bool(
            self.model.objects.filter(pk=pk, status=self.model.Status.PENDING)
            .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
            .update(next_attempt_at=now + LEASE)
        )

    def deliver(self, pk: int, *, now=None) -> str:
        """Send one owed e-mail if it is due and nobody else is sending it: "sent", "failed" (will be tried
        again, or every attempt is used up), or "not-due". Never raises for a mail server's failure."""
        now = now or timezone.now()
        if not self.claim(pk, now):
            return "not-due"
        row = self.model.objects.select_related(*self.related).get(pk=pk)
        try:
            self.build(row).send()
        except Exception as error:  # noqa: BLE001 - any failure of the mail server stays inside the task
            return self._failed(row, now, error)
        row.status = self.model.Status.SENT
        row.attempts += 1
        row.error = ""
        row.sent_at = row.last_attempt_at = now
        row.next_attempt_at = None
        row.save(
            update_fields=["status", "attempts", "error", "sent_at", "last_attempt_at", "next_attempt_at"]
        )
        if self.after_attempt:
            self.after_attempt(row, now, None)
        return "sent"

    def _failed(self, row, now, error: Exception) -> str:
        error_name = type(error).__name__[:200]
        row.attempts += 1
        row.error = error_name
        row.last_attempt_at = now
        delays = retry_delays()
        if row.attempts > len(delays):
            row.status = self.model.Status.FAILED
            row.next_attempt_at = None
        else:
            row.next_attempt_at = now + delays[row.attempts - 1]
        row.save(update_fields=["status", "attempts", "error", "last_attempt_at", "next_attempt_at"])
        if self.after_attempt:
            self.after_attempt(row, now, error_name)
        retry = row.status == self.model.Status.PENDING
        self.logger.log(
            logging.WARNING if retry else logging.ERROR,
            "E-mail %s (%s, %s) for %s failed, attempt %s of %s: %s%s",
            row.pk,
            self.model._meta.verbose_name,
            row.kind,
            self.describe(row),
            row.attempts,
            max_attempts(),
            error_name,
            f"; next attempt at {row.next_attempt_at:%Y-%m-%d %H:%M} UTC" if retry else "; giving up",
        )
        if retry and self.task.get_backend().supports_defer:
            self.enqueue(row.pk, run_after=row.next_attempt_at)
        return "failed"

    def send_due(self, *, now=None, limit: int = 500) -> dict[str, int]:
        """Send every e-mail of this table that is due (the cron sweep). Counts by outcome."""
        now = now or timezone.now()
        due = list(
            self.model.objects.due(now=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        outcomes = {"sent": 0, "failed": 0, "not-due": 0}
        for pk in due:
            try:
                outcomes[self.deliver(pk, now=now)] += 1
            except DatabaseError as error:
                self.logger.error(
                    "Sending due e-mails (%s) stopped: %s",
                    self.model._meta.verbose_name,
                    type(error).__name__,
                )
                break
        return outcomes
