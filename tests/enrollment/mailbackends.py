"""An e-mail backend for tests: the mail server refuses every message."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        # Real SMTP errors often quote the recipient: the log must never repeat it.
        recipients = ", ".join(address for message in email_messages for address in message.to)
        raise smtplib.SMTPException(f"451 temporary failure delivering to {recipients}")
