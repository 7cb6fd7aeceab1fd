"""Writes that touch a plan and its items together.

Each one locks the plan's row first (`select_for_update`), so two requests changing the
same plan at once (two tabs, a double click) take turns and positions stay in order. A
form's hidden token makes a repeated create or add find the row the first one made.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from exercises.models import Exercise

from .models import (
    CHANGED_DOSE_FIELDS,
    DOSE_DEFINING_FIELDS,
    DOSE_FIELDS,
    LOG_MESSAGES,
    LOG_RANGES,
    UNDO_REMOVE_SECONDS,
    DoseChange,
    DoseChangeVerdict,
    ExerciseLog,
    PlanItem,
    RemovedPlanItem,
    SetLog,
    StarterPlan,
    Unit,
    WeeklyPlan,
    WorkoutSession,
    new_calendar_token,
)
from .rules import REST, fitted_days
from .suggestions import plan_suggestions, still_applied

if TYPE_CHECKING:
    from datetime import date

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
    _touch(plan)
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
    _touch(plan)


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
    _touch(plan)
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
    ExerciseLog.objects.filter(
        pk__in=removal.log_ids, plan_item=None, session__owner_id=plan.owner_id
    ).update(plan_item=item)
    DoseChange.objects.filter(
        pk__in=removal.dose_change_ids, plan_item=None, owner_id=plan.owner_id
    ).update(plan_item=item)
    removal.restored_at = now
    removal.save(update_fields=["restored_at"])
    _touch(plan)
    return PlanItem.objects.select_related("exercise").get(pk=item.pk), True


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
        _place(plan, item, step=step)
    _touch(plan)


@transaction.atomic
def plan_item_place(*, item: PlanItem, to: int) -> int:
    """Put an item at place `to` (from 0) in its day, the board's up and down buttons: the
    same place asked twice (a double click, a retry) moves it once. Returns how many places
    it moved, negative for up, 0 if it was there already."""
    plan = _locked(item.plan)
    item.refresh_from_db()
    shift = _place(plan, item, to=to)
    if shift:
        _touch(plan)
    return shift


def _place(plan: WeeklyPlan, item: PlanItem, *, to: int | None = None, step: int = 0) -> int:
    """Move `item` within its day to place `to`, or `step` places on, held to the day; the
    plan is locked. Returns how many places it moved."""
    _renumber(plan, item.weekday)
    day = list(plan.items.filter(weekday=item.weekday).order_by("position", "pk"))
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
    _touch(plan)
    return len(items)


# The workout log ------------------------------------------------------------------------
#
# A set is ticked by its number, so the same tick again (a double tap, a retry after a
# timeout) changes that set and never adds one. The session and each exercise's log are
# found or made under their unique constraints, so two tabs making them at once end with
# one of each; the log's row is then locked so that two tabs ticking different sets both
# land and `sets_done` counts them both.


def _planned_unit(item: PlanItem) -> str:
    return Unit.REPS if item.reps is not None else Unit.SECONDS


def _get_or_make(queryset, lookup: dict, defaults: dict):
    """Find the row, or make it; if a twin request made it first, find theirs."""
    found = queryset.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return queryset.create(**lookup, **defaults)
    except IntegrityError:
        return queryset.get(**lookup)


def today_session(*, runner: User, plan: WeeklyPlan, day: date) -> WorkoutSession:
    return _get_or_make(WorkoutSession.objects, {"owner": runner, "plan": plan, "date": day}, {})


def _today_log(*, runner: User, item: PlanItem, day: date) -> ExerciseLog:
    session = today_session(runner=runner, plan=item.plan, day=day)
    # The session's row first, then the log's, in the order an edit of the log takes them:
    # a tick and an edit at once took them crosswise and deadlocked on PostgreSQL.
    WorkoutSession.objects.select_for_update().get(pk=session.pk)
    log = _get_or_make(
        ExerciseLog.objects,
        {"session": session, "plan_item": item},
        {
            "exercise_id": item.exercise_id,
            "position": item.position,
            "unit": _planned_unit(item),
            "per_side": item.per_side,
            "sets_planned": item.sets,
            "load_note": item.load_note,
        },
    )
    return ExerciseLog.objects.select_for_update().select_related("session").get(pk=log.pk)


def _count_sets(log: ExerciseLog) -> None:
    log.sets_done = log.sets.count()
    log.save(update_fields=["sets_done"])


@transaction.atomic
def set_tick(
    *,
    runner: User,
    item: PlanItem,
    day: date,
    number: int,
    amount: int,
    amount_right: int | None = None,
) -> ExerciseLog:
    """Set `number` of today's item is done with these reps or seconds."""
    log = _today_log(runner=runner, item=item, day=day)
    SetLog.objects.update_or_create(
        log=log,
        number=number,
        defaults={
            "amount": amount,
            "amount_right": amount_right if log.per_side else None,
            "done_at": timezone.now(),
        },
    )
    log.skipped = False
    log.save(update_fields=["skipped"])
    _count_sets(log)
    return log


