"""The accounts app's own sections of the runner's data export (see exports.py)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from .exports import export_section
from .models import WEEKDAYS, CalfRaiseTest, RunnerProfile, User


def _timestamp(value) -> str | None:
    return value.isoformat() if value else None


@export_section("account")
def account_for_export(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "date_joined": _timestamp(user.date_joined),
        "last_login": _timestamp(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


@export_section("profile")
def profile_for_export(user: User) -> dict[str, Any] | None:
    profile = RunnerProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "display_name": profile.display_name,
        "experience": profile.experience,
        "time_zone": profile.time_zone,
        "weight_unit": profile.weight_unit,
        "sex": profile.sex,
        "birth_year": profile.birth_year,
        "weekly_pattern": {day: getattr(profile, day) for day in WEEKDAYS},
        "reminders": {
            "on": profile.reminders_on,
            "time": profile.reminder_time.isoformat(timespec="minutes"),
            "channel": profile.reminder_channel,
        },
        # Slugs name library entries stably across exports; names are for people reading it.
        "conditions": [
            {"slug": condition.slug, "name": condition.name}
            for condition in profile.conditions.order_by("name")
        ],
        "hurting_now": [
            {"slug": condition.slug, "name": condition.name}
            for condition in profile.hurting_now.order_by("name")
        ],
        "equipment": [
            {"slug": item.slug, "name": item.name} for item in profile.equipment.order_by("name")
        ],
        "created_at": _timestamp(profile.created_at),
        "updated_at": _timestamp(profile.updated_at),
    }


@export_section("calf_tests")
def calf_tests_for_export(user: User) -> list[dict[str, Any]]:
    return [
        {
            "tested_on": test.tested_on.isoformat(),
            "surface": test.surface,
            "left": test.left,
            "right": test.right,
            "created_at": _timestamp(test.created_at),
        }
        for test in CalfRaiseTest.objects.filter(user=user).order_by("tested_on", "created_at")
    ]
