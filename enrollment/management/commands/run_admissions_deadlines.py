"""The admissions cycle's deadlines as they pass (enrollment/services/deadlines.py): expire unanswered offers
and offer the seats on, remind applicants whose documents are due soon, tell Admissions about held seats
whose documents deadline passed, and mark enrolled students as started once their course begins. Run it from
cron every few minutes (docs/deployment.md); running it on several machines at once is safe."""

from django.core.management.base import BaseCommand

from enrollment import services


class Command(BaseCommand):
    help = "Expire unanswered offers, send documents reminders and overdue notices, start courses."

    def handle(self, *args, **options):
        run = services.deadlines_run()
        self.stdout.write(
            f"{run.offers_expired} offer(s) expired, {run.reminders} reminder(s) sent, "
            f"{run.overdue_holds} overdue hold(s) reported, {run.started} student(s) started."
        )
