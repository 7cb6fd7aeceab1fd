"""The figures of `/progress/`, each summed or averaged in the database.

Five queries, whatever the history's length, and each returns a bounded number of rows:

1. the active plan's sets per weekday (at most seven rows);
2. per day of the last 26 weeks: sets done, the pain ratings' sum and count, and sets done
   by muscle region (at most 182 rows);
3. the morning check-ins of the last 12 weeks (at most 84 rows);
4. per exercise ever logged: sessions, first and last date, the pain averages of the last
   28 days and of the 28 before (one row per exercise);
5. the logs of each exercise's last day, for its last dose (a row or two per exercise).

Weeks run Monday to Sunday, the runner's weeks (`DAY_NAMES`). The definitions:

* **Sets planned in a week**: for each day of the week on or after the day the active
  plan was made, the sets of that plan's items on that weekday (each with its weaker
  side's extra set, `PlanItem.set_count`), summed. The plan's items
  as they are now stand for every week since it was made (a plan keeps no history of
  edits); days before it existed, and every day when no plan is active, plan nothing.
* **Sets done in a week**: the `sets_done` of every exercise logged in the runner's
  sessions dated in that week, from the plan or logged by hand; a skipped exercise did 0.
* **Adherence**: sets done / sets planned, capped at 100 %; none for a week that planned
  nothing. The current week is measured against all of its planned sets, so it climbs
  through the week; the headline also gives it against the sets planned up to today.
* **Extra sets**: sets done beyond those planned (up to today, for the current week). A
  count of sets done is never shown above the sets planned without them: "6 of 6 planned
  so far, and 2 extra".
* **A week met the plan** when its adherence is at least `MET_AT` (80 %).
* **Streak**: the met weeks in a row ending with the last complete week. Only a week that
  has ended counts: the current one, however well it started, adds to the streak once it
  is over. A week that planned nothing ends a streak. It is counted over the 26 weeks of
  the heat map, so 26 means "26 or more".
* **Heat map**: sets done per day over the 26 weeks ending with the current one.
* **Volume by region**: sets done per week over 12 weeks in each region of the exercise's
  muscles (`ExerciseMuscle.role`, `Muscle.region`): a set counts in full in each region of
  its primary muscles (the towel scrunch: foot and calf) and at `SECONDARY_WEIGHT` (half)
  in a region where the exercise has only secondary muscles (the single-leg calf raise's
  peroneals: the shin), as fractional set counting does for muscles that help.
* **Pain during sessions**: per week, the mean of the pain ratings (0 to 10) given to the
  exercises logged that week; exercises without a rating do not count.
* **Next-morning pain**: per week, the mean of the morning check-ins' pain on the first
  steps (0 to 10).
* **Trend in words**: the mean of the last 28 days against the mean of the 28 before; a
  change under half a point is "steady".
* **An exercise's history**: the sessions it was done in (not skipped), the first and last
  date, the last session's sets and its largest set (reps or seconds), and its pain trend
  as above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, F, Max, Min, Q, Sum
from django.utils import timezone

from exercises.cache import kept_for_version
from exercises.models import ExerciseMuscle, MuscleRole, Region
from routines.plans.models import PlanItem, extra_set_done
from routines.training.models import ExerciseLog, MorningCheckIn

if TYPE_CHECKING:
    from decimal import Decimal

    from footcare.accounts.models import User

MET_AT = 0.8
WEEKS = 12
HEAT_WEEKS = 26
TREND_DAYS = 28
# A change in a 0-to-10 mean smaller than this is "steady".
TREND_STEP = 0.5
# The order a runner reads their leg from the ground up.
REGIONS = (Region.FOOT, Region.CALF, Region.SHIN, Region.HIP_THIGH)
WATCHED = frozenset(REGIONS)
# What a set counts for in a region the exercise works only through secondary muscles.
SECONDARY_WEIGHT = 0.5


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Week:
    start: date
    planned: int
    done: int
    complete: bool
    # Sets planned on the days up to today: all of them for a complete week.
    planned_so_far: int = 0
    session_pain: float | None = None
    morning_pain: float | None = None
    regions: dict[str, float] = field(default_factory=dict)

    @property
    def adherence(self) -> float | None:
        if not self.planned:
            return None
        return min(self.done / self.planned, 1.0)

    @property
    def adherence_so_far(self) -> float | None:
        if not self.planned_so_far:
            return None
        return min(self.done / self.planned_so_far, 1.0)

    @property
    def done_of_planned_so_far(self) -> int:
        return min(self.done, self.planned_so_far)

    @property
    def extra_so_far(self) -> int:
        """Sets done beyond those planned up to today."""
        return max(0, self.done - self.planned_so_far)

    @property
    def met(self) -> bool:
        adherence = self.adherence
        return adherence is not None and adherence >= MET_AT


@dataclass(frozen=True)
class Day:
    date: date
    sets: int
    future: bool


@dataclass(frozen=True)
class Trend:
    """A 0-to-10 mean now (the last 28 days) and before (the 28 days before those)."""

    recent: float | None
    before: float | None

    @property
    def direction(self) -> str:
        if self.recent is None or self.before is None:
            return "unknown"
        if self.recent <= self.before - TREND_STEP:
            return "down"
        if self.recent >= self.before + TREND_STEP:
            return "up"
        return "steady"


@dataclass(frozen=True)
class ExerciseSummary:
    """One exercise's row on /progress/: how often and when it was done, the last dose done
    and its pain trend (the engine's input is `progression.ExerciseHistory`)."""

    name: str
    slug: str
    sessions: int
    first_done: date
    last_done: date
    last_sets: int | None
    last_amount: int | None
    last_unit: str | None
    last_per_side: bool
    pain: Trend
    last_load: Decimal | None = None  # the weight lifted last time, in kilograms


# The first day read, and the runner's mornings from it to today: (date, pain, stiffness),
# oldest first.
type MorningsRead = tuple[date, tuple[tuple[date, int | None, int | None], ...]]


@dataclass(frozen=True)
class Progress:
    today: date
    weeks: list[Week]  # the last 12, oldest first, the current week last
    days: list[Day]  # 26 weeks of days, Monday first, oldest first
    streak: int
    session_pain: Trend
    morning_pain: Trend
    exercises: list[ExerciseSummary]
    has_plan: bool
    # The first day read, and the mornings from it (date, pain, stiffness), oldest first: the
    # suggestions on the same page take theirs from here (`plan_suggestions`).
    check_ins: MorningsRead | None = None

    @property
    def has_history(self) -> bool:
        return bool(self.exercises) or any(
            week.morning_pain is not None or week.done for week in self.weeks
        )

    @property
    def this_week(self) -> Week:
        return self.weeks[-1]


def streak_of(weeks: list[Week]) -> int:
    """Met weeks in a row ending with the last complete week: only weeks that have ended."""
    count = 0
    for week in reversed([week for week in weeks if week.complete]):
        if not week.met:
            break
        count += 1
    return count


def _mean(total: float | None, count: int) -> float | None:
    return None if not count or total is None else total / count


def _planned_by_weekday(runner: User) -> tuple[dict[int, int], date | None]:
    rows = (
        PlanItem.objects.filter(plan__owner=runner, plan__is_active=True)
        .values("weekday", "plan__created_at")
        .annotate(sets_sum=Sum("sets"), extra=Count("pk", filter=extra_set_done()))
        .order_by()
    )
    by_weekday: dict[int, int] = {}
    since = None
    for row in rows:
        # The weaker side's extra set (issue 24) is a set planned like the others.
        planned = row["sets_sum"] + row["extra"]
        by_weekday[row["weekday"]] = by_weekday.get(row["weekday"], 0) + planned
        since = timezone.localdate(row["plan__created_at"])
    return by_weekday, since


REGIONS_KEY = "library:exercise-regions"


def exercise_regions() -> dict[int, tuple[frozenset[str], frozenset[str]]]:
    """Each exercise's regions: those a primary muscle of it is in, and those only a
    secondary one is in. Library content, the same for every runner: kept in the cache
    beside the content version (`exercises.cache.kept_for_version`, one read of both), one
    query when it is missing or older."""

    def build() -> dict[int, tuple[frozenset[str], frozenset[str]]]:
        primary: dict[int, set[str]] = {}
        secondary: dict[int, set[str]] = {}
        links = ExerciseMuscle.objects.values_list("exercise_id", "role", "muscle__region")
        for exercise_id, role, region in links:
            kind = primary if role == MuscleRole.PRIMARY else secondary
            kind.setdefault(exercise_id, set()).add(region)
        return {
            pk: (
                frozenset(primary.get(pk, set())),
                frozenset(secondary.get(pk, set()) - primary.get(pk, set())),
            )
            for pk in primary.keys() | secondary.keys()
        }

    return kept_for_version(REGIONS_KEY, build)


NO_REGIONS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


def _daily(runner: User, first: date, last: date) -> dict[date, dict]:
    """Each day's sets, pain, and sets by region (a primary muscle there, or only a
    secondary one: `helps_`): one grouped query, the regions from `exercise_regions()`."""
    rows = (
        ExerciseLog.objects.filter(
            session__owner=runner, session__date__gte=first, session__date__lte=last
        )
        .values("exercise_id", day=F("session__date"))
        .annotate(sets=Sum("sets_done"), pain_total=Sum("pain"), pain_count=Count("pain"))
        .order_by()
    )
    regions = exercise_regions()
    daily: dict[date, dict] = {}
    for row in rows:
        day = daily.get(row["day"])
        if day is None:
            day = daily[row["day"]] = {
                "day": row["day"],
                "sets": 0,
                "pain_total": 0,
                "pain_count": 0,
                **{f"region_{region}": 0 for region in REGIONS},
                **{f"helps_{region}": 0 for region in REGIONS},
            }
        sets = row["sets"] or 0
        day["sets"] += sets
        day["pain_total"] += row["pain_total"] or 0
        day["pain_count"] += row["pain_count"]
        primary, helps = regions.get(row["exercise_id"], NO_REGIONS)
        for region in primary & WATCHED:
            day[f"region_{region}"] += sets
        for region in helps & WATCHED:
            day[f"helps_{region}"] += sets
    return daily


def _exercise_summaries(runner: User, today: date) -> list[ExerciseSummary]:
    # Two queries, one scan each: the figures grouped by exercise, then the logs of each
    # exercise's last day. Asking for the last dose in the grouped query costs a sorted
    # subquery per exercise (per log, when grouped over the logs): 13 s for three years.
    done = ExerciseLog.objects.filter(session__owner=runner, skipped=False)
    recent_from = today - timedelta(days=TREND_DAYS - 1)
    before_from = recent_from - timedelta(days=TREND_DAYS)
    rows = list(
        done.values("exercise_id", "exercise__name", "exercise__slug")
        .annotate(
            sessions=Count("session_id", distinct=True),
            first_done=Min("session__date"),
            last_done=Max("session__date"),
            recent_pain=Avg("pain", filter=Q(session__date__gte=recent_from)),
            before_pain=Avg(
                "pain", filter=Q(session__date__gte=before_from, session__date__lt=recent_from)
            ),
        )
        .order_by("-last_done", "exercise__name")
    )
    # Nothing is ever logged for a future day: the first condition keeps this a query of
    # its own (the same count whatever the history) and matches no row.
    last_day = Q(session__date__gt=today)
    for row in rows:
        last_day |= Q(exercise_id=row["exercise_id"], session__date=row["last_done"])
    last: dict[int, dict] = {}
    for log in (
        done.filter(last_day)
        .values("exercise_id", "sets_done", "unit", "per_side", "load")
        .annotate(top=Max("sets__amount"))
        .order_by("exercise_id", "session__started_at", "pk")
    ):
        last[log["exercise_id"]] = log  # the day's last session wins
    return [
        ExerciseSummary(
            name=row["exercise__name"],
            slug=row["exercise__slug"],
            sessions=row["sessions"],
            first_done=row["first_done"],
            last_done=row["last_done"],
            last_sets=last.get(row["exercise_id"], {}).get("sets_done"),
            last_amount=last.get(row["exercise_id"], {}).get("top"),
            last_unit=last.get(row["exercise_id"], {}).get("unit"),
            last_per_side=bool(last.get(row["exercise_id"], {}).get("per_side")),
            pain=Trend(recent=row["recent_pain"], before=row["before_pain"]),
            last_load=last.get(row["exercise_id"], {}).get("load"),
        )
        for row in rows
    ]


def _trend(values_by_day: dict[date, tuple[float, int]], today: date) -> Trend:
    """The mean of the last TREND_DAYS days and of the TREND_DAYS before, from daily sums."""
    sums = [[0.0, 0], [0.0, 0]]
    for day, (total, count) in values_by_day.items():
        back = (today - day).days
        if 0 <= back < 2 * TREND_DAYS:
            bucket = sums[back // TREND_DAYS]
            bucket[0] += total
            bucket[1] += count
    return Trend(recent=_mean(*sums[0]), before=_mean(*sums[1]))


def runner_progress(runner: User, *, today: date | None = None) -> Progress:
    """Everything `/progress/` shows for this runner, in five queries."""
    today = today or timezone.localdate()
    current = week_start(today)
    weeks_from = current - timedelta(weeks=WEEKS - 1)
    heat_from = current - timedelta(weeks=HEAT_WEEKS - 1)

    planned_by_weekday, plan_since = _planned_by_weekday(runner)
    daily = _daily(runner, heat_from, today)
    check_ins_from = min(weeks_from, today - timedelta(days=2 * TREND_DAYS - 1))
    check_ins = sorted(
        MorningCheckIn.objects.filter(owner=runner)
        .between(check_ins_from, today)
        .values_list("date", "pain", "stiffness")
    )
    mornings = {day: pain for day, pain, _ in check_ins}
    exercises = _exercise_summaries(runner, today)

    weeks = []
    for n in range(HEAT_WEEKS):
        start = heat_from + timedelta(weeks=n)
        days = [start + timedelta(days=d) for d in range(7)]
        rows = [daily[day] for day in days if day in daily]
        checked = [mornings[day] for day in days if day in mornings]
        planned_each = [
            planned_by_weekday.get(day.weekday(), 0)
            if plan_since is not None and day >= plan_since
            else 0
            for day in days
        ]
        planned = sum(planned_each)
        weeks.append(
            Week(
                start=start,
                planned=planned,
                planned_so_far=sum(
                    sets for day, sets in zip(days, planned_each, strict=True) if day <= today
                ),
                done=sum(row["sets"] or 0 for row in rows),
                complete=start < current,
                session_pain=_mean(
                    sum(row["pain_total"] or 0 for row in rows),
                    sum(row["pain_count"] for row in rows),
                ),
                morning_pain=_mean(sum(checked), len(checked)),
                regions={
                    region: sum(
                        (row[f"region_{region}"] or 0)
                        + SECONDARY_WEIGHT * (row[f"helps_{region}"] or 0)
                        for row in rows
                    )
                    for region in REGIONS
                },
            )
        )

    heat_days = [
        Day(
            date=day,
            sets=(daily[day]["sets"] or 0) if day in daily else 0,
            future=day > today,
        )
        for day in (heat_from + timedelta(days=d) for d in range(HEAT_WEEKS * 7))
    ]
    return Progress(
        today=today,
        weeks=weeks[-WEEKS:],
        days=heat_days,
        streak=streak_of(weeks),
        session_pain=_trend(
            {day: (row["pain_total"] or 0, row["pain_count"]) for day, row in daily.items()}, today
        ),
        morning_pain=_trend({day: (pain, 1) for day, pain in mornings.items()}, today),
        exercises=exercises,
        has_plan=plan_since is not None,
        check_ins=(check_ins_from, tuple(check_ins)),
    )
