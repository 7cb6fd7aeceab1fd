"""Where an exercise sits on its ladder: the plans' one door into the library's ladders.

The graph walk itself is the library's (`exercises.ladders`); this only loads the edges
and numbers each ladder's rungs for the generator.
"""

from __future__ import annotations

from collections.abc import Collection

from exercises import ladders
from exercises.models import Progression


def ladder_positions(exercise_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """For each exercise on a ladder among these: (its ladder's id, its rung, 0 the easiest).

    A ladder's id is its lowest exercise id; rungs count up from the easiest, in the
    order `ladders.ordered` walks the ladder. Exercises on no ladder are left out.
    """
    ids = sorted(set(exercise_ids))
    wanted = set(ids)
    edges = [
        (easier, harder)
        for easier, harder in Progression.objects.edges()
        if easier in wanted and harder in wanted
    ]
    order = ladders.ordered(ids, edges)
    positions: dict[int, tuple[int, int]] = {}
    for ladder in ladders.components(ids, edges):
        if len(ladder) < 2:
            continue
        rungs = [id_ for id_ in order if id_ in ladder]
        for rung, id_ in enumerate(rungs):
            positions[id_] = (min(ladder), rung)
    return positions
