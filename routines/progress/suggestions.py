"""Suggestions for the runner's active plan: the progression engine fed from the database.

`routines.progression` is pure; this module loads what it reads and hands it over. For each
distinct (exercise, dose) among the active plan's items, one `ExerciseHistory`:

- **sessions**: every log of that exercise in the runner's sessions of the last
  `HISTORY_DAYS` days (by hand, on another plan, or for these items: it is the exercise the
  runner did), but not those done for a plan item at another dose; newest first,
  with its planned sets, its sets done, pain, effort and skipped.
- **check-ins**: the runner's mornings (pain and stiffness) from `CHECK_IN_DAYS` back to
  today, enough for the engine's "usual morning pain" (14 days before the last session) of
  any session loaded.
- **rungs**: the easier and harder exercise one rung away along the main branch
  (`Ladders.next_rung`), among published exercises only, and only those that need no
  equipment the runner's profile does not list.
- **current_since**: the day of the latest applied, not undone, `DoseChange` of those items,
  or of their `dose_set_at` (the dose set by hand on the board, or put back by an undo after
  sessions at the undone dose) if later. If a session of that exercise on the same day
  started before then, it was done at the old dose, so the day after. With neither, None:
  every session counts.

The loader runs `QUERIES` queries however long the history and however many items.
`suggestions_context(request)` gives a page everything `templates/progress/_suggestions.html`
needs; /today/ includes it, and any other page (/progress/) can do the same::

    context.update(suggestions_context(request))
    {% include "progress/_suggestions.html" %}
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import CharField, F, Max, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from exercises.models import Exercise, ExerciseTip, TipKind
from exercises.published import PublishedLadders, published_ladders
from footcare import clock
from footcare.accounts.models import RunnerProfile
from routines.plans.models import (
    CHANGED_DOSE_FIELDS,
    DAY_NAMES,
    DoseChange,
    PlanItem,
    load_shown,
)
from routines.training.models import ExerciseLog

from . import progression
from .progression import CheckIn, Dose, ExerciseHistory, LoggedSession, Suggestion, Verdict

if TYPE_CHECKING:
    from footcare.accounts.models import User
    from footcare.http import HtmxHttpRequest

    from .figures import MorningsRead

HISTORY_DAYS = 28
# The plan item's fields the engine's `Dose` reads and compares (how a dose grows,
# `by_load` and `load_unit`, comes from the exercise and the profile).
ENGINE_DOSE_FIELDS = tuple(each.name for each in fields(Dose) if each.compare)
CHECK_IN_DAYS = HISTORY_DAYS + 14
# What the suggestions read of an item's exercise (the cards its name, the engine how it
# grows); any other field is read from the database if asked for.
EXERCISE_FIELDS = ("name", "slug", "status", "progress_by_load")
# Items (with each one's latest applied change, and the runner's equipment), logs, check-ins,
# the published ladders with their names and the published exercises' safety tips (one cache
# read: the same for every runner, kept under the content version, `exercises.published`).
# One more for the safety tips of a card's exercise that is not published (a draft still in
# a plan). An apply (`for_update`) reads the latest changes after locking the items: one more.
QUERIES = 4
# Step back first (it matters most), then progress; what stays the same comes last.
ORDER = {Verdict.STEP_BACK: 0, Verdict.PROGRESS: 1, Verdict.HOLD: 2, Verdict.NOT_ENOUGH_DATA: 3}


@dataclass(frozen=True)
class PlanSuggestion:
    """One suggestion for the plan items that share an exercise and a dose."""

    items: tuple[PlanItem, ...]
    exercise: Exercise
    dose: Dose
    suggestion: Suggestion
    fingerprint: str
    # The safety tips of the exercise the runner would be doing (the rung offered, else this
    # one): the card shows them beside the change (issue 24).
    safety_tips: tuple[str, ...] = ()
    # The Apply form's one-off token: posting that form again changes nothing more.
    token: uuid.UUID = field(default_factory=uuid.uuid4, compare=False)

    @property
    def verdict(self) -> Verdict:
        return self.suggestion.verdict

    @property
    def reason(self) -> str:
        return self.suggestion.reason

    @property
    def changes(self) -> bool:
        """Only a move to a rung or a new dose (a new weight too) can be applied; the rest is
        advice to read."""
        return self.verdict in (Verdict.PROGRESS, Verdict.STEP_BACK) and bool(
            self.suggestion.rung or self.suggestion.dose
        )

    @property
    def change_text(self) -> str:
        """“3 × 12 → 3 × 14” or “→ Single-leg calf raise”."""
        if self.suggestion.rung is not None:
            return f"→ {self.suggestion.rung.name}"
        if self.suggestion.dose is not None:
            return f"{self.dose} → {self.suggestion.dose}"
        return ""

    @property
    def days(self) -> str:
        return ", ".join(DAY_NAMES[item.weekday][:3] for item in self.items)

    @property
    def item_ids(self) -> list[int]:
        return [item.pk for item in self.items]


def engine_dose(values: dict, unit: str, *, by_load: bool = False) -> Dose:
    """A dose as the engine reads it, from a plan item's `ENGINE_DOSE_FIELDS`: its weight
    (stored in kg) in the runner's unit, as the runner reads it."""
    return Dose(
        **{**values, "load": load_shown(values.get("load"), unit)}, by_load=by_load, load_unit=unit
    )


