"""The library for a signed-in runner: “For you” first, and “Add to my plan” on an exercise."""

import uuid

import pytest
from django.test import Client

from exercises.models import Condition, Equipment, Status
from routines.plans.models import WeeklyPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def heel_runner(runner, seeded_library):
    profile = runner.runner_profile
    profile.conditions.set(Condition.objects.filter(slug="plantar-fasciitis"))
    profile.equipment.set(Equipment.objects.filter(slug__in=["wall-or-chair"]))
    return runner


def for_you_names(html: str) -> list[str]:
    section = html.split('id="for-you-heading"')[1].split("</section>")[0]
    return [
        part.split("</a>")[0].split(">")[-1]
        for part in section.split('class="exercise-card-title"')[1:]
    ]


def test_for_you_shows_exercises_for_my_conditions_with_my_equipment(runner_client, heel_runner):
    html = runner_client.get("/exercises/").content.decode()

    names = for_you_names(html)
    assert names
    assert "Towel scrunch" not in names  # needs a towel, which Ada lacks
    assert "Toe yoga" in names  # plantar fasciitis, no equipment
    assert html.index('id="for-you-heading"') < html.index('id="results-heading"')


def test_for_you_is_only_for_runners_and_an_unfiltered_library(runner_client, heel_runner):
    assert "For you" not in Client().get("/exercises/").content.decode()
    assert "For you" not in runner_client.get("/exercises/?q=calf").content.decode()


def test_without_conditions_for_you_points_to_the_profile(runner_client, runner, seeded_library):
    html = runner_client.get("/exercises/").content.decode()

    assert "which injuries to guard against" in html


def test_add_to_my_plan_with_the_suggested_dose(runner_client, runner_with_plan, exercise):
    heel_walk = exercise("heel-walk")
    page = runner_client.get(heel_walk.get_absolute_url()).content.decode()
    assert "Add to my plan" in page and "Strong feet" in page

    response = runner_client.post(
        "/plans/add-exercise/",
        {
            "plan": runner_with_plan.pk,
            "weekday": 4,
            "exercise": heel_walk.pk,
            "token": str(uuid.uuid4()),
        },
    )

    assert response["Location"] == f"/plans/{runner_with_plan.pk}/#day-4"
    item = runner_with_plan.items.get(weekday=4)
    assert (item.exercise, item.sets, item.duration_seconds) == (
        heel_walk,
        heel_walk.dose_sets,
        heel_walk.dose_duration_seconds,
    )


def test_add_to_my_plan_refuses_another_runners_plan_and_a_draft(
    runner_client, other_runner, runner_with_plan, exercise
):
    theirs = WeeklyPlan.objects.create(owner=other_runner, name="Grace's")
    heel_walk = exercise("heel-walk")

    runner_client.post(
        "/plans/add-exercise/",
        {"plan": theirs.pk, "weekday": 4, "exercise": heel_walk.pk, "token": str(uuid.uuid4())},
    )
    heel_walk.status = Status.DRAFT
    heel_walk.save()
    runner_client.post(
        "/plans/add-exercise/",
        {"plan": runner_with_plan.pk, "weekday": 4, "exercise": heel_walk.pk},
    )

    assert not theirs.items.exists()
    assert not runner_with_plan.items.filter(weekday=4).exists()


def test_visitors_see_no_add_to_plan(client, seeded_library, exercise):
    assert (
        "Add to my plan"
        not in client.get(exercise("heel-walk").get_absolute_url()).content.decode()
    )
