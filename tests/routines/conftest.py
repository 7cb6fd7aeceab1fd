"""Plans and days for the weekly-plan and log tests; the runners and the seeded library
are in tests/conftest.py."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from exercises.models import Equipment, Exercise
from footcare.accounts.models import User
from routines.plans.models import PlanItem, WeeklyPlan


def add_item(plan: WeeklyPlan, exercise: Exercise, weekday: int, **dose: Any) -> PlanItem:
    item = PlanItem(
        plan=plan,
        exercise=exercise,
        weekday=weekday,
        position=plan.items.filter(weekday=weekday).count(),
    )
    item.copy_dose_from(exercise)
    for field, value in dose.items():
        setattr(item, field, value)
    item.save()
    return item


@pytest.fixture
def runner_with_plan(runner: User, exercise) -> WeeklyPlan:
    """Ada's plan: calf raises on Monday and Thursday, toe yoga on Monday."""
    plan = WeeklyPlan.objects.create(owner=runner, name="Strong feet", is_active=True)
    add_item(plan, exercise("calf-raise"), 0)
    add_item(plan, exercise("toe-yoga"), 0)
    add_item(plan, exercise("calf-raise"), 3)
    return plan


@pytest.fixture
def equip_runner() -> Callable[[User, list[str]], None]:
    def equip(user: User, slugs: list[str]) -> None:
        user.runner_profile.equipment.set(Equipment.objects.filter(slug__in=slugs))

    return equip


# The workout log ---------------------------------------------------------------------------

# A Monday: Ada's plan has calf raises and toe yoga on Mondays.
MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def on_monday(monkeypatch) -> datetime.date:
    """Today is MONDAY for /today/ and the log's date limits."""
    monkeypatch.setattr("footcare.clock.today", lambda: MONDAY)
    return MONDAY


def monday_items(plan: WeeklyPlan) -> list[PlanItem]:
    return list(plan.items.filter(weekday=0).order_by("position"))
