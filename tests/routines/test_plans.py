"""/plans/: make, rename, duplicate, delete with a confirm step, make active, copy a starter;
a runner's first plan is the active one."""

import uuid

import pytest

from routines.plans.models import StarterPlan, WeeklyPlan

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
    # Unordered querysets: PostgreSQL may return the rows in any order.
    original = sorted(
        runner_with_plan.items.values_list("weekday", "position", "exercise_id", "sets", "reps")
    )
    assert sorted(copy.items.values_list("weekday", "position", "exercise_id", "sets", "reps")) == (
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


# A new plan and the active one ----------------------------------------------------------


@pytest.fixture
def starter(seeded_library):
    from routines.plans.starter_content import read_starter_plans, starter_plans_seed

    starter_plans_seed(data=read_starter_plans())
    return StarterPlan.objects.get(slug="plantar-heel-care")


def test_a_starter_copied_by_a_runner_without_an_active_plan_is_what_today_follows(
    runner_client, runner, starter, on_monday
):
    response = runner_client.post(
        f"/plans/starters/{starter.slug}/copy/", {"token": str(uuid.uuid4())}, follow=True
    )

    plan = runner.weekly_plans.get()
    assert plan.is_active
    assert "It is your active plan" in response.text
    today = runner_client.get("/today/").text
    assert "No active plan yet" not in today
    assert plan.name in today


def test_a_generated_plan_saved_without_an_active_plan_becomes_the_active_one(
    runner_client, runner, seeded_library
):
    data = {"name": "From my week", "sessions": 3, "minutes": 15, "token": str(uuid.uuid4())}

    runner_client.post("/plans/generate/", data)

    assert runner.weekly_plans.get().is_active


def test_a_plan_made_beside_an_active_one_offers_make_active_on_the_spot(
    runner_client, runner, runner_with_plan, starter
):
    response = runner_client.post(
        f"/plans/starters/{starter.slug}/copy/", {"token": str(uuid.uuid4())}, follow=True
    )

    copy = runner.weekly_plans.get(name="Plantar heel care")
    runner_with_plan.refresh_from_db()
    assert (copy.is_active, runner_with_plan.is_active) == (False, True)
    message = response.text.split('class="messages"')[1].split("</ul>")[0]
    assert "Today still follows “Strong feet”." in message
    assert f'action="/plans/{copy.pk}/activate/"' in message
    assert "Make “Plantar heel care” active" in message
    assert 'name="csrfmiddlewaretoken"' in message

    runner_client.post(f"/plans/{copy.pk}/activate/")

    copy.refresh_from_db()
    assert copy.is_active


def test_a_plan_made_twice_with_one_token_is_made_and_activated_once(runner_client, runner):
    data = {"name": "Heel care", "notes": "", "token": str(uuid.uuid4())}

    runner_client.post("/plans/new/", data)
    runner_client.post("/plans/new/", data)

    assert list(runner.weekly_plans.values_list("name", "is_active")) == [("Heel care", True)]
