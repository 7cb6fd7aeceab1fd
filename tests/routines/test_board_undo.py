"""A removal on the board can be undone for a minute: the item back in its day and place."""

import datetime
import re

import pytest
from django.utils import timezone

from routines.plans.models import (
    CHANGED_DOSE_FIELDS,
    UNDO_REMOVE_SECONDS,
    PlanItem,
    RemovedPlanItem,
)
from routines.training import services
from routines.training.models import ExerciseLog

from .conftest import MONDAY, add_item
from .test_suggestions import changed

pytestmark = pytest.mark.django_db


def htmx(target: str) -> dict[str, str]:
    return {"HX-Request": "true", "HX-Target": target}


def monday(plan) -> list[tuple[int, str, int]]:
    return list(
        plan.items.filter(weekday=0)
        .order_by("position")
        .values_list("pk", "exercise__slug", "position")
    )


def undo_form(page: str) -> str:
    """The Undo form's address, checking that it posts with its CSRF token."""
    form = re.search(r'<form class="plan-undo" [^>]*action="([^"]+)".*?</form>', page, re.S)
    assert form is not None, "no Undo on the page"
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    return form.group(1)


@pytest.fixture
def monday_of_three(runner_with_plan, exercise):
    """Monday: calf raise, toe yoga, heel walk; the toe yoga is the one removed."""
    add_item(runner_with_plan, exercise("heel-walk"), 0)
    return runner_with_plan


def test_a_removal_without_javascript_says_so_in_its_day_with_an_undo(
    runner_client, monday_of_three
):
    plan = monday_of_three
    before = monday(plan)
    toes = plan.items.get(exercise__slug="toe-yoga")

    response = runner_client.post(f"/plans/{plan.pk}/items/{toes.pk}/remove/", follow=True)

    assert response.redirect_chain == [(f"{plan.get_absolute_url()}?removed={toes.pk}#day-0", 302)]
    page = response.text
    monday_section = page.split('id="day-0"')[1].split('id="day-1"')[0]
    assert "Toe yoga removed from Monday." in monday_section
    assert undo_form(monday_section) == f"/plans/{plan.pk}/items/{toes.pk}/restore/"
    assert [slug for _, slug, _ in monday(plan)] == ["calf-raise", "heel-walk"]

    back = runner_client.post(undo_form(page), follow=True)

    assert back.redirect_chain == [(f"{plan.get_absolute_url()}#day-0", 302)]
    assert "Toe yoga is back on Monday." in back.text
    # The same item (its id), in its place, with its dose.
    assert monday(plan) == before
    assert PlanItem.objects.get(pk=toes.pk).dose_text() == toes.dose_text()


def test_a_removal_with_htmx_answers_with_its_day_holding_the_undo(runner_client, monday_of_three):
    plan = monday_of_three
    before = monday(plan)
    toes = plan.items.get(exercise__slug="toe-yoga")

    removed = runner_client.post(
        f"/plans/{plan.pk}/items/{toes.pk}/remove/", headers=htmx("day-0")
    ).text
    assert removed.lstrip().startswith('<section class="plan-day')
    assert "Toe yoga removed from Monday." in removed
    url = undo_form(removed)
    assert 'hx-target="#day-0"' in removed.split('class="plan-undo"')[1].split(">")[0]

    back = runner_client.post(url, headers=htmx("day-0"))

    assert back.status_code == 200
    assert f'id="item-{toes.pk}"' in back.text
    assert "Toe yoga is back on Monday." in back.text
    assert 'class="plan-undo"' not in back.text
    assert monday(plan) == before


def test_the_same_undo_twice_puts_the_item_back_once(runner_client, monday_of_three):
    plan = monday_of_three
    before = monday(plan)
    toes = plan.items.get(exercise__slug="toe-yoga")
    runner_client.post(f"/plans/{plan.pk}/items/{toes.pk}/remove/")
    url = f"/plans/{plan.pk}/items/{toes.pk}/restore/"

    first = runner_client.post(url, follow=True)
    second = runner_client.post(url, follow=True)
    again = runner_client.post(url, headers=htmx("day-0"))

    assert monday(plan) == before
    for response in (first, second, again):
        assert response.status_code == 200
        assert "Toe yoga is back on Monday." in response.text


