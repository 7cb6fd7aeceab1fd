"""`seed_library`: loads the content file, again and again, without duplicating anything."""

import copy
import io
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from exercises.content.file import CONTENT_FILE, LibraryFileError, parse_library, render_library
from exercises.models import (
    Condition,
    Equipment,
    Exercise,
    ExerciseCondition,
    ExerciseMuscle,
    ExerciseSource,
    ExerciseStep,
    ExerciseTip,
    Muscle,
    Progression,
    Source,
)

pytestmark = pytest.mark.django_db

ALL_MODELS = (
    Source,
    Equipment,
    Muscle,
    Condition,
    Exercise,
    ExerciseStep,
    ExerciseTip,
    ExerciseMuscle,
    ExerciseCondition,
    ExerciseSource,
    Progression,
    Exercise.equipment.through,
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def seed(path: Path = CONTENT_FILE, **options) -> str:
    out = io.StringIO()
    call_command("seed_library", file=path, stdout=out, **options)
    return out.getvalue()


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "library.yaml"
    path.write_text(render_library(data), encoding="utf-8")
    return path


def test_first_run_creates_the_library_and_says_how_much(content_file_data):
    output = seed()

    assert "exercises: 25 created, 0 updated, 0 unchanged" in output
    assert "progressions: 16 created, 0 updated, 0 unchanged, 0 removed" in output
    assert Exercise.objects.count() == len(content_file_data["exercises"]) == 25
    assert Exercise.objects.published().count() == 25
    counts = row_counts()
    assert counts["ExerciseStep"] == sum(len(e["steps"]) for e in content_file_data["exercises"])
    assert counts["ExerciseMuscle"] == sum(
        len(e["muscles"]) for e in content_file_data["exercises"]
    )


def test_a_second_run_changes_nothing():
    seed()
    before = row_counts()
    stamps = dict(Exercise.objects.values_list("slug", "updated_at"))
    step_ids = set(ExerciseStep.objects.values_list("pk", flat=True))

    output = seed()

    assert "The library already matches" in output
    assert "exercises: 0 created, 0 updated, 25 unchanged" in output
    assert "progressions: 0 created, 0 updated, 16 unchanged, 0 removed" in output
    assert row_counts() == before
    assert dict(Exercise.objects.values_list("slug", "updated_at")) == stamps
    assert set(ExerciseStep.objects.values_list("pk", flat=True)) == step_ids


def test_an_edited_file_updates_rows_in_place(seeded_library, tmp_path):
    data = copy.deepcopy(seeded_library)
    toe_spread = next(e for e in data["exercises"] if e["slug"] == "toe-spread")
    toe_spread["name"] = "Toe spread (seated)"
    toe_spread["dose"]["hold_seconds"] = 8
    toe_spread["steps"][1] = "Fan the toes of one foot out, slowly and as wide as you can."
    del toe_spread["steps"][-1]
    toe_spread["tips"].append({"kind": "cue", "text": "Breathe out as you spread."})
    toe_spread["muscles"] = [{"muscle": "abductor-hallucis", "role": "secondary"}] + [
        link for link in toe_spread["muscles"] if link["muscle"] != "abductor-hallucis"
    ]
    toe_spread["conditions"] = toe_spread["conditions"][:1]
    toe_spread["sources"] = ["cherrywood-foot-care"]
    toe_spread["equipment"] = ["towel"]
    data["muscles"][0]["description"] = "Reworded."
    edge = next(p for p in data["progressions"] if p["from"] == "toe-spread")
    edge["note"] = "A band adds resistance."
    data["progressions"] = [p for p in data["progressions"] if p["from"] != "towel-scrunch"]
    before = row_counts()
    exercise_id = Exercise.objects.get(slug="toe-spread").pk

    output = seed(write(tmp_path, data))

    assert "exercises: 0 created, 1 updated, 24 unchanged" in output
    assert "muscles: 0 created, 1 updated, 12 unchanged" in output
    assert "progressions: 0 created, 1 updated, 14 unchanged, 1 removed" in output
    exercise = Exercise.objects.get(slug="toe-spread")
    assert exercise.pk == exercise_id, "updated in place, not replaced"
    assert exercise.name == "Toe spread (seated)"
    assert exercise.dose_hold_seconds == 8
    assert [s.text for s in exercise.steps.all()] == toe_spread["steps"]
    assert [s.number for s in exercise.steps.all()] == [1, 2, 3]
    assert [(t.kind, t.text) for t in exercise.tips.all()][-1] == (
        "cue",
        "Breathe out as you spread.",
    )
    assert dict(exercise.muscle_links.values_list("muscle__slug", "role")) == {
        "abductor-hallucis": "secondary",
        "intrinsic-foot-muscles": "primary",
    }
    assert exercise.condition_links.count() == 1
    assert list(exercise.sources.values_list("key", flat=True)) == ["cherrywood-foot-care"]
    assert list(exercise.equipment.values_list("slug", flat=True)) == ["towel"]
    assert not Progression.objects.filter(easier__slug="towel-scrunch").exists()
    assert Progression.objects.get(easier__slug="toe-spread").note == "A band adds resistance."
    after = row_counts()
    assert after["Exercise"] == before["Exercise"]
    assert after["ExerciseStep"] == before["ExerciseStep"] - 1
    assert after["ExerciseTip"] == before["ExerciseTip"] + 1
    assert after["Progression"] == before["Progression"] - 1
    # And once more: the edited file is now what the database holds.
    assert "The library already matches" in seed(write(tmp_path, data))


def test_a_new_exercise_in_the_file_is_added_once(seeded_library, tmp_path):
    data = copy.deepcopy(seeded_library)
    new = copy.deepcopy(data["exercises"][0])
    new.update(slug="calf-raise-tempo", name="Calf raise, slow lowering")
    data["exercises"].append(new)
    data["progressions"].append(
        {"from": "calf-raise-both-feet", "to": "calf-raise-tempo", "note": "Slower."}
    )
    path = write(tmp_path, data)

    seed(path)
    seed(path)

    assert Exercise.objects.filter(slug="calf-raise-tempo").count() == 1
    assert Exercise.objects.count() == 26
    assert ExerciseStep.objects.filter(exercise__slug="calf-raise-tempo").count() == len(
        new["steps"]
    )
    assert Progression.objects.filter(harder__slug="calf-raise-tempo").count() == 1


def test_only_new_keeps_what_editors_changed_and_adds_what_is_missing(seeded_library, tmp_path):
    # An editor pulls an exercise back to draft, rewords it, drops a step and a ladder edge.
    toe_walk = Exercise.objects.get(slug="toe-walk")
    toe_walk.status = "draft"
    toe_walk.summary = "Edited in the admin."
    toe_walk.save()
    toe_walk.steps.last().delete()
    Progression.objects.filter(easier__slug="toe-spread").delete()
    Muscle.objects.filter(slug="soleus").update(description="Edited too.")
    # Meanwhile the content file gains an exercise on an existing ladder.
    data = copy.deepcopy(seeded_library)
    new = copy.deepcopy(next(e for e in data["exercises"] if e["slug"] == "toe-walk"))
    new.update(slug="toe-walk-uphill", name="Toe walk uphill")
    data["exercises"].append(new)
    data["progressions"].append({"from": "toe-walk", "to": "toe-walk-uphill", "note": "Uphill."})
    before = row_counts()

    output = seed(write(tmp_path, data), only_new=True)

    assert "exercises: 1 created, 0 updated, 0 unchanged, 25 kept" in output
    assert "progressions: 1 created, 0 updated, 0 unchanged, 0 removed" in output
    toe_walk.refresh_from_db()
    assert (toe_walk.status, toe_walk.summary) == ("draft", "Edited in the admin.")
    assert toe_walk.steps.count() == len(new["steps"]) - 1
    assert not Progression.objects.filter(easier__slug="toe-spread").exists()
    assert Muscle.objects.get(slug="soleus").description == "Edited too."
    assert Progression.objects.filter(easier=toe_walk, harder__slug="toe-walk-uphill").exists()
    assert row_counts()["Exercise"] == before["Exercise"] + 1
    # A second start adds nothing more.
    assert "exercises: 0 created, 0 updated, 0 unchanged, 26 kept" in seed(
        write(tmp_path, data), only_new=True
    )


def test_only_new_on_an_empty_database_loads_everything():
    output = seed(only_new=True)

    assert "exercises: 25 created" in output
    assert Progression.objects.count() == 16


def test_exercises_written_in_the_admin_are_left_alone(seeded_library, make_exercise):
    own = make_exercise(slug="admin-only", name="Written in the admin", status="draft")

    output = seed()

    assert "The library already matches" in output
    assert Exercise.objects.filter(pk=own.pk).exists()


def test_a_bad_file_changes_nothing_and_says_where(seeded_library, tmp_path):
    data = copy.deepcopy(seeded_library)
    data["exercises"][0]["name"] = "Renamed before the bad row"
    data["exercises"][3]["muscles"].append({"muscle": "biceps", "role": "primary"})
    data["exercises"][4]["level"] = 9
    before = row_counts()

    with pytest.raises(CommandError) as raised:
        seed(write(tmp_path, data))

    message = str(raised.value)
    assert "nothing changed" in message
    assert f"exercises[3] ({data['exercises'][3]['slug']}).muscles: 'biceps'" in message
    assert Exercise.objects.filter(name="Renamed before the bad row").count() == 0
    assert row_counts() == before


def test_model_rules_are_reported_and_roll_everything_back(seeded_library, tmp_path):
    data = copy.deepcopy(seeded_library)
    data["exercises"][0]["name"] = "Renamed before the bad row"
    data["exercises"][5]["level"] = 9
    data["exercises"][4]["dose"]["duration_seconds"] = 30  # as well as reps

    with pytest.raises(CommandError) as raised:
        seed(write(tmp_path, data))

    message = str(raised.value)
    assert f"exercises[5] ({data['exercises'][5]['slug']}).level:" in message
    assert "Give reps or a duration, not both." in message
    assert not Exercise.objects.filter(name="Renamed before the bad row").exists()


def test_a_published_exercise_must_be_complete(seeded_library, tmp_path):
    data = copy.deepcopy(seeded_library)
    exercise = data["exercises"][2]
    exercise["tips"] = [tip for tip in exercise["tips"] if tip["kind"] != "safety"]
    exercise["sources"] = []

    with pytest.raises(CommandError) as raised:
        seed(write(tmp_path, data))

    assert "a published exercise needs a safety tip" in str(raised.value)
    assert "exercises[2] (calf-raise): a published exercise needs a cited source" in str(
        raised.value
    )

    exercise["status"] = "draft"
    seed(write(tmp_path, data))
    assert Exercise.objects.get(slug=exercise["slug"]).is_draft


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("exercises: [", "not valid YAML"),
        ("- just a list", "expected the sections"),
        (
            "sources: []\nequipment: []\nmuscles: []\nconditions: []\nexercises: []\n",
            "progressions: missing",
        ),
    ],
)
def test_malformed_files_are_refused(tmp_path, text, problem):
    path = tmp_path / "library.yaml"
    path.write_text(text)

    with pytest.raises(CommandError, match=problem):
        seed(path)


