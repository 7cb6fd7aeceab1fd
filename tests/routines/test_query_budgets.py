"""The board, the plans list and the feed cost the same queries with one item and with 70."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exercises.models import Exercise
from routines.plans.models import PlanItem, WeeklyPlan

# What drawing each page costs: none served as kept.
pytestmark = pytest.mark.django_db

# The user comes with their profile in one query (footcare.accounts.backends.RunnerBackend).
# Session, user with profile, plan, profile equipment, the items, their exercises (with their
# equipment and primary muscles as columns), the items' applied dose changes ("Why this
# dose", one query however many).
BOARD = 7
# Session, user with profile (greeting), starters, their citations, plans with item counts.
LIST = 5
# Plan by token, its items.
FEED = 2
# Session, user with profile, the runner's ticked conditions and equipment (one query), and
# the library's lists kept for everyone (a cache read, a query where the cache is the
# database's table).
PROFILE = 4
# The signed-in home page, its week drawn by the training app's tag: session, user with
# profile, the conditions, the active plan with its exercises' names, the week's sets done.
HOME = 5


def fill(plan: WeeklyPlan, count: int) -> None:
    exercises = itertools.cycle(Exercise.objects.published().order_by("pk"))
    items = []
    for n in range(count):
        item = PlanItem(plan=plan, weekday=n % 7, position=n // 7, exercise=next(exercises))
        item.copy_dose_from(item.exercise)
        items.append(item)
    PlanItem.objects.bulk_create(items)


def queries(client, url: str, headers: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, url
    return len(captured)


def test_the_board_costs_the_same_with_1_and_70_items(
    runner_client, runner, seeded_library, django_assert_max_num_queries
):
    plan = WeeklyPlan.objects.create(owner=runner, name="Plan")
    fill(plan, 1)
    with django_assert_max_num_queries(BOARD):
        runner_client.get(plan.get_absolute_url())
    small = queries(runner_client, plan.get_absolute_url())

    fill(plan, 69)
    assert plan.items.count() == 70
    with django_assert_max_num_queries(BOARD):
        page = runner_client.get(plan.get_absolute_url())
    assert page.content.decode().count('class="plan-item') >= 70
    assert queries(runner_client, plan.get_absolute_url()) == small
    assert queries(runner_client, f"/plans/{plan.pk}/print/") == small


def test_the_plans_list_costs_the_same_with_1_and_70_plans(
    runner_client, runner, seeded_library, django_assert_max_num_queries
):
    fill(WeeklyPlan.objects.create(owner=runner, name="Plan 0"), 1)
    with django_assert_max_num_queries(LIST):
        runner_client.get("/plans/")
    small = queries(runner_client, "/plans/")

    for n in range(1, 70):
        fill(WeeklyPlan.objects.create(owner=runner, name=f"Plan {n}"), 1)
    with django_assert_max_num_queries(LIST):
        runner_client.get("/plans/")
    assert queries(runner_client, "/plans/") == small


def test_the_feed_costs_the_same_with_1_and_70_items(
    client, runner, seeded_library, django_assert_max_num_queries
):
    plan = WeeklyPlan.objects.create(owner=runner, name="Plan")
    url = f"/plans/calendar/{plan.calendar_token}.ics"
    fill(plan, 1)
    with django_assert_max_num_queries(FEED):
        client.get(url)

    fill(plan, 69)
    with django_assert_max_num_queries(FEED):
        body = client.get(url).content.decode()
    assert body.count("BEGIN:VEVENT") == 7


def test_a_day_fragment_costs_the_same_with_8_and_70_items(runner_client, runner, seeded_library):
    # Two items on Monday at least, so that a move down really swaps two rows.
    plan = WeeklyPlan.objects.create(owner=runner, name="Plan")
    fill(plan, 8)
    item = plan.items.get(weekday=0, position=0)
    url = f"/plans/{plan.pk}/items/{item.pk}/move/"

    def moved() -> int:
        with CaptureQueriesContext(connection) as captured:
            runner_client.post(
                url, {"direction": "down"}, headers={"HX-Request": "true", "HX-Target": "day-0"}
            )
        return len(captured)

    small = moved()
    plan.items.all().delete()
    fill(plan, 70)
    item = plan.items.get(weekday=0, position=0)
    url = f"/plans/{plan.pk}/items/{item.pk}/move/"
    assert moved() == small


def test_the_library_with_for_you_and_an_exercise_with_add_to_plan_keep_a_fixed_cost(
    runner_client, runner, seeded_library
):
    from exercises.content.bulk import library_bulk_add
    from exercises.models import Condition, Equipment

    profile = runner.runner_profile
    profile.conditions.set(Condition.objects.all())
    profile.equipment.set(Equipment.objects.all())
    for n in range(3):
        WeeklyPlan.objects.create(owner=runner, name=f"Plan {n}")
    small = {url: queries(runner_client, url) for url in ("/exercises/", "/exercises/toe-walk/")}

    library_bulk_add(count=50)
    for n in range(3, 40):
        WeeklyPlan.objects.create(owner=runner, name=f"Plan {n}")

    assert {url: queries(runner_client, url) for url in small} == small


# The signed-in pages beside the plans: the profile, home, and the library as a runner sees
# it (with "For you" from the profile's conditions and "Add to my plan").
SIGNED_IN = ["/accounts/profile/", "/", "/exercises/", "/exercises/calf-raise/"]


def test_the_profile_home_and_library_cost_the_same_with_a_week_and_a_year_of_history(
    runner_client, runner, seeded_library
):
    from exercises.models import Condition
    from footcare import clock
    from routines.training.demo import daily_history

    plan = WeeklyPlan.objects.create(owner=runner, name="Plan", is_active=True)
    fill(plan, 14)
    daily_history(runner, plan, today=clock.today(), days=7)

    def counted() -> dict[str, int]:
        for url in SIGNED_IN:
            runner_client.get(url)  # what is kept for everyone is kept from here on
        return {url: queries(runner_client, url) for url in SIGNED_IN}

    small = counted()
    daily_history(runner, plan, today=clock.today(), days=358, start=8)
    runner.runner_profile.conditions.set(Condition.objects.all()[:3])
    large = counted()

    assert large == small
    assert small["/"] == HOME
    assert small["/accounts/profile/"] == PROFILE
    assert "For you" in runner_client.get("/exercises/").content.decode()
