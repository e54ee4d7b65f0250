"""A mail backend at the edge that fails the first sends like a real SMTP server that drops the line."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class DisconnectingBackend(EmailBackend):
    failures_left = 0

    def send_messages(self, messages):
        if DisconnectingBackend.failures_left > 0:
            DisconnectingBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class RefusingBackend(EmailBackend):
    """A mail server that refuses some recipients every time, and delivers to the rest."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & RefusingBackend.refused:
                raise smtplib.SMTPRecipientsRefused(
                    {address: (550, b"no such user") for address in message.to}
                )
        return super().send_messages(messages)
