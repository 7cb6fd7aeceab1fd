"""Rows turned into the plain facts that `routines.plans.rules` and `.generator` read."""

from __future__ import annotations

from functools import cache

from django.db.models import OuterRef, StringAgg, Subquery, Value

from exercises.models import (
    Exercise,
    ExerciseCondition,
    ExerciseMuscle,
    ExerciseQuerySet,
    MuscleRole,
    Status,
)

from .ladder import ladder_places
from .models import library_dose
from .rules import ExerciseFacts

# What `exercise_facts` reads of an exercise's own row.
FACT_FIELDS = (
    "name",
    "slug",
    "status",
    "level",
    "calf_heavy",
    "dose_sets",
    "dose_reps",
    "dose_hold_seconds",
    "dose_duration_seconds",
    "dose_per_side",
    "dose_sessions_per_week",
)
_SEPARATOR = ","


def _joined(links, field: str) -> Subquery:
    """One exercise's linked values (`field` of `links`) joined by commas, as a column."""
    return Subquery(
        links.filter(exercise=OuterRef("pk"))
        .order_by()
        .values("exercise")
        .annotate(joined=StringAgg(field, Value(_SEPARATOR)))
        .values("joined")
    )


def exercises_with_facts(queryset: ExerciseQuerySet | None = None) -> ExerciseQuerySet:
    """Exercises with what `exercise_facts` reads, in one query: their equipment, primary
    muscles' regions and conditions come as columns beside their rows, not as prefetches of
    linked rows (the board's seventy items share about twenty exercises). Slugs and regions
    hold no comma."""
    if queryset is None:
        return _all_with_fact_columns()
    return queryset.only(*FACT_FIELDS).annotate(
        fact_equipment=_joined(Exercise.equipment.through.objects, "equipment__slug"),
        fact_regions=_joined(
            ExerciseMuscle.objects.filter(role=MuscleRole.PRIMARY), "muscle__region"
        ),
        fact_conditions=_joined(ExerciseCondition.objects, "condition__slug"),
    )


@cache
def _all_with_fact_columns() -> ExerciseQuerySet:
    # Built once per process and only ever cloned (never read itself): putting the
    # subqueries together was most of the board's query's cost to Python.
    return exercises_with_facts(Exercise.objects.all()).order_by()


def exercises_for_facts(ids) -> list[Exercise]:
    """The exercises of these ids, with what `exercise_facts` reads, in one query."""
    return list(exercises_with_facts().filter(pk__in=ids))


def _split(joined: str | None) -> frozenset[str]:
    return frozenset(joined.split(_SEPARATOR)) if joined else frozenset()


def exercise_facts(
    exercise: Exercise, ladders: dict[int, tuple[int, int]] | None = None
) -> ExerciseFacts:
    """An exercise read by `exercises_with_facts`, as the plain facts the rules read."""
    ladder, rung = (ladders or {}).get(exercise.pk, (None, 0))
    return ExerciseFacts(
        id=exercise.pk,
        name=exercise.name,
        slug=exercise.slug,
        level=exercise.level,
        regions=_split(exercise.fact_regions),
        conditions=_split(exercise.fact_conditions),
        equipment=_split(exercise.fact_equipment),
        sessions_per_week=exercise.dose_sessions_per_week,
        # The dose a plan would hold (`library_dose`), so a generated plan saves it as is.
        **library_dose(exercise),
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
