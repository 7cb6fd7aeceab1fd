"""Builders for library objects. Each returns a saved, valid object; keywords override.

The seeded library itself (`seeded_library`, `content_file_data`) is in tests/conftest.py:
the site-wide tests use it too.
"""

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest

from exercises.models import (
    Condition,
    Equipment,
    Exercise,
    ExerciseCondition,
    ExerciseMuscle,
    Muscle,
    Position,
    Region,
    Status,
)

_serial = count(1)


@pytest.fixture
def make_muscle() -> Callable[..., Muscle]:
    def make(**fields: Any) -> Muscle:
        n = next(_serial)
        defaults = {
            "name": f"Muscle {n}",
            "slug": f"muscle-{n}",
            "region": Region.CALF,
            "description": "Points the foot down.",
        }
        return Muscle.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def make_condition() -> Callable[..., Condition]:
    def make(**fields: Any) -> Condition:
        n = next(_serial)
        defaults = {
            "name": f"Condition {n}",
            "slug": f"condition-{n}",
            "summary": "A sore spot.",
            "how_strengthening_helps": "Strong tissue copes better.",
        }
        return Condition.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def make_equipment() -> Callable[..., Equipment]:
    def make(**fields: Any) -> Equipment:
        n = next(_serial)
        return Equipment.objects.create(**{"name": f"Thing {n}", "slug": f"thing-{n}", **fields})

    return make


@pytest.fixture
def make_exercise() -> Callable[..., Exercise]:
    def make(**fields: Any) -> Exercise:
        n = next(_serial)
        defaults = {
            "name": f"Exercise {n}",
            "slug": f"exercise-{n}",
            "status": Status.PUBLISHED,
            "summary": "Do the thing.",
            "why_it_matters": "It helps.",
            "position": Position.STANDING,
            "laterality": "both",
            "level": 1,
            "dose_sets": 2,
            "dose_reps": 10,
        }
        return Exercise.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def link() -> Callable[..., None]:
    """Join an exercise to muscles (primary) and conditions, the way the pages read them."""

    def join(
        exercise: Exercise,
        *,
        muscles: tuple[Muscle, ...] = (),
        conditions: tuple[Condition, ...] = (),
        secondary: tuple[Muscle, ...] = (),
    ) -> None:
        for muscle in muscles:
            ExerciseMuscle.objects.create(exercise=exercise, muscle=muscle, role="primary")
        for muscle in secondary:
            ExerciseMuscle.objects.create(exercise=exercise, muscle=muscle, role="secondary")
        for condition in conditions:
            ExerciseCondition.objects.create(
                exercise=exercise, condition=condition, note="Why it helps."
            )

    return join
