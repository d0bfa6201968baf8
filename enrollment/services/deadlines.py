"""The admissions cycle's deadlines as they pass, for `manage.py run_admissions_deadlines` (cron, every few
minutes; running it on several machines at once is safe):

- offers whose deadline passed expire and the seats are offered on (seats.offers_expire, each start under its
  lock; the task worker also does it at each offer's deadline, and pages that read a start do it first);
- a held seat's documents deadline approaching with items still to send: the applicant is reminded, once;
- a held seat's documents deadline passed with items not verified: Admissions are told, once. The seat stays
  held: Admissions extend the deadline or release the seat (seats.hold_extend, seats.application_release);
- the students of starts that have begun have started (seats.courses_start).

Each step claims what it does with one conditional UPDATE, so two machines never remind or tell twice."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from enrollment.models import Application, ApplicationEvent, EmailNotification
from enrollment.services import history
from enrollment.services.checklist import checklist_missing
from enrollment.services.seats import courses_start, offers_expire

Status = Application.Status
Mail = EmailNotification.Kind

# Applicants are reminded this many days before their documents are due.
REMINDER_DAYS = 3


def offers_expire_due() -> int:
    """Expire the offers whose deadline passed, if any (one query when there are none): for pages that read
    seats, so that nobody is shown a seat held by an offer that is over."""
    if not Application.objects.filter(status=Status.OFFERED, offer_expires_at__lte=timezone.now()).exists():
        return 0
    return offers_expire()


def documents_remind(*, today=None) -> int:
    """Remind applicants whose held seat's documents are due within REMINDER_DAYS and still incomplete."""
    today = today or timezone.localdate()
    due = Application.objects.filter(
        status=Status.HELD,
        hold_until__gte=today,
        hold_until__lte=today + timedelta(days=REMINDER_DAYS),
        documents_reminded_at__isnull=True,
    ).select_related("cohort__program")
    reminded = 0
    for application in due:
        if not checklist_missing(application):
            continue
        with transaction.atomic():
            claimed = Application.objects.filter(
                pk=application.pk, documents_reminded_at__isnull=True
            ).update(documents_reminded_at=timezone.now())
            if claimed:
                history.mail(Mail.DOCUMENTS_REMINDER, application=application)
                reminded += 1
    return reminded


def holds_overdue_notice(*, today=None) -> int:
    """Tell Admissions (once each) about held seats whose documents deadline passed with items not verified."""
    today = today or timezone.localdate()
    overdue = Application.objects.filter(
        status=Status.HELD, hold_until__lt=today, hold_overdue_noticed_at__isnull=True
    ).select_related("cohort__program")
    noticed = 0
    for application in overdue:
        missing = checklist_missing(application)
        if not missing:
            continue
        with transaction.atomic():
            claimed = Application.objects.filter(
                pk=application.pk, hold_overdue_noticed_at__isnull=True
            ).update(hold_overdue_noticed_at=timezone.now())
            if claimed:
                history.add_event(
                    application=application,
                    kind=ApplicationEvent.Kind.HOLD,
                    description=f"Documents deadline passed; not verified: {', '.join(missing)}"[:300],
                    changes={"missing": missing},
                )
                history.mail(Mail.HOLD_OVERDUE, application=application)
                noticed += 1
    return noticed


@dataclass(frozen=True)
class DeadlinesRun:
    offers_expired: int
    reminders: int
    overdue_holds: int
    started: int


def deadlines_run(*, now=None) -> DeadlinesRun:
    """Everything the deadlines owe now (the command's work)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return DeadlinesRun(
        offers_expired=offers_expire(now=now),
        reminders=documents_remind(today=today),
        overdue_holds=holds_overdue_notice(today=today),
        started=courses_start(today=today),
    )
