"""The generated plan page, the calendar feed, and plans in the export and the account deletion."""

import json
import uuid

import pytest
from django.utils.html import escape
from icalendar import Calendar

from exercises.models import Condition, Equipment, Exercise
from footcare.accounts.services import runner_delete
from routines.plans.models import PlanItem, WeeklyPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiled_runner(runner, seeded_library):
    profile = runner.runner_profile
    profile.conditions.set(Condition.objects.filter(slug="plantar-fasciitis"))
    profile.equipment.set(Equipment.objects.filter(slug__in=["wall-or-chair", "towel"]))
    return runner


def test_the_proposal_follows_the_profile_with_a_reason_for_each_placement(
    runner_client, profiled_runner
):
    response = runner_client.get("/plans/generate/?sessions=3&minutes=15")

    proposal = response.context["proposal"]
    assert response.status_code == 200
    # Ada's week: rest, hard, easy, rest, easy, long, rest.
    assert {day.weekday for day in proposal.days if day.placements} <= {0, 2, 3, 4, 6}
    assert not proposal.days[1].placements and not proposal.days[5].placements
    page = response.content.decode()
    assert "May help with Plantar fasciitis" in page
    assert "Save this plan" in page


def test_each_proposed_exercise_links_to_its_page(runner_client, profiled_runner):
    response = runner_client.get("/plans/generate/?sessions=3&minutes=15")

    page = response.content.decode()
    placements = response.context["proposal"].placements
    assert placements
    for placement in placements:
        exercise = Exercise.objects.get(pk=placement.exercise_id)
        link = f'<a href="{exercise.get_absolute_url()}"><strong>{exercise.name}</strong></a>'
        assert link in page


def test_changing_the_choices_changes_the_proposal(runner_client, profiled_runner):
    two = runner_client.get("/plans/generate/?sessions=2&minutes=10").context["proposal"]
    four = runner_client.get("/plans/generate/?sessions=4&minutes=30").context["proposal"]

    assert sum(bool(d.placements) for d in two.days) == 2
    assert sum(bool(d.placements) for d in four.days) == 4
    assert len(four.placements) > len(two.placements)


def test_choices_out_of_range_are_refused_beside_the_field(runner_client, profiled_runner):
    response = runner_client.get("/plans/generate/?sessions=9&minutes=15")

    assert response.status_code == 400
    assert "Choose 2, 3 or 4 sessions a week." in response.content.decode()


def test_saving_the_proposal_makes_that_plan_once(runner_client, profiled_runner):
    proposal = runner_client.get("/plans/generate/?sessions=3&minutes=15").context["proposal"]
    data = {"name": "From my week", "sessions": 3, "minutes": 15, "token": str(uuid.uuid4())}

    first = runner_client.post("/plans/generate/", data)
    runner_client.post("/plans/generate/", data)

    plan = profiled_runner.weekly_plans.get()
    assert first["Location"] == plan.get_absolute_url()
    assert list(plan.items.values_list("weekday", "position", "exercise_id")) == [
        (p.weekday, p.position, p.exercise_id) for p in proposal.placements
    ]


def test_the_feed_has_a_weekly_event_per_planned_day(client, runner_with_plan):
    response = client.get(f"/plans/calendar/{runner_with_plan.calendar_token}.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2  # Monday and Thursday
    monday, thursday = events
    assert monday["RRULE"]["FREQ"] == ["WEEKLY"]
    assert monday.decoded("DTSTART").weekday() == 0
    assert thursday.decoded("DTSTART").weekday() == 3
    assert "Single-leg calf raise: 2 × 10 each side" in str(monday["DESCRIPTION"])
    assert "Toe yoga" in str(monday["DESCRIPTION"])
    assert monday["UID"] != thursday["UID"]


def test_the_board_shows_the_calendar_address(runner_client, runner_with_plan):
    page = runner_client.get(runner_with_plan.get_absolute_url()).content.decode()

    assert f"/plans/calendar/{runner_with_plan.calendar_token}.ics" in page


def test_the_print_view_has_every_day(runner_client, runner_with_plan):
    page = runner_client.get(f"/plans/{runner_with_plan.pk}/print/").content.decode()

    assert page.count('class="print-day"') == 7
    assert "Toe yoga" in page


def test_the_print_view_says_which_warnings_the_board_shows(runner_client, runner_with_plan):
    board = runner_client.get(runner_with_plan.get_absolute_url()).context["days"]
    warnings = [w for day in board for w in day.summary.warnings]
    page = runner_client.get(f"/plans/{runner_with_plan.pk}/print/").content.decode()

    # Ada's Monday calf raises sit before her hard workout: the board says so, and the
    # printed week names it too, in a few words.
    assert "calf-before-run" in {w.kind for w in warnings}
    for warning in warnings:
        assert escape(warning.short) in page
    assert "Single-leg calf raise the day before your hard workout" in page
    assert "on the board" not in page


def test_plans_are_in_the_export(runner_client, runner_with_plan):
    document = json.loads(runner_client.get("/accounts/export/").content)

    (plan,) = document["plans"]
    assert plan["name"] == "Strong feet"
    assert plan["active"] is True
    assert [(i["weekday"], i["exercise"]) for i in plan["items"]] == [
        ("monday", "calf-raise"),
        ("monday", "toe-yoga"),
        ("thursday", "calf-raise"),
    ]
    assert plan["items"][0]["sets"] == 2
    assert plan["items"][0]["dose_set_at"] is None
    assert "calendar_token" not in json.dumps(document)


def test_an_items_dose_set_by_hand_is_in_the_export(runner_client, runner_with_plan):
    toe_yoga = runner_with_plan.items.get(exercise__slug="toe-yoga")
    runner_client.post(
        f"/plans/{runner_with_plan.pk}/items/{toe_yoga.pk}/",
        {
            f"item-{toe_yoga.pk}-{field}": value
            for field, value in {"sets": 3, "reps": 12, "rest_seconds": 30}.items()
        },
    )
    toe_yoga.refresh_from_db()
    assert toe_yoga.dose_set_at is not None

    document = json.loads(runner_client.get("/accounts/export/").content)

    (item,) = [i for i in document["plans"][0]["items"] if i["exercise"] == "toe-yoga"]
    assert item["dose_set_at"] == toe_yoga.dose_set_at.isoformat()


def test_plans_go_with_the_account(runner, runner_with_plan):
    runner_delete(user=runner)

    assert not WeeklyPlan.objects.exists()
    assert not PlanItem.objects.exists()
