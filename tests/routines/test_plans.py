"""/plans/: make, rename, duplicate, delete with a confirm step, make active, copy a starter."""

import uuid

import pytest

from routines.models import WeeklyPlan

pytestmark = pytest.mark.django_db


def test_plans_need_an_account(client):
    response = client.get("/plans/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/plans/")


def test_the_list_shows_my_plans_and_the_ways_to_start(runner_client, runner_with_plan):
    page = runner_client.get("/plans/").content.decode()

    assert "Strong feet" in page
    assert "3 exercises" in page
    assert "Propose a plan" in page
    assert "Starter plans" in page


def test_making_a_plan_leads_to_its_board(runner_client, runner):
    response = runner_client.post(
        "/plans/new/", {"name": "Heel care", "notes": "", "token": str(uuid.uuid4())}
    )

    plan = runner.weekly_plans.get()
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert plan.name == "Heel care"


def test_the_same_create_form_posted_twice_makes_one_plan(runner_client, runner):
    data = {"name": "Heel care", "notes": "", "token": str(uuid.uuid4())}

    first = runner_client.post("/plans/new/", data)
    second = runner_client.post("/plans/new/", data)

    assert runner.weekly_plans.count() == 1
    assert first["Location"] == second["Location"]


def test_a_plan_without_a_name_is_refused_beside_the_field(runner_client, runner):
    response = runner_client.post("/plans/new/", {"name": "", "token": str(uuid.uuid4())})

    assert response.status_code == 400
    assert "Give the plan a name." in response.content.decode()
    assert not runner.weekly_plans.exists()


def test_renaming(runner_client, runner_with_plan):
    url = f"/plans/{runner_with_plan.pk}/edit/"
    assert runner_client.get(url).status_code == 200

    response = runner_client.post(url, {"name": "Stronger feet", "notes": "Before breakfast"})

    runner_with_plan.refresh_from_db()
    assert response.status_code == 302
    assert (runner_with_plan.name, runner_with_plan.notes) == ("Stronger feet", "Before breakfast")


def test_duplicating_copies_every_item_and_leaves_the_copy_inactive(
    runner_client, runner, runner_with_plan
):
    token = str(uuid.uuid4())
    runner_client.post(f"/plans/{runner_with_plan.pk}/duplicate/", {"token": token})
    runner_client.post(f"/plans/{runner_with_plan.pk}/duplicate/", {"token": token})

    copy = runner.weekly_plans.exclude(pk=runner_with_plan.pk).get()
    assert copy.name == "Strong feet (copy)"
    assert not copy.is_active
    assert copy.calendar_token != runner_with_plan.calendar_token
    original = list(
        runner_with_plan.items.values_list("weekday", "position", "exercise_id", "sets", "reps")
    )
    assert list(copy.items.values_list("weekday", "position", "exercise_id", "sets", "reps")) == (
        original
    )


def test_deleting_asks_first_then_deletes_on_post(runner_client, runner_with_plan):
    url = f"/plans/{runner_with_plan.pk}/delete/"

    confirm = runner_client.get(url)
    assert "cannot be undone" in confirm.content.decode()
    assert WeeklyPlan.objects.filter(pk=runner_with_plan.pk).exists()

    response = runner_client.post(url)
    assert response["Location"] == "/plans/"
    assert not WeeklyPlan.objects.filter(pk=runner_with_plan.pk).exists()


def test_making_a_plan_active_makes_the_other_inactive(runner_client, runner, runner_with_plan):
    other = WeeklyPlan.objects.create(owner=runner, name="Other")

    runner_client.post(f"/plans/{other.pk}/activate/")

    runner_with_plan.refresh_from_db()
    other.refresh_from_db()
    assert other.is_active
    assert not runner_with_plan.is_active


def test_activate_refuses_get(runner_client, runner_with_plan):
    assert runner_client.get(f"/plans/{runner_with_plan.pk}/activate/").status_code == 405
