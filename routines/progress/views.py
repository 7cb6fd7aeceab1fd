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
from footcare.http import HtmxHttpRequest

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
        "charts": _charts(progress) if progress.has_history else [],
        # What to change next, with Apply and Undo, as on /today/ (issue 12 point 3).
        **suggestions_context(request, today=day, next_url=reverse("progress:index")),
    }
    return render(request, "progress/progress.html", context)
