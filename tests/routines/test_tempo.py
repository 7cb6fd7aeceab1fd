"""Today's timer keeps the pace each exercise's steps tell: Rathleff's raise is three seconds
up and three down, the two-footed raise lowers over two, the rest two up and three down."""

import copy

import pytest
import yaml
from django.core.exceptions import ValidationError

from exercises.content.file import LibraryFileError, parse_library
from routines.plans.models import WeeklyPlan
from tests.conftest import add_item


def test_the_seeded_pace_is_the_one_each_exercise_s_steps_tell(exercise):
    rathleff = exercise("plantar-heel-raise")
    assert (rathleff.rise_seconds, rathleff.lower_seconds) == (3, 3)
    assert "Rise on that foot over three seconds" in " ".join(s.text for s in rathleff.steps.all())
    both = exercise("calf-raise-both-feet")
    assert (both.rise_seconds, both.lower_seconds) == (2, 2)
    assert "taking about two seconds" in " ".join(s.text for s in both.steps.all())
    assert (exercise("toe-yoga").rise_seconds, exercise("toe-yoga").lower_seconds) == (2, 3)


def test_today_s_timer_counts_each_exercise_at_its_own_pace(
    runner, runner_client, exercise, on_monday
):
    plan = WeeklyPlan.objects.create(owner=runner, name="Heel", is_active=True)
    rathleff = add_item(plan, exercise("plantar-heel-raise"), 0)
    toes = add_item(plan, exercise("toe-yoga"), 0)

    page = runner_client.get("/today/").content.decode()

    assert f'id="timer-{rathleff.pk}"' in page and f'id="timer-{toes.pk}"' in page
    rathleff_timer = page.split(f'id="timer-{rathleff.pk}"')[1].split(">")[0]
    toes_timer = page.split(f'id="timer-{toes.pk}"')[1].split(">")[0]
    assert 'data-rise="3"' in rathleff_timer and 'data-lower="3"' in rathleff_timer
    assert 'data-rise="2"' in toes_timer and 'data-lower="3"' in toes_timer


@pytest.mark.parametrize("seconds", [0, 11])
def test_a_pace_out_of_range_is_refused_in_the_admin_and_the_content_file(
    exercise, content_file_data, seconds
):
    rathleff = exercise("plantar-heel-raise")
    rathleff.rise_seconds = seconds
    with pytest.raises(ValidationError) as raised:
        rathleff.full_clean()
    assert "rise_seconds" in raised.value.message_dict

    data = copy.deepcopy(content_file_data)
    data["exercises"][0]["lower_seconds"] = seconds
    with pytest.raises(LibraryFileError) as refused:
        parse_library(yaml.safe_dump(data, sort_keys=False))
    assert any(".lower_seconds:" in problem for problem in refused.value.problems)
