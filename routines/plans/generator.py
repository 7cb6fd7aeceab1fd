"""The plan generator: a week of strength work fitted to a runner's running week.

A pure function over plain data (`routines.plans.rules.ExerciseFacts` and the profile's
values), so the same inputs always give the same plan, and the rules are tested with
tables. The rules, in order:

* strength goes on rest and easy days, spread as evenly over the week as they allow;
* nothing calf-heavy the day before a long run or a hard workout, and a day between
  calf-heavy days (a loaded tendon wants about 48 hours);
* only exercises whose equipment is at hand; on each ladder, the rung that fits the
  runner's experience;
* each day's first picks cover a region (foot, calf, shin, hip) the week lacks so far,
  exercises for the runner's conditions before others; none more often than its
  suggested sessions a week; each day within the minutes asked for.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .models import CHANGED_DOSE_FIELDS, RANGES, dose_seconds
from .rules import (
    DAY_NAMES,
    DEMANDING_RUNS,
    EASY,
    REST,
    RUN_LABELS,
    ExerciseFacts,
    calf_days_too_close,
    next_day,
)

REGIONS = ("foot", "calf", "shin", "hip_thigh")
REGION_LABELS = {"foot": "foot", "calf": "calf", "shin": "shin", "hip_thigh": "hip"}
# The hardest level each experience starts at; a ladder's rung is the highest within it.
LEVEL_CAP = {"new": 2, "some": 3, "regular": 5}
# Tendons adapt more slowly than muscles: whatever the gym experience, a calf-heavy rung
# starts at this level or below (gym strength says little about an Achilles' capacity).
TENDON_START_LEVEL = 3
# Our judgement, not a published cut-off: the calf capacity test's weaker side sets how
# high a calf-heavy ladder starts. Under 10 slow single-leg raises, no calf-heavy rung at
# all (the ladder starts on both feet); under 20, level 2 (a single-leg raise on flat
# ground); otherwise up to TENDON_START_LEVEL.
CAPACITY_LEVELS = ((10, 0), (20, 2))
EXPERIENCE_WORDS = {
    "new": "someone new to strength work",
    "some": "someone with some strength work behind them",
    "regular": "someone who does strength work regularly",
}
SESSIONS_RANGE = (2, 4)
MINUTES_RANGE = (10, 30)
REST_SECONDS = 60


@dataclass(frozen=True)
class Placement:
    weekday: int
    position: int
    exercise_id: int
    name: str
    slug: str
    sets: int
    reps: int | None
    hold_seconds: int | None
    duration_seconds: int | None
    per_side: bool
    rest_seconds: int
    seconds: int
    reason: str
    extra_set_side: str = ""


@dataclass
class DayPlan:
    weekday: int
    run: str
    placements: list[Placement] = field(default_factory=list)
    note: str = ""

    @property
    def name(self) -> str:
        return DAY_NAMES[self.weekday]

    @property
    def run_label(self) -> str:
        return RUN_LABELS[self.run]

    @property
    def minutes(self) -> int:
        return -(-sum(p.seconds for p in self.placements) // 60)


@dataclass(frozen=True)
class HurtingNow:
    """A condition the runner says hurts now, with the library's advice for it."""

    name: str
    advice: str
    plan_allowed: bool
    url: str = ""

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class CalfTestResult:
    """The latest calf capacity test: the weaker side's raises, and that side when it is
    more than 10 % behind the other (else None)."""

    weaker: int
    flagged_side: str | None = None


@dataclass
class Proposal:
    days: list[DayPlan]
    notes: list[str]
    hurting: list[HurtingNow] = field(default_factory=list)

    @property
    def stopped_by(self) -> list[HurtingNow]:
        """The conditions hurting now whose advice is to get assessed before training."""
        return [h for h in self.hurting if not h.plan_allowed]

    @property
    def placements(self) -> list[Placement]:
        return [p for day in self.days for p in day.placements]


def _dose(exercise: ExerciseFacts) -> dict[str, int | bool | None]:
    """The exercise's dose as a generated plan holds it: its facts' (the library dose within
    a plan's ranges), with the generator's rest between sets."""
    return {
        **{field: getattr(exercise, field) for field in CHANGED_DOSE_FIELDS},
        "per_side": exercise.per_side,
        "rest_seconds": REST_SECONDS,
    }


