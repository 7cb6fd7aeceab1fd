"""The database itself refuses rows that break the library's rules (on SQLite and PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from exercises.models import (
    Exercise,
    ExerciseCondition,
    ExerciseMuscle,
    ExerciseSource,
    ExerciseStep,
    ExerciseTip,
    Muscle,
    Progression,
    Source,
    publication_gaps,
)
from exercises.search import search_exercises

pytestmark = pytest.mark.django_db


def refused_by_database(save) -> bool:
    """True when the database raises IntegrityError; the savepoint keeps the test usable."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"level": 0}, id="level below 1"),
        pytest.param({"level": 6}, id="level above 5"),
        pytest.param({"dose_sets": 0}, id="no sets"),
        pytest.param({"dose_reps": 0}, id="zero reps"),
        pytest.param({"dose_hold_seconds": 0}, id="zero-second hold"),
        pytest.param({"dose_reps": None, "dose_duration_seconds": 0}, id="zero duration"),
        pytest.param({"dose_sessions_per_week": 0}, id="no sessions a week"),
        pytest.param({"dose_sessions_per_week": 8}, id="eight sessions a week"),
        pytest.param({"dose_reps": 10, "dose_duration_seconds": 30}, id="reps and duration"),
        pytest.param({"dose_reps": None, "dose_duration_seconds": None}, id="neither"),
        pytest.param(
            {"dose_reps": None, "dose_duration_seconds": 30, "dose_hold_seconds": 5},
            id="hold without reps",
        ),
        pytest.param({"status": "archived"}, id="unknown status"),
        pytest.param({"position": "lying"}, id="unknown position"),
        pytest.param({"laterality": "hands"}, id="unknown laterality"),
    ],
)
def test_exercise_dose_and_choices_are_checked_by_the_database(make_exercise, fields):
    exercise = make_exercise()
    for name, value in fields.items():
        setattr(exercise, name, value)

    assert refused_by_database(exercise.save)
    # The same rules reach an editor as form errors rather than a crash.
    with pytest.raises(ValidationError):
        exercise.full_clean()


def test_valid_doses_are_accepted(make_exercise):
    timed = make_exercise(dose_reps=None, dose_duration_seconds=60, dose_sets=3)
    held = make_exercise(dose_reps=10, dose_hold_seconds=20, dose_per_side=True)

    timed.full_clean()
    held.full_clean()
    assert Exercise.objects.filter(pk__in=[timed.pk, held.pk]).count() == 2


def test_exercise_slugs_and_names_are_unique(make_exercise):
    make_exercise(slug="calf-raise", name="Calf raise")

    assert refused_by_database(lambda: make_exercise(slug="calf-raise"))
    assert refused_by_database(lambda: make_exercise(name="Calf raise"))


def test_muscle_condition_equipment_and_source_slugs_are_unique(
    make_muscle, make_condition, make_equipment
):
    make_muscle(slug="soleus")
    make_condition(slug="shin-splints")
    make_equipment(slug="step")
    Source.objects.create(key="article", title="A", publisher="P")

    assert refused_by_database(lambda: make_muscle(slug="soleus"))
    assert refused_by_database(lambda: make_condition(slug="shin-splints"))
    assert refused_by_database(lambda: make_equipment(slug="step"))
    assert refused_by_database(
        lambda: Source.objects.create(key="article", title="B", publisher="Q")
    )


def test_muscle_region_is_one_of_the_four(make_muscle):
    assert refused_by_database(lambda: make_muscle(region="neck"))


def test_an_exercise_lists_a_muscle_condition_or_source_once(
    make_exercise, make_muscle, make_condition
):
    exercise, muscle, condition = make_exercise(), make_muscle(), make_condition()
    source = Source.objects.create(key="s", title="T", publisher="P")
    ExerciseMuscle.objects.create(exercise=exercise, muscle=muscle, role="primary")
    ExerciseCondition.objects.create(exercise=exercise, condition=condition, note="n")
    ExerciseSource.objects.create(exercise=exercise, source=source)

    assert refused_by_database(
        lambda: ExerciseMuscle.objects.create(exercise=exercise, muscle=muscle, role="secondary")
    )
    assert refused_by_database(
        lambda: ExerciseCondition.objects.create(exercise=exercise, condition=condition, note="x")
    )
    assert refused_by_database(
        lambda: ExerciseSource.objects.create(exercise=exercise, source=source)
    )


