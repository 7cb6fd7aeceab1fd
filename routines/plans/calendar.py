"""A plan as an iCalendar feed (RFC 5545): one weekly all-day event per day with work on it.

All-day events are dates, not instants: a calendar shows each on that day wherever it is.
The dates are the runner's (their profile's time zone), which the feed names too.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event

from .models import DAY_NAMES, PlanItem, WeeklyPlan, minutes

PRODID = "-//Footcare//Weekly plan//EN"


def _first_date(plan: WeeklyPlan, weekday: int, zone: ZoneInfo) -> datetime.date:
    # The week the plan was made in, on the runner's calendar, so the first date stays put
    # as the plan changes.
    made = timezone.localdate(plan.created_at, zone)
    monday = made - datetime.timedelta(days=made.weekday())
    return monday + datetime.timedelta(days=weekday)


def plan_calendar(
    plan: WeeklyPlan, items: Sequence[PlanItem], *, host: str, zone: ZoneInfo
) -> bytes:
    """The feed's body: the plan's name, its days and their exercises, and the runner's
    time zone (which calendar apps take for the calendar's own); nothing else about them."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # A name is one line (footcare.text); one saved before that rule is made one here.
    name = " ".join(plan.name.split())
    calendar.add("x-wr-calname", f"Footcare: {name}")
    calendar.add("x-wr-timezone", zone.key)
    by_day: dict[int, list[PlanItem]] = {}
    for item in items:
        by_day.setdefault(item.weekday, []).append(item)
    for weekday, day_items in sorted(by_day.items()):
        total = minutes(sum(item.estimated_seconds() for item in day_items))
        event = Event()
        # Stable per plan and day, so a calendar app updates the event rather than adding one.
        event.add("uid", f"plan-{plan.pk}-day-{weekday}@{host}")
        event.add("dtstamp", plan.updated_at)
        event.add("dtstart", _first_date(plan, weekday, zone))
        event.add("rrule", {"freq": "weekly"})
        event.add("summary", f"Foot and calf strength (about {total} min)")
        event.add(
            "description",
            f"{name}, {DAY_NAMES[weekday]}:\n"
            + "\n".join(f"• {item.exercise.name}: {item.dose_text()}" for item in day_items),
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
