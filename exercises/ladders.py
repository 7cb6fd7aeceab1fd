"""Ladders: how exercises progress, as plain ids and (easier_id, harder_id) edges.

The one place that walks the progression graph. No ORM here: callers load the edges
(`Progression.objects.ladder_edges(exercise)` does it in one query) and ask. Works with any
hashable ids: database keys for the site, slugs for the content file.

A ladder is a connected group of exercises; an edge always goes from the easier exercise
to the harder one, and a ladder never loops (`find_loop` says where one would).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Container, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

Id = Hashable
Edge = tuple[Hashable, Hashable]


def _up(edges: Iterable[Edge]) -> dict[Any, list[Any]]:
    graph: dict[Any, list[Any]] = {}
    for easier, harder in edges:
        graph.setdefault(easier, []).append(harder)
    return graph


def components(ids: Iterable[Id], edges: Iterable[Edge]) -> list[set[Id]]:
    """The ladders: ids joined by edges in either direction, lone ids alone.

    In the order each ladder's first id comes in `ids` (ends of edges missing from `ids`
    join their ladder and come after).
    """
    neighbours: dict[Any, set[Any]] = {id_: set() for id_ in ids}
    for easier, harder in edges:
        neighbours.setdefault(easier, set()).add(harder)
        neighbours.setdefault(harder, set()).add(easier)
    found, placed = [], set()
    for start in neighbours:
        if start in placed:
            continue
        ladder, stack = set(), [start]
        while stack:
            current = stack.pop()
            if current not in ladder:
                ladder.add(current)
                stack.extend(neighbours[current] - ladder)
        placed |= ladder
        found.append(ladder)
    return found


def ladder_of(id_: Id, edges: Iterable[Edge]) -> set[Id]:
    """The ids on the same ladder as id_, itself included."""
    edges = list(edges)
    return next(ladder for ladder in components([id_], edges) if id_ in ladder)


def ordered(
    ids: Iterable[Id], edges: Iterable[Edge], *, key: Callable[[Id], Any] | None = None
) -> list[Id]:
    """The ids ladder by ladder, each from its easiest rung up.

    Ladders (and lone ids) come in the order of their lowest id by `key`; within a ladder
    every id comes after all those easier than it, ties broken by `key` (the id itself by
    default). Edges that touch an id outside `ids` are ignored. Raises ValueError on a loop.
    """
    ids = list(ids)
    rank = key or (lambda id_: id_)
    wanted = set(ids)
    edges = [(easier, harder) for easier, harder in edges if easier in wanted and harder in wanted]
    up = _up(edges)
    below = dict.fromkeys(ids, 0)
    for _, harder in edges:
        below[harder] += 1
    result: list[Id] = []
    for ladder in sorted(components(ids, edges), key=lambda group: min(map(rank, group))):
        ready = [(rank(id_), id_) for id_ in ladder if not below[id_]]
        heapq.heapify(ready)
        while ready:
            _, current = heapq.heappop(ready)
            result.append(current)
            for harder in up.get(current, []):
                below[harder] -= 1
                if not below[harder]:
                    heapq.heappush(ready, (rank(harder), harder))
    if len(result) != len(ids):
        raise ValueError(f"a ladder loops: {' -> '.join(map(str, find_loop(edges)))}")
    return result


def easier_than(id_: Id, edges: Iterable[Edge]) -> set[Id]:
    """One rung down: the ids with an edge up to id_."""
    return {easier for easier, harder in edges if harder == id_}


def harder_than(id_: Id, edges: Iterable[Edge]) -> set[Id]:
    """One rung up: the ids id_ has an edge up to."""
    return {harder for easier, harder in edges if easier == id_}


def reaches(start: Id, goal: Id, edges: Iterable[Edge]) -> bool:
    """Whether climbing from start, rung by rung, ever gets to goal (start reaches itself)."""
    up = _up(edges)
    seen, stack = {start}, [start]
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        for harder in up.get(current, []):
            if harder not in seen:
                seen.add(harder)
                stack.append(harder)
    return False


def find_loop(edges: Iterable[Edge]) -> list[Id]:
    """A loop as the ids along it, the first repeated last (a -> b -> a); [] when none.

    The same loop for the same edges: starts are tried in sorted order.
    """
    up = _up(edges)
    done: set[Any] = set()
    for start in sorted(up):
        if start in done:
            continue
        path, branches = [start], [iter(up[start])]
        while branches:
            harder = next(branches[-1], None)
            if harder is None:
                done.add(path.pop())
                branches.pop()
            elif harder in path:
                return [*path[path.index(harder) :], harder]
            elif harder not in done:
                path.append(harder)
                branches.append(iter(up.get(harder, [])))
    return []


@dataclass(frozen=True)
class Ladders:
    """The progression graph as the neighbour rule reads it: the one place that chooses which
    easier or harder exercise is offered.

    Used by the library's pages, /today/'s swap buttons, the progression engine's suggestions
    and the generator (each loads it with `Progression.objects.graph()` or builds it from the
    rows it has). `side` holds the side-branch edges (a variant reached only on purpose, such
    as a heel-below-step raise that a sore Achilles must not be stepped back into); `levels`
    and `names` rank rungs that tie, so the order never hangs on ids.
    """

    edges: tuple[Edge, ...]
    side: frozenset[Edge] = frozenset()
    levels: Mapping[Id, int] = field(default_factory=dict)
    names: Mapping[Id, str] = field(default_factory=dict)

    def neighbours(self, id_: Id, *, harder: bool, among: Container[Id] | None = None) -> list[Id]:
        """The rungs one step harder (or easier) than id_, the one to offer first first.

        The main branch before side branches; then the nearest level (the easiest of the
        harder rungs, the hardest of the easier ones); then by name, then by id. With `among`,
        only rungs among those ids.
        """
        found = harder_than(id_, self.edges) if harder else easier_than(id_, self.edges)

        def rank(other: Id) -> tuple:
            level = self.levels.get(other, 0)
            return (
                self.via_side(id_, other, harder=harder),
                level if harder else -level,
                self.names.get(other, ""),
                other,
            )

        return sorted((other for other in found if among is None or other in among), key=rank)

    def next_rung(self, id_: Id, *, harder: bool, among: Container[Id] | None = None) -> Id | None:
        """The rung a step back (harder=False) or a default "make it harder" goes to.

        The first of `neighbours` on the main branch. A side branch is never entered by
        default (the dose changes instead, or the runner picks it on purpose), but a step
        back may leave one: from a side variant with no main rung below it (Rathleff's raise)
        to the trunk it branched from, never down into another side variant. None when
        there is no such rung.
        """
        found = self.neighbours(id_, harder=harder, among=among)
        for other in found:
            if not self.via_side(id_, other, harder=harder):
                return other
        if not harder:
            for other in found:
                if self.on_trunk(other):
                    return other
        return None

    def on_trunk(self, id_: Id) -> bool:
        """Whether id_ is on a ladder's trunk: its base, or reached by a main-branch edge."""
        below = [edge for edge in self.edges if edge[1] == id_]
        return not below or any(edge not in self.side for edge in below)

    def via_side(self, id_: Id, other: Id, *, harder: bool) -> bool:
        """Whether the edge between id_ and its neighbour `other` is a side branch."""
        return ((id_, other) if harder else (other, id_)) in self.side

    def only(self, ids: Container[Id]) -> Ladders:
        """These ladders with only the edges whose both ends are among ids."""
        edges = tuple(edge for edge in self.edges if edge[0] in ids and edge[1] in ids)
        return replace(self, edges=edges, side=self.side & set(edges))
