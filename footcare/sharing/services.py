"""Making, revoking and opening shared links."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from footcare import clock
from footcare.accounts.models import zone_of
from routines.plans.models import DAY_NAMES, PlanItem, WeeklyPlan
from routines.progress import charts
from routines.progress.figures import runner_progress
from routines.training.models import ExerciseLog, MorningCheckIn, WorkoutSession

from .models import ShareLink

# How often an opening is written down: a page reloaded in a loop writes once a minute.
OPENED_EVERY = datetime.timedelta(minutes=1)


def link_create(*, owner, token: uuid.UUID | None, expires_in_days: int, **fields) -> ShareLink:
    """One link per form (the same form posted twice finds the first)."""
    if token is not None:
        existing = ShareLink.objects.filter(owner=owner, creation_token=token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return ShareLink.objects.create(
                owner=owner,
                creation_token=token,
                expires_at=timezone.now() + datetime.timedelta(days=expires_in_days),
                **fields,
            )
    except IntegrityError:
        # Its twin committed between our look and our insert.
        return ShareLink.objects.get(owner=owner, creation_token=token)


def link_revoke(link: ShareLink) -> None:
    """Dead at once: the page looks the link up on every request, and nothing keeps it."""
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def live_link(token: str) -> ShareLink | None:
    return (
        ShareLink.objects.live().select_related("owner__runner_profile").filter(token=token).first()
    )


def record_opening(link: ShareLink) -> None:
    """When it was last opened, for its runner: at most once a minute (one UPDATE)."""
    now = timezone.now()
    if link.last_opened_at is None or link.last_opened_at < now - OPENED_EVERY:
        ShareLink.objects.filter(pk=link.pk).update(last_opened_at=now)


@dataclass
class PlanDay:
    name: str
    items: list[PlanItem] = field(default_factory=list)


def shared_context(link: ShareLink) -> dict:
    owner = link.owner
    zone = zone_of(owner)
    with timezone.override(zone):
        today = clock.today()
    first = today - datetime.timedelta(weeks=link.weeks) + datetime.timedelta(days=1)
    context: dict = {
        "link": link,
        "runner_name": owner.runner_profile.display_name or "A Footcare runner",
        # The runner's unit for the weights lifted (kept in kilograms).
        "weight_unit": owner.runner_profile.weight_unit,
        "today": today,
        "first": first,
    }
    if link.show_plan:
        plan = WeeklyPlan.objects.filter(owner=owner, is_active=True).first()
        days: list[PlanDay] = []
        if plan is not None:
            by_day: dict[int, PlanDay] = {}
            for item in plan.items.select_related("exercise").order_by("weekday", "position"):
                by_day.setdefault(item.weekday, PlanDay(DAY_NAMES[item.weekday])).items.append(item)
            days = [by_day[day] for day in sorted(by_day)]
        context.update(plan=plan, plan_days=days)
    if link.show_log:
        context["sessions"] = list(
            WorkoutSession.objects.filter(owner=owner, date__gte=first, date__lte=today)
            .prefetch_related(
                Prefetch(
                    "logs",
                    ExerciseLog.objects.select_related("exercise")
                    .prefetch_related("sets")
                    .order_by("position", "pk"),
                )
            )
            .newest_first()
        )
    if link.show_pain:
        context["check_ins"] = list(
            MorningCheckIn.objects.filter(owner=owner, date__gte=first, date__lte=today).order_by(
                "-date"
            )
        )
        # The capacity tests where there are any: the latest few, whatever the weeks shown.
        context["calf_tests"] = list(owner.calf_raise_tests.all()[:4])
        progress = runner_progress(owner, today=today)
        weeks = progress.weeks[-link.weeks :]
        starts = [week.start for week in weeks]
        context["charts"] = (
            [
                charts.pain_chart(
                    starts, [w.session_pain for w in weeks], [w.morning_pain for w in weeks]
                )
            ]
            if progress.has_history
            else []
        )
    return context
