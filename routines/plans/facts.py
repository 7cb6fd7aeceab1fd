"""Rows turned into the plain facts that `routines.plans.rules` and `.generator` read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from exercises.models import Exercise, ExerciseCondition, ExerciseMuscle, MuscleRole, Status

from .ladder import ladder_places
from .rules import ExerciseFacts


def exercises_with_facts(queryset=None):
    """Exercises with what `exercise_facts` reads, in a fixed number of queries."""
    queryset = Exercise.objects.all() if queryset is None else queryset
    return queryset.prefetch_related(*FACT_PREFETCHES)


FACT_PREFETCHES = (
    Prefetch("equipment"),
    Prefetch(
        "muscle_links",
        queryset=ExerciseMuscle.objects.filter(role=MuscleRole.PRIMARY).select_related("muscle"),
        to_attr="primary_links",
    ),
    Prefetch(
        "condition_links",
        queryset=ExerciseCondition.objects.select_related("condition"),
        to_attr="fact_condition_links",
    ),
)


def exercise_facts(
    exercise: Exercise, ladders: dict[int, tuple[int, int]] | None = None
) -> ExerciseFacts:
    ladder, rung = (ladders or {}).get(exercise.pk, (None, 0))
    return ExerciseFacts(
        id=exercise.pk,
        name=exercise.name,
        slug=exercise.slug,
        level=exercise.level,
        regions=frozenset(link.muscle.region for link in exercise.primary_links),
        conditions=frozenset(
            link.condition.slug for link in getattr(exercise, "fact_condition_links", ())
        ),
        equipment=frozenset(item.slug for item in exercise.equipment.all()),
        sessions_per_week=exercise.dose_sessions_per_week,
        sets=exercise.dose_sets,
        reps=exercise.dose_reps,
        hold_seconds=exercise.dose_hold_seconds,
        duration_seconds=exercise.dose_duration_seconds,
        per_side=exercise.dose_per_side,
        published=exercise.status == Status.PUBLISHED,
        ladder=ladder,
        rung=rung,
        calf_heavy=exercise.calf_heavy,
    )


def library_facts() -> list[ExerciseFacts]:
    """Every published exercise, with its place on its ladder, for the generator.

    Not those on a ladder's side branch (`off_main_line`): a variant reached only on purpose
    is one a runner adds to a plan, never one the generator picks.
    """
    exercises = list(exercises_with_facts(Exercise.objects.published()).order_by("name", "pk"))
    ladders, off = ladder_places([e.pk for e in exercises])
    return [exercise_facts(e, ladders) for e in exercises if e.pk not in off]


def facts_by_id(exercises: Iterable[Exercise]) -> dict[int, ExerciseFacts]:
    return {e.pk: exercise_facts(e) for e in exercises}
