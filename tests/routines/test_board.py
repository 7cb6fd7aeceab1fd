"""The board: each action works as a plain POST and, with htmx, answers with its fragment."""

import re
import uuid

import pytest

from exercises.models import Status
from routines.plans.forms import PLACE_MESSAGE, MoveForm
from routines.plans.models import PlanItem

from .conftest import add_item

pytestmark = pytest.mark.django_db


def htmx(target: str) -> dict[str, str]:
    return {"HX-Request": "true", "HX-Target": target}


def day_of(plan, weekday):
    return list(
        plan.items.filter(weekday=weekday)
        .order_by("position")
        .values_list("exercise__slug", flat=True)
    )


def test_the_board_shows_each_day_with_its_run_and_minutes(runner_client, runner_with_plan):
    page = runner_client.get(runner_with_plan.get_absolute_url()).content.decode()

    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        assert f">{day}</h3>" in page
    assert "Hard workout" in page
    assert "Long run" in page
    assert "About 5 min" in page  # Monday: calf raise and toe yoga
    assert "No strength work" in page


def test_the_picker_searches_the_published_library_and_marks_missing_equipment(
    runner_client, runner_with_plan, exercise
):
    draft = exercise("toe-spread")
    draft.status = Status.DRAFT
    draft.save()
    url = f"/plans/{runner_with_plan.pk}/add/?day=1&q=toe"

    fragment = runner_client.get(url, headers=htmx("picker-results-1")).content.decode()

    assert "<html" not in fragment
    assert "Toe yoga" in fragment
    assert "Toe spread</span>" not in fragment
    assert "which your profile does not list" in fragment  # resistance band, for one
    page = runner_client.get(url).content.decode()
    assert "<html" in page and "Add an exercise to Tuesday" in page


def test_adding_with_htmx_answers_with_the_day(runner_client, runner_with_plan, exercise):
    data = {"exercise": exercise("heel-walk").pk, "weekday": 1, "token": str(uuid.uuid4())}

    response = runner_client.post(f"/plans/{runner_with_plan.pk}/add/", data, headers=htmx("day-1"))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="plan-day')
    assert 'id="day-1"' in body
    assert "Heel walk" in body
    assert 'id="warnings-0" hx-swap-oob="true"' in body
    assert "Heel walk added to Tuesday." in body
    assert day_of(runner_with_plan, 1) == ["heel-walk"]
    item = runner_with_plan.items.get(weekday=1)
    heel_walk = exercise("heel-walk")
    assert (item.sets, item.reps, item.duration_seconds) == (
        heel_walk.dose_sets,
        heel_walk.dose_reps,
        heel_walk.dose_duration_seconds,
    )


def test_adding_without_javascript_comes_back_to_the_board(
    runner_client, runner_with_plan, exercise
):
    data = {"exercise": exercise("heel-walk").pk, "weekday": 1, "token": str(uuid.uuid4())}

    response = runner_client.post(f"/plans/{runner_with_plan.pk}/add/", data)

    assert response.status_code == 302
    assert response["Location"] == f"/plans/{runner_with_plan.pk}/#day-1"


def test_the_same_add_posted_twice_adds_one_item(runner_client, runner_with_plan, exercise):
    data = {"exercise": exercise("heel-walk").pk, "weekday": 1, "token": str(uuid.uuid4())}

    runner_client.post(f"/plans/{runner_with_plan.pk}/add/", data)
    runner_client.post(f"/plans/{runner_with_plan.pk}/add/", data, headers=htmx("day-1"))

    assert day_of(runner_with_plan, 1) == ["heel-walk"]


def test_an_unpublished_exercise_cannot_be_added(runner_client, runner_with_plan, exercise):
    draft = exercise("heel-walk")
    draft.status = Status.DRAFT
    draft.save()

    runner_client.post(
        f"/plans/{runner_with_plan.pk}/add/",
        {"exercise": draft.pk, "weekday": 1, "token": str(uuid.uuid4())},
    )

    assert day_of(runner_with_plan, 1) == []


def test_editing_a_dose_in_place(runner_client, runner_with_plan):
    item = runner_with_plan.items.get(weekday=3)
    prefix = f"item-{item.pk}"
    data = {
        f"{prefix}-sets": 3,
        f"{prefix}-reps": 15,
        f"{prefix}-hold_seconds": "",
        f"{prefix}-duration_seconds": "",
        f"{prefix}-per_side": "on",
        f"{prefix}-load_note": "5 kg in each hand",
        f"{prefix}-rest_seconds": 90,
    }

    response = runner_client.post(
        f"/plans/{runner_with_plan.pk}/items/{item.pk}/", data, headers=htmx("day-3")
    )

    item.refresh_from_db()
    assert (item.sets, item.reps, item.hold_seconds, item.load_note, item.rest_seconds) == (
        3,
        15,
        None,
        "5 kg in each hand",
        90,
    )
    assert "3 × 15 each side, 5 kg in each hand, rest 1 minute 30 seconds" in (
        response.content.decode()
    )


