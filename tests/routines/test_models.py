"""Every dose range is a database constraint and, with the same message, a check in clean()."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from exercises.models import Status
from routines.plans.models import PlanItem, WeeklyPlan

from .conftest import add_item

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [
    ("sets", 0, "Sets run from 1 to 10."),
    ("sets", 11, "Sets run from 1 to 10."),
    ("reps", 0, "Reps run from 1 to 100."),
    ("reps", 101, "Reps run from 1 to 100."),
    ("hold_seconds", 301, "A hold lasts 1 to 300 seconds."),
    ("rest_seconds", 601, "Rest is 0 to 600 seconds."),
    ("weekday", 7, "Choose a day from Monday to Sunday."),
]


@pytest.mark.parametrize(("field", "value", "message"), OUT_OF_RANGE)
def test_a_dose_out_of_range_is_refused_beside_its_field_and_by_the_database(
    runner_with_plan, field, value, message
):
    item = runner_with_plan.items.first()
    setattr(item, field, value)

    with pytest.raises(ValidationError) as refused:
        item.clean()
    assert refused.value.message_dict[field] == [message]

    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItem.objects.filter(pk=item.pk).update(**{field: value})


@pytest.mark.parametrize(
    ("dose", "field"),
    [
        ({"reps": None, "hold_seconds": None, "duration_seconds": None}, "reps"),
        ({"reps": 10, "hold_seconds": None, "duration_seconds": 30}, "duration_seconds"),
        ({"reps": None, "hold_seconds": 5, "duration_seconds": 30}, "hold_seconds"),
        ({"reps": None, "hold_seconds": None, "duration_seconds": 4}, "duration_seconds"),
        ({"reps": None, "hold_seconds": None, "duration_seconds": 901}, "duration_seconds"),
    ],
)
def test_a_dose_is_reps_or_a_duration(runner_with_plan, dose, field):
    item = runner_with_plan.items.first()
    for name, value in dose.items():
        setattr(item, name, value)

    with pytest.raises(ValidationError) as refused:
        item.clean()
    assert field in refused.value.message_dict

    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItem.objects.filter(pk=item.pk).update(**dose)


def test_the_edges_of_every_range_are_allowed(runner_with_plan):
    item = runner_with_plan.items.first()
    for dose in (
        {"sets": 1, "reps": 1, "hold_seconds": 1, "rest_seconds": 0, "weekday": 0},
        {"sets": 10, "reps": 100, "hold_seconds": 300, "rest_seconds": 600, "weekday": 6},
        {"reps": None, "hold_seconds": None, "duration_seconds": 5},
        {"reps": None, "hold_seconds": None, "duration_seconds": 900},
    ):
        for name, value in dose.items():
            setattr(item, name, value)
        item.clean()
        item.save()


def test_a_runner_has_at_most_one_active_plan(runner, runner_with_plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyPlan.objects.create(owner=runner, name="Second", is_active=True)

    WeeklyPlan.objects.create(owner=runner, name="Inactive one")
    assert runner.weekly_plans.count() == 2


def test_an_exercise_in_a_plan_cannot_be_deleted(runner_with_plan):
    exercise = runner_with_plan.items.first().exercise

    with pytest.raises(ProtectedError):
        exercise.delete()


def test_unpublishing_an_exercise_keeps_the_item_and_the_board_says_so(
    runner_client, runner_with_plan
):
    item = runner_with_plan.items.first()
    item.exercise.status = Status.DRAFT
    item.exercise.save()

    page = runner_client.get(runner_with_plan.get_absolute_url()).content.decode()

    assert "No longer in the library" in page
    assert f"{item.exercise.name} is no longer in the library" in page
    assert PlanItem.objects.filter(pk=item.pk).exists()


def test_calendar_tokens_are_long_and_unique(runner, other_runner):
    first = WeeklyPlan.objects.create(owner=runner, name="A")
    second = WeeklyPlan.objects.create(owner=other_runner, name="B")

    assert len(first.calendar_token) >= 43
    assert first.calendar_token != second.calendar_token


def test_dose_text_and_estimate(runner_with_plan, exercise):
    item = add_item(
        runner_with_plan,
        exercise("toe-walk"),
        4,
        sets=3,
        reps=None,
        duration_seconds=60,
        per_side=False,
        rest_seconds=30,
        load_note="",
    )

    assert item.dose_text() == "3 × 1 minute, rest 30 seconds"
    assert item.estimated_seconds() == 3 * 60 + 2 * 30
