"""Writes of the workout log: today's ticks, a session logged by hand, its edits.

A set is ticked by its number and every row is found or made under its unique constraint,
so a double tap, a retry or two tabs at once leave one row each.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from exercises.models import Exercise
from routines.plans.models import (
    RANGES,
    PlanItem,
    WeeklyPlan,
)

from .models import (
    LOG_MESSAGES,
    LOG_RANGES,
    ExerciseLog,
    SetLog,
    WorkoutSession,
)

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal

    from footcare.accounts.models import User


# The workout log ------------------------------------------------------------------------
#
# A set is ticked by its number, so the same tick again (a double tap, a retry after a
# timeout) changes that set and never adds one. The session and each exercise's log are
# found or made under their unique constraints, so two tabs making them at once end with
# one of each; the log's row is then locked so that two tabs ticking different sets both
# land and `sets_done` counts them both.


def _planned_unit(item: PlanItem) -> str:
    return item.unit


def _get_or_make(queryset, lookup: dict, defaults: dict):
    """Find the row, or make it; if a twin request made it first, find theirs."""
    found = queryset.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return queryset.create(**lookup, **defaults)
    except IntegrityError:
        # Only the twin's row explains the clash; any other (a broken constraint, a key
        # sequence behind its table) is raised as itself, not as a missing row.
        found = queryset.filter(**lookup).first()
        if found is None:
            raise
        return found


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
            "sets_planned": item.set_count,
            "load_note": item.load_note,
            "load": item.load,
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
            sets_planned=item.set_count,
            load_note=data["load_note"],
            load=data.get("load", item.load),
            pain=data["pain"],
            effort=data["effort"],
            skipped=data["skipped"],
        )
        log.clean()
        log.save()
        _set_rows(log, 0 if log.skipped else data["sets"], data["amount"], data["amount_right"])
        room = item.sets <= data["sets"] < RANGES["sets"][1]
        if item.extra_set and log.per_side and not log.skipped and room:
            # The plan's day as done includes the weaker side's extra set (its dose says it):
            # that side's amount, 0 for the other, after the sets of both.
            SetLog.objects.create(
                log=log,
                number=data["sets"] + 1,
                amount=data["amount"] if item.extra_set_side == "left" else 0,
                amount_right=(data["amount_right"] or 0) if item.extra_set_side == "right" else 0,
            )
            log.sets_done += 1
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
    load: Decimal | None = None,
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
    log.load = load
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
    load: Decimal | None = None,
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
    log.load = load
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
            "load",
            "pain",
            "effort",
            "skipped",
            "sets_done",
            "sets_planned",
        ]
    )
    return log
