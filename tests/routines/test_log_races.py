"""Double taps and two tabs on /today/ and /log/new/, at once, on PostgreSQL."""

import uuid

import pytest

from routines.training.models import ExerciseLog, SetLog
from tests.concurrency import at_once, copy_of, double_submit, needs_parallel_database

from .conftest import monday_items

pytestmark = [pytest.mark.django_db(transaction=True), needs_parallel_database]


def test_the_same_tick_twice_at_once_makes_one_set(
    runner, runner_client, runner_with_plan, on_monday
):
    calf, _ = monday_items(runner_with_plan)
    responses = double_submit(
        runner_client,
        f"/today/items/{calf.pk}/sets/1/",
        {"amount": "10", "amount_right": "10"},
        times=3,
    )
    assert [r.status_code for r in responses] == [302] * 3
    assert runner.workout_sessions.count() == 1
    log = ExerciseLog.objects.get()
    assert (log.sets_done, SetLog.objects.count()) == (1, 1)


def test_two_tabs_ticking_different_sets_both_land(
    runner, runner_client, runner_with_plan, on_monday
):
    calf, toes = monday_items(runner_with_plan)
    tabs = [copy_of(runner_client) for _ in range(4)]
    posts = [
        (tabs[0], f"/today/items/{calf.pk}/sets/1/", {"amount": "10", "amount_right": "10"}),
        (tabs[1], f"/today/items/{calf.pk}/sets/2/", {"amount": "9", "amount_right": "9"}),
        (tabs[2], f"/today/items/{calf.pk}/", {"pain": "2"}),
        (tabs[3], f"/today/items/{toes.pk}/sets/1/", {"amount": "8"}),
    ]
    responses = at_once(*(lambda t=t, u=u, d=d: t.post(u, d) for t, u, d in posts))

    assert [r.status_code for r in responses] == [302] * 4
    assert runner.workout_sessions.count() == 1
    calf_log = ExerciseLog.objects.get(plan_item=calf)
    assert calf_log.sets_done == 2 and calf_log.pain == 2
    assert sorted(calf_log.sets.values_list("number", flat=True)) == [1, 2]
    assert ExerciseLog.objects.get(plan_item=toes).sets_done == 1


def test_the_same_session_by_hand_twice_at_once_makes_one(runner, runner_client, on_monday):
    data = {"date": "2026-11-20", "notes": "", "token": str(uuid.uuid4())}
    responses = double_submit(runner_client, "/log/new/", data, times=3)
    assert [r.status_code for r in responses] == [302] * 3
    assert runner.workout_sessions.count() == 1
