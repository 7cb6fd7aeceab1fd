"""The board's warnings and the generator: pure functions, tested with tables of plain data."""

import pytest

from routines.plans.generator import choose_days, fitting_rungs, generate_plan
from routines.plans.rules import ExerciseFacts, ItemFacts, fitted_days, week_summary

R, E, L, H = "rest", "easy", "long", "hard"

CALF = ExerciseFacts(
    id=1, name="Calf raise", regions=frozenset({"calf"}), sessions_per_week=3, calf_heavy=True
)
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
    calf_heavy=True,
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
    calf_heavy=True,
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
        {
            0: ["too-often"],
            2: ["too-often"],
            4: ["too-often"],
            6: ["calf-back-to-back", "too-often"],
        },
        id="four days of an exercise meant for three (Sunday, then Monday: back to back)",
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


# A ladder that loads no tendon hard: the experience alone sets the starting rung.
SQUAT_EASY = ExerciseFacts(id=30, name="Sit to stand", level=1, ladder=30, rung=0)
SQUAT_HARD = ExerciseFacts(id=31, name="Split squat", level=3, ladder=30, rung=1)
SQUAT_HARDEST = ExerciseFacts(id=32, name="Pistol squat", level=5, ladder=30, rung=2)


@pytest.mark.parametrize(
    ("experience", "chosen"),
    [("new", SQUAT_EASY), ("some", SQUAT_HARD), ("regular", SQUAT_HARDEST)],
)
def test_the_ladder_rung_fits_the_experience(experience, chosen):
    assert fitting_rungs([SQUAT_EASY, SQUAT_HARD, SQUAT_HARDEST], experience) == [chosen]


# Issue 24, point 7: "regular strength work" started the single-leg step drop (level 4)
# in week one. Tendon ladders start at level 3 or below, whatever the gym experience.
STEP_DROP_LADDER = [
    CALF_EASY,
    CALF_HARD,
    ExerciseFacts(
        id=40, name="Single-leg calf drop off a step", level=4, ladder=6, rung=2, calf_heavy=True
    ),
]
ABOVE_ONLY = [
    ExerciseFacts(id=41, name="Heavy heel drop", level=4, ladder=7, rung=0, calf_heavy=True),
    ExerciseFacts(id=42, name="Heavier heel drop", level=5, ladder=7, rung=1, calf_heavy=True),
]
LONE_HEAVY = ExerciseFacts(id=43, name="Loaded hop", level=5, calf_heavy=True)
LONE_LIGHT = ExerciseFacts(id=44, name="Toe spread", level=4)


@pytest.mark.parametrize(
    ("experience", "exercises", "chosen"),
    [
        ("regular", STEP_DROP_LADDER, [CALF_HARD]),
        ("some", STEP_DROP_LADDER, [CALF_HARD]),
        ("new", STEP_DROP_LADDER, [CALF_EASY]),
        ("regular", [CALF_EASY, CALF_HARD, CALF_HEAVY], [CALF_HARD]),
        # No calf-heavy rung low enough, on a ladder or alone: left out, not started high.
        ("regular", ABOVE_ONLY, []),
        ("regular", [LONE_HEAVY, LONE_LIGHT], [LONE_LIGHT]),
        ("new", [LONE_LIGHT], [LONE_LIGHT]),  # a light one keeps its old fallback
    ],
)
def test_tendon_ladders_start_at_level_3_or_below(experience, exercises, chosen):
    assert fitting_rungs(exercises, experience) == chosen
    assert all(e.level <= 3 for e in fitting_rungs(exercises, experience) if e.calf_heavy)


def test_the_reason_says_why_a_gym_regular_starts_tendon_work_lower():
    proposal = generate(
        experience="regular",
        exercises=STEP_DROP_LADDER,
        conditions={"achilles-tendinopathy": "Achilles tendinopathy"},
    )

    assert {p.exercise_id for p in proposal.placements} == {CALF_HARD.id}
    assert "tendon work starts at level 3 or below" in proposal.placements[0].reason


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

        heavy = {e.id for e in LIBRARY if e.calf_heavy}
        before_demanding = [d for d in range(7) if pattern[(d + 1) % 7] in (L, H)]
        assert any(proposal.days[d].placements for d in before_demanding)
        for weekday in before_demanding:
            assert not any(p.exercise_id in heavy for p in proposal.days[weekday].placements)
        assert any(p.exercise_id in heavy for p in proposal.placements)


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