def test_an_invalid_dose_shows_its_error_beside_the_field_and_changes_nothing(
    runner_client, runner_with_plan
):
    item = runner_with_plan.items.get(weekday=3)
    before = PlanItem.objects.values().get(pk=item.pk)
    prefix = f"item-{item.pk}"
    data = {
        f"{prefix}-sets": 12,
        f"{prefix}-reps": 10,
        f"{prefix}-rest_seconds": 60,
    }

    fragment = runner_client.post(
        f"/plans/{runner_with_plan.pk}/items/{item.pk}/", data, headers=htmx("day-3")
    ).content.decode()
    page = runner_client.post(f"/plans/{runner_with_plan.pk}/items/{item.pk}/", data)

    assert PlanItem.objects.values().get(pk=item.pk) == before
    for body in (fragment, page.content.decode()):
        error = body.index("Sets run from 1 to 10.")
        assert body.index(f'for="id_{prefix}-sets"') < error < body.index(f'id="id_{prefix}-sets"')
        assert 'aria-invalid="true"' in body
        assert "plan-item is-editing" in body
    assert page.status_code == 400


def test_a_negative_dose_gets_our_range_in_words_not_djangos(runner_client, runner_with_plan):
    item = runner_with_plan.items.get(weekday=3)
    before = PlanItem.objects.values().get(pk=item.pk)
    prefix = f"item-{item.pk}"
    data = {
        f"{prefix}-sets": -1,
        f"{prefix}-reps": -10,
        f"{prefix}-hold_seconds": -2,
        f"{prefix}-rest_seconds": -60,
    }

    body = runner_client.post(
        f"/plans/{runner_with_plan.pk}/items/{item.pk}/", data, headers=htmx("day-3")
    ).content.decode()

    assert PlanItem.objects.values().get(pk=item.pk) == before
    for name, message in (
        ("sets", "Sets run from 1 to 10."),
        ("reps", "Reps run from 1 to 100."),
        ("hold_seconds", "A hold lasts 1 to 300 seconds."),
        ("rest_seconds", "Rest is 0 to 600 seconds."),
    ):
        field = f"id_{prefix}-{name}"
        assert body.index(f'for="{field}"') < body.index(message) < body.index(f'id="{field}"')
        assert f'name="{prefix}-{name}" value="{data[f"{prefix}-{name}"]}"' in body
    assert "greater than or equal" not in body


def test_change_opens_the_items_editor_in_place_or_as_a_page(runner_client, runner_with_plan):
    item = runner_with_plan.items.get(weekday=3)
    url = f"/plans/{runner_with_plan.pk}/items/{item.pk}/"

    fragment = runner_client.get(url, headers=htmx(f"item-{item.pk}")).content.decode()
    page = runner_client.get(url).content.decode()
    closed = runner_client.get(url + "?cancel=1", headers=htmx(f"item-{item.pk}"))

    assert fragment.lstrip().startswith(f'<li class="plan-item is-editing" id="item-{item.pk}"')
    assert f'name="item-{item.pk}-sets"' in fragment
    assert "<html" in page and f'name="item-{item.pk}-sets"' in page
    assert "hx-post" not in page.split("<main")[1].split("Move to another day")[0]
    assert f'id="item-{item.pk}-change"' in closed.content.decode()


def test_an_editor_closed_again_has_the_buttons_of_its_place(runner_client, runner_with_plan):
    toe_yoga = runner_with_plan.items.get(exercise__slug="toe-yoga")  # second of two on Monday
    url = f"/plans/{runner_with_plan.pk}/items/{toe_yoga.pk}/?cancel=1"

    closed = runner_client.get(url, headers=htmx(f"item-{toe_yoga.pk}")).content.decode()

    assert board_button(closed, toe_yoga.pk, "up")[1] == {"to": "0"}
    assert re.search(rf'<button [^>]*id="item-{toe_yoga.pk}-down"[^>]* disabled>', closed)
    assert not re.search(rf'<button [^>]*id="item-{toe_yoga.pk}-up"[^>]* disabled>', closed)