def test_muscle_role_and_tip_kind_are_checked(make_exercise, make_muscle):
    exercise, muscle = make_exercise(), make_muscle()

    assert refused_by_database(
        lambda: ExerciseMuscle.objects.create(exercise=exercise, muscle=muscle, role="main")
    )
    assert refused_by_database(
        lambda: ExerciseTip.objects.create(exercise=exercise, kind="trivia", text="t")
    )
    assert refused_by_database(
        lambda: ExerciseStep.objects.create(exercise=exercise, number=0, text="t")
    )


def test_a_progression_never_points_at_its_own_exercise(make_exercise):
    exercise = make_exercise()

    assert refused_by_database(
        lambda: Progression.objects.create(easier=exercise, harder=exercise, note="n")
    )


def test_a_progression_edge_exists_once(make_exercise):
    easy, hard = make_exercise(), make_exercise()
    Progression.objects.create(easier=easy, harder=hard, note="n")

    assert refused_by_database(
        lambda: Progression.objects.create(easier=easy, harder=hard, note="again")
    )


def test_a_progression_that_would_close_a_loop_is_invalid(make_exercise):
    a, b, c = make_exercise(), make_exercise(), make_exercise()
    Progression.objects.create(easier=a, harder=b, note="up")
    Progression.objects.create(easier=b, harder=c, note="up")

    with pytest.raises(ValidationError, match="loop"):
        Progression(easier=c, harder=a, note="back down").full_clean()
    Progression(easier=a, harder=c, note="a shortcut up is fine").full_clean()


def test_muscles_in_use_cannot_be_deleted_from_under_an_exercise(make_exercise, make_muscle):
    exercise, muscle = make_exercise(), make_muscle()
    ExerciseMuscle.objects.create(exercise=exercise, muscle=muscle)

    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        muscle.delete()
    exercise.delete()
    muscle.delete()
    assert not Muscle.objects.exists()


def test_published_and_visible_to(make_exercise, django_user_model):
    published = make_exercise(status="published")
    draft = make_exercise(status="draft")
    runner = django_user_model(email="r@example.com", is_staff=False)
    staff = django_user_model(email="s@example.com", is_staff=True)

    assert list(Exercise.objects.published()) == [published]
    assert set(Exercise.objects.visible_to(runner)) == {published}
    assert set(Exercise.objects.visible_to(staff)) == {published, draft}


def test_search_needs_every_word_in_the_name_or_summary(make_exercise):
    raise_ = make_exercise(name="Single-leg calf raise", summary="One foot.")
    walk = make_exercise(name="Heel walk", summary="Walk on your heels.")

    assert list(search_exercises(Exercise.objects.all(), "CALF")) == [raise_]
    assert list(search_exercises(Exercise.objects.all(), "single leg")) == [raise_]
    assert list(search_exercises(Exercise.objects.all(), "heels")) == [walk]
    assert list(search_exercises(Exercise.objects.all(), "calf heels")) == []


@pytest.mark.parametrize(
    ("parts", "gaps"),
    [
        (
            {"steps": [], "tips": [], "muscles": [], "sources": []},
            ["its steps", "a safety tip", "a primary muscle", "a cited source"],
        ),
        (
            {"steps": ["Stand."], "tips": ["cue"], "muscles": ["secondary"], "sources": ["x"]},
            ["a safety tip", "a primary muscle"],
        ),
        ({"steps": ["Stand."], "tips": ["safety"], "muscles": ["primary"], "sources": ["x"]}, []),
        # A part not given is not checked: an admin inline asks about its own rows only.
        ({"tips": ["cue", "safety"]}, []),
        ({"sources": []}, ["a cited source"]),
    ],
)
def test_one_publication_rule(parts, gaps):
    assert publication_gaps(**parts) == gaps


def test_the_publication_rule_has_no_unknown_parts():
    with pytest.raises(TypeError, match="no publication rule for videos"):
        publication_gaps(videos=[])


def test_ladder_edges_are_one_ladder_in_one_query(make_exercise, django_assert_num_queries):
    a, b, c, lone_up, lone = (make_exercise() for _ in range(5))
    Progression.objects.create(easier=a, harder=b, note="Up.")
    Progression.objects.create(easier=b, harder=c, note="Up.")
    Progression.objects.create(easier=lone_up, harder=lone, note="Elsewhere.")

    with django_assert_num_queries(1):
        edges = Progression.objects.ladder_edges(c)

    assert sorted(edges) == sorted([(a.pk, b.pk), (b.pk, c.pk)])
    assert Progression.objects.ladder_edges(make_exercise()) == []