def extra_set_side(exercise: ExerciseFacts, calf_test: CalfTestResult | None) -> str:
    """The side that gets one more set of this exercise: the calf test's weaker side, when
    it is more than 10 % behind, on one-sided calf-heavy work with room for a set more."""
    if (
        calf_test is None
        or not calf_test.flagged_side
        or not (exercise.calf_heavy and exercise.per_side)
        or exercise.sets >= RANGES["sets"][1]
    ):
        return ""
    return calf_test.flagged_side


def _seconds(exercise: ExerciseFacts, calf_test: CalfTestResult | None = None) -> int:
    """How long that dose takes: a plan item's own sum (`dose_seconds`), the weaker side's
    extra set included."""
    return dose_seconds(**_dose(exercise), extra_set=bool(extra_set_side(exercise, calf_test)))


def choose_days(pattern: Sequence[str], sessions: int) -> list[int]:
    """The rest and easy days to train on: as evenly spread as possible, rest days first."""
    allowed = [d for d in range(7) if pattern[d] in (REST, EASY)]
    count = min(sessions, len(allowed))
    if count == 0:
        return []

    def score(days: tuple[int, ...]) -> tuple:
        gaps = [((days[(i + 1) % len(days)] - day) % 7) or 7 for i, day in enumerate(days)]
        rest_days = sum(pattern[d] == REST for d in days)
        return (-min(gaps), -rest_days, days)

    return list(min(itertools.combinations(allowed, count), key=score))


def capacity_level(calf_raises: int | None) -> int:
    """The highest calf-heavy level the calf test allows (None: no test yet)."""
    if calf_raises is not None:
        for below, level in CAPACITY_LEVELS:
            if calf_raises < below:
                return level
    return TENDON_START_LEVEL


def starting_level(exercise: ExerciseFacts, experience: str, calf_raises: int | None = None) -> int:
    """The hardest level this exercise may start at for this experience (and calf test)."""
    cap = LEVEL_CAP.get(experience, LEVEL_CAP["new"])
    if not exercise.calf_heavy:
        return cap
    return min(cap, TENDON_START_LEVEL, capacity_level(calf_raises))


def fitting_rungs(
    exercises: Sequence[ExerciseFacts], experience: str, calf_raises: int | None = None
) -> list[ExerciseFacts]:
    """One exercise per ladder: the hardest rung within the experience's level, else the
    easiest; a calf-heavy rung never above `TENDON_START_LEVEL`, not even as the easiest."""
    chosen: list[ExerciseFacts] = []
    ladders: dict[int, list[ExerciseFacts]] = {}
    for exercise in exercises:
        if exercise.ladder is None:
            ladders[-exercise.id - 1] = [exercise]  # a ladder of its own, apart from real ids
        else:
            ladders.setdefault(exercise.ladder, []).append(exercise)
    for rungs in ladders.values():
        rungs.sort(key=lambda e: (e.rung, e.level, e.name))
        within = [e for e in rungs if e.level <= starting_level(e, experience, calf_raises)]
        if within:
            chosen.append(within[-1])
        elif not rungs[0].calf_heavy or rungs[0].level <= capacity_level(calf_raises):
            chosen.append(rungs[0])
    return sorted(chosen, key=lambda e: (e.name, e.id))


