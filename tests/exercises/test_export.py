"""`export_library` writes the content file's format, and curated content round-trips."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from exercises.content.file import CONTENT_FILE, parse_library, render_library
from exercises.models import (
    Condition,
    Equipment,
    Exercise,
    ExerciseMuscle,
    ExerciseSource,
    ExerciseStep,
    ExerciseTip,
    Muscle,
    Progression,
    Source,
)

pytestmark = pytest.mark.django_db


def export() -> str:
    out = io.StringIO()
    call_command("export_library", stdout=out)
    return out.getvalue()


def empty_the_library() -> None:
    # Children first: muscles, conditions and sources are protected while in use.
    Exercise.objects.all().delete()
    for model in (Muscle, Condition, Equipment, Source):
        model.objects.all().delete()


def test_export_load_into_an_empty_database_export_again_gives_identical_bytes(
    seeded_library, tmp_path
):
    first = export()
    empty_the_library()
    assert not Exercise.objects.exists()
    path = tmp_path / "exported.yaml"
    path.write_text(first, encoding="utf-8")

    call_command("seed_library", file=path, stdout=io.StringIO())
    second = export()

    assert second == first
    assert Exercise.objects.count() == 25


def test_the_committed_file_is_in_canonical_form(seeded_library):
    # So that an edit made in the admin and exported shows up as just that edit in review.
    assert export() == CONTENT_FILE.read_text(encoding="utf-8"), (
        "exercises/content/library.yaml is not what export_library writes: run "
        "`manage.py seed_library && manage.py export_library -o exercises/content/library.yaml`"
    )


def test_admin_curated_content_round_trips(seeded_library, make_exercise, tmp_path):
    draft = make_exercise(
        slug="ankle-circles",
        name='Ankle circles, "slow" \\ steady',
        status="draft",
        summary="Circle the ankle — both ways.\nThen rest.",
        dose_reps=None,
        dose_duration_seconds=45,
        dose_note="null",
    )
    ExerciseStep.objects.create(exercise=draft, number=1, text="Sit: then circle\u2028slowly.")
    ExerciseTip.objects.create(exercise=draft, kind="safety", text="Stop on sharp pain.")
    ExerciseMuscle.objects.create(
        exercise=draft, muscle=Muscle.objects.get(slug="tibialis-anterior"), role="primary"
    )
    ExerciseSource.objects.create(
        exercise=draft, source=Source.objects.get(key="hinge-health-2025")
    )
    draft.equipment.add(Equipment.objects.create(slug="null", name="Nothing, spelt oddly"))
    Progression.objects.create(
        easier=draft, harder=Exercise.objects.get(slug="heel-walk"), note="Stand up and walk."
    )
    first = export()
    parsed = parse_library(first)
    assert next(e for e in parsed["exercises"] if e["slug"] == "ankle-circles")["name"] == (
        'Ankle circles, "slow" \\ steady'
    )

    output = tmp_path / "library.yaml"
    empty_the_library()
    output.write_text(first, encoding="utf-8")
    call_command("seed_library", file=output, stdout=io.StringIO())
    call_command("export_library", output=output, stderr=io.StringIO())

    assert output.read_text(encoding="utf-8") == first
    restored = Exercise.objects.get(slug="ankle-circles")
    assert restored.is_draft
    assert restored.summary == "Circle the ankle — both ways.\nThen rest."
    assert restored.steps.get().text == "Sit: then circle\u2028slowly."
    assert list(restored.equipment.values_list("slug", flat=True)) == ["null"]


def test_an_empty_library_exports_a_loadable_file():
    text = export()

    assert parse_library(text) == {
        "sources": [],
        "equipment": [],
        "muscles": [],
        "conditions": [],
        "exercises": [],
        "progressions": [],
    }


def test_rendering_is_what_parsing_reads(content_file_data):
    assert parse_library(render_library(content_file_data)) == content_file_data


def test_export_to_a_file_replaces_it_whole(seeded_library, tmp_path: Path):
    target = tmp_path / "out.yaml"
    target.write_text("old content that is longer than nothing" * 1000)

    call_command("export_library", output=target, stderr=io.StringIO())

    assert target.read_text(encoding="utf-8") == export()
    assert list(tmp_path.iterdir()) == [target], "no temporary file left behind"
