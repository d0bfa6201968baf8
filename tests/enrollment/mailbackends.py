"""E-mail backends for tests: a mail server that refuses everything, and one that is down for a while."""

import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        # Real SMTP errors often quote the recipient: the log must never repeat it.
        recipients = ", ".join(address for message in email_messages for address in message.to)
        raise smtplib.SMTPException(f"451 temporary failure delivering to {recipients}")


class OutageEmailBackend(LocmemBackend):
    """Refuses every message while `OutageEmailBackend.down` is true, then delivers to mail.outbox."""

    down = True

    def send_messages(self, email_messages):
        if type(self).down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)


def delivered_to(address):
    return [message for message in mail.outbox if address in message.to]