# Issue 24, point 6: calf-heavy days spaced. The scenario: a generated week put the
# single-leg step drop and weighted soleus raises on Monday and Tuesday.
STEP_DROP = ExerciseFacts(
    id=20, name="Single-leg calf drop off a step", regions=frozenset({"calf"}), calf_heavy=True
)
SOLEUS_WEIGHTED = ExerciseFacts(
    id=21, name="Bent-knee soleus raise with weights", regions=frozenset({"calf"}), calf_heavy=True
)
# Region calf (the long toe flexors), but light: not calf-heavy.
TOWEL = ExerciseFacts(id=22, name="Towel scrunch", regions=frozenset({"calf", "foot"}))


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param(
            [(0, STEP_DROP), (1, SOLEUS_WEIGHTED)],
            {0: ["calf-back-to-back"]},
            id="step drop on Monday, weighted soleus on Tuesday",
        ),
        pytest.param(
            [(6, STEP_DROP), (0, SOLEUS_WEIGHTED)],
            {6: ["calf-back-to-back"]},
            id="Sunday, then Monday: the week wraps",
        ),
        pytest.param(
            [(0, STEP_DROP), (0, SOLEUS_WEIGHTED), (2, STEP_DROP), (4, SOLEUS_WEIGHTED)],
            {},
            id="a day between calf-heavy days is fine",
        ),
        pytest.param(
            [(0, STEP_DROP), (1, TOWEL), (1, SHIN)],
            {},
            id="towel scrunches and heel walks the day after are not calf-heavy",
        ),
    ],
)
def test_the_board_warns_about_back_to_back_calf_heavy_days(items, expected):
    days = week_summary(
        pattern=(R,) * 7,
        items=[ItemFacts(weekday, exercise, 60) for weekday, exercise in items],
        equipment_at_hand=frozenset(),
    )

    assert {d.weekday: kinds(days, d.weekday) for d in days if d.warnings} == expected
    for day in days:
        for warning in day.warnings:
            assert "48 hours" in warning.text
            assert all(e.name in warning.text for w, e in items if w == day.weekday)


def calf_heavy_days(proposal, heavy_ids):
    return sorted(
        d.weekday for d in proposal.days if any(p.exercise_id in heavy_ids for p in d.placements)
    )


@pytest.mark.parametrize(
    ("pattern", "sessions"),
    [
        ((R, R, E, E, R, L, R), 4),
        ((R, R, H, H, H, L, R), 3),  # only Sunday, Monday and Tuesday free: all adjacent
        ((E,) * 7, 4),
        ((R,) * 7, 4),
        ((R, E, R, E, R, L, R), 4),
        ((R, R, R, H, R, R, L), 4),
    ],
)
def test_the_generator_keeps_a_day_between_calf_heavy_days(pattern, sessions):
    library = [STEP_DROP, SOLEUS_WEIGHTED, TOWEL, TOES, SHIN, HIP]
    proposal = generate(pattern=pattern, sessions=sessions, exercises=library, minutes=30)

    heavy = {STEP_DROP.id, SOLEUS_WEIGHTED.id}
    days = calf_heavy_days(proposal, heavy)
    assert days  # the calf work still has a place in the week
    for day in days:
        assert (day + 1) % 7 not in days
    assert sum(len(d.placements) for d in proposal.days) > len(days)


def test_a_day_without_calf_work_next_to_a_calf_day_says_why():
    proposal = generate(
        pattern=(R, R, H, H, H, L, R), sessions=3, exercises=[STEP_DROP, TOES], minutes=30
    )

    assert names_on(proposal, 0) == ["Single-leg calf drop off a step", "Toe yoga"]
    assert names_on(proposal, 1) == names_on(proposal, 6) == ["Toe yoga"]
    assert "Monday loads the calves" in proposal.days[6].note  # the week wraps
    assert "48 hours" in proposal.days[6].note


# Issue 24, point 9: a starter plan's days fitted to the running week when copied. The
# scenario: calf loading on Friday before a Saturday long run.
MON_WED_FRI = {0: True, 2: True, 4: True}


def cyclic_gaps(days):
    days = sorted(days)
    return sorted((days[(i + 1) % len(days)] - day) % 7 or 7 for i, day in enumerate(days))


@pytest.mark.parametrize(
    ("days", "pattern", "expected"),
    [
        pytest.param(MON_WED_FRI, (R,) * 7, {0: 0, 2: 2, 4: 4}, id="a week of rest: nothing moves"),
        pytest.param(
            MON_WED_FRI, (R, E, R, E, R, R, L), {0: 0, 2: 2, 4: 4}, id="Sunday's long run: fine"
        ),
        pytest.param(
            MON_WED_FRI,
            (R, E, R, E, R, L, R),
            {0: 6, 2: 1, 4: 3},
            id="Saturday long run: one day earlier keeps the spacing and the long run free",
        ),
        pytest.param(
            MON_WED_FRI,
            (R, H, E, R, E, L, R),
            {0: 6, 2: 1, 4: 3},
            id="Tuesday hard, Saturday long: one day earlier, spacing exact",
        ),
        pytest.param(
            {0: False, 2: False, 4: False},
            (R, E, R, E, R, L, R),
            {0: 0, 2: 2, 4: 4},
            id="no calf-heavy day: nothing to move for",
        ),
        pytest.param(
            {1: False, 4: True},
            (R, R, R, R, R, L, R),
            {1: 0, 4: 3},
            id="only the calf-heavy day needs moving; the pair moves together",
        ),
    ],
)
def test_a_written_plans_days_fit_the_running_week(days, pattern, expected):
    fitted = fitted_days(days=days, pattern=pattern)

    assert fitted == expected
    heavy = [fitted[day] for day, calf in days.items() if calf]
    assert not [day for day in heavy if pattern[(day + 1) % 7] in (L, H)]
    assert not [day for day in heavy if (day + 1) % 7 in heavy]
    assert cyclic_gaps(fitted.values()) == cyclic_gaps(days)  # the spacing kept


def test_a_plan_without_calf_trouble_stays_as_written_even_beside_hard_days():
    # Foot work on a hard workout's day is no reason to move a whole plan.
    days = {0: False, 2: False, 4: False}

    assert fitted_days(days=days, pattern=(R, E, H, R, E, L, R)) == {0: 0, 2: 2, 4: 4}
