"""exercises.ladders: the one graph walk, over plain ids and (easier, harder) edges."""

import pytest

from exercises.ladders import (
    Ladders,
    components,
    easier_than,
    find_loop,
    harder_than,
    ladder_of,
    ordered,
    reaches,
)

# Two ladders and a lone exercise:  a -> b -> c, a -> d (a fork) ;  x -> y ;  z.
EDGES = [("a", "b"), ("b", "c"), ("a", "d"), ("x", "y")]
IDS = ["z", "y", "x", "d", "c", "b", "a"]


@pytest.mark.parametrize(
    ("ids", "edges", "expected"),
    [
        ([], [], []),
        (["z"], [], [{"z"}]),
        (IDS, EDGES, [{"z"}, {"x", "y"}, {"a", "b", "c", "d"}]),
        (["c"], EDGES, [{"a", "b", "c", "d"}, {"x", "y"}]),
        ([1, 2, 3], [(3, 1)], [{1, 3}, {2}]),
    ],
)
def test_components(ids, edges, expected):
    assert components(ids, edges) == expected


@pytest.mark.parametrize(
    ("id_", "expected"),
    [("c", {"a", "b", "c", "d"}), ("y", {"x", "y"}), ("z", {"z"})],
)
def test_ladder_of(id_, expected):
    assert ladder_of(id_, EDGES) == expected


@pytest.mark.parametrize(
    ("ids", "edges", "key", "expected"),
    [
        (IDS, EDGES, None, ["a", "b", "c", "d", "x", "y", "z"]),
        # A key puts ladders in order of their lowest rung by it, and breaks ties inside one.
        (
            IDS,
            EDGES,
            {"a": 3, "b": 1, "c": 0, "d": 0, "x": 2, "y": 9, "z": 1}.get,
            ["a", "d", "b", "c", "z", "x", "y"],
        ),
        # Edges to ids left out are ignored.
        (["b", "c"], EDGES, None, ["b", "c"]),
        ([3, 1, 2], [(3, 1), (1, 2)], None, [3, 1, 2]),
    ],
)
def test_ordered_easiest_first(ids, edges, key, expected):
    assert ordered(ids, edges, key=key) == expected


def test_ordered_refuses_a_loop():
    with pytest.raises(ValueError, match="loops: a -> b -> a"):
        ordered(["a", "b"], [("a", "b"), ("b", "a")])


@pytest.mark.parametrize(
    ("id_", "easier", "harder"),
    [
        ("a", set(), {"b", "d"}),
        ("b", {"a"}, {"c"}),
        ("c", {"b"}, set()),
        ("z", set(), set()),
    ],
)
def test_one_rung_down_and_up(id_, easier, harder):
    assert easier_than(id_, EDGES) == easier
    assert harder_than(id_, EDGES) == harder


@pytest.mark.parametrize(
    ("start", "goal", "expected"),
    [
        ("a", "c", True),
        ("a", "a", True),
        ("c", "a", False),
        ("d", "c", False),
        ("a", "y", False),
    ],
)
def test_reaches_only_going_up(start, goal, expected):
    assert reaches(start, goal, EDGES) is expected


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ([], []),
        (EDGES, []),
        ([("a", "a")], ["a", "a"]),
        ([*EDGES, ("c", "a")], ["a", "b", "c", "a"]),
        ([*EDGES, ("y", "x")], ["x", "y", "x"]),
        # A diamond is not a loop.
        ([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")], []),
    ],
)
def test_find_loop(edges, expected):
    assert find_loop(edges) == expected


# A fork where ids, names and levels each sort differently: the rule, not the ids, decides.
FORK = Ladders(
    edges=(("base", "b-side"), ("base", "c-far"), ("base", "a-near"), ("low", "base")),
    side=frozenset({("base", "b-side")}),
    levels={"base": 2, "low": 1, "b-side": 2, "c-far": 4, "a-near": 3},
    names={"a-near": "Zed", "c-far": "Alpha", "b-side": "Beta"},
)


def test_neighbours_put_the_main_branch_first_then_the_nearest_level():
    assert FORK.neighbours("base", harder=True) == ["a-near", "c-far", "b-side"]
    assert FORK.neighbours("base", harder=True, among={"c-far", "b-side"}) == ["c-far", "b-side"]
    assert FORK.neighbours("a-near", harder=False) == ["base"]


def test_next_rung_never_enters_a_side_branch():
    assert FORK.next_rung("base", harder=True) == "a-near"
    assert FORK.next_rung("base", harder=True, among={"b-side"}) is None
    assert FORK.next_rung("base", harder=False) == "low"


def test_a_step_back_leaves_a_side_branch_for_its_trunk_but_never_enters_another():
    # Back from the side variant to the rung it branched from: plainer, never riskier.
    assert FORK.next_rung("b-side", harder=False) == "base"
    # A rung below with a main edge is taken before a side one.
    both = Ladders(
        edges=(("trunk", "top"), ("variant", "top")), side=frozenset({("variant", "top")})
    )
    assert both.next_rung("top", harder=False) == "trunk"
    # A side variant (reached only by a side edge) is never stepped back into.
    nested = Ladders(
        edges=(("base", "variant"), ("variant", "top")),
        side=frozenset({("base", "variant"), ("variant", "top")}),
    )
    assert nested.next_rung("top", harder=False) is None
    assert nested.next_rung("variant", harder=False) == "base"


def test_easier_rungs_come_hardest_first_then_by_name():
    ladder = Ladders(
        edges=(("one", "top"), ("three", "top"), ("two", "top")),
        levels={"one": 1, "two": 3, "three": 3},
        names={"two": "Bravo", "three": "Alpha"},
    )
    assert ladder.neighbours("top", harder=False) == ["three", "two", "one"]


def test_only_keeps_edges_within_the_ids():
    kept = FORK.only({"base", "b-side", "low"})
    assert kept.edges == (("base", "b-side"), ("low", "base"))
    assert kept.side == {("base", "b-side")}
