"""Plans and days for the weekly-plan and log tests; the runners and the seeded library
are in tests/conftest.py."""

import datetime
from collections.abc import Callable

import pytest

from exercises.models import Condition, Equipment
from footcare.accounts.models import User
from routines.plans.models import PlanItem, WeeklyPlan
from tests.conftest import add_item  # noqa: F401  (the plan tests add items with it)


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


EVERYTHING = ["hand-weights", "resistance-band", "small-object", "step", "towel", "wall-or-chair"]


@pytest.fixture
def gym_runner(runner, seeded_library):
    """Strength work every week, Achilles tendinopathy ticked, every piece of equipment."""
    profile = runner.runner_profile
    profile.experience = "regular"
    profile.save(update_fields=["experience"])
    profile.conditions.set(Condition.objects.filter(slug="achilles-tendinopathy"))
    profile.equipment.set(Equipment.objects.filter(slug__in=EVERYTHING))
    return runner