def dose_of(item: PlanItem, unit: str = "kg") -> Dose:
    """A plan item's dose as the engine reads it."""
    return engine_dose(
        {name: getattr(item, name) for name in ENGINE_DOSE_FIELDS},
        unit,
        by_load=item.exercise.progress_by_load,
    )


def fingerprint(
    *, exercise_id: int, dose: Dose, item_ids: list[int], suggestion: Suggestion
) -> str:
    """What the runner saw and would apply; a different one at apply time is a stale page."""
    target: object = None
    if suggestion.rung is not None:
        target = ["rung", suggestion.rung.id]
    elif suggestion.dose is not None:
        target = ["dose", _dose_key(suggestion.dose)]
    data = [exercise_id, _dose_key(dose), sorted(item_ids), str(suggestion.verdict), target]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:32]


def _dose_key(dose: Dose) -> list:
    load = None if dose.load is None else str(dose.load)
    return [dose.sets, dose.reps, dose.hold_seconds, dose.duration_seconds, dose.per_side, load]


def current_since(change_at: datetime, same_day_session_starts: list[datetime]) -> date:
    """The first day at the dose a change set: its own day, or the next if that day's session
    started before the change (it was done at the old dose)."""
    day = timezone.localdate(change_at)
    if any(started < change_at for started in same_day_session_starts):
        return day + timedelta(days=1)
    return day