@transaction.atomic
def set_untick(*, runner: User, item: PlanItem, day: date, number: int) -> ExerciseLog:
    log = _today_log(runner=runner, item=item, day=day)
    log.sets.filter(number=number).delete()
    _count_sets(log)
    return log


@transaction.atomic
def today_log_update(*, runner: User, item: PlanItem, day: date, **changes: object) -> ExerciseLog:
    """Pain, effort, skipped, or the exercise for today (a swap): whichever is given."""
    log = _today_log(runner=runner, item=item, day=day)
    for field, value in changes.items():
        setattr(log, field, value)
    log.clean()
    log.save(update_fields=list(changes))
    return log


@transaction.atomic
def session_finish(*, session: WorkoutSession, notes: str | None = None) -> WorkoutSession:
    session = WorkoutSession.objects.select_for_update().get(pk=session.pk)
    if session.finished_at is None:
        session.finished_at = max(timezone.now(), session.started_at)
    if notes is not None:
        session.notes = notes
    session.save(update_fields=["finished_at", "notes"])
    return session


@transaction.atomic
def session_create(
    *, runner: User, day: date, notes: str = "", token: uuid.UUID | None = None
) -> WorkoutSession:
    """A session logged by hand; the same form token again returns the first one."""
    if token is None:
        return WorkoutSession.objects.create(owner=runner, date=day, notes=notes)
    return _get_or_make(
        WorkoutSession.objects,
        {"owner": runner, "client_token": token},
        {"date": day, "notes": notes},
    )


@transaction.atomic
def plan_day_log(
    *,
    runner: User,
    plan: WeeklyPlan,
    day: date,
    notes: str = "",
    token: uuid.UUID | None = None,
    entries: Sequence[tuple[PlanItem, Mapping[str, Any]]],
) -> WorkoutSession:
    """“I did Monday's plan”: a finished session of the plan on `day`, with a log per item
    as the runner confirmed or changed it, made in one step so that nothing is left half
    made. The same form token again returns the first session; another session of the plan
    on that day is refused (one session per plan and day).
    """
    if token is not None:
        existing = runner.workout_sessions.filter(client_token=token).first()
        if existing is not None:
            return existing
    taken = ValidationError({"date": "This plan already has a session on that day."})
    clash = runner.workout_sessions.filter(plan=plan, date=day).first()
    if clash is not None:
        # A twin that committed between the token's look-up and this one is this save.
        if token is not None and clash.client_token == token:
            return clash
        raise taken
    try:
        with transaction.atomic():
            session = WorkoutSession.objects.create(
                owner=runner, plan=plan, date=day, notes=notes, client_token=token
            )
    except IntegrityError:
        # A twin request made it first (the same token), or another made the plan's day.
        existing = runner.workout_sessions.filter(client_token=token).first() if token else None
        if existing is not None:
            return existing
        raise taken from None
    for item, data in entries:
        log = ExerciseLog(
            session=session,
            exercise_id=item.exercise_id,
            plan_item=item,
            position=item.position,
            unit=data["unit"],
            per_side=data["per_side"],
            sets_planned=item.sets,
            load_note=data["load_note"],
            pain=data["pain"],
            effort=data["effort"],
            skipped=data["skipped"],
        )
        log.clean()
        log.save()
        _set_rows(log, 0 if log.skipped else data["sets"], data["amount"], data["amount_right"])
        log.save(update_fields=["sets_done"])
    session.finished_at = session.started_at
    session.save(update_fields=["finished_at"])
    return session


def _set_rows(log: ExerciseLog, sets: int, amount: int, amount_right: int | None) -> None:
    log.sets.all().delete()
    SetLog.objects.bulk_create(
        SetLog(
            log=log,
            number=n,
            amount=amount,
            amount_right=amount_right if log.per_side else None,
        )
        for n in range(1, sets + 1)
    )
    log.sets_done = sets


