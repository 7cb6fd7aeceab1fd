"""The published ladders kept under the content version (exercises/published.py): the same
graph and the same equipment rule as the queries they stand for, and fresh after an edit."""

import pytest

from exercises.models import Equipment, Exercise, Progression, Status
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
