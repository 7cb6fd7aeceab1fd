"""The runner's plans in their data export (footcare.accounts.exports)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from footcare.accounts.exports import export_section
from footcare.accounts.models import User

from .models import PlanItem


@export_section("plans")
def plans_for_export(user: User) -> list[dict[str, Any]]:
    plans = user.weekly_plans.prefetch_related(
        Prefetch(
            "items",
            queryset=PlanItem.objects.select_related("exercise").order_by(
                "weekday", "position", "pk"
            ),
        )
    ).order_by("created_at", "pk")
    return [plan.as_export() for plan in plans]
