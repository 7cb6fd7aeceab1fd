"""Issue 24, the content points: the balance ladder (10), Rathleff's raise and schedule (11),
the heavy slow schedule written into the calf plan (4, its text) and the starter-plan table
in docs/ that cannot drift from the content file."""

import pytest
import yaml

from exercises.content import plans_table
from exercises.content.plans_table import DOCS_FILE, render_table, starter_plans_table
from exercises.ladders import Ladders
from exercises.models import Exercise

BALANCE = [
    "single-leg-balance",
    "single-leg-balance-eyes-closed",
    "single-leg-balance-cushion",
    "single-leg-balance-reach",
]


@pytest.fixture
def starter_file_plans():
    return {
        plan["slug"]: plan
        for plan in yaml.safe_load(plans_table.STARTER_FILE.read_text(encoding="utf-8"))[
            "starter_plans"
        ]
    }


@pytest.fixture
def seeded_starters(seeded_library):
    from routines.plans.models import StarterPlan
    from routines.plans.starter_content import read_starter_plans, starter_plans_seed

    starter_plans_seed(data=read_starter_plans())
    return {plan.slug: plan for plan in StarterPlan.objects.all()}


# Point 10 ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_single_leg_balance_is_a_ladder_eyes_open_closed_cushion_reaches(seeded_library):
    rungs = {e.slug: e for e in Exercise.objects.filter(slug__in=BALANCE)}
    assert set(rungs) == set(BALANCE)
    for slug in BALANCE:
        exercise = rungs[slug]
        assert exercise.status == "published" and exercise.laterality == "single", slug
        assert list(exercise.sources.values_list("key", flat=True)) == ["hupperets-2009"], slug
        assert exercise.tips.filter(kind="safety").exists(), slug
        assert not exercise.calf_heavy, slug
    # Up the main branch, one rung at a time, in the order.
    edges = [(p["from"], p["to"]) for p in seeded_library["progressions"]]
    side = [(p["from"], p["to"]) for p in seeded_library["progressions"] if p["branch"] == "side"]
    ladders = Ladders(tuple(edges), frozenset(side))
    for easier, harder in zip(BALANCE, BALANCE[1:], strict=False):
        assert ladders.next_rung(easier, harder=True) == harder
        assert ladders.next_rung(harder, harder=False) == easier
    assert [rungs[slug].level for slug in BALANCE] == sorted(rungs[s].level for s in BALANCE)


def test_the_balance_source_is_cited_by_title_and_address(content_file_data):
    source = {s["key"]: s for s in content_file_data["sources"]}["hupperets-2009"]
    assert source["url"] == "https://doi.org/10.1136/bmj.b2684"
    assert "proprioceptive training" in source["title"]
    # The doses are ours, and say so.
    for exercise in content_file_data["exercises"]:
        if exercise["slug"] in BALANCE:
            dose = exercise["dose"]
            assert not any(dose[flag] for flag in dose if flag.endswith("_from_source"))
            assert dose["note"].startswith("Our suggestion")


@pytest.mark.django_db
def test_the_trail_plan_that_cites_a_balance_programme_has_balance_work(seeded_starters):
    trail = seeded_starters["ankle-stability-trail"]
    for day in trail.items.values_list("weekday", flat=True).distinct():
        assert trail.items.filter(weekday=day, exercise__slug="single-leg-balance").exists()
    assert "balance" in trail.description


# Point 11 ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_plantar_heel_care_uses_rathleffs_raise_on_a_step_and_writes_the_schedule(
    seeded_starters,
):
    plan = seeded_starters["plantar-heel-care"]
    raises = plan.items.filter(exercise__slug="plantar-heel-raise")
    assert raises.count() == 3
    assert not plan.items.filter(exercise__slug="calf-raise").exists()
    days = sorted(raises.values_list("weekday", flat=True))
    assert all(b - a >= 2 for a, b in zip(days, days[1:], strict=False))  # every other day at most
    exercise = Exercise.objects.get(slug="plantar-heel-raise")
    steps = " ".join(exercise.steps.values_list("text", flat=True))
    assert "step" in steps and "towel" in steps
    assert list(exercise.sources.values_list("key", flat=True)) == ["rathleff-2015"]
    for item in raises:
        assert (item.sets, item.reps, item.hold_seconds) == (3, 12, 2)
    # The cited progression, and where the plan departs from it, in the plan itself.
    for words in ("3 sets of 12", "4 sets of 10", "5 sets of 8", "every second day"):
        assert words in plan.description, words
    assert "Where we depart from the study" in plan.description


def test_the_rathleff_raise_is_a_side_branch_never_a_step_back(content_file_data):
    edges = {(p["from"], p["to"]): p["branch"] for p in content_file_data["progressions"]}
    assert edges[("calf-raise", "plantar-heel-raise")] == "side"


# Point 4, its text -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_calf_plan_writes_beyers_load_schedule_and_its_departures(seeded_starters):
    plan = seeded_starters["calf-capacity-achilles"]
    for words in ("15RM", "12RM", "10RM", "8RM", "6RM", "three times a week"):
        assert words in plan.description, words
    assert "Where we depart from the studies" in plan.description
    heavy = plan.items.filter(exercise__slug__in=["calf-raise-weighted", "soleus-raise-weighted"])
    assert heavy.count() == 4
    assert all("heavier, not more reps" in item.load_note for item in heavy)


# The table in docs/ ------------------------------------------------------------------------


def test_the_committed_table_is_what_the_content_gives():
    assert DOCS_FILE.read_text(encoding="utf-8") == starter_plans_table(), (
        "docs/starter-plans.md disagrees with exercises/content: run "
        "`manage.py starter_plans_table -o docs/starter-plans.md`"
    )


def test_every_plan_row_has_its_days_citation_cited_dose_ours_and_why(starter_file_plans):
    table = DOCS_FILE.read_text(encoding="utf-8")
    for slug, plan in starter_file_plans.items():
        row = next(line for line in table.splitlines() if f"(`{slug}`)" in line)
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 7, slug
        assert all(cells), f"{slug}: an empty cell"
        for citation in plan["citations"]:
            assert citation["url"] in row, slug
        days = {item["day"].capitalize() for item in plan["items"]}
        assert set(cells[1].split(", ")) == days, slug


def test_a_moved_day_in_the_content_makes_the_table_disagree(starter_file_plans, content_file_data):
    names = {e["slug"]: e["name"] for e in content_file_data["exercises"]}
    plans = list(starter_file_plans.values())
    before = render_table(plans, names)
    plans[0]["items"][0]["day"] = "sunday"
    after = render_table(plans, names)
    assert before != after and "Sunday" in after
