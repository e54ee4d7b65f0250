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
