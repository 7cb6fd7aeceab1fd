"""Programme safety (issue 24, points 1, 2, 3, 12): the scenarios the review ran, on the pages."""

import pytest
from django.utils.html import escape

from routines.models import MorningCheckIn
from routines.progression import ASSESS_NOTE, Verdict

from .conftest import MONDAY
from .test_suggestions import days_ago, logged, suggestion_for

pytestmark = pytest.mark.django_db


def steady_mornings(runner, pain: int, stiffer: dict[int, int] | None = None) -> None:
    """Every morning of the last fortnight at `pain`, stiffness too, but as `stiffer` says
    on the mornings it names (days ago: stiffness)."""
    stiffer = stiffer or {}
    MorningCheckIn.objects.bulk_create(
        MorningCheckIn(owner=runner, date=days_ago(n), pain=pain, stiffness=stiffer.get(n, pain))
        for n in range(15)
    )


def calf_raise_sessions(runner, plan, pain: int = 3) -> None:
    items = list(plan.items.filter(exercise__slug="calf-raise").order_by("weekday"))
    logged(runner, items[0], days_ago(7), pain=pain, effort=5)
    logged(runner, items[1], days_ago(4), pain=pain, effort=5)


def test_mornings_steady_at_seven_reduce_the_load_on_progress(
    runner, runner_with_plan, runner_client, on_monday
):
    calf_raise_sessions(runner, runner_with_plan)
    steady_mornings(runner, 7)
    found = suggestion_for(runner, "calf-raise", MONDAY)
    assert found.verdict == Verdict.STEP_BACK
    page = runner_client.get("/progress/").content.decode()
    assert "Add a little" not in page
    assert escape(ASSESS_NOTE) in page


def test_stiffness_that_rose_holds_on_progress(runner, runner_with_plan, runner_client, on_monday):
    calf_raise_sessions(runner, runner_with_plan, pain=1)
    # The morning after the last session (three days ago) was stiffer than the rest.
    steady_mornings(runner, 1, stiffer={3: 4})
    found = suggestion_for(runner, "calf-raise", MONDAY)
    assert found.verdict == Verdict.HOLD
    page = runner_client.get("/progress/").content.decode()
    assert "stiffness the morning after your last session was 4/10" in page.lower()
    assert "Add a little" not in page
