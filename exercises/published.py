"""The published ladders, the same for every runner: kept in the cache under the content
version (`exercises.cache`), so that /today/'s swap buttons and the suggestions stop
building them from the whole library on every request.

The ladder query (every published progression, with each end's level and name, and whether
the runner's equipment allows it) was the heaviest of /today/ and of its suggestions: with
a library of 300 exercises, some 15 ms a request under the profiler. What depends on the
runner, the equipment they have, is applied here in Python to what every runner shares:
each published exercise's equipment. The published exercises' safety tips come along, for
the suggestions that name them (their cards show the tips of the exercise they lead to).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from .cache import kept_for_version
from .ladders import Ladders
from .models import Exercise, ExerciseTip, Progression, Status, TipKind

# Named anew whenever what is kept changes shape: an entry pickled by the code before cannot
# be read by the code after (a deploy with the cache kept).
LADDERS_KEY = "library:published-ladders:2"


@dataclass(frozen=True)
class PublishedLadders:
    """The published ladders (`Ladders`), the equipment each exercise on them needs, and
    each published exercise's safety tips in their order (`safety_tips_of`)."""

    graph: Ladders
    needs: dict[int, frozenset[int]]
    safety_tips: dict[int, tuple[str, ...]]
    published: frozenset[int]

    def safety_tips_of(self, exercise_id: int) -> tuple[str, ...] | None:
        """A published exercise's safety tips (none is an empty tuple); None for one that is
        not published (taken back to draft while still in a plan): ask the database."""
        if exercise_id not in self.published:
            return None
        return self.safety_tips.get(exercise_id, ())

    def usable_with(self, equipment: Collection[int]) -> set[int]:
        """The exercises on the ladders that this equipment allows: those whose every piece
        is among it (`ExerciseQuerySet.needing_only`'s rule), the ones needing none too."""
        have = frozenset(equipment)
        return {pk for pk in self.graph.levels if self.needs.get(pk, frozenset()) <= have}


def _build() -> PublishedLadders:
    graph = Progression.objects.between(Exercise.objects.published()).graph()
    needs: dict[int, set[int]] = {}
    for exercise_id, equipment_id in Exercise.equipment.through.objects.filter(
        exercise__status=Status.PUBLISHED
    ).values_list("exercise_id", "equipment_id"):
        needs.setdefault(exercise_id, set()).add(equipment_id)
    tips: dict[int, list[str]] = {}
    for exercise_id, text in (
        ExerciseTip.objects.filter(kind=TipKind.SAFETY, exercise__status=Status.PUBLISHED)
        .order_by("order", "pk")
        .values_list("exercise_id", "text")
    ):
        tips.setdefault(exercise_id, []).append(text)
    return PublishedLadders(
        graph,
        {pk: frozenset(ids) for pk, ids in needs.items()},
        {pk: tuple(texts) for pk, texts in tips.items()},
        frozenset(Exercise.objects.published().values_list("pk", flat=True)),
    )


def published_ladders() -> PublishedLadders:
    """The published ladders, from the cache in one read while the library is unchanged;
    built again, in four queries, after an edit."""
    return kept_for_version(LADDERS_KEY, _build)
