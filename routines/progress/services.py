"""Suggestions applied to the plan, and undone.

An apply locks the plan first, as every write to a plan does (`routines.plans.services`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from routines.plans.models import (
    CHANGED_DOSE_FIELDS,
    DoseChange,
    DoseChangeVerdict,
    PlanItem,
    WeeklyPlan,
    dose_record,
    dose_restore,
    load_stored,
)
from routines.plans.services import dose_change_tokens, plan_touch
from routines.training.models import (
    ExerciseLog,
)

from .suggestions import plan_suggestions

if TYPE_CHECKING:
    from datetime import date

    from footcare.accounts.models import User


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
        before = dose_record(item)
        exercise_before = item.exercise_id
        if suggestion.rung is not None:
            item.exercise_id = suggestion.rung.id
        else:
            for name in CHANGED_DOSE_FIELDS:
                setattr(item, name, getattr(suggestion.dose, name))
            if suggestion.dose.by_load:
                # The engine speaks the runner's unit; the item keeps kilograms.
                item.load = load_stored(suggestion.dose.load, item.weight_unit)
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
                dose_after=dose_record(item),
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
    PlanItem.objects.bulk_update(changed, ["exercise", *CHANGED_DOSE_FIELDS, "load"])
    plan_touch(plan)
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
        if not row.still_applied_to(item):
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
        dose_restore(item, row.dose_before)
        if item.exercise_id in done_since:
            item.dose_set_at = now
        row.undone_at = now
    PlanItem.objects.bulk_update(
        items.values(), ["exercise", *CHANGED_DOSE_FIELDS, "load", "dose_set_at"]
    )
    DoseChange.objects.bulk_update(pending, ["undone_at"])
    for plan in plans:
        plan_touch(plan)
    return "undone"