def test_progressions_that_loop_are_refused(seeded_library, tmp_path):
    data = copy.deepcopy(seeded_library)
    data["progressions"].append(
        {"from": "calf-raise-weighted", "to": "calf-raise-both-feet", "note": "Back down."}
    )

    with pytest.raises(CommandError, match="a ladder goes round in a loop: calf-"):
        seed(write(tmp_path, data))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No content file"):
        seed(tmp_path / "nowhere.yaml")


def _break(data: dict, change) -> str:
    data = copy.deepcopy(data)
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda d: d["exercises"][3]["dose"].update(sets="two"),
            "exercises[3] (calf-raise-weighted).dose.sets: Input should be a valid integer, "
            "got 'two'",
        ),
        (
            lambda d: d["exercises"][3].update(level=True),
            "exercises[3] (calf-raise-weighted).level: Input should be a valid integer, got True",
        ),
        (
            lambda d: d["exercises"][5].update(position="upside-down"),
            "exercises[5] (calf-drop-step-single-leg).position: Input should be 'standing', "
            "'seated' or 'walking', got 'upside-down'",
        ),
        (
            lambda d: d["exercises"][10].update(colour="red"),
            "exercises[10] (toe-spread).colour: unknown key",
        ),
        (
            lambda d: d["exercises"][11].pop("summary"),
            "exercises[11] (toe-spread-band).summary: missing",
        ),
        (
            lambda d: d["exercises"][12]["steps"].append("  "),
            "exercises[12] (toe-yoga).steps[5]: expected a line of text",
        ),
        (
            lambda d: d["sources"][0].update(published="soon"),
            "sources[0] (alfredson-1998).published: Input should be a valid date, got 'soon'",
        ),
        (
            lambda d: d["muscles"].append(dict(d["muscles"][0])),
            "muscles[13] (abductor-hallucis): slug appears twice",
        ),
        (
            lambda d: d["progressions"][0].update(to="nowhere"),
            "progressions[0] (calf-drop-step -> nowhere).to: no exercise 'nowhere' in this file",
        ),
    ],
)
def test_every_problem_names_its_place_in_the_file(content_file_data, change, problem):
    with pytest.raises(LibraryFileError) as raised:
        parse_library(_break(content_file_data, change))

    assert problem in raised.value.problems
