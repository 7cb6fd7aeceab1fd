"""Writes that touch a plan and its items together.

Each one locks the plan's row first (`select_for_update`), so two requests changing the
same plan at once (two tabs, a double click) take turns and positions stay in order. A
form's hidden token makes a repeated create or add find the row the first one made.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max

from exercises.models import Exercise

from .models import DOSE_FIELDS, PlanItem, StarterPlan, WeeklyPlan, new_calendar_token

if TYPE_CHECKING:
    from footcare.accounts.models import User

    from .generator import Placement


def _locked(plan: WeeklyPlan) -> WeeklyPlan:
    return WeeklyPlan.objects.select_for_update().get(pk=plan.pk)


def _touch(plan: WeeklyPlan) -> None:
    # The feed's DTSTAMP and the list's order follow the last change to any item.
    plan.save(update_fields=["updated_at"])


def _renumber(plan: WeeklyPlan, weekday: int) -> None:
    items = list(plan.items.filter(weekday=weekday).order_by("position", "pk"))
    changed = []
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            changed.append(item)
    PlanItem.objects.bulk_update(changed, ["position"])


def _next_position(plan: WeeklyPlan, weekday: int) -> int:
    last = plan.items.filter(weekday=weekday).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def plan_create(
    *, owner: User, name: str, notes: str = "", token: uuid.UUID | None = None
) -> tuple[WeeklyPlan, bool]:
    """Make a plan; the same form token again returns the first plan and False."""
    if token is not None:
        existing = owner.weekly_plans.filter(creation_token=token).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            plan = WeeklyPlan.objects.create(
                owner=owner, name=name, notes=notes, creation_token=token
            )
    except IntegrityError:
        # The same form's twin request committed between our look and our insert.
        return owner.weekly_plans.get(creation_token=token), False
    return plan, True


def _copy_items(plan: WeeklyPlan, items: Iterable[PlanItem | object]) -> None:
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            weekday=item.weekday,
            position=item.position,
            exercise_id=item.exercise_id,
            **{field: getattr(item, field) for field in DOSE_FIELDS},
        )
        for item in items
    )


@transaction.atomic
def plan_duplicate(*, plan: WeeklyPlan, token: uuid.UUID | None = None) -> WeeklyPlan:
    copy, created = plan_create(
        owner=plan.owner, name=f"{plan.name} (copy)"[:80], notes=plan.notes, token=token
    )
    if created:
        _copy_items(copy, plan.items.order_by("weekday", "position", "pk"))
    return copy


@transaction.atomic
def starter_plan_copy(
    *, starter: StarterPlan, owner: User, token: uuid.UUID | None = None
) -> WeeklyPlan:
    plan, created = plan_create(
        owner=owner, name=starter.name[:80], notes=starter.summary, token=token
    )
    if created:
        _copy_items(plan, starter.items.order_by("weekday", "position", "pk"))
    return plan


@transaction.atomic
def generated_plan_save(
    *, owner: User, name: str, placements: Sequence[Placement], token: uuid.UUID | None = None
) -> WeeklyPlan:
    plan, created = plan_create(
        owner=owner, name=name, notes="Generated from your profile.", token=token
    )
    if created:
        PlanItem.objects.bulk_create(
            PlanItem(
                plan=plan,
                weekday=placement.weekday,
                position=placement.position,
                exercise_id=placement.exercise_id,
                sets=placement.sets,
                reps=placement.reps,
                hold_seconds=placement.hold_seconds,
                duration_seconds=placement.duration_seconds,
                per_side=placement.per_side,
                rest_seconds=placement.rest_seconds,
            )
            for placement in placements
        )
    return plan


@transaction.atomic
def plan_activate(*, plan: WeeklyPlan) -> None:
    # Lock all of the runner's plans, so two activations at once cannot both clear the
    # old one and then collide on the one-active rule.
    plans = list(WeeklyPlan.objects.select_for_update().filter(owner_id=plan.owner_id))
    WeeklyPlan.objects.filter(
        pk__in=[p.pk for p in plans if p.is_active and p.pk != plan.pk]
    ).update(is_active=False)
    WeeklyPlan.objects.filter(pk=plan.pk).update(is_active=True)
    plan.is_active = True


@transaction.atomic
def calendar_token_renew(*, plan: WeeklyPlan) -> None:
    plan.calendar_token = new_calendar_token()
    plan.save(update_fields=["calendar_token", "updated_at"])


@transaction.atomic
def plan_item_add(
    *, plan: WeeklyPlan, exercise: Exercise, weekday: int, token: uuid.UUID | None = None
) -> tuple[PlanItem, bool]:
    """Put an exercise at the end of a day, with its suggested dose."""
    plan = _locked(plan)
    if token is not None:
        existing = plan.items.filter(request_token=token).first()
        if existing is not None:
            return existing, False
    item = PlanItem(
        plan=plan,
        weekday=weekday,
        position=_next_position(plan, weekday),
        exercise=exercise,
        request_token=token,
    )
    item.copy_dose_from(exercise)
    item.save()
    _touch(plan)
    return item, True


@transaction.atomic
def plan_item_save(*, item: PlanItem) -> None:
    """Save an item whose dose a form has checked and changed."""
    plan = _locked(item.plan)
    item.save(update_fields=list(DOSE_FIELDS))
    _touch(plan)


@transaction.atomic
def plan_item_remove(*, item: PlanItem) -> None:
    plan = _locked(item.plan)
    item.delete()
    _renumber(plan, item.weekday)
    _touch(plan)


@transaction.atomic
def plan_item_move(*, item: PlanItem, step: int = 0, weekday: int | None = None) -> None:
    """Move an item one place up (step -1) or down (+1) its day, or to the end of another day."""
    plan = _locked(item.plan)
    item.refresh_from_db()
    if weekday is not None and weekday != item.weekday:
        old_day = item.weekday
        item.weekday = weekday
        item.position = _next_position(plan, weekday)
        item.save(update_fields=["weekday", "position"])
        _renumber(plan, old_day)
    elif step:
        _renumber(plan, item.weekday)
        day = list(plan.items.filter(weekday=item.weekday).order_by("position", "pk"))
        index = next(i for i, other in enumerate(day) if other.pk == item.pk)
        swap_with = index + step
        if 0 <= swap_with < len(day):
            other = day[swap_with]
            item.position, other.position = swap_with, index
            PlanItem.objects.bulk_update([item, other], ["position"])
    _touch(plan)


@transaction.atomic
def plan_day_copy(*, plan: WeeklyPlan, from_weekday: int, to_weekday: int) -> int:
    """Add copies of one day's items after those already on another day; returns how many."""
    plan = _locked(plan)
    start = _next_position(plan, to_weekday)
    items = list(plan.items.filter(weekday=from_weekday).order_by("position", "pk"))
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            weekday=to_weekday,
            position=start + offset,
            exercise_id=item.exercise_id,
            **{field: getattr(item, field) for field in DOSE_FIELDS},
        )
        for offset, item in enumerate(items)
    )
    _touch(plan)
    return len(items)
