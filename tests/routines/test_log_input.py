"""What a runner types into the log stays theirs: an edit changes only what was changed, and a
refused value comes back in its form, beside its message, with everything else typed."""

import pytest

from routines.models import ExerciseLog, SetLog, WorkoutSession

from .conftest import MONDAY

HTMX = {"HX-Request": "true"}


def as_posted(response, **changes) -> dict:
    """The edit page's form as a browser posts it, untouched but for `changes`."""
    context = response.context
    data: dict[str, object] = {}
    for form in [context["form"], context["sets"].management_form, *context["sets"]]:
        for field in form:
            value = field.value()
            if value is None or value is False or value == "":
                continue
            data[field.html_name] = "on" if value is True else value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def sets_of(log: ExerciseLog) -> list[tuple]:
    return list(log.sets.order_by("number").values_list("number", "amount", "amount_right"))


@pytest.fixture
def logged(runner, exercise, on_monday) -> ExerciseLog:
    """Ada's calf raises, one-sided, by hand: two sets that differ, left from right."""
    session = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    log = ExerciseLog.objects.create(
        session=session,
        exercise=exercise("calf-raise"),
        per_side=True,
        sets_planned=3,
        sets_done=2,
        pain=2,
        effort=5,
    )
    SetLog.objects.create(log=log, number=1, amount=10, amount_right=9)
    SetLog.objects.create(log=log, number=2, amount=8, amount_right=7)
    return log


def edit_url(log: ExerciseLog) -> str:
    return f"/log/{log.session_id}/entries/{log.pk}/"


def test_editing_the_pain_alone_leaves_every_set_as_it_was(runner_client, logged):
    before = list(
        logged.sets.order_by("number").values_list("number", "amount", "amount_right", "done_at")
    )
    page = runner_client.get(edit_url(logged))
    assert page.status_code == 200

    response = runner_client.post(edit_url(logged), as_posted(page, pain="4"))

    assert response.status_code == 302
    logged.refresh_from_db()
    assert (logged.pain, logged.effort, logged.sets_done) == (4, 5, 2)
    after = list(
        logged.sets.order_by("number").values_list("number", "amount", "amount_right", "done_at")
    )
    assert after == before


def test_editing_one_set_changes_that_set_only(runner_client, logged):
    first = logged.sets.get(number=1)
    page = runner_client.get(edit_url(logged))

    runner_client.post(edit_url(logged), as_posted(page, **{"sets-1-amount": "9"}))

    assert sets_of(logged) == [(1, 10, 9), (2, 9, 7)]
    assert logged.sets.get(number=1).done_at == first.done_at


def test_a_set_is_removed_or_added_and_the_same_edit_again_changes_nothing(runner_client, logged):
    page = runner_client.get(edit_url(logged))
    data = as_posted(
        page,
        **{"sets-0-DELETE": "on", "sets-2-amount": "12", "sets-2-amount_right": "11"},
    )

    runner_client.post(edit_url(logged), data)
    runner_client.post(edit_url(logged), data)

    logged.refresh_from_db()
    assert sets_of(logged) == [(1, 8, 7), (2, 12, 11)]
    assert (logged.sets_done, logged.sets_planned) == (2, 3)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_refused_set_comes_back_typed_beside_its_message(runner_client, logged, headers):
    page = runner_client.get(edit_url(logged))

    response = runner_client.post(
        edit_url(logged), as_posted(page, pain="3", **{"sets-1-amount": "150"}), headers=headers
    )

    assert response.status_code == 400
    assert "<html" in response.text
    assert 'name="sets-1-amount" value="150"' in response.text
    assert "A set is 0 to 100 reps." in response.text
    assert 'id="id_sets-1-amount_error"' in response.text
    assert 'name="pain" value="3"' in response.text
    logged.refresh_from_db()
    assert logged.pain == 2
    assert sets_of(logged) == [(1, 10, 9), (2, 8, 7)]


def test_one_sided_work_needs_the_right_side(runner_client, logged):
    page = runner_client.get(edit_url(logged))
    data = as_posted(page)
    del data["sets-0-amount_right"]

    response = runner_client.post(edit_url(logged), data)

    assert response.status_code == 400
    assert "Give the right side too" in response.text
    assert sets_of(logged) == [(1, 10, 9), (2, 8, 7)]