@transaction.atomic
def exercise_log_save(
    *,
    session: WorkoutSession,
    exercise: Exercise,
    log: ExerciseLog | None = None,
    unit: str,
    per_side: bool,
    sets: int,
    amount: int,
    amount_right: int | None = None,
    load_note: str = "",
    pain: int | None = None,
    effort: int | None = None,
    skipped: bool = False,
    token: uuid.UUID | None = None,
) -> ExerciseLog:
    """Add an exercise to a session by hand, or rewrite one: every set the same.

    The add form's token again (a double click, a retry) finds the entry it added. A
    session full to its last position is refused with a ValidationError, nothing saved.
    """
    session = WorkoutSession.objects.select_for_update().get(pk=session.pk)
    if log is None:
        if token is not None:
            added = session.logs.filter(request_token=token).first()
            if added is not None:
                return added
        last = session.logs.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
        if position > LOG_RANGES["position"][1]:
            raise ValidationError(LOG_MESSAGES["position"])
        log = ExerciseLog(session=session, position=position, request_token=token)
    else:
        log = ExerciseLog.objects.select_for_update().get(pk=log.pk, session=session)
    log.exercise = exercise
    log.unit = unit
    log.per_side = per_side
    log.sets_planned = max(sets, log.sets_planned if log.pk else 1, 1)
    log.load_note = load_note
    log.pain = pain
    log.effort = effort
    log.skipped = skipped
    log.save()
    _set_rows(log, 0 if skipped else sets, amount, amount_right)
    log.save(update_fields=["sets_done"])
    return log


@transaction.atomic
def exercise_log_edit(
    *,
    log: ExerciseLog,
    unit: str,
    per_side: bool,
    set_changes: Mapping[int, tuple[int, int | None] | None],
    load_note: str = "",
    pain: int | None = None,
    effort: int | None = None,
    skipped: bool = False,
) -> ExerciseLog:
    """Change a logged exercise afterwards, set by set. `set_changes` holds only the sets the
    runner changed, by number: their new amount and right side, or None for a set removed.
    Every other set stays as it was (and keeps when it was done), so changing the pain alone
    writes no set, and a set ticked in another tab meanwhile survives. The same edit again
    changes nothing more. Marked skipped here, it keeps no sets, as when it was added skipped;
    one already skipped keeps the sets it has (/today/ keeps those ticked before Skip), so an
    edit of its pain alone writes no set, and a set changed there is changed.
    """
    WorkoutSession.objects.select_for_update().get(pk=log.session_id)
    log = ExerciseLog.objects.select_for_update().get(pk=log.pk)
    if skipped and not log.skipped:
        log.sets.all().delete()
    else:
        removed = [number for number, change in set_changes.items() if change is None]
        log.sets.filter(number__in=removed).delete()
        for number, change in set_changes.items():
            if change is not None:
                amount, amount_right = change
                SetLog.objects.update_or_create(
                    log=log,
                    number=number,
                    defaults={"amount": amount, "amount_right": amount_right if per_side else None},
                )
        if not per_side:
            log.sets.exclude(amount_right=None).update(amount_right=None)
    log.unit = unit
    log.per_side = per_side
    log.load_note = load_note
    log.pain = pain
    log.effort = effort
    log.skipped = skipped
    log.sets_done = log.sets.count()
    log.sets_planned = max(log.sets_done, log.sets_planned, 1)
    log.clean()
    log.save(
        update_fields=[
            "unit",
            "per_side",
            "load_note",
            "pain",
            "effort",
            "skipped",
            "sets_done",
            "sets_planned",
        ]
    )
    return log


# Suggestions applied to the plan ----------------------------------------------------------
#
# An apply carries the form's one-off token. Each plan item it changes gets its own
# DoseChange row, whose token is derived from the form's (uuid5 of it and the item's id): the
# owner's tokens stay unique, and the same form again finds its rows. Every row of one apply
# is stamped with the same `applied_at`, which is how an undo finds the whole apply.


@dataclass(frozen=True)
class ApplyOutcome:
    """`applied` (now), `already` (the same form before: nothing more done) or `stale`."""

    status: str
    changes: list[DoseChange] = dataclass_field(default_factory=list)


def dose_change_tokens(token: uuid.UUID, item_ids: Iterable[int]) -> dict[int, uuid.UUID]:
    return {pk: uuid.uuid5(token, str(pk)) for pk in item_ids}


def _changes_made(runner: User, tokens: dict[int, uuid.UUID]) -> list[DoseChange]:
    return list(
        DoseChange.objects.filter(owner=runner, request_token__in=tokens.values())
        .select_related("plan_item", "exercise_before", "exercise_after")
        .order_by("pk")
    )


