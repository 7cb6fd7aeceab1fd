"""The runner's plans in their data export (footcare.accounts.exports)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from footcare.accounts.exports import export_section
from footcare.accounts.models import User
from routines.plans.models import PlanItem

from .models import ExerciseLog, SetLog


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


@export_section("workout_sessions")
def sessions_for_export(user: User) -> list[dict[str, Any]]:
    sessions = (
        user.workout_sessions.select_related("plan")
        .prefetch_related(
            Prefetch(
                "logs",
                queryset=ExerciseLog.objects.select_related("exercise")
                .prefetch_related(Prefetch("sets", queryset=SetLog.objects.order_by("number")))
                .order_by("position", "pk"),
            )
        )
        .order_by("date", "pk")
    )
    return [session.as_export() for session in sessions]


@export_section("morning_check_ins")
def check_ins_for_export(user: User) -> list[dict[str, Any]]:
    return [check_in.as_export() for check_in in user.check_ins.order_by("date")]


@export_section("dose_changes")
def dose_changes_for_export(user: User) -> list[dict[str, Any]]:
    # Undone changes stay in the export: the record of what was tried and taken back.
    changes = user.dose_changes.select_related("exercise_before", "exercise_after")
    return [change.as_export() for change in changes.order_by("applied_at", "pk")]
