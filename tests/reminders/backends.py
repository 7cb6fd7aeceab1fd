"""Mail backends for the reminder tests: a server that is down, and a worker that dies."""

from __future__ import annotations

import os
import signal
import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class DownBackend(BaseEmailBackend):
    """A mail server that cannot be reached: nothing goes out."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "Service not available")


class SendThenDieBackend(FileBackend):
    """The server takes the email, and the worker is killed before it can record that."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        os.kill(os.getpid(), signal.SIGKILL)
        return sent
