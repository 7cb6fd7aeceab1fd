"""Issue 24 point 15: the weaker side gets an extra set. A runner whose calf test shows left
12 and right 20 (the left 40 % behind) generates a plan; its one-sided calf-heavy items carry
one more set for the left (`PlanItem.extra_set_side`), shown on the board, the print page and
/today/ (a set for the left only), and logged as that: the left's reps, none on the right."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from footcare.accounts.models import CalfRaiseTest
from routines.plans.forms import DoseForm
from routines.plans.models import DOSE_FIELDS, PlanItem, WeeklyPlan
from routines.training.models import ExerciseLog, SetLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def left_lagging(gym_runner):
    CalfRaiseTest.objects.create(
        user=gym_runner, tested_on=timezone.localdate(), surface="step", left=12, right=20
    )
    return gym_runner


@pytest.fixture
def generated_plan(runner_client, left_lagging) -> WeeklyPlan:
    data = {"name": "Calves, left first", "sessions": 3, "minutes": 30, "token": str(uuid.uuid4())}
    first = runner_client.post("/plans/generate/", data)
    runner_client.post("/plans/generate/", data)  # a double click saves one plan
    assert first.status_code == 302
    (plan,) = WeeklyPlan.objects.filter(owner=left_lagging)
    plan.is_active = True
    plan.save(update_fields=["is_active"])
    return plan


def extra_items(plan: WeeklyPlan) -> list[PlanItem]:
    return list(plan.items.exclude(extra_set_side="").select_related("exercise"))


def test_the_generated_plan_gives_the_weaker_left_one_more_set_of_one_sided_calf_work(
    generated_plan,
):
    extra = extra_items(generated_plan)
    assert extra, "a one-sided calf-heavy item with the left's extra set"
    for item in extra:
        assert item.extra_set_side == "left"
        assert item.per_side and item.exercise.calf_heavy
        assert item.set_count == item.sets + 1
        assert f"{item.sets} × {item.reps} each side and 1 more set on the left" in item.dose_text()
    # Two-sided work and work that is not calf-heavy keep their sets as they are.
    others = generated_plan.items.filter(extra_set_side="").select_related("exercise")
    assert all(not (i.per_side and i.exercise.calf_heavy) for i in others)


def test_the_proposal_board_and_print_page_say_so(runner_client, generated_plan):
    proposal = runner_client.get("/plans/generate/", {"sessions": 3, "minutes": 30})
    assert "and 1 more set on the left" in proposal.content.decode()
    assert "one extra set on your left leg, the weaker one" in proposal.content.decode()
    item = extra_items(generated_plan)[0]
    for page in (f"/plans/{generated_plan.pk}/", f"/plans/{generated_plan.pk}/print/"):
        html = runner_client.get(page).content.decode()
        assert f"{item.sets} × {item.reps} each side and 1 more set on the left" in html


def test_today_shows_the_extra_set_for_the_left_only_and_logs_it_so(
    runner_client, generated_plan, monkeypatch
):
    item = extra_items(generated_plan)[0]
    today = timezone.localdate()
    day = today - datetime.timedelta(days=(today.weekday() - item.weekday) % 7)
    monkeypatch.setattr("footcare.clock.today", lambda: day)

    html = runner_client.get("/today/").content.decode()
    extra = item.set_count
    assert f"0 of {extra} sets done" in html
    start = html.index(f'action="/today/items/{item.pk}/sets/{extra}/"')
    slot = html[start : html.index("</form>", start)]
    assert ": left only" in slot
    assert 'name="amount_right" value="0"' in slot and 'type="hidden"' in slot
    assert f"Right side, set {extra}" not in slot and f"Left side, set {extra}" in slot

    for number in range(1, item.sets + 1):
        runner_client.post(
            f"/today/items/{item.pk}/sets/{number}/",
            {"action": "done", "amount": item.reps, "amount_right": item.reps},
        )
    # The extra set, posted twice (a double tap), and with a right-side number a tampered
    # form sends: one set, the left's reps, none on the right.
    for _ in range(2):
        runner_client.post(
            f"/today/items/{item.pk}/sets/{extra}/",
            {"action": "done", "amount": item.reps, "amount_right": 9},
        )
    log = ExerciseLog.objects.get(plan_item=item)
    assert log.sets_planned == extra and log.sets_done == extra
    last = SetLog.objects.get(log=log, number=extra)
    assert (last.amount, last.amount_right) == (item.reps, 0)
    assert SetLog.objects.filter(log=log).count() == extra
    assert f"{extra} of {extra} sets done" in runner_client.get("/today/").content.decode()


def test_the_plan_day_logged_by_hand_counts_the_extra_set(runner_client, generated_plan):
    item = extra_items(generated_plan)[0]
    page = runner_client.get(f"/log/new/plan/{item.weekday}/")
    assert "and 1 more set on the left" in page.content.decode()
    data = {"token": str(uuid.uuid4()), "date": _last(item.weekday).isoformat()}
    for other in generated_plan.items.filter(weekday=item.weekday):
        prefix = f"item-{other.pk}"
        data |= {
            f"{prefix}-exercise": other.exercise_id,
            f"{prefix}-unit": other.unit,
            f"{prefix}-sets": other.sets,
            f"{prefix}-amount": other.amount,
            f"{prefix}-load_note": "",
        }
        if other.per_side:
            data |= {f"{prefix}-per_side": "on", f"{prefix}-amount_right": other.amount}
    response = runner_client.post(f"/log/new/plan/{item.weekday}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    log = ExerciseLog.objects.get(plan_item=item)
    assert log.sets_planned == log.sets_done == item.sets + 1
    last = log.sets.get(number=item.sets + 1)
    assert (last.amount, last.amount_right) == (item.reps, 0)


def _last(weekday: int) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=(today.weekday() - weekday) % 7)


def test_an_extra_set_needs_one_sided_work_and_room_for_it(generated_plan):
    item = extra_items(generated_plan)[0]
    item.per_side = False
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "needs “each side” ticked" in str(refused.value)
    # The board's dose editor refuses 10 sets with an extra one, changing nothing...
    item.refresh_from_db()
    data = {name: getattr(item, name) for name in DOSE_FIELDS if getattr(item, name) is not None}
    form = DoseForm(data | {"sets": 10, "per_side": "on"}, instance=item)
    assert not form.is_valid()
    assert form.errors["extra_set_side"] == ["With 10 sets there is no room for one more."]
    item.refresh_from_db()
    assert item.sets < 10
    # ...but a progression that takes the sets to the top is not refused: the extra set
    # drops out, and the item stays valid.
    item.sets = 10
    item.full_clean()
    assert item.set_count == 10 and "1 more set" not in item.dose_text()


def test_without_a_difference_over_ten_percent_there_is_no_extra_set(runner_client, gym_runner):
    CalfRaiseTest.objects.create(
        user=gym_runner, tested_on=timezone.localdate(), surface="step", left=19, right=20
    )
    proposal = runner_client.get("/plans/generate/", {"sessions": 3, "minutes": 30})
    assert all(not p.extra_set_side for p in proposal.context["proposal"].placements)


def test_progress_plans_the_extra_set_like_the_others(generated_plan, monkeypatch):
    from routines.progress.figures import runner_progress

    # A Sunday, so the whole week counts, from a plan made on the Monday before.
    sunday = timezone.localdate() + datetime.timedelta(days=6 - timezone.localdate().weekday())
    monday = sunday - datetime.timedelta(days=6)
    WeeklyPlan.objects.filter(pk=generated_plan.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(monday, datetime.time(6)))
    )
    week = runner_progress(generated_plan.owner, today=sunday).this_week
    assert week.planned == sum(item.set_count for item in generated_plan.items.all())
    assert week.planned == sum(i.sets for i in generated_plan.items.all()) + len(
        extra_items(generated_plan)
    )


def test_the_board_s_dose_editor_sets_and_refuses_the_extra_set(runner_client, generated_plan):
    item = generated_plan.items.filter(per_side=True).exclude(extra_set_side="").first()
    prefix = f"item-{item.pk}"
    url = f"/plans/{generated_plan.pk}/items/{item.pk}/"
    editor = runner_client.get(url).content.decode()
    assert "One more set for" in editor and f'name="{prefix}-extra_set_side"' in editor
    dose = {
        f"{prefix}-{name}": getattr(item, name)
        for name in DOSE_FIELDS
        if getattr(item, name) is not None and name != "per_side"
    }
    moved = dose | {f"{prefix}-per_side": "on", f"{prefix}-extra_set_side": "right"}
    for _ in range(2):  # the same form twice changes it once, to the same
        assert runner_client.post(url, moved).status_code == 302
    item.refresh_from_db()
    assert item.extra_set_side == "right"
    assert "and 1 more set on the right" in runner_client.get(f"/plans/{generated_plan.pk}/").text

    refused = runner_client.post(url, dose | {f"{prefix}-extra_set_side": "left"})  # no sides
    assert refused.status_code == 400
    assert "An extra set for one side needs “each side” ticked." in refused.text
    item.refresh_from_db()
    assert (item.extra_set_side, item.per_side) == ("right", True)