def plan_suggestions(
    runner: User,
    *,
    today: date,
    for_update: bool = False,
    mornings_read: MorningsRead | None = None,
    ladders: PublishedLadders | None = None,
) -> list[PlanSuggestion]:
    """A suggestion for each distinct (exercise, dose) of the runner's active plan.

    `for_update` locks the items (inside the caller's transaction), for an apply.
    `mornings_read`: the runner's mornings as the page has read them already (/progress/
    has, `figures.Progress.check_ins`): if they go back `CHECK_IN_DAYS` or more, they are
    not asked for again. `ladders`: the published ladders as the page has read them already
    (/today/ has, for its swap buttons).
    """
    items_qs = (
        PlanItem.objects.filter(plan__owner=runner, plan__is_active=True)
        # The runner's unit of weight for the load, and what the cards and the engine read
        # of the exercise, in the same query: one `Exercise` per exercise, not per item.
        .annotate(
            weight_unit=F("plan__owner__runner_profile__weight_unit"),
            **{f"exercise_{name}": F(f"exercise__{name}") for name in EXERCISE_FIELDS},
            # The runner's equipment, "3,7" (the same on every row), for the rungs offered.
            equipment=Subquery(
                RunnerProfile.equipment.through.objects.filter(runnerprofile__user=runner)
                .order_by()
                .values("runnerprofile_id")
                .annotate(ids=StringAgg(Cast("equipment_id", CharField()), Value(",")))
                .values("ids")
            ),
        )
        .order_by("weekday", "position", "pk")
    )
    if for_update:
        items_qs = items_qs.select_for_update(of=("self",))
    else:
        # Each item's latest applied, not undone, change, in the same query. An apply reads
        # them in a statement of its own once the items are locked (below): a change
        # committed while it waited for the lock is then seen.
        items_qs = items_qs.annotate(
            latest_change=Subquery(
                DoseChange.objects.filter(
                    plan_item=OuterRef("pk"), owner=runner, undone_at__isnull=True
                )
                .order_by("-applied_at")
                .values("applied_at")[:1]
            )
        )
    items = list(items_qs)
    if not items:
        return []
    unit = items[0].weight_unit
    exercises: dict[int, Exercise] = {}
    groups: dict[tuple[int, Dose], list[PlanItem]] = defaultdict(list)
    # Each item's dose, for the sessions done for it below.
    doses: dict[int, Dose] = {}
    for item in items:
        exercise = exercises.get(item.exercise_id)
        if exercise is None:
            exercise = exercises[item.exercise_id] = Exercise.from_db(
                items_qs.db,
                ["id", *EXERCISE_FIELDS],
                [item.exercise_id, *(getattr(item, f"exercise_{n}") for n in EXERCISE_FIELDS)],
            )
        item.exercise = exercise
        dose = dose_of(item, unit)
        group = groups[(item.exercise_id, dose)]
        # The group's own dose: a session done for any of its items is at it (`is`).
        doses[item.pk] = dose if not group else doses[group[0].pk]
        group.append(item)
    exercise_ids = set(exercises)

    first_day = today - timedelta(days=HISTORY_DAYS)
    logs = list(
        ExerciseLog.objects.filter(
            session__owner=runner,
            session__date__gte=first_day,
            session__date__lte=today,
            exercise_id__in=exercise_ids,
        )
        .values_list(
            "exercise_id",
            "session__date",
            "session__started_at",
            "sets_planned",
            "sets_done",
            "pain",
            "effort",
            "skipped",
            "plan_item_id",
            *(f"plan_item__{name}" for name in ENGINE_DOSE_FIELDS),
        )
        .order_by("-session__date", "-session__started_at", "-pk")
    )
    # Each session with the dose of the plan item it was done for, if any. One done for an
    # item at another dose of the exercise (3 × 12 on Monday, 3 × 20 on Thursday, or another
    # plan's) was not at this dose: never judged here, though its pain above 5 still stops
    # this one progressing. One logged by hand is the runner's word: judged at any dose.
    sessions: dict[int, list[tuple[Dose | None, LoggedSession]]] = defaultdict(list)
    starts: dict[tuple[int, date], list[datetime]] = defaultdict(list)
    # The dose a session was done at is its item's, worked out once an item: the active
    # plan's are above (how a dose grows is no part of it), another plan's from the join.
    done_doses = dict(doses)
    for exercise_id, day, started, planned, done, pain, effort, skipped, item_id, *at in logs:
        logged = LoggedSession(day, planned, done, pain, effort, skipped)
        done_at = None
        if item_id:
            done_at = done_doses.get(item_id)
            if done_at is None:
                done_at = done_doses[item_id] = engine_dose(
                    dict(zip(ENGINE_DOSE_FIELDS, at, strict=True)), unit
                )
        sessions[exercise_id].append((done_at, logged))
        starts[exercise_id, day].append(started)

    first_check_in = today - timedelta(days=CHECK_IN_DAYS)
    if mornings_read is not None and mornings_read[0] <= first_check_in:
        mornings: Iterable[tuple[date, int | None, int | None]] = mornings_read[1]
    else:
        mornings = (
            runner.check_ins.between(first_check_in, today)
            .order_by("date")
            .values_list("date", "pain", "stiffness")
        )
    check_ins = tuple(
        CheckIn(day, pain, stiffness)
        for day, pain, stiffness in mornings
        if first_check_in <= day <= today
    )

    # The published ladders, with their rungs' names (the same for everyone: the cache's),
    # and which ends the runner's equipment allows.
    ladders = ladders or published_ladders()
    graph = ladders.graph
    usable = ladders.usable_with(int(pk) for pk in (items[0].equipment or "").split(",") if pk)

    # Each item's latest applied, not undone, change (aggregated by the database).
    if for_update:
        latest_change: dict[int, datetime] = dict(
            DoseChange.objects.filter(
                owner=runner,
                plan_item__plan__owner=runner,
                plan_item__plan__is_active=True,
                undone_at__isnull=True,
            )
            .order_by()
            .values("plan_item_id")
            .annotate(latest=Max("applied_at"))
            .values_list("plan_item_id", "latest")
        )
    else:
        latest_change = {
            item.pk: item.latest_change for item in items if item.latest_change is not None
        }

    found = []
    histories = []
    for (exercise_id, dose), group in groups.items():
        # The latest applied change, or the latest time the dose was set by hand (an undo
        # after sessions at the undone dose counts as one): sessions before are not judged.
        changed = [latest_change[item.pk] for item in group if item.pk in latest_change]
        changed += [item.dose_set_at for item in group if item.dose_set_at is not None]
        since = None
        if changed:
            at = max(changed)
            since = current_since(at, starts.get((exercise_id, timezone.localdate(at)), []))
        easier, harder = progression.rungs_around(exercise_id, graph, usable)
        history = ExerciseHistory(
            dose=dose,
            sessions=tuple(
                logged
                if done_at is None or done_at is dose or done_at == dose
                else replace(logged, at_this_dose=False)
                for done_at, logged in sessions.get(exercise_id, ())
            ),
            check_ins=check_ins,
            easier=easier,
            harder=harder,
            current_since=since,
        )
        histories.append((exercise_id, dose, group, progression.suggest(history)))

    def doing(exercise_id: int, suggestion: Suggestion) -> int:
        return suggestion.rung.id if suggestion.rung is not None else exercise_id

    # The safety tips of the exercises the suggestions lead to: a published one's are kept
    # with the ladders; only one taken back to draft while still in a plan is asked for.
    tips: dict[int, tuple[str, ...]] = {}
    unpublished = set()
    for exercise_id, _, _, suggestion in histories:
        pk = doing(exercise_id, suggestion)
        kept = ladders.safety_tips_of(pk)
        if kept is None:
            unpublished.add(pk)
        else:
            tips[pk] = kept
    if unpublished:
        asked: dict[int, list[str]] = defaultdict(list)
        for exercise_id, text in (
            ExerciseTip.objects.filter(kind=TipKind.SAFETY, exercise__in=unpublished)
            .order_by("order", "pk")
            .values_list("exercise_id", "text")
        ):
            asked[exercise_id].append(text)
        tips.update((pk, tuple(texts)) for pk, texts in asked.items())
    for exercise_id, dose, group, suggestion in histories:
        ids = [item.pk for item in group]
        found.append(
            PlanSuggestion(
                items=tuple(group),
                exercise=group[0].exercise,
                dose=dose,
                suggestion=suggestion,
                fingerprint=fingerprint(
                    exercise_id=exercise_id, dose=dose, item_ids=ids, suggestion=suggestion
                ),
                safety_tips=tips.get(doing(exercise_id, suggestion), ()),
            )
        )
    found.sort(key=lambda s: (ORDER[s.verdict], s.items[0].weekday, s.items[0].position))
    return found