def generate_plan(
    *,
    pattern: Sequence[str],
    exercises: Sequence[ExerciseFacts],
    conditions: Mapping[str, str],
    equipment: frozenset[str],
    experience: str,
    sessions: int,
    minutes: int,
    hurting: Sequence[HurtingNow] = (),
    calf_test: CalfTestResult | None = None,
) -> Proposal:
    """Propose a week. `conditions` maps the runner's condition slugs to their names.

    A condition in `hurting` whose advice is not to train with it now (a stress fracture, a
    fresh sprain) stops the plan: every exercise here loads the foot, ankle and lower leg,
    so its affected area is the whole plan. The proposal then holds only that advice.
    """
    notes: list[str] = []
    hurting = list(hurting)
    if any(not h.plan_allowed for h in hurting):
        return Proposal(
            days=[DayPlan(weekday=d, run=pattern[d]) for d in range(7)], notes=[], hurting=hurting
        )
    at_hand = [e for e in exercises if e.published and e.equipment <= equipment]
    calf_raises = calf_test.weaker if calf_test else None
    pool = fitting_rungs(at_hand, experience, calf_raises)
    days = choose_days(pattern, sessions)
    if len(days) < sessions:
        notes.append(
            f"Your week has {len(days)} rest or easy day{'s' if len(days) != 1 else ''}, "
            f"so the plan has {len(days)} session{'s' if len(days) != 1 else ''}, "
            f"not {sessions}: strength work stays off long runs and hard workouts."
        )
    budget = minutes * 60
    used: Counter[int] = Counter()
    covered: set[str] = set()
    calf_days: set[int] = set()
    plan_days = [DayPlan(weekday=d, run=pattern[d]) for d in range(7)]

    for weekday in days:
        day = plan_days[weekday]
        tomorrow = pattern[next_day(weekday)]
        spent = 0
        picked: list[tuple[ExerciseFacts, str]] = []
        calf_neighbour = next((d for d in calf_days if calf_days_too_close(weekday, d)), None)
        calf_allowed = tomorrow not in DEMANDING_RUNS and calf_neighbour is None
        while True:
            candidates = [
                e
                for e in pool
                if e.id not in {p.id for p, _ in picked}
                and used[e.id] < e.sessions_per_week
                and (calf_allowed or not e.calf_heavy)
                and (not picked or spent + _seconds(e, calf_test) <= budget)
            ]
            if not candidates:
                break

            best = min(
                candidates,
                key=lambda e, covered=frozenset(covered): _rank(e, covered, conditions, used),
            )
            reason = _reason(best, day, tomorrow, conditions, covered, experience, calf_test)
            picked.append((best, reason))
            used[best.id] += 1
            covered |= best.regions
            spent += _seconds(best, calf_test)
        if tomorrow in DEMANDING_RUNS:
            day.note = f"Nothing calf-heavy: tomorrow is your {RUN_LABELS[tomorrow].lower()}."
        elif calf_neighbour is not None:
            day.note = (
                f"Nothing calf-heavy: {DAY_NAMES[calf_neighbour]} loads the calves, and a "
                "tendon wants about 48 hours between hard sessions."
            )
        if any(e.calf_heavy for e, _ in picked):
            calf_days.add(weekday)
        # The runner's conditions first in the day's order.
        picked.sort(key=lambda pair: -len(pair[0].conditions & conditions.keys()))
        day.placements = [
            Placement(
                weekday=weekday,
                position=position,
                exercise_id=e.id,
                name=e.name,
                slug=e.slug,
                **_dose(e),
                extra_set_side=extra_set_side(e, calf_test),
                seconds=_seconds(e, calf_test),
                reason=reason,
            )
            for position, (e, reason) in enumerate(picked)
        ]

    missing = [REGION_LABELS[r] for r in REGIONS if r not in covered]
    if days and missing:
        notes.append("No exercise for your equipment and week covers: " + ", ".join(missing) + ".")
    return Proposal(days=plan_days, notes=notes, hurting=hurting)


def _rank(
    exercise: ExerciseFacts,
    covered: frozenset[str],
    conditions: Mapping[str, str],
    used: Counter[int],
) -> tuple:
    """Lowest first: a region the week lacks, then the runner's conditions, then the least used."""
    new_regions = (exercise.regions & set(REGIONS)) - covered
    matches = len(exercise.conditions & conditions.keys())
    return (
        not new_regions,
        -matches,
        used[exercise.id],
        exercise.level,
        exercise.name,
        exercise.id,
    )


def _reason(
    exercise: ExerciseFacts,
    day: DayPlan,
    tomorrow: str,
    conditions: Mapping[str, str],
    covered: set[str],
    experience: str,
    calf_test: CalfTestResult | None = None,
) -> str:
    parts = []
    helps = sorted(conditions[slug] for slug in exercise.conditions & conditions.keys())
    if helps:
        parts.append("May help with " + " and ".join(helps))
    new = [REGION_LABELS[r] for r in REGIONS if r in exercise.regions and r not in covered]
    if new:
        parts.append("first " + " and ".join(new) + " work of the week")
    parts.append(f"on your {day.run_label.lower()}")
    if exercise.calf_heavy:
        parts.append(f"{RUN_LABELS[tomorrow].lower()} tomorrow, so calves have time")
    if exercise.ladder is not None:
        parts.append(f"the rung of its ladder for {EXPERIENCE_WORDS.get(experience, '')}")
        if exercise.calf_heavy and LEVEL_CAP.get(experience, 0) > TENDON_START_LEVEL:
            parts.append(
                f"tendon work starts at level {TENDON_START_LEVEL} or below, "
                "as tendons adapt more slowly than muscles"
            )
    if exercise.calf_heavy and calf_test is not None:
        parts.append(f"your calf test ({calf_test.weaker} raises on the weaker side) sets its rung")
        if extra_set_side(exercise, calf_test):
            parts.append(f"one extra set on your {calf_test.flagged_side} leg, the weaker one")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
