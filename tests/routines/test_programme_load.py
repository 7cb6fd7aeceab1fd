"""Issue 24 point 4: heavy slow resistance progresses by load, not by reps or rung."""

from decimal import Decimal

import pytest

from routines.progress.progression import Dose, Verdict, suggest

from .conftest import MONDAY
from .test_programme_safety_advice import plan_of, steady_mornings
from .test_progression import EASIER, HARDER, history
from .test_suggestions import days_ago, logged, suggestion_for

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

    progressed = suggest(history(dose=dose, easier=(EASIER,), harder=(HARDER,)))
    assert progressed.verdict == Verdict.PROGRESS
    assert progressed.rung is None
    assert progressed.dose.load == Decimal(up)
    assert (progressed.dose.sets, progressed.dose.reps) == (3, 15)
    assert f"with {Decimal(up).normalize():f} {unit}" in progressed.reason

    stepped = suggest(history(dose=dose, last_pain=7))
    assert stepped.verdict == Verdict.STEP_BACK
    assert stepped.rung is None
    assert stepped.dose.load == Decimal(down)


def test_a_loaded_dose_without_a_load_number_holds_and_says_add_weight():
    found = suggest(history(dose=HSR, harder=(HARDER,)))

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
    logged(runner, monday, days_ago(7))
    logged(runner, thursday, days_ago(4))
    steady_mornings(runner, 0)

    found = suggestion_for(runner, "calf-raise-weighted", MONDAY)

    assert found.verdict == Verdict.HOLD
    assert found.suggestion.rung is None and found.suggestion.dose is None
    page = runner_client.get("/progress/").content.decode()
    assert "by the weight you lift" in page
    assert exercise("calf-drop-step-single-leg").name not in page
