"""Writes that touch a plan and its items together.

Each one locks the plan's row first (`select_for_update`), so two requests changing the
same plan at once (two tabs, a double click) take turns and positions stay in order. A
form's hidden token makes a repeated create or add find the row the first one made.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from exercises.models import Exercise

from .models import (
    DOSE_DEFINING_FIELDS,
    DOSE_FIELDS,
    UNDO_REMOVE_SECONDS,
    DoseChange,
    PlanItem,
    RemovedPlanItem,
    StarterPlan,
    WeeklyPlan,
    new_calendar_token,
)
from .rules import REST, fitted_days

if TYPE_CHECKING:
    from footcare.accounts.models import User

    from .generator import Placement


def _locked(plan: WeeklyPlan) -> WeeklyPlan:
    return WeeklyPlan.objects.select_for_update().get(pk=plan.pk)


def plan_touch(plan: WeeklyPlan) -> None:
    # The feed's DTSTAMP and the list's order follow the last change to any item.
    plan.save(update_fields=["updated_at"])


def dose_change_tokens(token: uuid.UUID, item_ids: Iterable[int]) -> dict[int, uuid.UUID]:
    return {pk: uuid.uuid5(token, str(pk)) for pk in item_ids}


def _renumber(plan: WeeklyPlan, weekday: int) -> list[PlanItem]:
    """Number the day's items 0, 1, 2... in their order; returns them in that order."""
    items = list(plan.items.filter(weekday=weekday).order_by("position", "pk"))
    changed = []
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            changed.append(item)
    PlanItem.objects.bulk_update(changed, ["position"])
    return items


def _refreshed(item: PlanItem, plan: WeeklyPlan) -> None:
    """Read the item again under its plan's lock. `refresh_from_db` lets go of the item's
    plan and exercise, which the caller (the board's words after a move, the board drawn
    again) reads next: the locked plan is put back, and the exercise while it is the same."""
    exercise = item.exercise if PlanItem.exercise.is_cached(item) else None
    item.refresh_from_db()
    item.plan = plan
    if exercise is not None and exercise.pk == item.exercise_id:
        item.exercise = exercise


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
    # The runner's plans first, as an activation locks them: whether one of them is active
    # is then settled until this plan is made.
    list(WeeklyPlan.objects.select_for_update().filter(owner=owner).values_list("pk"))
    try:
        with transaction.atomic():
            plan = WeeklyPlan.objects.create(
                owner=owner,
                name=name,
                notes=notes,
                creation_token=token,
                # A runner's first plan, or the first since none was active: today follows it.
                is_active=not owner.weekly_plans.filter(is_active=True).exists(),
            )
    except IntegrityError:
        # The same form's twin request committed between our look and our insert (or a
        # plan made at the same moment became the active one: this one is made inactive).
        twin = owner.weekly_plans.filter(creation_token=token).first() if token else None
        if twin is not None:
            return twin, False
        plan = WeeklyPlan.objects.create(owner=owner, name=name, notes=notes, creation_token=token)
    return plan, True


def _copy_items(
    plan: WeeklyPlan, items: Iterable[PlanItem | object], moves: Mapping[int, int] | None = None
) -> None:
    moves = moves or {}
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            weekday=moves.get(item.weekday, item.weekday),
            position=item.position,
            exercise_id=item.exercise_id,
            # A copy is at the same dose since the same day (a starter's item has no such day).
            dose_set_at=getattr(item, "dose_set_at", None),
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


def starter_days_fitted(*, starter: StarterPlan, pattern: Sequence[str]) -> dict[int, int]:
    """Where the starter's days go in this running week ({old weekday: new}), its spacing
    kept and no calf-heavy day before a long run or hard workout (`rules.fitted_days`)."""
    days: dict[int, bool] = {}
    for weekday, calf_heavy in starter.items.values_list("weekday", "exercise__calf_heavy"):
        days[weekday] = days.get(weekday, False) or calf_heavy
    # str(): a profile's RunType members hash by their name, not their value.
    return fitted_days(days=days, pattern=[str(run) for run in pattern])


