"""Double submits and two requests at once, on PostgreSQL where rows are really locked.

SQLite serialises every write, so these races only mean something on PostgreSQL; the
sequential double submits are tested on both (test_plans.py, test_board.py).
"""

import datetime
import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from routines.plans.models import WeeklyPlan
from routines.training.models import ExerciseLog
from routines.training.services import set_tick

from .conftest import add_item

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"
    ),
]


def at_once(user, requests: list[Callable[[Client], object]]) -> list:
    """Run each request in its own thread and connection, released together."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int, request: Callable[[Client], object]) -> None:
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            results[index] = request(client)
        finally:
            from django.db import connections

            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_same_create_twice_at_once_makes_one_plan(runner):
    data = {"name": "Twice", "token": str(uuid.uuid4())}

    responses = at_once(runner, [lambda c: c.post("/plans/new/", data)] * 2)

    assert [r.status_code for r in responses] == [302, 302]
    assert runner.weekly_plans.count() == 1


def test_the_same_add_twice_at_once_adds_one_item(runner, runner_with_plan, exercise):
    data = {"exercise": exercise("heel-walk").pk, "weekday": 1, "token": str(uuid.uuid4())}
    url = f"/plans/{runner_with_plan.pk}/add/"

    responses = at_once(runner, [lambda c: c.post(url, data)] * 2)

    assert [r.status_code for r in responses] == [302, 302]
    assert runner_with_plan.items.filter(weekday=1).count() == 1


def test_two_adds_to_one_day_at_once_both_land_in_order(runner, runner_with_plan, exercise):
    url = f"/plans/{runner_with_plan.pk}/add/"
    forms = [
        {"exercise": exercise(slug).pk, "weekday": 1, "token": str(uuid.uuid4())}
        for slug in ("heel-walk", "toe-walk", "arch-lift")
    ]

    at_once(runner, [lambda c, data=data: c.post(url, data) for data in forms])

    positions = list(
        runner_with_plan.items.filter(weekday=1)
        .order_by("position")
        .values_list("position", flat=True)
    )
    assert positions == [0, 1, 2]


def test_two_activations_at_once_leave_one_active_plan(runner, exercise):
    plans = [WeeklyPlan.objects.create(owner=runner, name=f"Plan {n}") for n in range(3)]
    add_item(plans[0], exercise("toe-yoga"), 0)

    responses = at_once(
        runner, [lambda c, p=plan: c.post(f"/plans/{p.pk}/activate/") for plan in plans]
    )

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert runner.weekly_plans.filter(is_active=True).count() == 1


def test_two_first_plans_made_at_once_leave_one_active_plan(runner):
    requests = [
        lambda c, n=n: c.post("/plans/new/", {"name": f"Plan {n}", "token": str(uuid.uuid4())})
        for n in range(3)
    ]

    responses = at_once(runner, requests)

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert runner.weekly_plans.count() == 3
    assert runner.weekly_plans.filter(is_active=True).count() == 1


def test_a_first_plan_made_while_another_is_activated_leaves_one_active_plan(runner):
    for _ in range(5):
        WeeklyPlan.objects.filter(owner=runner).delete()
        other = WeeklyPlan.objects.create(owner=runner, name="Made inactive")

        responses = at_once(
            runner,
            [
                lambda c: c.post("/plans/new/", {"name": "New", "token": str(uuid.uuid4())}),
                lambda c, p=other: c.post(f"/plans/{p.pk}/activate/"),
            ],
        )

        assert [r.status_code for r in responses] == [302, 302]
        assert runner.weekly_plans.filter(is_active=True).count() == 1


def test_moves_at_once_keep_a_day_in_order(runner, runner_with_plan, exercise):
    for slug in ("heel-walk", "toe-walk", "arch-lift"):
        add_item(runner_with_plan, exercise(slug), 0)
    items = list(runner_with_plan.items.filter(weekday=0).order_by("position"))
    url = "/plans/{}/items/{}/move/"

    at_once(
        runner,
        [
            lambda c, i=item: c.post(url.format(runner_with_plan.pk, i.pk), {"direction": "down"})
            for item in items[:3]
        ],
    )

    positions = sorted(runner_with_plan.items.filter(weekday=0).values_list("position", flat=True))
    assert positions == [0, 1, 2, 3, 4]


def test_the_same_up_twice_at_once_moves_the_item_once(runner, runner_with_plan, exercise):
    for slug in ("heel-walk", "toe-walk"):
        add_item(runner_with_plan, exercise(slug), 0)
    last = runner_with_plan.items.filter(weekday=0).order_by("position").last()
    url = f"/plans/{runner_with_plan.pk}/items/{last.pk}/move/"
    count = runner_with_plan.items.filter(weekday=0).count()

    responses = at_once(runner, [lambda c: c.post(url, {"to": count - 2})] * 2)

    assert [r.status_code for r in responses] == [302, 302]
    order = list(
        runner_with_plan.items.filter(weekday=0).order_by("position").values_list("pk", flat=True)
    )
    assert order.index(last.pk) == count - 2
    positions = sorted(runner_with_plan.items.filter(weekday=0).values_list("position", flat=True))
    assert positions == list(range(count))


def test_the_same_undo_twice_at_once_puts_the_item_back_once(runner, runner_with_plan):
    toes = runner_with_plan.items.get(exercise__slug="toe-yoga")
    before = list(runner_with_plan.items.order_by("weekday", "position").values_list("pk"))
    client = Client()
    client.force_login(runner)
    client.post(f"/plans/{runner_with_plan.pk}/items/{toes.pk}/remove/")
    url = f"/plans/{runner_with_plan.pk}/items/{toes.pk}/restore/"

    responses = at_once(runner, [lambda c: c.post(url)] * 3)

    assert [r.status_code for r in responses] == [302, 302, 302]
    after = list(runner_with_plan.items.order_by("weekday", "position").values_list("pk"))
    assert after == before


def test_the_same_remove_twice_at_once_keeps_what_its_undo_needs(runner, runner_with_plan):
    calf = runner_with_plan.items.get(weekday=0, exercise__slug="calf-raise")
    log = set_tick(runner=runner, item=calf, day=datetime.date(2026, 11, 23), number=1, amount=9)
    url = f"/plans/{runner_with_plan.pk}/items/{calf.pk}/remove/"

    responses = at_once(runner, [lambda c: c.post(url)] * 3)
    assert [r.status_code for r in responses] == [302, 302, 302]
    client = Client()
    client.force_login(runner)
    client.post(f"/plans/{runner_with_plan.pk}/items/{calf.pk}/restore/")

    assert ExerciseLog.objects.get(pk=log.pk).plan_item_id == calf.pk


def test_the_same_starter_copy_twice_at_once_makes_one_fitted_plan(runner, seeded_library):
    # Issue 24, point 9: the copy fits the starter's days to the running week; twins of
    # one form still make one plan, its items once each.
    from routines.plans.models import StarterPlan
    from routines.plans.starter_content import read_starter_plans, starter_plans_seed

    starter_plans_seed(data=read_starter_plans())
    starter = StarterPlan.objects.get(slug="calf-capacity-achilles")
    data = {"token": str(uuid.uuid4())}
    url = f"/plans/starters/{starter.slug}/copy/"

    responses = at_once(runner, [lambda c: c.post(url, data)] * 2)

    assert [r.status_code for r in responses] == [302, 302]
    plan = runner.weekly_plans.get()
    assert plan.items.count() == starter.items.count()
    assert set(plan.items.values_list("weekday", flat=True)) != set(
        starter.items.values_list("weekday", flat=True)
    )  # Ada's week moved it


def test_the_same_load_apply_twice_at_once_adds_the_weight_once(
    runner, exercise, equip_runner, monkeypatch
):
    # Issue 24: a suggestion of more weight is applied like any other, once.
    from decimal import Decimal

    from routines.plans.models import DoseChange

    from .conftest import MONDAY
    from .test_load_weights import loaded_plan
    from .test_suggestions import APPLY, apply_data, suggestion_for

    monkeypatch.setattr("footcare.clock.today", lambda: MONDAY)
    plan = loaded_plan(runner, exercise, equip_runner, "10")
    data = apply_data(suggestion_for(runner, "calf-raise-weighted", MONDAY))

    responses = at_once(runner, [lambda c: c.post(APPLY, data)] * 2)

    assert [r.status_code for r in responses] == [302, 302]
    assert set(plan.items.values_list("load", flat=True)) == {Decimal("11")}
    assert DoseChange.objects.count() == 2  # one per item, not two
