"""The plan's rules over plain data: what an exercise is, and what the board warns about.

No ORM here: `routines.plans.facts` turns rows into these objects, so the rules are tested with
tables of plain values and give the same answer for the same inputs.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Run types as the profile stores them (footcare.accounts.models.RunType).
REST, EASY, LONG, HARD = "rest", "easy", "long", "hard"
RUN_LABELS = {REST: "Rest day", EASY: "Easy run", LONG: "Long run", HARD: "Hard workout"}
# Runs that want fresh calves: no calf-heavy work the day before.
DEMANDING_RUNS = frozenset({LONG, HARD})

DAY_LIMIT_SECONDS = 30 * 60
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class ExerciseFacts:
    """What the rules need to know about one exercise."""

    id: int
    name: str
    level: int = 1
    slug: str = ""  # where its page is, for the pages that show it
    regions: frozenset[str] = frozenset()  # regions of its primary muscles
    conditions: frozenset[str] = frozenset()  # slugs of the conditions it helps prevent
    equipment: frozenset[str] = frozenset()  # slugs of what it needs
    sessions_per_week: int = 3
    sets: int = 2
    reps: int | None = 10
    hold_seconds: int | None = None
    duration_seconds: int | None = None
    per_side: bool = False
    published: bool = True
    ladder: int | None = None  # which ladder it is on, if any
    rung: int = 0  # its place on that ladder, 0 the easiest
    # Loads the calf and Achilles tendon hard (the exercise's field, set by editors): a
    # day between such days, and none the day before a long run or hard workout.
    calf_heavy: bool = False


def fitted_days(*, days: Mapping[int, bool], pattern: Sequence[str]) -> dict[int, int]:
    """Where a written plan's days go in this running week: {old weekday: new weekday}.

    `days` maps each weekday the plan uses to whether it is calf-heavy. The days keep
    their order round the week, and, best first: no calf-heavy day the day before a long
    run or hard workout; no two calf-heavy days in a row; the plan's spacing kept (a
    plain shift keeps it exactly); as few days moved as possible (a plan that already
    suits the week stays as written); strength on rest and easy days; the shortest moves.
    """
    written = sorted(days)
    count = len(written)
    if count in (0, 7):
        return {day: day for day in written}

    def gaps(order: Sequence[int]) -> list[int]:
        return [(order[(i + 1) % count] - order[i]) % 7 or 7 for i in range(count)]

    spacing = gaps(written)

    def score(candidate: tuple[tuple[int, ...], int]) -> tuple:
        targets, turn = candidate
        placed = [targets[(i + turn) % count] for i in range(count)]
        heavy = [new for old, new in zip(written, placed, strict=True) if days[old]]
        return (
            sum(pattern[next_day(day)] in DEMANDING_RUNS for day in heavy),
            sum(calf_days_too_close(a, b) for a, b in itertools.combinations(heavy, 2)),
            sum(abs(a - b) for a, b in zip(gaps(placed), spacing, strict=True)),
            sum(old != new for old, new in moves(placed)),
            sum(pattern[day] in DEMANDING_RUNS for day in placed),
            sum(min((new - old) % 7, (old - new) % 7) for old, new in moves(placed)),
            placed,
        )

    def moves(placed: Sequence[int]) -> zip:
        return zip(written, placed, strict=True)

    candidates = [
        (targets, turn)
        for targets in itertools.combinations(range(7), count)
        for turn in range(count)
    ]
    targets, turn = min(candidates, key=score)
    return {old: targets[(i + turn) % count] for i, old in enumerate(written)}


@dataclass(frozen=True)
class ItemFacts:
    weekday: int
    exercise: ExerciseFacts
    seconds: int


@dataclass(frozen=True)
class Warning:
    kind: str
    text: str
    # The same warning in a few words, for the printed week, which has no room for the reason.
    short: str


@dataclass
class DaySummary:
    weekday: int
    run: str
    seconds: int = 0
    warnings: list[Warning] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return math.ceil(self.seconds / 60)

    @property
    def run_label(self) -> str:
        return RUN_LABELS[self.run]


def next_day(weekday: int) -> int:
    # The plan repeats every week: the day after Sunday is Monday.
    return (weekday + 1) % 7


def calf_days_too_close(day: int, other: int) -> bool:
    """Whether calf-heavy work on both days leaves too little rest between them.

    A loaded tendon wants about 48 hours before it is loaded hard again, so two
    calf-heavy days need a day between them; the week wraps (Sunday, then Monday).
    """
    return day != other and other in (next_day(day), (day - 1) % 7)


def week_summary(
    *,
    pattern: Sequence[str],
    items: Sequence[ItemFacts],
    equipment_at_hand: frozenset[str],
) -> list[DaySummary]:
    """Each day's run, minutes and warnings, Monday first, each warning with its reason."""
    days = [DaySummary(weekday=d, run=pattern[d]) for d in range(7)]
    by_day: dict[int, list[ItemFacts]] = defaultdict(list)
    for item in items:
        by_day[item.weekday].append(item)
        days[item.weekday].seconds += item.seconds
    # Sessions a week: the days an exercise is on, however often it appears on one day.
    sessions = Counter(
        exercise_id for exercise_id, _ in {(i.exercise.id, i.weekday) for i in items}
    )

    for day in days:
        tomorrow = pattern[next_day(day.weekday)]
        seen: set[int] = set()
        # One line for all of a day's over-frequent exercises, so a busy week stays legible.
        too_often: list[str] = []
        too_often_names: list[str] = []
        for item in by_day[day.weekday]:
            exercise = item.exercise
            if exercise.id in seen:
                continue
            seen.add(exercise.id)
            if exercise.calf_heavy and tomorrow in DEMANDING_RUNS:
                day.warnings.append(
                    Warning(
                        "calf-before-run",
                        f"{exercise.name} works the calves hard, and tomorrow "
                        f"({DAY_NAMES[next_day(day.weekday)]}) is your "
                        f"{RUN_LABELS[tomorrow].lower()}: move it to another day.",
                        f"{exercise.name} the day before your {RUN_LABELS[tomorrow].lower()}",
                    )
                )
            if sessions[exercise.id] > exercise.sessions_per_week:
                too_often.append(
                    f"{exercise.name} ({sessions[exercise.id]} days, at most "
                    f"{exercise.sessions_per_week})"
                )
                too_often_names.append(exercise.name)
            missing = exercise.equipment - equipment_at_hand
            if missing:
                day.warnings.append(
                    Warning(
                        "equipment",
                        f"{exercise.name} needs equipment your profile does not list.",
                        f"{exercise.name} needs equipment you have not listed",
                    )
                )
            if not exercise.published:
                day.warnings.append(
                    Warning(
                        "unpublished",
                        f"{exercise.name} is no longer in the library; it stays in your "
                        "plan, but consider a replacement.",
                        f"{exercise.name} is no longer in the library",
                    )
                )
        heavy_today = _calf_heavy_names(by_day[day.weekday])
        heavy_tomorrow = _calf_heavy_names(by_day[next_day(day.weekday)])
        if heavy_today and heavy_tomorrow:
            day.warnings.append(
                Warning(
                    "calf-back-to-back",
                    f"{' and '.join(heavy_today)} today and {' and '.join(heavy_tomorrow)} "
                    f"tomorrow ({DAY_NAMES[next_day(day.weekday)]}) both load the calves and "
                    "Achilles hard: keep a day between them (about 48 hours) so the tendon "
                    "can recover.",
                    f"calf-heavy again the next day ({DAY_NAMES[next_day(day.weekday)]})",
                )
            )
        if too_often:
            day.warnings.append(
                Warning(
                    "too-often",
                    "More days a week than suggested, leaving too little time to recover: "
                    + "; ".join(too_often)
                    + ".",
                    # The names are on the board; a busy week's list would not fit the page.
                    f"{too_often_names[0]} on too many days a week"
                    if len(too_often_names) == 1
                    else f"{len(too_often_names)} exercises on too many days a week",
                )
            )
        if day.seconds > DAY_LIMIT_SECONDS:
            day.warnings.append(
                Warning(
                    "long-day",
                    f"About {day.minutes} minutes: more than 30 on one day is a lot; "
                    "spread it over the week.",
                    f"about {day.minutes} minutes, a lot for one day",
                )
            )
    return days


def _calf_heavy_names(items: Sequence[ItemFacts]) -> list[str]:
    return list(dict.fromkeys(i.exercise.name for i in items if i.exercise.calf_heavy))
