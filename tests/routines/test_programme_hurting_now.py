"""Issue 24 point 8: the profile asks, per condition, whether it hurts now; the generator
routes to the condition's advice, and to assessment with no plan where the advice says so."""

from uuid import uuid4

import pytest

from exercises.models import Condition
from routines.plans.generator import HurtingNow, generate_plan
from routines.plans.models import WeeklyPlan

pytestmark = pytest.mark.django_db


def profile_post(client, *, conditions=(), hurting=()):
    ids = {c.slug: c.pk for c in Condition.objects.all()}
    return client.post(
        "/accounts/profile/",
        {
            "experience": "new",
            "conditions": [ids[slug] for slug in conditions],
            "hurting_now": [ids[slug] for slug in hurting],
        },
    )


def test_a_current_stress_fracture_gets_no_plan_only_its_advice_and_assessment(
    runner_client, runner, seeded_library
):
    response = profile_post(
        runner_client,
        conditions=["lateral-foot-stress-fracture"],
        hurting=["lateral-foot-stress-fracture"],
    )
    assert response.status_code == 302

    page = runner_client.get("/plans/generate/")
    html = page.content.decode()

    assert page.status_code == 200
    assert "No plan while it hurts" in html
    assert "a stress fracture needs time off load first" in html  # the condition's own advice
    assert "Stop and get assessed if you have" in html  # the red flags
    assert not page.context["proposal"].placements
    assert "Save this plan" not in html
    # A save posted anyway (an old tab) makes nothing.
    posted = runner_client.post(
        "/plans/generate/",
        {"name": "Anyway", "sessions": 3, "minutes": 15, "token": str(uuid4())},
    )
    assert posted.status_code == 302
    assert not WeeklyPlan.objects.filter(owner=runner).exists()


def test_a_condition_to_load_within_the_pain_rule_keeps_the_plan_with_its_advice_first(
    runner_client, runner, seeded_library
):
    profile_post(runner_client, hurting=["achilles-tendinopathy"])
    profile = runner.runner_profile
    # Hurting now means guarding against it too, even if not ticked above.
    assert list(profile.conditions.values_list("slug", flat=True)) == ["achilles-tendinopathy"]

    page = runner_client.get("/plans/generate/")
    html = page.content.decode()

    assert "It hurts now: read this first" in html
    assert "gradual loading is the main treatment" in html
    assert page.context["proposal"].placements
    assert "Save this plan" in html


def test_had_it_but_it_does_not_hurt_now_is_a_plan_as_before(runner_client, seeded_library):
    profile_post(runner_client, conditions=["lateral-foot-stress-fracture"])

    page = runner_client.get("/plans/generate/")

    assert page.context["proposal"].placements
    assert "No plan while it hurts" not in page.content.decode()


def test_the_content_file_says_which_conditions_stop_a_plan_while_they_hurt(content_file_data):
    stop = {c["slug"] for c in content_file_data["conditions"] if not c["plan_while_it_hurts"]}
    assert stop == {"lateral-foot-stress-fracture", "ankle-sprain", "shin-splints"}
    # Each of them says so in its own advice.
    advice = {c["slug"]: c["with_symptoms"] for c in content_file_data["conditions"]}
    for slug in stop:
        assert advice[slug].startswith(("No.", "Not ", "Only ")), slug


def test_the_migration_marks_existing_rows(seeded_library):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("exercises.migrations.0012_condition_plan_while_it_hurts")
    Condition.objects.update(plan_while_it_hurts=True)
    migration.mark_no_plan(apps, None)
    assert set(
        Condition.objects.filter(plan_while_it_hurts=False).values_list("slug", flat=True)
    ) == {"lateral-foot-stress-fracture", "ankle-sprain", "shin-splints"}


def test_the_generator_stops_for_any_condition_whose_advice_says_so():
    pattern = ("rest",) * 7
    common = {
        "pattern": pattern,
        "exercises": [],
        "conditions": {},
        "equipment": frozenset(),
        "experience": "new",
        "sessions": 3,
        "minutes": 15,
    }
    sprain = HurtingNow(name="Ankle sprain", advice="Not in the first days.", plan_allowed=False)
    heel = HurtingNow(name="Plantar fasciitis", advice="Usually yes.", plan_allowed=True)

    stopped = generate_plan(**common, hurting=[heel, sprain])
    assert stopped.stopped_by == [sprain] and not stopped.placements
    assert generate_plan(**common, hurting=[heel]).stopped_by == []
