"""What the library's pages show a signed-in runner about their plans.

Tags rather than view code, so that the library's views stay about the library: its
pages only say where these go.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import template
from django.utils.functional import SimpleLazyObject

from exercises.cache import PIECE_TIMEOUT, content_version
from exercises.models import Exercise
from footcare.accounts.models import RunnerProfile

from ..models import WEEKDAY_CHOICES, load_text

register = template.Library()

FOR_YOU_LIMIT = 6


@register.filter
def weight(kg: object, unit: str) -> str:
    """A stored weight (kg) in the runner's unit: `{{ item.load|weight:unit }}` gives “44.1 lb”."""
    return load_text(kg, unit)  # type: ignore[arg-type]


FILTERS = ("q", "condition", "muscle", "equipment", "position", "level", "page")


def for_you(conditions: list[int], equipment: list[int]) -> list[Exercise]:
    """Published exercises for these conditions that need only this equipment."""
    if not conditions:
        return []
    return list(
        Exercise.objects.published()
        .needing_only(equipment)
        .filter(condition_links__condition__in=conditions)
        .distinct()
        .for_cards()
        .order_by("level", "name", "pk")[:FOR_YOU_LIMIT]
    )


@register.inclusion_tag("plans/_for_you.html", takes_context=True)
def for_you_section(context: template.Context) -> dict[str, Any]:
    """The runner's "For you": the same for every runner with the same conditions and
    equipment, so the section is kept per content version under those (`{% cache %}` in
    the template) and the exercises are looked up only when it is missing."""
    request = context["request"]
    user = request.user
    shown = user.is_authenticated and not any(request.GET.get(name) for name in FILTERS)
    if not shown:
        return {"shown": False}
    through = RunnerProfile.conditions.through, RunnerProfile.equipment.through
    conditions = sorted(
        through[0].objects.filter(runnerprofile__user=user).values_list("condition_id", flat=True)
    )
    equipment = sorted(
        through[1].objects.filter(runnerprofile__user=user).values_list("equipment_id", flat=True)
    )
    return {
        "shown": True,
        "version": content_version(),
        "piece_timeout": PIECE_TIMEOUT,
        "profile_key": f"{conditions}{equipment}",
        "exercises": SimpleLazyObject(lambda: for_you(conditions, equipment)),
    }


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
