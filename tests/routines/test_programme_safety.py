"""Issue 24 (programme safety), each point's scenario run on the seeded library."""

from uuid import uuid4

import pytest

from exercises.models import Exercise
from footcare.accounts.models import RunnerProfile
from routines.plans.facts import library_facts
from routines.plans.rules import DAY_NAMES
from routines.plans.services import starter_days_fitted

pytestmark = pytest.mark.django_db


# Point 6 -----------------------------------------------------------------------------------


def test_calf_heavy_is_the_exercises_own_field_not_its_muscles_region(seeded_library):
    heavy = set(Exercise.objects.filter(calf_heavy=True).values_list("slug", flat=True))
    facts = {fact.slug: fact for fact in library_facts()}

    # A calf muscle (the long toe flexors) is primary for towel scrunches: still not heavy.
    assert "calf" in facts["towel-scrunch"].regions and not facts["towel-scrunch"].calf_heavy
    assert {"calf-drop-step-single-leg", "soleus-raise-weighted", "calf-raise-weighted"} <= heavy
    # The generator's facts leave out what only a side branch reaches (a step drop).
    assert {slug for slug, fact in facts.items() if fact.calf_heavy} == heavy & facts.keys()


@pytest.mark.parametrize(
    "week",
    [
        # Every day free but Saturday's long run: the scenario's Monday and Tuesday are free.
        {"tuesday": "rest", "wednesday": "rest", "friday": "rest"},
        {"tuesday": "easy", "wednesday": "hard", "thursday": "hard", "friday": "hard"},
    ],
)
def test_a_generated_week_keeps_a_day_between_calf_heavy_days(runner_client, gym_runner, week):
    RunnerProfile.objects.filter(user=gym_runner).update(**week)

    proposal = runner_client.get("/plans/generate/?sessions=4&minutes=30").context["proposal"]

    heavy = set(Exercise.objects.filter(calf_heavy=True).values_list("pk", flat=True))
    days = [d.weekday for d in proposal.days if {p.exercise_id for p in d.placements} & heavy]
    assert days
    assert not [day for day in days if (day + 1) % 7 in days]


# Point 7 -----------------------------------------------------------------------------------


def test_gym_experience_with_achilles_ticked_starts_tendon_ladders_at_level_3(
    runner_client, gym_runner
):
    proposal = runner_client.get("/plans/generate/?sessions=4&minutes=30").context["proposal"]

    placed = Exercise.objects.filter(pk__in={p.exercise_id for p in proposal.placements})
    assert "calf-drop-step-single-leg" not in {e.slug for e in placed}
    assert placed.filter(calf_heavy=True).exists()
    assert not placed.filter(calf_heavy=True, level__gt=3).exists()
    # Harder work that loads no tendon still follows the experience.
    assert placed.filter(calf_heavy=False, level__gt=3).exists()


# Point 5 -----------------------------------------------------------------------------------


@pytest.fixture
def calf_capacity(seeded_library):
    from routines.plans.models import StarterPlan
    from routines.plans.starter_content import read_starter_plans, starter_plans_seed

    starter_plans_seed(data=read_starter_plans())
    return StarterPlan.objects.get(slug="calf-capacity-achilles")


def test_the_step_drop_starts_at_the_librarys_dose_with_a_note_that_agrees_with_its_steps(
    calf_capacity,
):
    drop = calf_capacity.items.select_related("exercise").get(
        exercise__slug="calf-drop-step-single-leg"
    )
    exercise = drop.exercise

    assert (drop.sets, drop.reps, drop.hold_seconds, drop.per_side) == (
        exercise.dose_sets,
        exercise.dose_reps,
        exercise.dose_hold_seconds,
        exercise.dose_per_side,
    )
    steps = " ".join(exercise.steps.values_list("text", flat=True))
    assert "on the working foot" in steps and "on the working foot" in drop.load_note
    assert "both feet" not in drop.load_note
    # The library's own words: only once the weighted single-leg raise feels easy.
    assert "weighted single-leg raise feels easy" in exercise.why_it_matters
    assert "weighted raise feels easy" in drop.load_note


