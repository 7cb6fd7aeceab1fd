"""The reminders app's section of the runner's data export."""

from __future__ import annotations

from footcare.accounts.exports import export_section

from .models import Reminder


@export_section("reminders_sent")
def reminders_for_export(user) -> list[dict]:
    return [
        reminder.as_export() for reminder in Reminder.objects.filter(owner=user).order_by("day")
    ]
