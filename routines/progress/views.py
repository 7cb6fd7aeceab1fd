"""`/progress/`: the runner's trend at a glance, then the charts and their tables.

The figures come from `routines.progress.figures` (a fixed number of grouped queries); the charts
are drawn in Python by `routines.progress.charts`, so the template has no loop over the history.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from footcare import clock
from footcare.accounts.decorators import runner_required
from footcare.accounts.models import RETEST_DAYS
from footcare.http import HtmxHttpRequest
from routines.plans.models import load_shown
from routines.training.models import ExerciseLog

from . import charts
from .figures import HEAT_WEEKS, MET_AT, REGIONS, SECONDARY_WEIGHT, Progress, Trend, runner_progress
from .suggestions import suggestions_context


def _today() -> date:
    return clock.today()


def trend_words(what: str, trend: Trend) -> str:
    """“Morning pain: 2/10 on average this month, down from 4”."""
    if trend.recent is None:
        if trend.before is None:
            return f"{what}: not rated in the last two months"
        return f"{what}: not rated this month (it was {_score(trend.before)}/10 the month before)"
    now = f"{what}: {_score(trend.recent)}/10 on average this month"
    if trend.direction == "unknown":
        return now
    if trend.direction == "steady":
        return f"{now}, steady"
    return f"{now}, {trend.direction} from {_score(trend.before)}"


def _score(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _charts(progress: Progress) -> list:
    weeks = progress.weeks
    starts = [week.start for week in weeks]
    return [
        charts.adherence_chart(starts, [w.done for w in weeks], [w.planned for w in weeks], MET_AT),
        charts.pain_chart(starts, [w.session_pain for w in weeks], [w.morning_pain for w in weeks]),
        charts.heat_map([(day.date, day.sets, day.future) for day in progress.days]),
        charts.region_chart(
            starts,
            [(region.label, [w.regions[region] for w in weeks]) for region in REGIONS],
            note=(
                "A set counts in full in each region of the exercise's main muscles, and as "
                f"{SECONDARY_WEIGHT:g} of a set where it works only helping muscles."
            ),
        ),
    ]


# The newest this many entries of the weight and calf-test charts.
SERIES_ENTRIES = 12


def _load_and_calf_charts(user) -> list:
    """Issue 24: the weight lifted in heavy slow work, and the calf capacity tests."""
    found = []
    unit = user.runner_profile.weight_unit
    logs = list(
        ExerciseLog.objects.filter(
            session__owner=user, load__isnull=False, exercise__progress_by_load=True
        )
        .order_by("-session__date", "-pk")
        .values_list("session__date", "exercise__name", "load")[: SERIES_ENTRIES * 2]
    )
    if logs:
        names = list(dict.fromkeys(name for _, name, _ in logs))[:2]
        days = sorted({day for day, name, _ in logs if name in names})[-SERIES_ENTRIES:]
        by = {(day, name): float(load_shown(load, unit)) for day, name, load in logs}
        found.append(
            charts.series_chart(
                "weight",
                "Weight lifted",
                days,
                [(name, [by.get((day, name)) for day in days]) for name in names],
                unit=unit,
                note=f"Heavy slow work grows by the weight you lift, in {unit}.",
            )
        )
    tests = list(user.calf_raise_tests.order_by("-tested_on", "-created_at")[:SERIES_ENTRIES])
    if tests:
        tests.reverse()
        found.append(
            charts.series_chart(
                "calf-tests",
                "Calf capacity tests",
                [test.tested_on for test in tests],
                [("Left", [t.left for t in tests]), ("Right", [t.right for t in tests])],
                unit="raises",
                note="Single-leg heel raises to a beat, each side: retest every four weeks.",
            )
        )
    return found


def _calf_retest(user, today) -> dict:
    """The calf test's four-weekly retest, offered on /progress/ (issue 24 point 15)."""
    latest = user.calf_raise_tests.first()
    return {
        "calf_latest": latest,
        "calf_retest_due": latest is not None and latest.retest_due(today),
        "calf_retest_weeks": RETEST_DAYS // 7,
    }


@never_cache
@runner_required
@require_GET
def progress_index(request: HtmxHttpRequest) -> HttpResponse:
    day = _today()
    progress = runner_progress(request.user, today=day)
    week = progress.this_week
    context = {
        "progress": progress,
        "this_week": week,
        "this_week_percent": (
            None if week.adherence_so_far is None else round(week.adherence_so_far * 100)
        ),
        "streak_max": HEAT_WEEKS,
        "met_percent": round(MET_AT * 100),
        "morning_words": trend_words("Morning pain", progress.morning_pain),
        "session_words": trend_words("Pain during sessions", progress.session_pain),
        "charts": [
            *(_charts(progress) if progress.has_history else []),
            *_load_and_calf_charts(request.user),
        ],
        **_calf_retest(request.user, day),
        # What to change next, with Apply and Undo, as on /today/ (issue 12 point 3).
        # The suggestions take the mornings runner_progress has read.
        **suggestions_context(
            request, today=day, next_url=reverse("progress:index"), check_ins=progress.check_ins
        ),
    }
    return render(request, "progress/progress.html", context)
