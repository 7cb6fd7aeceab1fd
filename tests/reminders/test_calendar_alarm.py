"""The plan's calendar feed with reminders: timed events in the runner's zone, with the
zone written out, and an alarm when the runner chose one (validated with icalendar)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from footcare.accounts.models import RunnerProfile


def feed(plan) -> Calendar:
    response = Client().get(reverse("plans:feed", kwargs={"token": plan.calendar_token}))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> list:
    return sorted(calendar.walk("VEVENT"), key=lambda event: str(event["uid"]))


def test_without_reminders_the_events_stay_all_day(runner_with_plan) -> None:
    calendar = feed(runner_with_plan)
    assert [type(e.decoded("dtstart")) for e in events(calendar)] == [datetime.date] * 2
    assert not calendar.walk("VALARM")
    assert not calendar.walk("VTIMEZONE")


@pytest.mark.parametrize(("channel", "alarms"), [("calendar", 2), ("both", 2), ("email", 0)])
def test_with_reminders_the_events_are_timed_in_the_runners_zone(
    runner_with_plan, channel, alarms
) -> None:
    RunnerProfile.objects.filter(user=runner_with_plan.owner).update(
        reminders_on=True,
        reminder_time=datetime.time(18, 30),
        reminder_channel=channel,
        time_zone="America/New_York",
    )
    calendar = feed(runner_with_plan)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "America/New_York"
    # Both daylight and standard rules, so the hour is right all year in any calendar app.
    assert {part.name for part in zone.subcomponents} >= {"STANDARD", "DAYLIGHT"}
    monday, thursday = events(calendar)
    for event, weekday in ((monday, 0), (thursday, 3)):
        start = event.decoded("dtstart")
        assert isinstance(start, datetime.datetime)
        assert start.tzinfo.key == "America/New_York"
        assert (start.weekday(), start.time()) == (weekday, datetime.time(18, 30))
        assert event["dtstart"].params["TZID"] == "America/New_York"
        assert event.decoded("duration") >= datetime.timedelta(minutes=5)
        assert "FREQ=WEEKLY" in event["rrule"].to_ical().decode()
    assert len(calendar.walk("VALARM")) == alarms
    for alarm in calendar.walk("VALARM"):
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == datetime.timedelta(0)
    # After the clocks change the same event is still 18:30 in New York.
    later = monday.decoded("dtstart").replace(month=12, day=7)
    assert later.astimezone(ZoneInfo("UTC")).hour == 23
