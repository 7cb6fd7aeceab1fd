"""Issue 12, point 6: check-ins and applied suggestions are the runner's data too.

Both are in /accounts/export/ and both go with the account.
"""

import datetime
import json

from django.utils import timezone

from routines.plans.models import DoseChange, DoseChangeVerdict, PlanItem
from routines.training.models import MorningCheckIn

from .conftest import MONDAY


def _change(runner, item: PlanItem, **fields) -> DoseChange:
    return DoseChange.objects.create(
        owner=runner,
        plan_item=item,
        verdict=fields.pop("verdict", DoseChangeVerdict.PROGRESS),
        reason=fields.pop("reason", "Your last two sessions were complete."),
        exercise_before=item.exercise,
        exercise_after=item.exercise,
        dose_before={"sets": 3, "reps": 12, "hold_seconds": None, "duration_seconds": None},
        dose_after={"sets": 3, "reps": 14, "hold_seconds": None, "duration_seconds": None},
        **fields,
    )


def test_check_ins_and_dose_changes_are_in_the_export(
    runner, runner_client, other_runner, runner_with_plan
):
    item = runner_with_plan.items.order_by("pk").first()
    MorningCheckIn.objects.create(owner=runner, date=MONDAY, pain=2, stiffness=3)
    MorningCheckIn.objects.create(
        owner=runner, date=MONDAY - datetime.timedelta(days=1), pain=1, stiffness=1
    )
    MorningCheckIn.objects.create(owner=other_runner, date=MONDAY, pain=9, stiffness=9)
    applied = timezone.make_aware(datetime.datetime(2026, 11, 23, 8, 0))
    _change(runner, item, applied_at=applied)
    _change(
        runner,
        item,
        verdict=DoseChangeVerdict.STEP_BACK,
        reason="Pain during your last session reached 6/10.",
        applied_at=applied + datetime.timedelta(days=1),
        undone_at=applied + datetime.timedelta(days=1, minutes=2),
    )

    data = json.loads(runner_client.get("/accounts/export/").content)

    assert data["morning_check_ins"] == [
        {"date": "2026-11-22", "pain": 1, "stiffness": 1},
        {"date": "2026-11-23", "pain": 2, "stiffness": 3},
    ]
    first, second = data["dose_changes"]
    assert first["verdict"] == "progress" and first["undone_at"] is None
    assert first["exercise_before"] == first["exercise_after"] == item.exercise.slug
    assert (first["dose_before"]["reps"], first["dose_after"]["reps"]) == (12, 14)
    assert second["verdict"] == "step_back" and second["undone_at"] is not None
    assert second["reason"] == "Pain during your last session reached 6/10."


def test_a_removed_plan_item_keeps_its_dose_changes_in_the_export(
    runner, runner_client, runner_with_plan
):
    item = runner_with_plan.items.order_by("pk").first()
    _change(runner, item)
    item.delete()

    [change] = json.loads(runner_client.get("/accounts/export/").content)["dose_changes"]

    assert change["dose_after"]["reps"] == 14


def test_check_ins_and_dose_changes_go_with_the_account(runner, other_runner, runner_with_plan):
    MorningCheckIn.objects.create(owner=runner, date=MONDAY, pain=2, stiffness=3)
    MorningCheckIn.objects.create(owner=other_runner, date=MONDAY, pain=4, stiffness=4)
    _change(runner, runner_with_plan.items.order_by("pk").first())

    runner.delete()

    assert list(MorningCheckIn.objects.values_list("owner", flat=True)) == [other_runner.pk]
    assert not DoseChange.objects.exists()
