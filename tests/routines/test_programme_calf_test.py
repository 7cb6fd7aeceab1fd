"""Issue 24 point 15, in the generator: the calf test sets the starting rung of calf
ladders (fewer raises, a lower rung), and a weaker side is told to do an extra set."""

import pytest
from django.utils import timezone

from footcare.accounts.models import CalfRaiseTest

pytestmark = pytest.mark.django_db


def calf_levels(client):
    proposal = client.get("/plans/generate/", {"sessions": 3, "minutes": 30}).context["proposal"]
    from exercises.models import Exercise

    slugs = {p.slug for p in proposal.placements}
    heavy = Exercise.objects.filter(slug__in=slugs, calf_heavy=True)
    return proposal, {e.slug: e.level for e in heavy}


def record_calf_test(runner, left, right):
    CalfRaiseTest.objects.create(
        user=runner, tested_on=timezone.localdate(), surface="flat", left=left, right=right
    )


def test_without_a_test_tendon_ladders_start_at_level_3_at_most(runner_client, gym_runner):
    _, levels = calf_levels(runner_client)
    assert levels and max(levels.values()) == 3


def test_fewer_raises_start_calf_ladders_lower(runner_client, gym_runner):
    record_calf_test(gym_runner, 15, 16)
    proposal, levels = calf_levels(runner_client)
    assert levels and max(levels.values()) <= 2
    assert any("your calf test (15 raises" in p.reason for p in proposal.placements)


def test_very_few_raises_leave_out_calf_heavy_work_and_keep_the_raise_on_both_feet(
    runner_client, gym_runner
):
    record_calf_test(gym_runner, 7, 9)
    proposal, levels = calf_levels(runner_client)
    assert levels == {}
    assert "calf-raise-both-feet" in {p.slug for p in proposal.placements}


def test_a_weaker_side_over_ten_percent_gets_an_extra_set(runner_client, gym_runner):
    record_calf_test(gym_runner, 30, 24)  # the right 20 % fewer
    proposal, levels = calf_levels(runner_client)
    per_side_heavy = [p for p in proposal.placements if p.slug in levels and p.per_side]
    assert per_side_heavy
    assert all("one extra set on your right leg" in p.reason for p in per_side_heavy)
    page = runner_client.get("/plans/generate/").content.decode()
    assert "calf test</a> of" in page