@transaction.atomic
def suggestion_apply(
    *, runner: User, item_ids: list[int], fingerprint: str, token: uuid.UUID, today: date
) -> ApplyOutcome:
    """Apply the suggestion the runner saw for these items, if it is still the current one."""
    # The plan first, as every write to it does: an apply and a board edit take turns.
    plan = runner.weekly_plans.select_for_update().filter(is_active=True).first()
    tokens = dose_change_tokens(token, item_ids)
    done = _changes_made(runner, tokens)
    if done:
        return ApplyOutcome("already", done)
    if plan is None:
        return ApplyOutcome("stale")
    found = plan_suggestions(runner, today=today, for_update=True)
    wanted = sorted(item_ids)
    match = next((s for s in found if sorted(s.item_ids) == wanted), None)
    if match is None or match.fingerprint != fingerprint or not match.changes:
        return ApplyOutcome("stale")
    suggestion = match.suggestion
    now = timezone.now()
    rows, changed = [], []
    for item in match.items:
        before = {name: getattr(item, name) for name in CHANGED_DOSE_FIELDS}
        exercise_before = item.exercise_id
        if suggestion.rung is not None:
            item.exercise_id = suggestion.rung.id
        else:
            for name in CHANGED_DOSE_FIELDS:
                setattr(item, name, getattr(suggestion.dose, name))
        item.clean()
        changed.append(item)
        rows.append(
            DoseChange(
                owner=runner,
                plan_item=item,
                verdict=DoseChangeVerdict(str(suggestion.verdict)),
                reason=suggestion.reason,
                exercise_before_id=exercise_before,
                exercise_after_id=item.exercise_id,
                dose_before=before,
                dose_after={name: getattr(item, name) for name in CHANGED_DOSE_FIELDS},
                applied_at=now,
                request_token=tokens[item.pk],
            )
        )
    try:
        # The record first: should a twin request have got in, nothing is changed twice.
        with transaction.atomic():
            DoseChange.objects.bulk_create(rows)
    except IntegrityError:
        return ApplyOutcome("already", _changes_made(runner, tokens))
    PlanItem.objects.bulk_update(changed, ["exercise", *CHANGED_DOSE_FIELDS])
    _touch(plan)
    return ApplyOutcome("applied", _changes_made(runner, tokens))


@transaction.atomic
def dose_change_undo(*, change: DoseChange) -> str:
    """Put the items of one apply back: `undone`, `already` undone, or refused as `changed`
    since (another dose or rung) or `gone` (an item removed). Refused, nothing changes."""
    item_ids = list(
        DoseChange.objects.filter(owner_id=change.owner_id, applied_at=change.applied_at)
        .exclude(plan_item=None)
        .values_list("plan_item_id", flat=True)
    )
    # Plans, then the records, then the items: the order an apply locks them in.
    plans = WeeklyPlan.objects.filter(
        pk__in=PlanItem.objects.filter(pk__in=item_ids).values("plan_id")
    )
    # FOR UPDATE takes no DISTINCT on PostgreSQL: the plans by a subquery instead.
    list(plans.select_for_update())
    batch = list(
        DoseChange.objects.select_for_update()
        .filter(owner_id=change.owner_id, applied_at=change.applied_at)
        .order_by("pk")
    )
    pending = [row for row in batch if row.undone_at is None]
    if not pending:
        return "already"
    items = PlanItem.objects.select_for_update().in_bulk([row.plan_item_id for row in pending])
    for row in pending:
        item = items.get(row.plan_item_id)
        if item is None:
            return "gone"
        if not still_applied(row, item):
            return "changed"
    now = timezone.now()
    # Sessions of the exercise put back, done since the apply, were not at the dose put back:
    # the suggestions count afresh from now. Without any, the undone change simply no longer
    # counts, and the sessions before it are judged again.
    done_since = set(
        ExerciseLog.objects.filter(
            Q(session__started_at__gte=change.applied_at) | Q(sets__done_at__gte=change.applied_at),
            session__owner_id=change.owner_id,
            exercise_id__in={row.exercise_before_id for row in pending},
        ).values_list("exercise_id", flat=True)
    )
    for row in pending:
        item = items[row.plan_item_id]
        item.exercise_id = row.exercise_before_id
        for name in CHANGED_DOSE_FIELDS:
            setattr(item, name, row.dose_before[name])
        if item.exercise_id in done_since:
            item.dose_set_at = now
        row.undone_at = now
    PlanItem.objects.bulk_update(items.values(), ["exercise", *CHANGED_DOSE_FIELDS, "dose_set_at"])
    DoseChange.objects.bulk_update(pending, ["undone_at"])
    for plan in plans:
        _touch(plan)
    return "undone"
