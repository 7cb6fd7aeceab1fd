"""A session logged by hand: finished like /today/'s, and never left behind empty unseen."""

import pytest

from routines.training.models import ExerciseLog, WorkoutSession

from .conftest import MONDAY, monday_items
from .test_log_input import as_posted


@pytest.fixture
def by_hand(runner, exercise, on_monday) -> WorkoutSession:
    session = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    ExerciseLog.objects.create(session=session, exercise=exercise("toe-yoga"), sets_done=0)
    return session


def test_a_session_by_hand_can_be_finished_once(runner_client, by_hand):
    page = runner_client.get(f"/log/{by_hand.pk}/")
    assert "not finished" in page.text
    assert f'action="/log/{by_hand.pk}/finish/"' in page.text

    first = runner_client.post(f"/log/{by_hand.pk}/finish/")
    by_hand.refresh_from_db()
    finished_at = by_hand.finished_at
    second = runner_client.post(f"/log/{by_hand.pk}/finish/")

    assert first.status_code == second.status_code == 302
    by_hand.refresh_from_db()
    assert finished_at is not None and by_hand.finished_at == finished_at
    page = runner_client.get(f"/log/{by_hand.pk}/")
    assert "· finished" in page.text
    assert f'action="/log/{by_hand.pk}/finish/"' not in page.text


def test_an_empty_session_is_not_finished_but_named_in_the_log(runner, runner_client, on_monday):
    empty = WorkoutSession.objects.create(owner=runner, date=MONDAY)

    response = runner_client.post(f"/log/{empty.pk}/finish/", follow=True)

    assert "Add what you did before finishing" in response.text
    empty.refresh_from_db()
    assert empty.finished_at is None
    log = runner_client.get("/log/")
    assert "Nothing logged in it." in log.text
    assert f'href="/log/{empty.pk}/delete/"' in log.text


def test_another_runners_session_cannot_be_finished(other_client, by_hand):
    assert other_client.post(f"/log/{by_hand.pk}/finish/").status_code == 404
    by_hand.refresh_from_db()
    assert by_hand.finished_at is None


# "I did Monday's plan" -----------------------------------------------------------------------

HTMX = {"HX-Request": "true"}


def test_log_new_offers_each_day_of_the_active_plan(runner_client, runner_with_plan, on_monday):
    page = runner_client.get("/log/new/")
    assert 'href="/log/new/plan/0/">I did Monday' in page.text
    assert 'href="/log/new/plan/3/">I did Thursday' in page.text
    assert "/log/new/plan/1/" not in page.text


def test_a_plan_day_is_filled_in_and_saved_in_one_step(
    runner, runner_client, runner_with_plan, on_monday
):
    calf, toes = monday_items(runner_with_plan)
    page = runner_client.get("/log/new/plan/0/")
    assert page.status_code == 200
    # Leaving now leaves nothing behind.
    assert not runner.workout_sessions.exists()
    assert 'name="date" value="2026-11-23"' in page.text
    data = as_posted(
        page,
        **{
            f"item-{calf.pk}-amount": "9",
            f"item-{calf.pk}-pain": "2",
            f"item-{toes.pk}-skipped": "on",
        },
    )

    first = runner_client.post("/log/new/plan/0/", data)
    second = runner_client.post("/log/new/plan/0/", data)

    session = runner.workout_sessions.get()
    assert first["Location"] == second["Location"] == f"/log/{session.pk}/"
    assert (session.plan, session.date, session.is_finished) == (runner_with_plan, MONDAY, True)
    calf_log = session.logs.get(plan_item=calf)
    right = calf.reps if calf.per_side else None
    assert list(calf_log.sets.values_list("amount", "amount_right")) == [(9, right)] * calf.sets
    assert (calf_log.sets_done, calf_log.sets_planned, calf_log.pain) == (calf.sets, calf.sets, 2)
    toes_log = session.logs.get(plan_item=toes)
    assert (toes_log.skipped, toes_log.sets_done) == (True, 0)
    assert "Strong feet" in runner_client.get("/log/").text


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_plan_day_refused_comes_back_as_typed(
    runner, runner_client, runner_with_plan, on_monday, headers
):
    calf, _ = monday_items(runner_with_plan)
    page = runner_client.get("/log/new/plan/0/")
    data = as_posted(page, notes="Hotel", **{f"item-{calf.pk}-amount": "150"})

    response = runner_client.post("/log/new/plan/0/", data, headers=headers)

    assert response.status_code == 400
    assert f'name="item-{calf.pk}-amount" value="150"' in response.text
    assert f'id="id_item-{calf.pk}-amount_error"' in response.text
    assert "Hotel</textarea>" in response.text
    assert not runner.workout_sessions.exists()


def test_a_plan_day_already_in_the_log_is_refused(
    runner, runner_client, runner_with_plan, on_monday
):
    calf, _ = monday_items(runner_with_plan)
    runner_client.post(f"/today/items/{calf.pk}/sets/1/", {"amount": "10", "amount_right": "10"})
    page = runner_client.get("/log/new/plan/0/")

    response = runner_client.post("/log/new/plan/0/", as_posted(page))

    assert response.status_code == 400
    assert "This plan already has a session on that day." in response.text
    assert runner.workout_sessions.count() == 1


def test_a_day_without_items_or_plan_is_not_found(runner_client, other_client, runner_with_plan):
    assert runner_client.get("/log/new/plan/1/").status_code == 404
    assert runner_client.get("/log/new/plan/9/").status_code == 404
    assert other_client.get("/log/new/plan/0/").status_code == 404
    assert other_client.post("/log/new/plan/0/", {}).status_code == 404


def test_a_plan_day_saved_twice_answers_the_second_as_the_first(
    runner, runner_client, runner_with_plan, on_monday
):
    # A retry after the first save went through: the form's "plan's day is taken" check
    # refused it with a 400 (seen on PostgreSQL when three arrived at once).
    data = as_posted(runner_client.get("/log/new/plan/0/"))

    first = runner_client.post("/log/new/plan/0/", data)
    second = runner_client.post("/log/new/plan/0/", data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert runner.workout_sessions.count() == 1
