"""A runner's day is the day where they are: two runners at one instant, two todays."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from footcare.accounts.models import RunnerProfile
from routines.plans.models import WeeklyPlan
from routines.training.models import MorningCheckIn

from .conftest import add_item
from .test_check_in import QUESTION, session_on

pytestmark = pytest.mark.django_db

AUCKLAND = "Pacific/Auckland"
LOS_ANGELES = "America/Los_Angeles"
# 11:30 UTC on Monday 23 November 2026: past midnight in Auckland, before dawn in Los Angeles.
INSTANT = datetime.datetime(2026, 11, 23, 11, 30, tzinfo=datetime.UTC)


def day_in(zone: str, instant: datetime.datetime = INSTANT) -> datetime.date:
    return instant.astimezone(ZoneInfo(zone)).date()


def heading_day(page: str) -> str:
    return re.search(r'<span class="today-date">([^<]+)</span>', page).group(1)


def shown(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


@pytest.fixture
def at(monkeypatch):
    """Make `instant` the time now, for every page."""

    def move(instant: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: instant)

    move(INSTANT)
    return move


@pytest.fixture
def kiwi(runner):
    RunnerProfile.objects.filter(user=runner).update(time_zone=AUCKLAND)
    return runner


@pytest.fixture
def angeleno(other_runner):
    RunnerProfile.objects.filter(user=other_runner).update(time_zone=LOS_ANGELES)
    return other_runner


def test_the_instant_is_two_days():
    assert day_in(AUCKLAND) == day_in(LOS_ANGELES) + datetime.timedelta(days=1)
    assert day_in("UTC") == day_in(LOS_ANGELES)


def test_today_is_each_runners_own_day(kiwi, angeleno, runner_client, other_client, at):
    kiwi_page = runner_client.get("/today/").text
    angeleno_page = other_client.get("/today/").text

    assert heading_day(kiwi_page) == shown(day_in(AUCKLAND))
    assert heading_day(angeleno_page) == shown(day_in(LOS_ANGELES))


def test_the_home_pages_week_marks_each_runners_own_today(
    kiwi, angeleno, runner_client, other_client, exercise, at
):
    for owner in (kiwi, angeleno):
        plan = WeeklyPlan.objects.create(owner=owner, name="Feet", is_active=True)
        add_item(plan, exercise("toe-yoga"), 0)

    for client, zone in ((runner_client, AUCKLAND), (other_client, LOS_ANGELES)):
        # The home page's week: the training app's card, drawn in the page's request.
        home = client.get("/").text
        marked = re.search(r'aria-current="date">\s*<strong>(\w+)</strong>', home).group(1)
        assert marked == f"{day_in(zone):%a}"


def test_the_check_in_asks_the_morning_after_in_the_runners_own_morning(
    kiwi, angeleno, runner_client, other_client, exercise, at
):
    # Both trained on the day that is yesterday in Auckland and today in Los Angeles.
    trained = day_in(LOS_ANGELES)
    for owner in (kiwi, angeleno):
        session_on(owner, trained, exercise("toe-yoga"))

    assert f'<h2 id="check-in-title">{QUESTION}</h2>' in runner_client.get("/today/").text
    assert "check-in-fold" in other_client.get("/today/").text, "not asked before that night"

    runner_client.post("/today/check-in/", {"pain": "2"})
    other_client.post("/today/check-in/", {"pain": "1"})

    assert MorningCheckIn.objects.get(owner=kiwi).date == day_in(AUCKLAND)
    assert MorningCheckIn.objects.get(owner=angeleno).date == day_in(LOS_ANGELES)


def test_today_turns_over_at_the_runners_midnight_not_utcs(kiwi, runner_client, at):
    midnight = datetime.datetime.combine(
        day_in(AUCKLAND), datetime.time(), tzinfo=ZoneInfo(AUCKLAND)
    )
    at(midnight - datetime.timedelta(minutes=1))
    before = runner_client.get("/today/")

    at(midnight + datetime.timedelta(minutes=1))
    after = runner_client.get("/today/")

    assert day_in("UTC", midnight - datetime.timedelta(minutes=1)) == day_in("UTC", midnight)
    assert heading_day(before.text) == shown(day_in(AUCKLAND, midnight) - datetime.timedelta(1))
    assert heading_day(after.text) == shown(day_in(AUCKLAND, midnight))


def test_the_feed_dates_the_plans_week_on_its_owners_calendar_and_names_the_zone(
    client, kiwi, angeleno, exercise
):
    # A Sunday evening in UTC (and Sunday noon in Los Angeles) is Monday morning in Auckland.
    made = datetime.datetime(2026, 11, 29, 20, 0, tzinfo=datetime.UTC)
    feeds = {}
    for owner, zone in ((kiwi, AUCKLAND), (angeleno, LOS_ANGELES)):
        plan = WeeklyPlan.objects.create(owner=owner, name="Feet")
        add_item(plan, exercise("toe-yoga"), 0)
        WeeklyPlan.objects.filter(pk=plan.pk).update(created_at=made)
        response = client.get(f"/plans/calendar/{plan.calendar_token}.ics")
        feeds[zone] = Calendar.from_ical(response.content)

    for zone, calendar in feeds.items():
        local = day_in(zone, made)
        monday = local - datetime.timedelta(days=local.weekday())
        assert str(calendar["X-WR-TIMEZONE"]) == zone
        (event,) = calendar.walk("VEVENT")
        assert event.decoded("DTSTART") == monday, zone
    assert feeds[AUCKLAND].walk("VEVENT")[0].decoded("DTSTART") != (
        feeds[LOS_ANGELES].walk("VEVENT")[0].decoded("DTSTART")
    )


def test_a_zone_the_system_does_not_know_is_the_sites(runner, runner_client, at, settings):
    # Only a hand edit in the database makes one; the pages go on in the site's zone.
    RunnerProfile.objects.filter(user=runner).update(time_zone="Mars/Olympus_Mons")

    page = runner_client.get("/today/")

    assert page.status_code == 200
    assert heading_day(page.text) == shown(day_in(settings.TIME_ZONE))


def test_a_new_zone_shows_on_the_next_page(kiwi, runner_client, at):
    assert heading_day(runner_client.get("/today/").text) == shown(day_in(AUCKLAND))

    runner_client.post(
        "/accounts/profile/",
        {"display_name": "Ada", "experience": "new", "time_zone": LOS_ANGELES},
    )
    after = runner_client.get("/today/")

    assert heading_day(after.text) == shown(day_in(LOS_ANGELES))


def test_a_new_log_entry_is_dated_the_runners_today(
    kiwi, angeleno, runner_client, other_client, at
):
    for client, zone in ((runner_client, AUCKLAND), (other_client, LOS_ANGELES)):
        page = client.get("/log/new/").text
        date_input = re.search(r'<input type="date" name="date"[^>]*>', page).group(0)
        assert f'value="{day_in(zone).isoformat()}"' in date_input, zone