@transaction.atomic
def starter_plan_copy(
    *,
    starter: StarterPlan,
    owner: User,
    token: uuid.UUID | None = None,
    pattern: Sequence[str] = (REST,) * 7,
) -> tuple[WeeklyPlan, dict[int, int]]:
    """A runner's copy of a starter plan, its days fitted to their running week; with
    the days that moved ({old weekday: new}), the same for the same token again."""
    moves = {
        old: new
        for old, new in starter_days_fitted(starter=starter, pattern=pattern).items()
        if old != new
    }
    plan, created = plan_create(
        owner=owner, name=starter.name[:80], notes=starter.summary, token=token
    )
    if created:
        _copy_items(plan, starter.items.order_by("weekday", "position", "pk"), moves)
    return plan, moves


@transaction.atomic
def generated_plan_save(
    *, owner: User, name: str, placements: Sequence[Placement], token: uuid.UUID | None = None
) -> WeeklyPlan:
    plan, created = plan_create(
        owner=owner, name=name, notes="Generated from your profile.", token=token
    )
    if created:
        # A placement's dose is the exercise's `library_dose` (through its facts): within a
        # plan's ranges, as an added item's is.
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
                extra_set_side=placement.extra_set_side,
                rest_seconds=placement.rest_seconds,
            )
            for placement in placements
        )
    return plan


@transaction.atomic
def plan_activate(*, plan: WeeklyPlan) -> None:
    # Lock all of the runner's plans, so two activations at once cannot both clear the
    # old one and then collide on the one-active rule.
    list(WeeklyPlan.objects.select_for_update().filter(owner_id=plan.owner_id).values_list("pk"))
    # Asked afresh, not from the rows locked: a plan made active while this waited for the
    # locks (a runner's first plan, made in another tab) is cleared too.
    WeeklyPlan.objects.filter(owner_id=plan.owner_id, is_active=True).exclude(pk=plan.pk).update(
        is_active=False
    )
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
        # Earlier sessions of this exercise (another plan, by hand) were at some other dose.
        dose_set_at=timezone.now(),
    )
    item.copy_dose_from(exercise)
    item.save()
    plan_touch(plan)
    return item, True


@transaction.atomic
def plan_item_save(*, item: PlanItem) -> None:
    """Save an item whose dose a form has checked and changed.

    A changed dose (not only its rest) restarts the suggestions' count of sessions at it:
    those done at the old dose are not judged as if done at this one.
    """
    plan = _locked(item.plan)
    saved = PlanItem.objects.select_for_update().get(pk=item.pk)
    fields = list(DOSE_FIELDS)
    if any(getattr(saved, name) != getattr(item, name) for name in DOSE_DEFINING_FIELDS):
        item.dose_set_at = timezone.now()
        fields.append("dose_set_at")
    item.save(update_fields=fields)
    plan_touch(plan)


@transaction.atomic
def plan_item_remove(*, item: PlanItem) -> RemovedPlanItem | None:
    """Remove an item, keeping what its Undo needs; None if it had been removed already (a
    double click whose twin got the plan's lock first)."""
    plan = _locked(item.plan)
    item = plan.items.filter(pk=item.pk).first()
    if item is None:
        return None
    now = timezone.now()
    plan.removed_items.filter(
        Q(item_pk=item.pk) | Q(removed_at__lt=now - timedelta(seconds=UNDO_REMOVE_SECONDS))
    ).delete()
    removal = RemovedPlanItem.objects.create(
        plan=plan,
        item_pk=item.pk,
        weekday=item.weekday,
        position=item.position,
        exercise_id=item.exercise_id,
        request_token=item.request_token,
        dose_set_at=item.dose_set_at,
        # Delete sets these links to null: the Undo sets them back.
        log_ids=list(item.logs.values_list("pk", flat=True)),
        dose_change_ids=list(item.dose_changes.values_list("pk", flat=True)),
        removed_at=now,
        **{field: getattr(item, field) for field in DOSE_FIELDS},
    )
    item.delete()
    _renumber(plan, item.weekday)
    plan_touch(plan)
    return removal