def safe_next(request: HtmxHttpRequest, default: str | None = None) -> str:
    """The page the form came from, if it is ours; else /today/."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site only: "today" (no slash) was taken for a view's name, and failed.
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default or reverse("log:today")


RECENT_FIELDS = (
    "owner_id",
    "plan_item_id",
    "verdict",
    "reason",
    "exercise_before_id",
    "exercise_after_id",
    "dose_before",
    "dose_after",
    "applied_at",
    "undone_at",
)


def recent_changes(runner: User, *, today: date) -> list[DoseChange]:
    """Today's applied, not undone, changes: the ones a runner may want to take back now."""
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    return list(
        DoseChange.objects.filter(owner=runner, undone_at__isnull=True, applied_at__gte=start)
        .exclude(plan_item=None)
        .select_related("plan_item", "exercise_before", "exercise_after")
        # What the Undo rows say (`change_summary`), not the exercises' long texts.
        .only(
            *RECENT_FIELDS,
            "plan_item__per_side",
            "plan_item__weekday",
            "exercise_before__name",
            "exercise_after__name",
        )
        .order_by("-applied_at", "pk")
    )


@dataclass(frozen=True)
class AppliedBatch:
    """The changes one apply made together, and that apply in words for its Undo row."""

    changes: list[DoseChange]
    summary: str

    @property
    def first(self) -> DoseChange:
        return self.changes[0]


