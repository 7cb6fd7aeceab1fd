"""What the library's pages show a signed-in runner about their plans.

Tags rather than view code, so that the library's views stay about the library: its
pages only say where these go.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import template

from exercises.models import Exercise
from footcare.accounts.models import RunnerProfile

from ..models import WEEKDAY_CHOICES

register = template.Library()

FOR_YOU_LIMIT = 6
FILTERS = ("q", "condition", "muscle", "equipment", "position", "level", "page")


def for_you(profile: RunnerProfile) -> list[Exercise]:
    """Published exercises for the runner's conditions that need only equipment at hand."""
    conditions = list(profile.conditions.values_list("pk", flat=True))
    if not conditions:
        return []
    return list(
        Exercise.objects.published()
        .needing_only(profile.equipment.values_list("pk", flat=True))
        .filter(condition_links__condition__in=conditions)
        .distinct()
        .for_cards()
        .order_by("level", "name", "pk")[:FOR_YOU_LIMIT]
    )


@register.inclusion_tag("plans/_for_you.html", takes_context=True)
def for_you_section(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    shown = user.is_authenticated and not any(request.GET.get(name) for name in FILTERS)
    if not shown:
        return {"shown": False}
    profile = RunnerProfile.objects.filter(user=user).first()
    return {"shown": True, "exercises": for_you(profile) if profile else []}


@register.inclusion_tag("plans/_add_to_plan.html", takes_context=True)
def add_to_plan(context: template.Context, exercise: Exercise) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_authenticated or exercise.is_draft:
        return {"shown": False}
    return {
        "shown": True,
        "exercise": exercise,
        "plans": list(user.weekly_plans.order_by("-is_active", "name", "pk").only("pk", "name")),
        "days": WEEKDAY_CHOICES,
        "token": uuid.uuid4(),
        # An inclusion tag draws in a context of its own: carry the form's token over.
        "csrf_token": context.get("csrf_token"),
    }