def test_an_undo_puts_back_the_items_logs_and_applied_suggestions(
    runner, runner_client, runner_with_plan, on_monday
):
    plan = runner_with_plan
    calf = plan.items.get(weekday=0, exercise__slug="calf-raise")
    log = services.set_tick(runner=runner, item=calf, day=MONDAY, number=1, amount=12)
    dose = {name: getattr(calf, name) for name in CHANGED_DOSE_FIELDS}
    reason = "Three sessions at low pain"
    change = changed(runner, calf, timezone.now(), reason=reason, dose_before=dose, dose_after=dose)

    runner_client.post(f"/plans/{plan.pk}/items/{calf.pk}/remove/")
    log.refresh_from_db()
    assert log.plan_item_id is None
    runner_client.post(f"/plans/{plan.pk}/items/{calf.pk}/restore/")

    log.refresh_from_db()
    change.refresh_from_db()
    assert (log.plan_item_id, change.plan_item_id) == (calf.pk, calf.pk)
    # Today finds the sets ticked before the removal, not a fresh log.
    today = runner_client.get("/today/").text
    assert f"1 of {calf.sets} sets done" in today.split(f'id="item-{calf.pk}"')[1]
    assert ExerciseLog.objects.filter(session__owner=runner).count() == 1


def test_an_undo_after_a_minute_puts_nothing_back(runner_client, monday_of_three):
    plan = monday_of_three
    toes = plan.items.get(exercise__slug="toe-yoga")
    runner_client.post(f"/plans/{plan.pk}/items/{toes.pk}/remove/")
    late = timezone.now() - datetime.timedelta(seconds=UNDO_REMOVE_SECONDS + 1)
    RemovedPlanItem.objects.filter(item_pk=toes.pk).update(removed_at=late)

    page = runner_client.get(f"{plan.get_absolute_url()}?removed={toes.pk}").text
    assert 'class="plan-undo"' not in page
    response = runner_client.post(f"/plans/{plan.pk}/items/{toes.pk}/restore/", follow=True)

    assert "Nothing to undo" in response.text
    assert not plan.items.filter(pk=toes.pk).exists()


def test_undo_answers_alike_for_a_missing_item_and_another_runners(
    runner_client, other_client, other_runner, monday_of_three, exercise
):
    plan = monday_of_three
    toes = plan.items.get(exercise__slug="toe-yoga")
    runner_client.post(f"/plans/{plan.pk}/items/{toes.pk}/remove/")
    theirs = other_runner.weekly_plans.create(name="Theirs")
    their_item = add_item(theirs, exercise("heel-walk"), 0)
    other_client.post(f"/plans/{theirs.pk}/items/{their_item.pk}/remove/")
    missing = their_item.pk + 1000

    # Through my plan: their removed item, and an id no item ever had.
    answers = {
        pk: (
            runner_client.post(f"/plans/{plan.pk}/items/{pk}/restore/", follow=True),
            runner_client.post(f"/plans/{plan.pk}/items/{pk}/restore/", headers=htmx("day-0")),
        )
        for pk in (their_item.pk, missing)
    }
    # Mine, through their client: my plan answers as a missing one would.
    through_mine = other_client.post(f"/plans/{plan.pk}/items/{toes.pk}/restore/")
    through_theirs = other_client.post(f"/plans/{theirs.pk}/items/{toes.pk}/restore/", follow=True)

    (page_a, fragment_a), (page_b, fragment_b) = answers.values()
    assert (page_a.status_code, fragment_a.status_code) == (page_b.status_code, 200) == (200, 200)
    assert "Nothing to undo" in page_a.text and "Nothing to undo" in page_b.text
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", fragment_a.text) == strip.sub("", fragment_b.text)
    assert through_mine.status_code == 404
    assert "Nothing to undo" in through_theirs.text
    assert not PlanItem.objects.filter(pk__in=[toes.pk, their_item.pk]).exists()


def test_the_board_right_after_an_undo_shows_the_item(runner_client, runner_with_plan):
    plan = runner_with_plan
    toes = plan.items.get(exercise__slug="toe-yoga")
    board = plan.get_absolute_url()
    runner_client.get(board)
    runner_client.post(f"/plans/{plan.pk}/items/{toes.pk}/remove/")
    assert f'id="item-{toes.pk}"' not in runner_client.get(board).text
    runner_client.get(board)

    runner_client.post(f"/plans/{plan.pk}/items/{toes.pk}/restore/")

    assert f'id="item-{toes.pk}"' in runner_client.get(board).text


def test_remove_is_not_the_button_beside_down(runner_client, runner_with_plan):
    page = runner_client.get(runner_with_plan.get_absolute_url()).text

    for item in runner_with_plan.items.all():
        actions = page.split(f'id="item-{item.pk}-down"')[1].split("</div>")[0]
        after_down = re.search(r"<(?:button|a)\b[^>]*\bid=\"([^\"]+)\"", actions)
        assert after_down is not None
        assert after_down.group(1) == f"item-{item.pk}-change"
        assert f'id="item-{item.pk}-remove"' in actions