def test_the_board_itself_carries_no_dose_forms(runner_client, runner_with_plan):
    page = runner_client.get(runner_with_plan.get_absolute_url()).content.decode()

    assert "-sets" not in page


def test_moving_up_and_down_within_a_day(runner_client, runner_with_plan):
    toe_yoga = runner_with_plan.items.get(exercise__slug="toe-yoga")
    url = f"/plans/{runner_with_plan.pk}/items/{toe_yoga.pk}/move/"

    runner_client.post(url, {"direction": "up"}, headers=htmx("day-0"))
    assert day_of(runner_with_plan, 0) == ["toe-yoga", "calf-raise"]

    runner_client.post(url, {"direction": "up"})  # already first: nothing moves
    assert day_of(runner_with_plan, 0) == ["toe-yoga", "calf-raise"]

    runner_client.post(url, {"direction": "down"})
    assert day_of(runner_with_plan, 0) == ["calf-raise", "toe-yoga"]


def board_button(page: str, item_pk: int, which: str) -> tuple[str, dict[str, str]]:
    """What one of the board's item buttons posts: its formaction, its name and value."""
    match = re.search(rf'<button [^>]*id="item-{item_pk}-{which}"[^>]*>', page)
    assert match, f"no {which} button for item {item_pk}"
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(0)))
    return attrs["formaction"], ({attrs["name"]: attrs["value"]} if "name" in attrs else {})


def test_the_board_buttons_post_through_their_days_one_form(runner_client, runner_with_plan):
    page = runner_client.get(runner_with_plan.get_absolute_url()).content.decode()
    toe_yoga = runner_with_plan.items.get(exercise__slug="toe-yoga")

    # One form (and CSRF token) for the day's buttons, none of the item's own.
    assert page.count('<form id="day-0-items"') == 1
    item = page[page.index(f'id="item-{toe_yoga.pk}"') :]
    item = item[: item.index("</li>")]
    assert "<form" not in item and "csrfmiddlewaretoken" not in item
    assert item.count('form="day-0-items"') == 3

    up, data = board_button(page, toe_yoga.pk, "up")
    assert (up, data) == (f"/plans/{runner_with_plan.pk}/items/{toe_yoga.pk}/move/", {"to": "0"})
    remove, data = board_button(page, toe_yoga.pk, "remove")
    assert (remove, data) == (f"/plans/{runner_with_plan.pk}/items/{toe_yoga.pk}/remove/", {})


def test_the_same_up_posted_twice_moves_the_item_once(runner_client, runner_with_plan, exercise):
    add_item(runner_with_plan, exercise("heel-walk"), 0)
    assert day_of(runner_with_plan, 0) == ["calf-raise", "toe-yoga", "heel-walk"]
    heel_walk = runner_with_plan.items.get(exercise__slug="heel-walk")
    page = runner_client.get(runner_with_plan.get_absolute_url()).content.decode()
    url, data = board_button(page, heel_walk.pk, "up")

    first = runner_client.post(url, data, headers=htmx("day-0"))
    again = runner_client.post(url, data, headers=htmx("day-0"))  # the double click

    assert day_of(runner_with_plan, 0) == ["calf-raise", "heel-walk", "toe-yoga"]
    assert "Heel walk moved up on Monday." in first.content.decode()
    assert "Heel walk is already there on Monday." in again.content.decode()
    assert again.content.decode().lstrip().startswith('<section class="plan-day')

    # Without JavaScript: the board again, with what happened.
    page = runner_client.get(runner_with_plan.get_absolute_url()).content.decode()
    url, data = board_button(page, heel_walk.pk, "down")
    for _ in range(2):
        response = runner_client.post(url, data, follow=True)
    assert day_of(runner_with_plan, 0) == ["calf-raise", "toe-yoga", "heel-walk"]
    assert "Heel walk is already there on Monday." in response.content.decode()


@pytest.mark.parametrize("to", ["-1", "x", "1001"])
def test_a_place_that_is_not_one_moves_nothing(runner_client, runner_with_plan, to):
    toe_yoga = runner_with_plan.items.get(exercise__slug="toe-yoga")

    response = runner_client.post(
        f"/plans/{runner_with_plan.pk}/items/{toe_yoga.pk}/move/", {"to": to}, follow=True
    )

    assert day_of(runner_with_plan, 0) == ["calf-raise", "toe-yoga"]
    assert "That move was not understood" in response.content.decode()


