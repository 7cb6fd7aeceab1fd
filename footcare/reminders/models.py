"""One row per runner and plan day they were (or are being) reminded of.

The row is the reminder's idempotency key: it is written and committed *before* the email
goes to the mail server (`status=SENDING`), so a worker killed between the server taking
the email and the row saying `SENT` leaves a row that no later run sends again. A mail
server that refuses or cannot be reached says so before anything went out: the row goes
back to `WAITING` and a later run tries again (a delay, never a second email).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    # Claimed by a worker, which is handing it to the mail server now (or died doing so:
    # then it stays here, never sent twice; see `stuck` in services.py).
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    # The mail server failed; try again at `retry_at`.
    WAITING = "waiting", "Waiting to retry"


class Reminder(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    # The plan day, on the runner's own calendar.
    day = models.DateField()
    status = models.CharField(max_length=7, choices=Status, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "day"], name="reminders_one_per_day"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="reminders_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "retry_at"], name="reminders_retry_idx")]

    def __str__(self) -> str:
        return f"Reminder of {self.owner_id} for {self.day}: {self.status}"

    def as_export(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "status": self.status,
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
        }
