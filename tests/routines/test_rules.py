"""The board's warnings and the generator: pure functions, tested with tables of plain data."""

import pytest

from routines.generator import choose_days, fitting_rungs, generate_plan
from routines.rules import ExerciseFacts, ItemFacts, week_summary

R, E, L, H = "rest", "easy", "long", "hard"

CALF = ExerciseFacts(id=1, name="Calf raise", regions=frozenset({"calf"}), sessions_per_week=3)
TOES = ExerciseFacts(
    id=2, name="Toe yoga", regions=frozenset({"foot"}), conditions=frozenset({"plantar-fasciitis"})
)
BAND = ExerciseFacts(
    id=3, name="Band spread", regions=frozenset({"foot"}), equipment=frozenset({"band"})
)
SHIN = ExerciseFacts(id=4, name="Heel walk", regions=frozenset({"shin"}))
HIP = ExerciseFacts(id=5, name="Single-leg deadlift", regions=frozenset({"hip_thigh"}))
CALF_EASY = ExerciseFacts(
    id=6,
    name="Calf raise, both feet",
    level=1,
    regions=frozenset({"calf"}),
    ladder=6,
    rung=0,
    conditions=frozenset({"achilles-tendinopathy"}),
)
CALF_HARD = ExerciseFacts(
    id=7,
    name="Calf raise, one foot",
    level=3,
    regions=frozenset({"calf"}),
    ladder=6,
    rung=1,
    conditions=frozenset({"achilles-tendinopathy"}),
)
CALF_HEAVY = ExerciseFacts(
    id=8,
    name="Weighted calf raise",
    level=4,
    regions=frozenset({"calf"}),
    ladder=6,
    rung=2,
    equipment=frozenset({"weights"}),
    conditions=frozenset({"achilles-tendinopathy"}),
)


def kinds(days, weekday):
    return [warning.kind for warning in days[weekday].warnings]


WARNINGS = [
    # pattern, items (weekday, exercise, seconds), equipment, expected {weekday: kinds}
    pytest.param(
        (R, E, R, R, R, L, R),
        [(4, CALF, 60)],
        frozenset(),
        {4: ["calf-before-run"]},
        id="calf work the day before a long run",
    ),
    pytest.param(
        (R, H, R, R, R, R, R),
        [(0, CALF, 60)],
        frozenset(),
        {0: ["calf-before-run"]},
        id="calf work the day before a hard workout",
    ),
    pytest.param(
        (H, R, R, R, R, R, R),
        [(6, CALF, 60)],
        frozenset(),
        {6: ["calf-before-run"]},
        id="Sunday's calf work before Monday's workout: the week wraps",
    ),
    pytest.param(
        (R, L, R, R, R, R, R),
        [(0, TOES, 60)],
        frozenset(),
        {},
        id="foot work before a long run is fine",
    ),
    pytest.param(
        (R,) * 7,
        [(d, CALF, 60) for d in (0, 2, 4, 6)],
        frozenset(),
        {0: ["too-often"], 2: ["too-often"], 4: ["too-often"], 6: ["too-often"]},
        id="four days of an exercise meant for three",
    ),
    pytest.param(
        (R,) * 7,
        [(0, CALF, 60), (0, CALF, 60), (2, CALF, 60), (4, CALF, 60)],
        frozenset(),
        {},
        id="twice on one day counts as one session",
    ),
    pytest.param(
        (R,) * 7,
        [(3, TOES, 20 * 60), (3, SHIN, 11 * 60)],
        frozenset(),
        {3: ["long-day"]},
        id="a day over 30 minutes",
    ),
    pytest.param(
        (R,) * 7,
        [(3, TOES, 20 * 60), (3, SHIN, 10 * 60)],
        frozenset(),
        {},
        id="exactly 30 minutes is fine",
    ),
    pytest.param(
        (R,) * 7,
        [(1, BAND, 60)],
        frozenset(),
        {1: ["equipment"]},
        id="equipment the runner lacks",
    ),
    pytest.param(
        (R,) * 7,
        [(1, BAND, 60)],
        frozenset({"band"}),
        {},
        id="equipment at hand",
    ),
]


@pytest.mark.parametrize(("pattern", "items", "equipment", "expected"), WARNINGS)
def test_warnings(pattern, items, equipment, expected):
    days = week_summary(
        pattern=pattern,
        items=[ItemFacts(weekday, exercise, seconds) for weekday, exercise, seconds in items],
        equipment_at_hand=equipment,
    )

    assert {d.weekday: kinds(days, d.weekday) for d in days if d.warnings} == expected
    for day in days:
        for warning in day.warnings:
            assert warning.text  # each with its reason


