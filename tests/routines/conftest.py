"""Runners, the seeded library and plans for the weekly-plan tests."""

import copy
import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from exercises.content.seed import library_seed
from exercises.models import Equipment, Exercise
from footcare.accounts.models import RunnerProfile, User
from routines.plans.models import PlanItem, WeeklyPlan
from tests.accounts.conftest import make_runner

# A week with every kind of run: Tuesday hard, Saturday long.
WEEK = {
    "monday": "rest",
    "tuesday": "hard",
    "wednesday": "easy",
    "thursday": "rest",
    "friday": "easy",
    "saturday": "long",
    "sunday": "rest",
}


@pytest.fixture
def seeded_library(db, library_data) -> dict[str, Any]:
    """The committed exercise library, as `make run` loads it."""
    library_seed(data=copy.deepcopy(library_data))
    return library_data


@pytest.fixture(scope="session")
def library_data() -> dict[str, Any]:
    from exercises.content.file import read_library

    return read_library()


@pytest.fixture
def runner(db) -> User:
    user = make_runner("ada@example.com")
    RunnerProfile.objects.filter(user=user).update(**WEEK)
    return user


@pytest.fixture
def other_runner(db) -> User:
    return make_runner("grace@example.com")


@pytest.fixture
def runner_client(client: Client, runner: User) -> Client:
    client.force_login(runner)
    return client


@pytest.fixture
def other_client(other_runner: User) -> Client:
    client = Client()
    client.force_login(other_runner)
    return client


@pytest.fixture
def exercise(seeded_library) -> Callable[[str], Exercise]:
    def get(slug: str) -> Exercise:
        return Exercise.objects.get(slug=slug)

    return get


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
