"""Send every e-mail that is due: retries after a failure, and e-mails whose task was lost. Run it from
cron every few minutes next to the task worker (docs/deployment.md); running it on several machines at
once is safe (each e-mail is claimed by one sender)."""

from django.core.management.base import BaseCommand

from enrollment import outbox


class Command(BaseCommand):
    help = "Send the e-mails that are due (retries included)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many e-mails (default 500).")

    def handle(self, *args, limit, **options):
        outcomes = outbox.emails_send_due(limit=limit)
        self.stdout.write(
            f"{outcomes['sent']} sent, {outcomes['failed']} failed (tried again later or given up), "
            f"{outcomes['not-due']} taken by another sender."
        )
