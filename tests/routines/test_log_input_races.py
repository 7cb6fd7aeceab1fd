"""A logged exercise's edit at once with itself, and with a tick on /today/, on PostgreSQL."""

import pytest

from routines.training.models import ExerciseLog
from tests.concurrency import at_once, copy_of, double_submit, needs_parallel_database

from .conftest import monday_items
from .test_log_input import as_posted, sets_of

pytestmark = [pytest.mark.django_db(transaction=True), needs_parallel_database]


def test_the_same_edit_twice_at_once_lands_once(runner_client, runner_with_plan, on_monday):
    calf, _ = monday_items(runner_with_plan)
    for number, amount in ((1, "10"), (2, "8")):
        runner_client.post(
            f"/today/items/{calf.pk}/sets/{number}/", {"amount": amount, "amount_right": amount}
        )
    log = ExerciseLog.objects.get()
    url = f"/log/{log.session_id}/entries/{log.pk}/"
    data = as_posted(
        runner_client.get(url),
        pain="3",
        **{"sets-1-amount": "9", "sets-2-amount": "7", "sets-2-amount_right": "7"},
    )

    responses = double_submit(runner_client, url, data, times=3)

    assert [r.status_code for r in responses] == [302] * 3
    log.refresh_from_db()
    assert sets_of(log) == [(1, 10, 10), (2, 9, 8), (3, 7, 7)]
    assert (log.pain, log.sets_done) == (3, 3)


def test_an_edit_and_a_tick_at_once_both_land(runner_client, runner_with_plan, on_monday):
    calf, _ = monday_items(runner_with_plan)
    runner_client.post(f"/today/items/{calf.pk}/sets/1/", {"amount": "10", "amount_right": "10"})
    log = ExerciseLog.objects.get()
    url = f"/log/{log.session_id}/entries/{log.pk}/"
    data = as_posted(runner_client.get(url), pain="2", **{"sets-0-amount": "11"})
    tab = copy_of(runner_client)

    responses = at_once(
        lambda: runner_client.post(url, data),
        lambda: tab.post(f"/today/items/{calf.pk}/sets/2/", {"amount": "8", "amount_right": "8"}),
    )

    assert [r.status_code for r in responses] == [302, 302]
    log.refresh_from_db()
    assert sets_of(log) == [(1, 11, 10), (2, 8, 8)]
    assert (log.pain, log.sets_done) == (2, 2)


def test_a_plan_day_saved_three_times_at_once_makes_one_session(
    runner, runner_client, runner_with_plan, on_monday
):
    data = as_posted(runner_client.get("/log/new/plan/0/"))

    responses = double_submit(runner_client, "/log/new/plan/0/", data, times=3)

    assert [r.status_code for r in responses] == [302] * 3
    session = runner.workout_sessions.get()
    assert session.logs.count() == len(monday_items(runner_with_plan))
