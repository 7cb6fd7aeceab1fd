"""Another runner's plans and items answer 404 to GET, POST and htmx, and stay unchanged."""

import uuid

import pytest
from django.forms.models import model_to_dict

from routines.plans.models import PlanItem, WeeklyPlan

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "day-0"}


def snapshot(plan: WeeklyPlan) -> tuple:
    plan.refresh_from_db()
    return (
        model_to_dict(plan, exclude=[]),
        plan.calendar_token,
        plan.updated_at,
        [model_to_dict(item) for item in PlanItem.objects.filter(plan=plan).order_by("pk")],
    )


def requests_for(plan: WeeklyPlan, item: PlanItem, exercise_id: int):
    p, i = plan.pk, item.pk
    dose = {f"item-{i}-sets": 9, f"item-{i}-reps": 9, f"item-{i}-rest_seconds": 9}
    return [
        ("get", f"/plans/{p}/", {}),
        ("get", f"/plans/{p}/edit/", {}),
        ("post", f"/plans/{p}/edit/", {"name": "Mine now"}),
        ("get", f"/plans/{p}/delete/", {}),
        ("post", f"/plans/{p}/delete/", {}),
        ("post", f"/plans/{p}/duplicate/", {}),
        ("post", f"/plans/{p}/activate/", {}),
        ("get", f"/plans/{p}/print/", {}),
        ("post", f"/plans/{p}/calendar/", {}),
        ("get", f"/plans/{p}/add/?day=0&q=calf", {}),
        ("post", f"/plans/{p}/add/", {"exercise": exercise_id, "weekday": 0}),
        ("post", f"/plans/{p}/days/copy/", {"from_weekday": 0, "to_weekday": 1}),
        ("post", f"/plans/{p}/items/{i}/", dose),
        ("post", f"/plans/{p}/items/{i}/remove/", {}),
        ("post", f"/plans/{p}/items/{i}/restore/", {}),
        ("post", f"/plans/{p}/items/{i}/move/", {"direction": "down"}),
        ("post", f"/plans/{p}/items/{i}/move/", {"direction": "day", "weekday": 5}),
    ]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_another_runners_plan_answers_404_and_stays_unchanged(
    other_client, runner_with_plan, headers
):
    plan = runner_with_plan
    item = plan.items.first()
    plan.is_active = False
    plan.save()
    before = snapshot(plan)

    for method, url, data in requests_for(plan, item, item.exercise_id):
        response = getattr(other_client, method)(url, data, headers=headers)
        assert response.status_code == 404, (method, url)

    assert snapshot(plan) == before
    assert not WeeklyPlan.objects.exclude(pk=plan.pk).exists()


def test_an_item_of_another_runners_plan_cannot_be_reached_through_my_own_plan(
    runner_client, runner, other_runner, runner_with_plan
):
    mine = WeeklyPlan.objects.create(owner=other_runner, name="Grace's")
    theirs = runner_with_plan.items.first()
    before = snapshot(runner_with_plan)
    # Ada is signed in; Grace's plan id with Ada's item, and Ada's plan with a wrong item.
    client = runner_client
    assert client.post(f"/plans/{mine.pk}/items/{theirs.pk}/remove/").status_code == 404

    other_item = PlanItem.objects.create(
        plan=mine, weekday=0, exercise=theirs.exercise, sets=1, reps=1
    )
    # Through my own plan, another runner's item answers as an id that never existed: the
    # board, saying there is nothing to remove. Which ids exist cannot be told.
    base = f"/plans/{runner_with_plan.pk}/items"
    missing = PlanItem.objects.order_by("-pk").first().pk + 1000
    theirs_answer = client.post(f"{base}/{other_item.pk}/remove/", follow=True)
    missing_answer = client.post(f"{base}/{missing}/remove/", follow=True)
    assert theirs_answer.redirect_chain == missing_answer.redirect_chain
    assert theirs_answer.status_code == missing_answer.status_code == 200
    assert "removed already" in theirs_answer.content.decode()
    assert "removed already" in missing_answer.content.decode()
    assert PlanItem.objects.filter(pk=other_item.pk).exists()
    assert snapshot(runner_with_plan) == before


def test_the_feed_answers_only_to_its_current_token(client, runner_with_plan):
    old = runner_with_plan.calendar_token
    assert client.get(f"/plans/calendar/{old}.ics").status_code == 200
    assert client.get(f"/plans/calendar/{old[:-1]}.ics").status_code == 404
    assert client.get("/plans/calendar/.ics").status_code == 404

    client.force_login(runner_with_plan.owner)
    client.post(f"/plans/{runner_with_plan.pk}/calendar/")
    runner_with_plan.refresh_from_db()

    assert runner_with_plan.calendar_token != old
    assert client.get(f"/plans/calendar/{old}.ics").status_code == 404
    assert client.get(f"/plans/calendar/{runner_with_plan.calendar_token}.ics").status_code == 200


def test_the_feed_reveals_nothing_but_the_plan(client, runner_with_plan):
    runner_with_plan.notes = "Private notes about my knee"
    runner_with_plan.save()

    body = client.get(f"/plans/calendar/{runner_with_plan.calendar_token}.ics").content.decode()

    assert "ada@example.com" not in body
    assert "knee" not in body
    assert (
        "Set-Cookie"
        not in client.get(f"/plans/calendar/{runner_with_plan.calendar_token}.ics").headers
    )


def test_a_starter_copy_or_create_is_always_for_the_signed_in_runner(
    runner_client, runner, other_runner
):
    runner_client.post(
        "/plans/new/", {"name": "Mine", "owner": other_runner.pk, "token": str(uuid.uuid4())}
    )

    assert runner.weekly_plans.count() == 1
    assert not other_runner.weekly_plans.exists()


def test_visitors_are_sent_to_log_in_from_every_plan_page(client, runner_with_plan):
    item = runner_with_plan.items.first()
    for method, url, data in requests_for(runner_with_plan, item, item.exercise_id):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
