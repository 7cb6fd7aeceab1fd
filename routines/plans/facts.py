"""Rows turned into the plain facts that `routines.plans.rules` and `.generator` read."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db.models import OuterRef, Prefetch, StringAgg, Subquery, Value

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


# What `exercise_facts` reads of an exercise's own row (`exercises_for_facts`).
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


def exercises_for_facts(ids) -> list[Exercise]:
    """The exercises with what `exercise_facts` reads but their conditions (which a plan's
    week does not weigh), in one query: their equipment and primary muscles' regions come
    as columns beside their rows, not as two prefetches of linked rows (the board's seventy
    items share about twenty exercises). Slugs and regions hold no comma."""
    return list(_with_fact_columns().filter(pk__in=ids))


@cache
def _with_fact_columns() -> ExerciseQuerySet:
    # Built once per process and only ever cloned (never read itself): putting the two
    # subqueries together was most of the query's cost to Python.
    return (
        Exercise.objects.only(*FACT_FIELDS)
        .annotate(
            fact_equipment=_joined(Exercise.equipment.through.objects, "equipment__slug"),
            fact_regions=_joined(
                ExerciseMuscle.objects.filter(role=MuscleRole.PRIMARY), "muscle__region"
            ),
        )
        .order_by()
    )


def _split(joined: str | None) -> frozenset[str]:
    return frozenset(joined.split(_SEPARATOR)) if joined else frozenset()


def exercise_facts(
    exercise: Exercise, ladders: dict[int, tuple[int, int]] | None = None
) -> ExerciseFacts:
    ladder, rung = (ladders or {}).get(exercise.pk, (None, 0))
    if hasattr(exercise, "fact_regions"):  # read by `exercises_for_facts`
        regions, equipment = _split(exercise.fact_regions), _split(exercise.fact_equipment)
    else:
        regions = frozenset(link.muscle.region for link in exercise.primary_links)
        equipment = frozenset(item.slug for item in exercise.equipment.all())
    return ExerciseFacts(
        id=exercise.pk,
        name=exercise.name,
        slug=exercise.slug,
        level=exercise.level,
        regions=regions,
        conditions=frozenset(
            link.condition.slug for link in getattr(exercise, "fact_condition_links", ())
        ),
        equipment=equipment,
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


def facts_by_id(exercises: Iterable[Exercise]) -> dict[int, ExerciseFacts]:
    return {e.pk: exercise_facts(e) for e in exercises}