@pytest.mark.parametrize(
    ("pattern", "sessions", "days"),
    [
        ((R, E, R, E, R, L, R), 3, [0, 2, 4]),
        ((R, E, R, E, R, L, R), 2, [0, 4]),  # as spread as [0, 3], and both rest days
        ((R, E, R, E, R, L, R), 4, [0, 2, 4, 6]),
        ((H, E, H, E, H, L, L), 3, [1, 3]),  # only two rest or easy days
        ((H, H, H, H, H, L, L), 2, []),
        ((E, E, E, E, E, E, E), 2, [0, 3]),
    ],
)
def test_sessions_go_on_rest_and_easy_days_spread_out(pattern, sessions, days):
    assert choose_days(pattern, sessions) == days


@pytest.mark.parametrize(
    ("experience", "chosen"),
    [("new", CALF_EASY), ("some", CALF_HARD), ("regular", CALF_HEAVY)],
)
def test_the_ladder_rung_fits_the_experience(experience, chosen):
    assert fitting_rungs([CALF_EASY, CALF_HARD, CALF_HEAVY], experience) == [chosen]


LIBRARY = [TOES, BAND, SHIN, HIP, CALF_EASY, CALF_HARD, CALF_HEAVY, CALF]


def generate(**choices):
    arguments = {
        "pattern": (R, E, R, E, R, L, R),
        "exercises": LIBRARY,
        "conditions": {},
        "equipment": frozenset(),
        "experience": "new",
        "sessions": 3,
        "minutes": 15,
        **choices,
    }
    return generate_plan(**arguments)


def names_on(proposal, weekday):
    return [p.name for p in proposal.days[weekday].placements]


def test_the_same_inputs_give_the_same_plan():
    assert generate() == generate()


def test_strength_only_on_rest_and_easy_days():
    proposal = generate(pattern=(H, E, H, R, H, L, R), sessions=4)

    assert [d.weekday for d in proposal.days if d.placements] == [1, 3, 6]
    assert "so the plan has 3 sessions, not 4" in proposal.notes[0]


def test_nothing_calf_heavy_the_day_before_a_long_run_or_hard_workout():
    for pattern in [(R, H, R, R, E, L, R), (E, H, R, H, E, L, R), (R, L, R, H, R, H, R)]:
        proposal = generate(pattern=pattern, sessions=4)

        before_demanding = [d for d in range(7) if pattern[(d + 1) % 7] in (L, H)]
        assert any(proposal.days[d].placements for d in before_demanding)
        for weekday in before_demanding:
            assert not any(p.exercise_id in {1, 6, 7, 8} for p in proposal.days[weekday].placements)
        assert any(p.exercise_id in {1, 6, 7, 8} for p in proposal.placements)


def test_every_region_is_covered_across_the_week():
    proposal = generate()

    placed = {p.exercise_id for p in proposal.placements}
    regions = set().union(*(e.regions for e in LIBRARY if e.id in placed))
    assert regions == {"foot", "calf", "shin", "hip_thigh"}
    assert not proposal.notes


def test_the_runners_conditions_come_first():
    proposal = generate(conditions={"plantar-fasciitis": "Plantar fasciitis"})

    first_day = next(d for d in proposal.days if d.placements)
    assert first_day.placements[0].name == "Toe yoga"
    assert first_day.placements[0].reason.startswith("May help with Plantar fasciitis")


def test_only_equipment_at_hand():
    without = {p.exercise_id for p in generate(experience="regular").placements}
    with_band = {p.exercise_id for p in generate(equipment=frozenset({"band"})).placements}

    assert BAND.id not in without and CALF_HEAVY.id not in without
    assert BAND.id in with_band


def test_the_rung_for_the_experience_is_used():
    new = {p.exercise_id for p in generate(experience="new").placements}
    some = {p.exercise_id for p in generate(experience="some").placements}

    assert CALF_EASY.id in new and CALF_HARD.id not in new
    assert CALF_HARD.id in some and CALF_EASY.id not in some


@pytest.mark.parametrize("minutes", [10, 15, 20, 30])
def test_each_session_fits_the_minutes_and_no_exercise_exceeds_its_week(minutes):
    proposal = generate(sessions=4, minutes=minutes, exercises=[*LIBRARY] * 1)

    for day in proposal.days:
        if len(day.placements) > 1:
            assert sum(p.seconds for p in day.placements) <= minutes * 60
    counts = {}
    for placement in proposal.placements:
        counts[placement.exercise_id] = counts.get(placement.exercise_id, 0) + 1
    by_id = {e.id: e for e in LIBRARY}
    assert all(counts[i] <= by_id[i].sessions_per_week for i in counts)


def test_each_placement_says_why():
    for placement in generate().placements:
        reason = placement.reason.lower()
        assert "on your rest day" in reason or "on your easy run" in reason
