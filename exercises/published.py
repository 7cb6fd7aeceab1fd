"""The published ladders, the same for every runner: kept in the cache under the content
version (`exercises.cache`), so that /today/'s swap buttons and the suggestions stop
building them from the whole library on every request.

The ladder query (every published progression, with each end's level and name, and whether
the runner's equipment allows it) was the heaviest of /today/ and of its suggestions: with
a library of 300 exercises, some 15 ms a request under the profiler. What depends on the
runner, the equipment they have, is applied here in Python to what every runner shares:
each published exercise's equipment.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from .cache import kept_for_version
from .ladders import Ladders
from .models import Exercise, Progression, Status

LADDERS_KEY = "library:published-ladders"


@dataclass(frozen=True)
class PublishedLadders:
    """The published ladders (`Ladders`) and the equipment each exercise on them needs."""

    graph: Ladders
    needs: dict[int, frozenset[int]]

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
    return PublishedLadders(graph, {pk: frozenset(ids) for pk, ids in needs.items()})


def published_ladders() -> PublishedLadders:
    """The published ladders, from the cache in one read while the library is unchanged;
    built again, in two queries, after an edit."""
    return kept_for_version(LADDERS_KEY, _build)