def test_a_place_past_the_end_of_the_day_is_its_last(runner_client, runner_with_plan):
    calf = runner_with_plan.items.get(weekday=0, exercise__slug="calf-raise")

    runner_client.post(f"/plans/{runner_with_plan.pk}/items/{calf.pk}/move/", {"to": "9"})

    assert day_of(runner_with_plan, 0) == ["toe-yoga", "calf-raise"]


def test_moving_to_another_day_answers_with_the_week(runner_client, runner_with_plan):
    toe_yoga = runner_with_plan.items.get(exercise__slug="toe-yoga")

    response = runner_client.post(
        f"/plans/{runner_with_plan.pk}/items/{toe_yoga.pk}/move/",
        {"direction": "day", "weekday": 3},
        headers=htmx("week"),
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="week"')
    assert "Toe yoga moved to Thursday." in body
    assert day_of(runner_with_plan, 0) == ["calf-raise"]
    assert day_of(runner_with_plan, 3) == ["calf-raise", "toe-yoga"]


def test_removing_renumbers_the_day(runner_client, runner_with_plan):
    calf = runner_with_plan.items.get(weekday=0, exercise__slug="calf-raise")

    runner_client.post(f"/plans/{runner_with_plan.pk}/items/{calf.pk}/remove/")

    assert list(runner_with_plan.items.filter(weekday=0).values_list("position", flat=True)) == [0]


def test_the_same_remove_posted_twice_answers_with_the_board(runner_client, runner_with_plan):
    calf = runner_with_plan.items.get(weekday=0, exercise__slug="calf-raise")
    url = f"/plans/{runner_with_plan.pk}/items/{calf.pk}/remove/"

    runner_client.post(url, headers=htmx("day-0"))
    again = runner_client.post(url, headers=htmx("day-0"))
    assert again.status_code == 200
    assert again.content.decode().lstrip().startswith('<section class="plan-day')
    assert "That exercise had been removed already." in again.content.decode()

    # Without JavaScript: back on the board with a message, not a "Not found" page.
    response = runner_client.post(url, follow=True)
    assert response.redirect_chain == [(runner_with_plan.get_absolute_url(), 302)]
    assert "That exercise had been removed already." in response.content.decode()
    assert day_of(runner_with_plan, 0) == ["toe-yoga"]


def test_removing_from_someone_elses_plan_is_not_found(
    runner_client, runner_with_plan, django_user_model
):
    other = django_user_model.objects.create_user("other@example.com", "another-long-pass-9")
    theirs = other.weekly_plans.create(name="Theirs")
    calf = runner_with_plan.items.get(weekday=0, exercise__slug="calf-raise")
    runner_client.post(f"/plans/{runner_with_plan.pk}/items/{calf.pk}/remove/")

    # An item gone from my plan, asked for through theirs, is not "removed already".
    response = runner_client.post(f"/plans/{theirs.pk}/items/{calf.pk}/remove/")

    assert response.status_code == 404


def test_copying_a_day_onto_another(runner_client, runner_with_plan):
    response = runner_client.post(
        f"/plans/{runner_with_plan.pk}/days/copy/",
        {"from_weekday": 0, "to_weekday": 3},
        headers=htmx("week"),
    )

    assert "2 exercises copied from Monday onto Thursday." in response.content.decode()
    assert day_of(runner_with_plan, 3) == ["calf-raise", "calf-raise", "toe-yoga"]


def test_copying_a_day_onto_itself_is_refused_beside_the_field(runner_client, runner_with_plan):
    response = runner_client.post(
        f"/plans/{runner_with_plan.pk}/days/copy/", {"from_weekday": 0, "to_weekday": 0}
    )

    assert response.status_code == 400
    assert "Choose a different day to copy onto." in response.content.decode()
    assert day_of(runner_with_plan, 0) == ["calf-raise", "toe-yoga"]


def test_fragments_vary_on_htmx_headers(runner_client, runner_with_plan, exercise):
    response = runner_client.post(
        f"/plans/{runner_with_plan.pk}/add/",
        {"exercise": exercise("heel-walk").pk, "weekday": 1, "token": str(uuid.uuid4())},
        headers=htmx("day-1"),
    )

    assert "HX-Target" in response["Vary"]
    assert "no-cache" in response["Cache-Control"]


def test_a_boosted_or_history_request_gets_the_whole_board(runner_client, runner_with_plan):
    response = runner_client.get(
        runner_with_plan.get_absolute_url(), headers={"HX-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_a_place_below_the_top_of_a_day_is_refused_in_our_words():
    form = MoveForm({"direction": "up", "to": "-1"})

    assert not form.is_valid()
    assert form.errors["to"] == [PLACE_MESSAGE]
