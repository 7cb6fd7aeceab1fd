"""Where an exercise sits on its ladder: the plans' one door into the library's progressions.

Kept to this one function so that it can switch to the library's ladder module without
the generator noticing.
"""

from __future__ import annotations

from collections.abc import Collection

from exercises.models import Progression


def ladder_positions(exercise_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """For each exercise on a ladder among these: (its ladder's id, its rung, 0 the easiest).

    A ladder is a connected group of progressions; its id is its lowest exercise id. The
    rung is the longest climb from the bottom of the ladder to the exercise.
    """
    ids = set(exercise_ids)
    edges = [
        (easier, harder)
        for easier, harder in Progression.objects.values_list("easier_id", "harder_id")
        if easier in ids and harder in ids
    ]
    neighbours: dict[int, set[int]] = {}
    below: dict[int, set[int]] = {}
    for easier, harder in edges:
        neighbours.setdefault(easier, set()).add(harder)
        neighbours.setdefault(harder, set()).add(easier)
        below.setdefault(harder, set()).add(easier)

    component: dict[int, int] = {}
    for start in sorted(neighbours):
        if start in component:
            continue
        group, stack = {start}, [start]
        while stack:
            for nxt in neighbours[stack.pop()]:
                if nxt not in group:
                    group.add(nxt)
                    stack.append(nxt)
        for member in group:
            component[member] = min(group)

    rung: dict[int, int] = {}

    def depth(node: int, trail: frozenset[int] = frozenset()) -> int:
        if node not in rung:
            # Progressions refuse loops (Progression.clean); `trail` guards anyway.
            lower = [e for e in below.get(node, ()) if e not in trail]
            rung[node] = 1 + max((depth(e, trail | {node}) for e in lower), default=-1)
        return rung[node]

    return {node: (component[node], depth(node)) for node in component}
