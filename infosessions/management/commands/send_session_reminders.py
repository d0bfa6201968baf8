"""The info sessions' scheduled job: owe tomorrow's reminders (once each, claimed with a conditional UPDATE)
and send every sign-up e-mail that is due (new ones whose task was lost, and retries). Run it from cron every
few minutes (docs/deployment.md); running it on several machines at once is safe."""

from django.core.management.base import BaseCommand

from infosessions import outbox, services


class Command(BaseCommand):
    help = "Remind people with a seat at tomorrow's info sessions, and send the sign-up e-mails that are due."

    def handle(self, *args, **options):
        reminders = services.reminders_send()
        sent = outbox.emails_send_due()
        self.stdout.write(
            f"{reminders} reminder(s) owed; {sent['sent']} e-mail(s) sent, {sent['failed']} failed (tried again later)."
        )