def test_alfredsons_bent_knee_half_is_in_the_plan_cited_and_at_a_cautious_dose(calf_capacity):
    wednesday = calf_capacity.items.filter(weekday=2).select_related("exercise")
    bent = wednesday.get(exercise__slug="calf-drop-step-bent-knee")

    assert bent.exercise.calf_heavy and bent.exercise.status == "published"
    assert list(bent.exercise.sources.values_list("key", flat=True)) == ["alfredson-1998"]
    assert (bent.sets, bent.reps, bent.per_side) == (
        bent.exercise.dose_sets,
        bent.exercise.dose_reps,
        True,
    )
    straight = wednesday.get(exercise__slug="calf-drop-step-single-leg")
    assert (bent.sets, bent.reps) == (straight.sets, straight.reps)
    # The study's twice a day, and the plan's once a week, said in the plan itself.
    assert "twice a day" in calf_capacity.description
    assert "once a week" in calf_capacity.description


# Point 9 -----------------------------------------------------------------------------------


def test_a_copied_starter_fits_the_runners_week_and_says_what_moved(
    runner_client, runner, calf_capacity
):
    # Ada's week: Tuesday hard, Saturday long. As written, the plan loads the calves on
    # Monday (before the hard workout) and Friday (before the long run).
    written = sorted(set(calf_capacity.items.values_list("weekday", flat=True)))
    token = "0b7c5a4e-6f0e-4d43-9a53-1f1f7f0c2b11"

    first = runner_client.post(f"/plans/starters/{calf_capacity.slug}/copy/", {"token": token})
    runner_client.post(f"/plans/starters/{calf_capacity.slug}/copy/", {"token": token})

    plan = runner.weekly_plans.get()  # the same POST twice made one plan
    pattern = [str(run) for run in RunnerProfile.objects.get(user=runner).weekly_pattern]
    heavy = sorted(
        set(plan.items.filter(exercise__calf_heavy=True).values_list("weekday", flat=True))
    )
    assert heavy and not [d for d in heavy if pattern[(d + 1) % 7] in ("long", "hard")]
    assert not [d for d in heavy if (d + 1) % 7 in heavy]
    copied = sorted(set(plan.items.values_list("weekday", flat=True)))
    assert gaps(copied) == gaps(written)  # the plan's spacing kept
    assert plan.items.count() == calf_capacity.items.count()

    board = runner_client.get(first["Location"])
    page = board.content.decode()
    assert "plan-warning-calf-before-run" not in page
    assert "plan-warning-calf-back-to-back" not in page
    assert "fitted to your running week" in page
    # Each move named: the day as written, the day in the copy.
    moves = starter_days_fitted(starter=calf_capacity, pattern=pattern)
    assert moves[4] != 4  # Friday, before the long run, moved
    for old, new in moves.items():
        if old != new:
            assert f"{DAY_NAMES[old]}’s session to {DAY_NAMES[new]}" in page


def test_a_week_that_already_suits_the_plan_moves_nothing(runner_client, runner, calf_capacity):
    RunnerProfile.objects.filter(user=runner).update(tuesday="easy", saturday="rest", sunday="long")

    runner_client.post(f"/plans/starters/{calf_capacity.slug}/copy/", {"token": str(uuid4())})

    plan = runner.weekly_plans.get()
    assert sorted(plan.items.values_list("weekday", "position", "exercise_id")) == sorted(
        calf_capacity.items.values_list("weekday", "position", "exercise_id")
    )
    page = runner_client.get(plan.get_absolute_url()).content.decode()
    assert "Its days already suit your running week." in page


def gaps(days):
    return sorted((days[(i + 1) % len(days)] - day) % 7 or 7 for i, day in enumerate(days))


def test_the_migration_marks_the_content_files_calf_heavy_exercises(seeded_library):
    # A database that held the library before the field: every row False, as AddField
    # leaves it; `make run` keeps existing rows, so the migration must set them.
    from importlib import import_module

    from django.apps import apps

    migration = import_module("exercises.migrations.0007_exercise_calf_heavy")
    Exercise.objects.update(calf_heavy=False)

    migration.mark_tendon_loading(apps, None)

    in_file = {e["slug"] for e in seeded_library["exercises"] if e["calf_heavy"]}
    marked = set(Exercise.objects.filter(calf_heavy=True).values_list("slug", flat=True))
    # The bent-knee drop and Rathleff's raise came later with their own rows (make run adds
    # new exercises whole).
    assert marked == in_file - {"calf-drop-step-bent-knee", "plantar-heel-raise"}
