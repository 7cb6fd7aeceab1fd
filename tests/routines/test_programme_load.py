"""Issue 24 point 4: heavy slow resistance progresses by load, not by reps or rung."""

from decimal import Decimal

import pytest

from routines.progress.progression import Dose, Verdict, suggest

from .conftest import MONDAY
from .test_programme_safety_advice import plan_of, steady_mornings
from .test_progression import EASIER, HARDER, fortnight
from .test_suggestions import days_ago, log_by_hand, suggestion_for

HSR = Dose(sets=3, reps=15, per_side=True, by_load=True)


@pytest.mark.parametrize(
    ("load", "unit", "up", "down"),
    [
        ("10", "kg", "11", "8"),
        ("2", "kg", "2.5", "1.5"),  # a tenth rounds to nothing: one 0.5 kg step
        ("20", "lb", "22", "16"),
        ("0.5", "kg", "1", "0"),
    ],
)
def test_a_loaded_dose_moves_by_load_on_the_same_rung(load, unit, up, down):
    dose = Dose(sets=3, reps=15, per_side=True, by_load=True, load=Decimal(load), load_unit=unit)

    progressed = suggest(fortnight(dose=dose, easier=(EASIER,), harder=(HARDER,)))
    assert progressed.verdict == Verdict.PROGRESS
    assert progressed.rung is None
    assert progressed.dose.load == Decimal(up)
    assert (progressed.dose.sets, progressed.dose.reps) == (3, 15)
    assert f"with {Decimal(up).normalize():f} {unit}" in progressed.reason

    stepped = suggest(fortnight(dose=dose, last_pain=7))
    assert stepped.verdict == Verdict.STEP_BACK
    assert stepped.rung is None
    assert stepped.dose.load == Decimal(down)


def test_a_loaded_dose_without_a_load_number_holds_and_says_add_weight():
    found = suggest(fortnight(dose=HSR, harder=(HARDER,)))

    assert found.verdict == Verdict.HOLD
    assert found.rung is None and found.dose is None
    assert "by the weight you lift" in found.reason
    assert "about a tenth more" in found.reason


def test_by_load_is_how_a_dose_grows_not_another_dose():
    assert Dose(sets=3, reps=15, per_side=True) == HSR


@pytest.mark.django_db
def test_the_weighted_calf_raise_of_the_calf_plan_is_never_turned_into_step_drops(
    runner, runner_client, exercise, equip_runner, on_monday
):
    # The scenario: two easy, complete sessions of the heavy raise at 3 × 15.
    equip_runner(runner, ["wall-or-chair", "hand-weights", "step"])
    plan = plan_of(runner, exercise, "calf-raise-weighted")
    monday, thursday = plan.items.order_by("weekday")
    log_by_hand(runner, monday, days_ago(7))
    log_by_hand(runner, thursday, days_ago(4))
    steady_mornings(runner, 0)

    found = suggestion_for(runner, "calf-raise-weighted", MONDAY)

    assert found.verdict == Verdict.HOLD
    assert found.suggestion.rung is None and found.suggestion.dose is None
    page = runner_client.get("/progress/").content.decode()
    assert "by the weight you lift" in page
    assert exercise("calf-drop-step-single-leg").name not in page


# The load number: on the board, in the log and its CSV, and in the suggestion ---------------


def edit_data(item, **changes):
    prefix = f"item-{item.pk}"
    data = {
        "sets": item.sets,
        "reps": item.reps or "",
        "hold_seconds": item.hold_seconds or "",
        "duration_seconds": item.duration_seconds or "",
        "per_side": "on" if item.per_side else "",
        "load": "",
        "load_note": item.load_note,
        "rest_seconds": item.rest_seconds,
    } | changes
    return {f"{prefix}-{name}": value for name, value in data.items()}


