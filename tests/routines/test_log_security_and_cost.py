"""The log's pages cost the same with one session and three years of them; another
runner's sessions, logs and today's items answer 404 to GET, POST and htmx, unchanged."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from routines.training.demo import daily_history
from routines.training.models import ExerciseLog, SetLog, WorkoutSession

from .conftest import MONDAY, monday_items

pytestmark = pytest.mark.django_db

# Session, user with profile (greeting; footcare.accounts.backends.RunnerBackend), today's
# items of the active plan with the plan and their last-log ids, this morning's check-in,
# today's session with yesterday's (the check-in's question, one query), its logs and
# the items' last logs (one query), their sets, the steps of the items' and the logs'
# exercises (one query), the published ladders with the rungs' names (a cache read: the same
# for everyone, kept under the content version). Then the suggestions, drawn in the same
# request by the progress app's tag: the active plan's items, the logs they are judged on,
# the mornings, today's changes for Undo (the ladders, with the published exercises' safety
# tips, as the page read them).
TODAY = 13
# Session, user with profile, the sessions' count with the calendar's days (one query), the
# page of sessions, their logs, the logged exercises for the filter.
LOG = 6
# Narrowed to one exercise: that exercise, and the count of its sessions apart from the
# calendar's days.
LOG_ONE_EXERCISE = LOG + 2


def log_sessions(runner, plan, days: int, *, start: int = 1) -> None:
    """A session a day going back from `start` days before MONDAY, with both Monday items."""
    daily_history(runner, plan, today=MONDAY, days=days, start=start, items=monday_items(plan))


def count(client, url: str, headers: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, url
    return len(captured)


def tick_today(client, plan) -> None:
    calf, _ = monday_items(plan)
    client.post(f"/today/items/{calf.pk}/sets/1/", {"amount": "9", "amount_right": "9"})
    client.post(f"/today/items/{calf.pk}/", {"pain": "3"})


def test_today_and_the_log_cost_the_same_with_one_session_and_three_years(
    runner, runner_client, runner_with_plan, on_monday, django_assert_max_num_queries
):
    log_sessions(runner, runner_with_plan, 1)
    tick_today(runner_client, runner_with_plan)
    # The first request after a library edit keeps the published ladders in the cache.
    runner_client.get("/today/")
    with django_assert_max_num_queries(TODAY):
        runner_client.get("/today/")
    with django_assert_max_num_queries(LOG):
        runner_client.get("/log/")
    small = {url: count(runner_client, url) for url in ("/today/", "/log/")}

    log_sessions(runner, runner_with_plan, 3 * 365 - 1, start=2)
    assert runner.workout_sessions.count() == 3 * 365 + 1

    with django_assert_max_num_queries(TODAY):
        page = runner_client.get("/today/")
    assert "Last time (Sun 22 Nov)" in page.text
    with django_assert_max_num_queries(LOG):
        runner_client.get("/log/")
    assert {url: count(runner_client, url) for url in small} == small
    assert count(runner_client, "/log/?exercise=toe-yoga&page=3") <= LOG_ONE_EXERCISE


def test_an_item_card_for_htmx_costs_no_more_than_the_page(
    runner, runner_client, runner_with_plan, on_monday
):
    log_sessions(runner, runner_with_plan, 30)
    calf, _ = monday_items(runner_with_plan)
    runner_client.get("/today/")  # the published ladders kept in the cache, as after any page
    with CaptureQueriesContext(connection) as captured:
        runner_client.post(
            f"/today/items/{calf.pk}/",
            {"pain": "2"},
            headers={"HX-Request": "true", "HX-Target": f"item-{calf.pk}"},
        )
    # The first write of the day finds and makes the session and the log (with savepoints
    # that guard their unique constraints), locks and updates; then the card (no suggestions).
    assert len(captured) <= 23


def snapshot(runner) -> list:
    sessions = WorkoutSession.objects.filter(owner=runner).order_by("pk")
    logs = ExerciseLog.objects.filter(session__owner=runner).order_by("pk")
    sets = SetLog.objects.filter(log__session__owner=runner).order_by("pk")
    return [
        [model_to_dict(s, exclude=[]) for s in sessions],
        [(s.started_at, s.finished_at) for s in sessions],
        [model_to_dict(log) for log in logs],
        [model_to_dict(s) for s in sets],
        [s.done_at for s in sets],
    ]


@pytest.mark.parametrize(
    "headers",
    [{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Target": "item-1"}],
    ids=["plain", "htmx", "htmx-card"],
)
def test_another_runners_session_log_and_items_answer_404_unchanged(
    runner, runner_client, runner_with_plan, other_client, on_monday, headers
):
    tick_today(runner_client, runner_with_plan)
    calf, _ = monday_items(runner_with_plan)
    session = runner.workout_sessions.get()
    log = session.logs.get()
    before = snapshot(runner)
    s, g, i = session.pk, log.pk, calf.pk
    entry = {"exercise": log.exercise_id, "unit": "reps", "sets": "9", "amount": "1"}
    requests = [
        ("get", f"/log/{s}/", {}),
        ("post", f"/log/{s}/", {"date": "2026-11-20", "notes": "mine"}),
        ("get", f"/log/{s}/delete/", {}),
        ("post", f"/log/{s}/delete/", {}),
        ("post", f"/log/{s}/add/", {**entry, "prefix": ""}),
        ("get", f"/log/{s}/entries/{g}/", {}),
        ("post", f"/log/{s}/entries/{g}/", entry),
        ("post", f"/today/items/{i}/sets/1/", {"amount": "1", "amount_right": "1"}),
        ("post", f"/today/items/{i}/sets/1/", {"action": "undo"}),
        ("post", f"/today/items/{i}/", {"pain": "9"}),
        ("post", f"/today/items/{i}/", {"skip": "1"}),
    ]
    for method, url, data in requests:
        response = getattr(other_client, method)(url, data, headers=headers)
        assert response.status_code == 404, (method, url)

    assert snapshot(runner) == before
    # Nor does the other runner's own log or export show any of it.
    assert str(log.exercise.name) not in other_client.get("/log/").text
    assert other_client.get("/log/export.csv").content.decode().count("\n") == 1


def test_a_log_id_from_another_session_of_mine_is_not_found(runner, runner_client, exercise):
    mine = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    other = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    log = ExerciseLog.objects.create(session=other, exercise=exercise("toe-yoga"))
    assert runner_client.get(f"/log/{mine.pk}/entries/{log.pk}/").status_code == 404


def test_an_unpublished_exercise_cannot_be_logged_by_hand(runner, runner_client, exercise):
    session = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    draft = exercise("toe-yoga")
    draft.status = "draft"
    draft.save()
    response = runner_client.post(
        f"/log/{session.pk}/add/",
        {"prefix": "", "exercise": draft.pk, "unit": "reps", "sets": "2", "amount": "5"},
    )
    assert response.status_code == 400
    assert not session.logs.exists()


def test_pages_need_a_session(client, db):
    for url in ("/today/", "/log/", "/log/new/", "/log/export.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