def batches(changes: list[DoseChange], unit: str = "kg") -> list[AppliedBatch]:
    """Changes made by one apply together (one `applied_at` stamps them all), newest first."""
    grouped: dict[datetime, list[DoseChange]] = {}
    for change in changes:
        grouped.setdefault(change.applied_at, []).append(change)
    return [AppliedBatch(batch, change_summary(batch, unit=unit)) for batch in grouped.values()]


def suggestions_context(
    request: HtmxHttpRequest,
    *,
    today: date | None = None,
    next_url: str | None = None,
    check_ins: MorningsRead | None = None,
    ladders: PublishedLadders | None = None,
) -> dict:
    """What `_suggestions.html` needs, for any page that shows the runner's suggestions.

    `next_url` is where its forms come back to: by default the page being drawn;
    `check_ins` the mornings and `ladders` the published ladders the page has read already
    (`plan_suggestions`).
    """
    day = today or clock.today()
    found = plan_suggestions(request.user, today=day, mornings_read=check_ins, ladders=ladders)
    return {
        "suggestions": [s for s in found if s.changes],
        "suggestions_kept": [
            s for s in found if not s.changes and s.verdict != Verdict.NOT_ENOUGH_DATA
        ],
        # Said in one line, with what the runner can do, however many there are.
        "suggestions_waiting": [s for s in found if s.verdict == Verdict.NOT_ENOUGH_DATA],
        "suggestions_count": len(found),
        "suggestions_applied": batches(
            recent_changes(request.user, today=day), request.user.runner_profile.weight_unit
        ),
        "suggestions_next": next_url or request.get_full_path(),
    }


def _dose_text(fields: dict, per_side: bool, unit: str) -> str:
    values = {name: fields.get(name) for name in CHANGED_DOSE_FIELDS}
    load = fields.get("load")
    values["load"] = None if load is None else Decimal(load)
    values["per_side"] = per_side
    return str(engine_dose(values, unit))


def change_summary(changes: list[DoseChange], *, unit: str = "kg", undone: bool = False) -> str:
    """One apply (or its undo) in words: “Made harder: Calf raise is now 3 × 14 (from 3 × 12).”,
    a weight in the runner's unit."""
    change = changes[0]
    per_side = change.plan_item.per_side if change.plan_item else False
    before = _dose_text(change.dose_before, per_side, unit)
    after = _dose_text(change.dose_after, per_side, unit)
    name_before, name_after = change.exercise_before.name, change.exercise_after.name
    if undone:
        if change.exercise_before_id != change.exercise_after_id:
            return f"Undone: {name_before} is back in place of {name_after}, at {before}."
        return f"Undone: {name_before} is back to {before}."
    label = change.get_verdict_display()
    label = label[0].upper() + label[1:]
    if change.exercise_before_id != change.exercise_after_id:
        return f"{label}: {name_after} in place of {name_before}, at {after}."
    return f"{label}: {name_after} is now {after} (from {before})."
