"""One rule, one place (issue 22): each rule below has one definition, and each test here
fails if a second copy creeps back into the code (read as Python, not run).

- which easier or harder exercise is offered: `exercises.ladders.Ladders`;
- a dose's fields, limits, estimated seconds, "reps or seconds" and the library dose brought
  within a plan's limits: the plan's dose model (`Dose` and what stands beside it);
- a name for one thing: no second `ExerciseHistory`.
"""

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from exercises.models import Exercise, Progression
from routines.plans.facts import exercise_facts, exercises_with_facts
from routines.plans.ladder import ladder_places
from routines.plans.models import PlanItem, Unit
from routines.progress.progression import rungs_around
from routines.training.views import _swaps

REPO = Path(__file__).resolve().parents[1]
APPS = ("exercises", "routines", "footcare")
LADDERS = "exercises/ladders.py"


def sources() -> Iterator[tuple[str, ast.Module]]:
    for app in APPS:
        for path in sorted((REPO / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(REPO).as_posix(), ast.parse(path.read_text())


def places(found: Callable[[ast.AST], bool]) -> dict[str, list[int]]:
    """The files, and the lines in them, of every node for which `found` is true."""
    hits: dict[str, list[int]] = {}
    for name, module in sources():
        lines = [node.lineno for node in ast.walk(module) if found(node)]
        if lines:
            hits[name] = lines
    return hits


def named(node: ast.AST) -> str | None:
    """The name a call or a reference uses: `f` for f(...), x.f(...), x.f."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def defines(*names: str) -> Callable[[ast.AST], bool]:
    return lambda node: (
        (isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in names)
        or (
            isinstance(node, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id in names for target in node.targets)
        )
    )


def dose_model_module() -> str:
    """The module that defines the plan's abstract `Dose` model (wherever the apps put it)."""
    (found,) = places(
        lambda node: (
            isinstance(node, ast.ClassDef)
            and node.name == "Dose"
            and any(ast.unparse(base) == "models.Model" for base in node.bases)
        )
    )
    return found


# The neighbour on a ladder ----------------------------------------------------------------


def test_only_the_ladders_pick_a_neighbour():
    # One rung down or up is asked of `Ladders`, never worked out again from the edges.
    assert places(lambda node: named(node) in {"easier_than", "harder_than"}).keys() == {LADDERS}
    assert places(defines("neighbours", "next_rung")).keys() == {LADDERS}


def test_nothing_else_ranks_a_progressions_ends():
    # Ranking by the ends' names or levels is the rule's tie-break: `Progression.objects
    # .graph()` loads them; the admin's change pages list edges for editors in its own order.
    ends = {"easier__name", "harder__name", "easier__level", "harder__level"}
    found = places(lambda node: isinstance(node, ast.Constant) and node.value in ends)

    assert found.keys() <= {"exercises/models.py", "exercises/admin.py"}


# The dose ---------------------------------------------------------------------------------


def lists_dose_fields(node: ast.AST) -> bool:
    """A literal that spells out a dose's fields (a tuple, a list, a set or a dict's keys);
    not a dose itself, written as numbers (`{"reps": None, "duration_seconds": 30}`)."""
    if isinstance(node, ast.Dict):
        if all(
            isinstance(value, ast.Constant) and not isinstance(value.value, str)
            for value in node.values
        ):
            return False
        items = node.keys
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        items = node.elts
    else:
        return False
    words = {item.value for item in items if isinstance(item, ast.Constant)}
    return {"reps", "duration_seconds"} <= words


def test_the_dose_fields_and_limits_are_listed_once_on_the_dose_model():
    # Its fields, their ranges and their messages: the forms, the admin, the starter file,
    # the suggestions and the progression engine read them from there.
    found = places(lists_dose_fields)

    assert found.keys() == {dose_model_module()}
    assert places(defines("LIMITS", "ITEM_DOSE", "ITEM_FIELDS")) == {}


def test_a_dose_is_timed_the_same_way_everywhere():
    model = dose_model_module()

    assert places(defines("SECONDS_PER_REP")).keys() == {model}
    assert places(lambda node: named(node) == "SECONDS_PER_REP").keys() == {model}
    assert places(defines("estimated_seconds", "dose_seconds")).keys() == {model}


def test_reps_or_seconds_is_decided_on_the_dose_model():
    # `Unit.REPS if item.reps is not None else Unit.SECONDS`, or a set's amount as
    # `item.reps if ... else item.duration_seconds`, written out again is a second copy.
    def decides(node: ast.AST) -> bool:
        if not isinstance(node, ast.IfExp):
            return False
        branches = {ast.unparse(node.body), ast.unparse(node.orelse)}
        return branches == {"Unit.REPS", "Unit.SECONDS"} or (
            ast.unparse(node.body).endswith("reps")
            and ast.unparse(node.orelse).endswith("duration_seconds")
        )

    assert places(decides).keys() == {dose_model_module()}


def test_a_library_dose_reaches_a_plan_only_through_the_dose_model():
    # The library's ranges are looser than a plan's: the one door clamps, so no path (a
    # board's add, a generated plan, the demo, the log's picker) can skip it.
    library_dose = {
        "dose_sets",
        "dose_reps",
        "dose_hold_seconds",
        "dose_duration_seconds",
        "dose_per_side",
    }
    found = places(lambda node: isinstance(node, ast.Attribute) and node.attr in library_dose)

    outside_the_library = {name for name in found if not name.startswith("exercises/")}
    assert outside_the_library == {dose_model_module()}


# One name, one thing ----------------------------------------------------------------------


def test_one_exercise_history():
    assert len(places(defines("ExerciseHistory"))) == 1


# The same rules, run: every caller gets the one answer ----------------------------------


@pytest.fixture
def fork(make_exercise) -> dict[str, Exercise]:
    """A base with three main-branch rungs up, where ids, names and levels each sort
    differently: the first made (lowest id) is not the first by name, nor the nearest."""
    base = make_exercise(name="Base raise", level=2)
    rungs = {
        "first_made": make_exercise(name="Zed raise", level=3),
        "nearest": make_exercise(name="Middle raise", level=3),
        "first_by_name": make_exercise(name="Aaa hop", level=4),
    }
    for harder in rungs.values():
        Progression.objects.create(easier=base, harder=harder, note="Up.")
    return {"base": base, **rungs}


@pytest.mark.django_db
def test_the_library_the_swaps_the_suggestions_and_the_generator_offer_the_same_rung(fork):
    base, nearest = fork["base"], fork["nearest"]
    graph = Progression.objects.graph()

    _, up = Progression.objects.rungs_around(base, AnonymousUser())
    assert [edge.harder for edge in up][0] == nearest  # the library's exercise page
    assert _swaps([base.pk])[base.pk] == (None, nearest.pk)  # /today/'s "Harder today"
    easier, harder = rungs_around(base.pk, graph)  # the suggestions
    assert (easier, [rung.id for rung in harder]) == ((), [nearest.pk])
    positions, off_main = ladder_places([exercise.pk for exercise in fork.values()])
    assert positions[nearest.pk] == (base.pk, 1)  # the generator's rungs
    assert off_main == {fork["first_made"].pk, fork["first_by_name"].pk}


@pytest.mark.django_db
def test_every_path_brings_a_library_dose_within_a_plans_ranges(make_exercise):
    # A library dose beyond what a plan holds (the library's ranges are looser).
    exercise = make_exercise(dose_sets=12, dose_reps=150, dose_hold_seconds=400)
    held = {"sets": 10, "reps": 100, "hold_seconds": 300, "duration_seconds": None}

    added = PlanItem()
    added.copy_dose_from(exercise)  # a board's add, the demo
    (facts,) = [exercise_facts(e) for e in exercises_with_facts().filter(pk=exercise.pk)]
    picked = PlanItem.from_library(exercise)  # the log's picker

    for dose in (added, facts, picked):  # the facts are what a generated plan saves
        assert {field: getattr(dose, field) for field in held} == held
    assert (picked.unit, picked.amount) == (Unit.REPS, 100)