@transaction.atomic
def plan_item_restore(*, plan: WeeklyPlan, item_pk: int) -> tuple[PlanItem | None, bool]:
    """Put back an item removed from this plan within the last minute, in its day and place:
    (the item, True). The same Undo again (a double click, a retry) gives (the item, False);
    an item not removed from this plan, or too long ago, (None, False)."""
    plan = _locked(plan)
    removal = plan.removed_items.filter(item_pk=item_pk).first()
    if removal is None:
        return None, False
    if removal.restored_at is not None:
        return plan.items.select_related("exercise").filter(pk=item_pk).first(), False
    now = timezone.now()
    if removal.removed_at < now - timedelta(seconds=UNDO_REMOVE_SECONDS):
        return None, False
    token = removal.request_token
    item = PlanItem(
        pk=removal.item_pk,
        plan=plan,
        weekday=removal.weekday,
        position=_next_position(plan, removal.weekday),
        exercise_id=removal.exercise_id,
        # An add form posted again since (a retry) made another item with the same token.
        request_token=None if plan.items.filter(request_token=token).exists() else token,
        dose_set_at=removal.dose_set_at,
        **{field: getattr(removal, field) for field in DOSE_FIELDS},
    )
    item.save(force_insert=True)
    _place(plan, item, to=removal.position)
    # The log is training's, above this app: reached through the relation its ExerciseLog
    # declares onto the item (`logs`), as the remove above read it, never imported.
    item.logs.model.objects.filter(
        pk__in=removal.log_ids, plan_item=None, session__owner_id=plan.owner_id
    ).update(plan_item=item)
    DoseChange.objects.filter(
        pk__in=removal.dose_change_ids, plan_item=None, owner_id=plan.owner_id
    ).update(plan_item=item)
    removal.restored_at = now
    removal.save(update_fields=["restored_at"])
    plan_touch(plan)
    return PlanItem.objects.select_related("exercise").get(pk=item.pk), True


@transaction.atomic
def plan_item_move(*, item: PlanItem, step: int = 0, weekday: int | None = None) -> None:
    """Move an item one place up (step -1) or down (+1) its day, or to the end of another day."""
    plan = _locked(item.plan)
    _refreshed(item, plan)
    if weekday is not None and weekday != item.weekday:
        old_day = item.weekday
        item.weekday = weekday
        item.position = _next_position(plan, weekday)
        item.save(update_fields=["weekday", "position"])
        _renumber(plan, old_day)
    elif step:
        _place(plan, item, step=step)
    plan_touch(plan)


@transaction.atomic
def plan_item_place(*, item: PlanItem, to: int) -> int:
    """Put an item at place `to` (from 0) in its day, the board's up and down buttons: the
    same place asked twice (a double click, a retry) moves it once. Returns how many places
    it moved, negative for up, 0 if it was there already."""
    plan = _locked(item.plan)
    _refreshed(item, plan)
    shift = _place(plan, item, to=to)
    if shift:
        plan_touch(plan)
    return shift


def _place(plan: WeeklyPlan, item: PlanItem, *, to: int | None = None, step: int = 0) -> int:
    """Move `item` within its day to place `to`, or `step` places on, held to the day; the
    plan is locked. Returns how many places it moved."""
    # Renumbered, the day's items are in the order a fresh read would give.
    day = _renumber(plan, item.weekday)
    index = next(i for i, other in enumerate(day) if other.pk == item.pk)
    to = min(max(index + step if to is None else to, 0), len(day) - 1)
    if to != index:
        day.insert(to, day.pop(index))
        for position, other in enumerate(day):
            other.position = position
        PlanItem.objects.bulk_update(day[min(to, index) : max(to, index) + 1], ["position"])
    return to - index


@transaction.atomic
def plan_day_copy(
    *, plan: WeeklyPlan, from_weekday: int, to_weekday: int, token: uuid.UUID | None = None
) -> int:
    """Add copies of one day's items after those already on another day; returns how many.

    Each copy carries a token derived from the form's and its original's id (as an apply's
    records do): the same form again finds its copies and copies nothing more.
    """
    plan = _locked(plan)
    start = _next_position(plan, to_weekday)
    items = list(plan.items.filter(weekday=from_weekday).order_by("position", "pk"))
    tokens = dose_change_tokens(token, [item.pk for item in items]) if token else {}
    if tokens:
        copied = plan.items.filter(request_token__in=tokens.values()).count()
        if copied:
            return copied
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            weekday=to_weekday,
            position=start + offset,
            exercise_id=item.exercise_id,
            dose_set_at=item.dose_set_at,
            request_token=tokens.get(item.pk),
            **{field: getattr(item, field) for field in DOSE_FIELDS},
        )
        for offset, item in enumerate(items)
    )
    plan_touch(plan)
    return len(items)
