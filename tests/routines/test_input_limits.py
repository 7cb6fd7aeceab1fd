"""The browser's limits are the server's: every number input's min and max, read from the
rendered widget, is accepted at the edge and refused one step past it."""

import re

import pytest

from routines.plans.forms import DoseForm
from routines.plans.models import PlanItem
from routines.training.forms import ExerciseLogForm, LoggedSetFormSet, SetForm
from routines.training.models import Unit


def widget_bounds(form, name: str) -> tuple[int, int]:
    html = str(form[name])
    low = re.search(r'\bmin="(-?\d+)"', html)
    high = re.search(r'\bmax="(-?\d+)"', html)
    assert low and high, f"{name} has no min or max: {html}"
    return int(low.group(1)), int(high.group(1))


def assert_same_limits(make, baseline: dict, name: str) -> None:
    """`make(data)` builds the form; the widget's bounds pass, one past them is refused."""
    low, high = widget_bounds(make(None), name)
    for value, accepted in ((low, True), (high, True), (low - 1, False), (high + 1, False)):
        form = make({**baseline, name: str(value)})
        form.is_valid()
        assert (name not in form.errors) is accepted, (name, value, form.errors)


@pytest.mark.parametrize("unit", [Unit.REPS, Unit.SECONDS])
@pytest.mark.parametrize("name", ["amount", "amount_right"])
def test_a_set_on_today(unit, name):
    assert_same_limits(
        lambda data: SetForm(data, unit=unit), {"amount": "5", "amount_right": "5"}, name
    )


@pytest.mark.parametrize("unit", [Unit.REPS, Unit.SECONDS])
@pytest.mark.parametrize("name", ["amount", "amount_right"])
def test_a_set_of_a_logged_exercise(unit, name):
    def make(data):
        prefixed = None
        if data is not None:
            prefixed = {"sets-TOTAL_FORMS": "1", "sets-INITIAL_FORMS": "0"}
            prefixed.update({f"sets-0-{key}": value for key, value in data.items()})
        formset = LoggedSetFormSet(prefixed, prefix="sets", unit=unit, per_side=True)
        return formset.forms[0]

    assert_same_limits(make, {"amount": "5", "amount_right": "5"}, name)


@pytest.mark.parametrize("unit", [Unit.REPS, Unit.SECONDS])
@pytest.mark.parametrize("name", ["sets", "amount", "amount_right", "pain", "effort"])
def test_an_exercise_added_by_hand(exercise, unit, name):
    calf = exercise("calf-raise")
    baseline = {"exercise": str(calf.pk), "unit": unit, "sets": "2", "amount": "5"}

    def make(data):
        queryset = type(calf).objects.filter(pk=calf.pk)
        if data is None:
            return ExerciseLogForm(initial={"unit": unit}, exercises=queryset)
        return ExerciseLogForm(data, exercises=queryset)

    assert_same_limits(make, baseline, name)


@pytest.mark.parametrize(
    ("name", "baseline"),
    [
        ("sets", {"sets": "2", "reps": "10", "rest_seconds": "60"}),
        ("reps", {"sets": "2", "reps": "10", "rest_seconds": "60"}),
        ("hold_seconds", {"sets": "2", "reps": "10", "hold_seconds": "5", "rest_seconds": "60"}),
        ("duration_seconds", {"sets": "2", "duration_seconds": "30", "rest_seconds": "60"}),
        ("rest_seconds", {"sets": "2", "reps": "10", "rest_seconds": "60"}),
    ],
)
def test_a_dose_on_the_board(runner_with_plan, name, baseline):
    item = runner_with_plan.items.first()

    def make(data):
        return DoseForm(data, instance=PlanItem.objects.get(pk=item.pk))

    assert_same_limits(make, baseline, name)
