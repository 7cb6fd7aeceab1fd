"""A large library on demand, for the query-budget tests and `make bench`.

It adds published exercises as fully linked as real ones (steps, pictures, tips, muscles,
conditions, equipment, sources, ladders) in one bulk insert per table, so the pages can
be measured with many more rows than the seeded library has.
"""

from __future__ import annotations

from itertools import cycle, islice

from django.db import transaction

from exercises.cache import one_bump
from exercises.models import (
    Condition,
    Equipment,
    Exercise,
    ExerciseCondition,
    ExerciseMuscle,
    ExercisePicture,
    ExerciseSource,
    ExerciseStep,
    ExerciseTip,
    Laterality,
    Muscle,
    MuscleRole,
    Position,
    Progression,
    Source,
    Status,
    StoredIn,
    TipKind,
)
from exercises.search import related_text_refresh

LADDER_LENGTH = 5


@transaction.atomic
@one_bump()  # bulk writes send no signals; one bump for the lot
def library_bulk_add(*, count: int, prefix: str = "bulk") -> list[Exercise]:
    """Add `count` published exercises to the library as it stands.

    Every one works the soleus and helps with plantar fasciitis (when the seeded library
    has them), so those pages grow with it; they come in ladders of five, and the first
    rung of each ladder is a harder variant of the single-leg calf raise.
    """
    muscles = list(Muscle.objects.order_by("slug"))
    conditions = list(Condition.objects.order_by("slug"))
    equipment = list(Equipment.objects.order_by("slug"))
    sources = list(Source.objects.order_by("key"))
    soleus = next((m for m in muscles if m.slug == "soleus"), muscles[0] if muscles else None)
    plantar = next(
        (c for c in conditions if c.slug == "plantar-fasciitis"),
        conditions[0] if conditions else None,
    )
    calf_raise = Exercise.objects.filter(slug="calf-raise").first()

    positions, lateralities = cycle(Position.values), cycle(Laterality.values)
    exercises = Exercise.objects.bulk_create(
        Exercise(
            name=f"{prefix.capitalize()} exercise {n:04}",
            slug=f"{prefix}-exercise-{n:04}",
            status=Status.PUBLISHED,
            summary=f"Generated exercise number {n}, for measuring the pages.",
            why_it_matters="It makes the library large enough to measure.",
            position=next(positions),
            laterality=next(lateralities),
            level=1 + n % 5,
            dose_sets=2,
            dose_reps=10,
            dose_hold_seconds=2 if n % 2 else None,
            dose_per_side=bool(n % 3),
        )
        for n in range(count)
    )

    ExerciseStep.objects.bulk_create(
        ExerciseStep(exercise=exercise, number=number, text=f"Step {number} of the move.")
        for exercise in exercises
        for number in range(1, 6)
    )
    ExerciseTip.objects.bulk_create(
        ExerciseTip(exercise=exercise, kind=kind, order=order, text=f"A {kind} tip.")
        for exercise in exercises
        for order, kind in enumerate(TipKind.values, start=1)
    )
    # Two pictures each, as every seeded exercise has (the calf raise's drawings).
    ExercisePicture.objects.bulk_create(
        ExercisePicture(
            exercise=exercise,
            order=order,
            kind=kind,
            stored_in=StoredIn.STATIC,
            static_path=f"exercises/drawings/calf-raise-{kind}.svg",
            width=240,
            height=180,
            alt=f"The {kind} position.",
            credit="Drawn by Footcare",
            licence="The Footcare project's licence",
        )
        for exercise in exercises
        for order, kind in enumerate(("start", "end"), start=1)
    )
    links = []
    for n, exercise in enumerate(exercises):
        others = [m for m in muscles if m != soleus]
        secondary = list(islice(cycle(others), n, n + 2)) if others else []
        if soleus:
            links.append(ExerciseMuscle(exercise=exercise, muscle=soleus, role=MuscleRole.PRIMARY))
        links += [
            ExerciseMuscle(exercise=exercise, muscle=m, role=MuscleRole.SECONDARY)
            for m in secondary
        ]
    ExerciseMuscle.objects.bulk_create(links)
    condition_links = []
    for n, exercise in enumerate(exercises):
        chosen = {plantar, *islice(cycle(conditions), n, n + 1)} - {None}
        condition_links += [
            ExerciseCondition(exercise=exercise, condition=c, note="Why it helps.") for c in chosen
        ]
    ExerciseCondition.objects.bulk_create(condition_links)
    if sources:
        ExerciseSource.objects.bulk_create(
            ExerciseSource(exercise=exercise, source=sources[n % len(sources)])
            for n, exercise in enumerate(exercises)
        )
    if equipment:
        Through = Exercise.equipment.through
        Through.objects.bulk_create(
            Through(exercise_id=exercise.pk, equipment_id=equipment[n % len(equipment)].pk)
            for n, exercise in enumerate(exercises)
            if n % 4
        )

    edges = []
    for n, exercise in enumerate(exercises):
        if n % LADDER_LENGTH:
            edges.append(Progression(easier=exercises[n - 1], harder=exercise, note="Up a rung."))
        elif calf_raise:
            edges.append(Progression(easier=calf_raise, harder=exercise, note="A new ladder."))
    Progression.objects.bulk_create(edges)
    # Bulk inserts send no signals: give search the new exercises' links here.
    related_text_refresh(exercise.pk for exercise in exercises)
    return exercises
