"""The published ladders kept under the content version (exercises/published.py): the same
graph and the same equipment rule as the queries they stand for, and fresh after an edit."""

import pytest

from exercises.models import Equipment, Exercise, ExerciseTip, Progression, Status, TipKind
from exercises.published import published_ladders

pytestmark = pytest.mark.django_db


def test_the_kept_ladders_are_the_ladder_query_and_its_equipment_rule(seeded_library):
    published = Exercise.objects.published()
    kept = published_ladders()
    assert kept == published_ladders()  # the second from the cache
    assert kept.graph == Progression.objects.between(published).graph()
    every = list(Equipment.objects.values_list("pk", flat=True))
    for have in ([], every[:1], every[:3], every):
        _, within = Progression.objects.between(published).graph_within(
            published.needing_only(have)
        )
        assert kept.usable_with(have) == within, have


def test_an_unpublished_rung_and_a_removed_step_leave_the_kept_ladders(exercise):
    weighted = exercise("calf-raise-weighted")
    assert weighted.pk in published_ladders().graph.levels
    weighted.status = Status.DRAFT
    weighted.save()
    assert weighted.pk not in published_ladders().graph.levels

    edge = Progression.objects.between(Exercise.objects.published()).first()
    edge.delete()
    assert (edge.easier_id, edge.harder_id) not in published_ladders().graph.edges


def test_the_kept_safety_tips_are_each_published_exercises_in_order_and_fresh_after_an_edit(
    seeded_library, exercise
):
    kept = published_ladders()
    for one in Exercise.objects.published():
        tips = one.tips.filter(kind=TipKind.SAFETY).order_by("order", "pk")
        assert kept.safety_tips_of(one.pk) == tuple(tips.values_list("text", flat=True))
    assert any(kept.safety_tips.values())

    step = exercise("calf-drop-step")
    tip = step.tips.filter(kind=TipKind.SAFETY).first()
    tip.text = "Stop if the Achilles aches the next morning."
    tip.save()
    assert tip.text in published_ladders().safety_tips_of(step.pk)
    ExerciseTip.objects.create(exercise=step, kind=TipKind.SAFETY, order=99, text="Last one.")
    assert published_ladders().safety_tips_of(step.pk)[-1] == "Last one."

    step.status = Status.DRAFT
    step.save()
    assert published_ladders().safety_tips_of(step.pk) is None  # asked for by the engine