@pytest.mark.django_db
def test_the_board_holds_a_weight_in_the_profiles_unit_and_refuses_a_bad_one(
    runner, runner_client, runner_with_plan
):
    profile = runner.runner_profile
    profile.weight_unit = "lb"
    profile.save(update_fields=["weight_unit"])
    item = runner_with_plan.items.get(weekday=3)
    url = f"/plans/{runner_with_plan.pk}/items/{item.pk}/"

    for bad in ("-1", "440.5", "12.25", "heavy", "NaN", "Infinity"):
        response = runner_client.post(url, edit_data(item, load=bad))
        assert response.status_code == 400, bad
        assert "Give the weight as a number from 0 to 440 lb" in response.content.decode()
        item.refresh_from_db()
        assert item.load is None
        # The typed value is shown again.
        assert f'value="{bad}"' in response.content.decode()

    runner_client.post(url, edit_data(item, load="22.5"))
    runner_client.post(url, edit_data(item, load="22.5"))  # twice: the same
    item.refresh_from_db()
    # Kept in kilograms (22.5 lb), shown in pounds.
    assert item.load == Decimal("10.206")
    page = runner_client.get(f"/plans/{runner_with_plan.pk}/").content.decode()
    assert "weight 22.5 lb" in page


@pytest.mark.django_db
def test_a_logged_item_carries_its_weight_into_the_log_and_the_csv(
    runner, runner_client, runner_with_plan, on_monday
):
    from .test_log import monday_items

    calf, _ = monday_items(runner_with_plan)
    calf.load = Decimal("8")
    calf.save(update_fields=["load"])
    assert "weight 8 kg" in runner_client.get("/today/").content.decode()
    runner_client.post(f"/today/items/{calf.pk}/sets/1/", {"amount": "10", "action": "done"})

    log = runner.workout_sessions.get().logs.get()
    assert log.load == Decimal("8")
    csv = runner_client.get("/log/export.csv").content.decode().splitlines()
    header = csv[0].split(",")
    row = dict(zip(header, csv[1].split(","), strict=False))
    assert (row["weight_lifted"], row["weight_unit"]) == ("8", "kg")
    assert "8 kg" in runner_client.get(f"/log/{log.session_id}/").content.decode()


@pytest.mark.django_db
def test_a_weighted_raise_with_a_weight_is_offered_more_weight_not_a_rung(
    runner, runner_client, exercise, equip_runner, on_monday
):
    equip_runner(runner, ["wall-or-chair", "hand-weights", "step"])
    plan = plan_of(runner, exercise, "calf-raise-weighted")
    plan.items.update(load=Decimal("10"))
    monday, thursday = plan.items.order_by("weekday")
    log_by_hand(runner, monday, days_ago(7), load=Decimal("10"))
    log_by_hand(runner, thursday, days_ago(4), load=Decimal("10"))
    steady_mornings(runner, 0)

    found = suggestion_for(runner, "calf-raise-weighted", MONDAY)

    assert found.verdict == Verdict.PROGRESS
    assert found.suggestion.rung is None
    assert found.suggestion.dose.load == Decimal("11")
    assert found.suggestion.dose.reps == 15 or found.suggestion.dose.reps == monday.reps
    # A change the runner can apply, like any other (tests/routines/test_load_weights.py).
    assert found.changes
    page = runner_client.get("/progress/").content.decode()
    assert "Add a little weight" in page and "with 11 kg" in page


@pytest.mark.django_db
def test_progress_charts_the_weight_lifted_and_the_calf_tests(
    runner, runner_client, exercise, on_monday
):
    from django.utils import timezone

    from footcare.accounts.models import CalfRaiseTest

    plan = plan_of(runner, exercise, "calf-raise-weighted")
    monday, thursday = plan.items.order_by("weekday")
    log_by_hand(runner, monday, days_ago(7), load=Decimal("10"))
    log_by_hand(runner, thursday, days_ago(4), load=Decimal("12.5"))
    for left, right, ago in ((14, 18, 30), (17, 19, 2)):
        CalfRaiseTest.objects.create(
            user=runner,
            tested_on=timezone.localdate() - timezone.timedelta(days=ago),
            surface="flat",
            left=left,
            right=right,
        )

    html = runner_client.get("/progress/").content.decode()

    assert 'id="weight"' in html and "Weight lifted" in html
    assert "Single-leg calf raise with weights from 10 to 12.5 kg" in html  # the chart's words
    assert 'id="calf-tests"' in html
    assert "Left from 14 to 17 raises; Right from 18 to 19 raises" in html
    assert "Calf capacity tests (raises) as a table" in html
