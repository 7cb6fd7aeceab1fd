"""Where an exercise sits on its ladder: the plans' one door into the library's ladders.

The graph walk itself is the library's (`exercises.ladders`); this only loads the edges
and numbers each ladder's rungs for the generator.
"""

from __future__ import annotations

from collections.abc import Collection

from exercises import ladders
from exercises.models import Progression


def ladder_positions(exercise_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """For each exercise on a ladder's main line among these: (its ladder's id, its rung).

    A ladder's id is its lowest exercise id; rungs count up from the easiest (0), each the
    `ladders.next_rung` of the one before: the rung a default "make it harder" goes to. An
    exercise on a ladder but off its main line (a side branch, reached only on purpose) is
    in `off_main_line` and has no position; exercises on no ladder are left out.
    """
    return ladder_places(exercise_ids)[0]


def off_main_line(exercise_ids: Collection[int]) -> set[int]:
    """The exercises among these on a ladder that its main line never reaches."""
    return ladder_places(exercise_ids)[1]


def ladder_places(exercise_ids: Collection[int]) -> tuple[dict[int, tuple[int, int]], set[int]]:
    """`ladder_positions` and `off_main_line` together, in one query."""
    ids = sorted(set(exercise_ids))
    wanted = set(ids)
    all_edges, all_side = Progression.objects.branches()
    edges = [edge for edge in all_edges if edge[0] in wanted and edge[1] in wanted]
    side = {edge for edge in all_side if edge in set(edges)}
    positions: dict[int, tuple[int, int]] = {}
    off: set[int] = set()
    for ladder in ladders.components(ids, edges):
        if len(ladder) < 2:
            continue
        # The easiest rung: nothing on the ladder is easier (the lowest id if several).
        current = min(id_ for id_ in ladder if not ladders.easier_than(id_, edges))
        rung = 0
        while current is not None and current not in positions:
            positions[current] = (min(ladder), rung)
            current = ladders.next_rung(current, edges, harder=True, side=side)
            rung += 1
        off |= {id_ for id_ in ladder if id_ not in positions}
    return positions, off
