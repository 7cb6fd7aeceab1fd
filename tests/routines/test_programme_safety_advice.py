"""Issue 24 (programme safety), the advice points: each scenario run on the seeded library."""

import copy

import pytest
import yaml
from django.utils.html import escape

from exercises.content.file import LibraryFileError, parse_library
from exercises.content.seed import library_seed, library_snapshot
from exercises.models import Branch, Condition, Equipment, Progression, TipKind
from routines.plans.facts import library_facts
from routines.plans.generator import fitting_rungs
from routines.plans.models import WeeklyPlan
from routines.progress import progression
from routines.progress.progression import ASSESS_NOTE, Verdict
from routines.training.models import ExerciseLog, MorningCheckIn

from .conftest import MONDAY, add_item
from .test_suggestions import days_ago, log_by_hand, suggestion_for

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
    log_by_hand(runner, items[0], days_ago(7), pain=pain, effort=5)
    log_by_hand(runner, items[1], days_ago(4), pain=pain, effort=5)


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


# Point 1: stepping back and the default "harder" follow the main branch ----------------------


def plan_of(runner, exercise, slug: str):
    plan = WeeklyPlan.objects.create(owner=runner, name="Calves", is_active=True)
    add_item(plan, exercise(slug), 0)
    add_item(plan, exercise(slug), 3)
    return plan


def test_pain_above_five_on_the_weighted_raise_steps_back_to_the_calf_raise(
    runner, runner_client, exercise, equip_runner, on_monday
):
    equip_runner(runner, ["wall-or-chair", "hand-weights", "step"])
    plan = plan_of(runner, exercise, "calf-raise-weighted")
    monday, thursday = plan.items.order_by("weekday")
    log_by_hand(runner, monday, days_ago(7), pain=2, effort=5)
    log_by_hand(runner, thursday, days_ago(4), pain=7, effort=6)
    steady_mornings(runner, 1)

    found = suggestion_for(runner, "calf-raise-weighted", MONDAY)

    assert found.verdict == Verdict.STEP_BACK
    assert found.suggestion.rung.id == exercise("calf-raise").pk
    page = runner_client.get("/progress/").content.decode()
    assert f"→ {exercise('calf-raise').name}" in page
    assert f"→ {exercise('calf-drop-step').name}" not in page


def test_make_it_harder_from_the_raise_on_both_feet_goes_to_the_calf_raise(
    runner, runner_client, exercise, equip_runner, on_monday
):
    equip_runner(runner, ["wall-or-chair", "step"])
    plan = plan_of(runner, exercise, "calf-raise-both-feet")
    monday, thursday = plan.items.order_by("weekday")
    log_by_hand(runner, monday, days_ago(7))
    log_by_hand(runner, thursday, days_ago(4))
    steady_mornings(runner, 0)

    found = suggestion_for(runner, "calf-raise-both-feet", MONDAY)

    assert found.verdict == Verdict.PROGRESS
    assert found.suggestion.rung.id == exercise("calf-raise").pk
    # /today/'s swap buttons follow the same rule, and refuse the side branch by hand.
    page = runner_client.get("/today/").content.decode()
    assert f"Harder today: {exercise('calf-raise').name}" in page
    assert f"Harder today: {exercise('calf-drop-step').name}" not in page
    response = runner_client.post(
        f"/today/items/{monday.pk}/", {"swap": str(exercise("calf-drop-step").pk)}
    )
    assert response.status_code == 400
    assert not ExerciseLog.objects.filter(exercise=exercise("calf-drop-step")).exists()


def test_a_suggestion_card_shows_the_safety_tips_with_the_insertional_warning(
    runner, runner_client, exercise, equip_runner, on_monday
):
    equip_runner(runner, ["wall-or-chair", "hand-weights", "step"])
    # The weighted raise progresses by load (point 4); an editor who unticks that lets it
    # move up a rung, and the card for that move must carry the step drop's warnings.
    exercise("calf-raise-weighted").__class__.objects.filter(slug="calf-raise-weighted").update(
        progress_by_load=False
    )
    plan = plan_of(runner, exercise, "calf-raise-weighted")
    monday, thursday = plan.items.order_by("weekday")
    log_by_hand(runner, monday, days_ago(7))
    log_by_hand(runner, thursday, days_ago(4))
    steady_mornings(runner, 0)
    target = exercise("calf-drop-step-single-leg")

    found = suggestion_for(runner, "calf-raise-weighted", MONDAY)

    assert found.suggestion.rung.id == target.pk
    tips = list(target.tips.filter(kind=TipKind.SAFETY).values_list("text", flat=True))
    assert tips and found.safety_tips == tuple(tips)
    assert any("joins the heel bone" in tip for tip in tips)
    # /today/'s suggestions, the progress app's fragment.
    page = runner_client.get("/suggestions/?next=/today/", headers={"HX-Request": "true"}).text
    for tip in tips:
        assert escape(tip) in page


def test_the_library_page_lists_the_main_branch_first(client, exercise):
    page = client.get(exercise("calf-raise-weighted").get_absolute_url()).content.decode()
    assert page.index(exercise("calf-raise").name) < page.index(exercise("calf-drop-step").name)


def test_the_generator_never_picks_a_side_branch(exercise):
    facts = library_facts()
    slugs = {fact.slug for fact in facts}
    assert "calf-drop-step" not in slugs
    assert {"calf-raise", "calf-raise-both-feet", "calf-raise-weighted"} <= slugs
    drop = exercise("calf-drop-step")
    for experience in ("new", "some", "regular"):
        assert drop.pk not in {fact.id for fact in fitting_rungs(facts, experience)}


def test_an_editor_marks_a_side_branch_in_the_file_and_the_export_keeps_it(
    seeded_library, tmp_path
):
    edge = Progression.objects.get(easier__slug="calf-raise-both-feet", harder__slug="calf-raise")
    assert edge.branch == Branch.MAIN
    side = Progression.objects.get(
        easier__slug="calf-raise-both-feet", harder__slug="calf-drop-step"
    )
    assert side.branch == Branch.SIDE
    snapshot = library_snapshot()
    row = next(
        row
        for row in snapshot["progressions"]
        if (row["from"], row["to"]) == ("calf-raise-both-feet", "calf-drop-step")
    )
    assert row["branch"] == "side"
    # Turned round in the file, the seed changes it in the database.
    data = copy.deepcopy(snapshot)
    for row in data["progressions"]:
        if row["from"] == "calf-raise-both-feet":
            row["branch"] = "main" if row["branch"] == "side" else "side"
    library_seed(data=data)
    side.refresh_from_db()
    edge.refresh_from_db()
    assert (side.branch, edge.branch) == (Branch.MAIN, Branch.SIDE)


def test_a_branch_the_file_does_not_know_is_refused(content_file_data):
    data = copy.deepcopy(content_file_data)
    data["progressions"][0]["branch"] = "sideways"
    with pytest.raises(LibraryFileError):
        parse_library(yaml.safe_dump(data))


def test_the_library_page_says_which_rung_is_a_side_branch(client, exercise):
    page = client.get(exercise("calf-raise-both-feet").get_absolute_url()).content.decode()
    assert page.count("a side branch: choose it on purpose") == 1


# Point 3: one pain rule, stated from the engine's thresholds ---------------------------------


def test_the_pain_rule_on_an_exercise_page_is_the_engines(client, exercise, monkeypatch):
    url = exercise("calf-raise").get_absolute_url()
    page = client.get(url).content.decode()
    rule = progression.pain_rule_context()
    assert f"pain during them of {rule['pain_ok']} out of 10 or less" in page
    assert f"effort of {rule['effort_ok']} out of 10 or less" in page
    assert "you may progress with pain up to 5" not in page.lower()
    # Drawn from the constants: move one and the page follows (another page: the first is
    # kept in the library's page cache).
    monkeypatch.setattr(progression, "PAIN_OK", 2)
    monkeypatch.setattr(progression, "EFFORT_OK", 6)
    page = client.get(exercise("toe-yoga").get_absolute_url()).content.decode()
    assert "pain during them of 2 out of 10 or less" in page
    assert "effort of 6 out of 10 or less" in page


# Point 13: claims hedged --------------------------------------------------------------------


def test_a_generated_plan_for_an_achilles_runner_claims_no_prevention(
    runner, runner_client, seeded_library
):
    profile = runner.runner_profile
    profile.conditions.set(Condition.objects.filter(slug="achilles-tendinopathy"))
    profile.equipment.set(Equipment.objects.filter(slug__in=["wall-or-chair", "step"]))

    response = runner_client.get("/plans/generate/?sessions=3&minutes=20")

    reasons = [
        placement.reason
        for day in response.context["proposal"].days
        for placement in day.placements
    ]
    assert any(reason.startswith("May help with Achilles tendinopathy") for reason in reasons)
    page = response.content.decode().lower()
    assert "guard against" not in page and "prevent" not in page


def test_the_home_page_hedges_what_strength_work_does(client, seeded_library):
    page = client.get("/").content.decode()
    assert "May help with" in page or "may help with" in page
    assert "helps guard against" not in page.lower()
    assert "may help guard against" not in page.lower()


# Point 14: one way of saying which way an ankle rolls; "our reading" labelled ---------------


def test_the_sprain_and_the_peroneal_pages_roll_the_ankle_the_same_way(content_file_data):
    conditions = {row["slug"]: row for row in content_file_data["conditions"]}
    muscles = {row["slug"]: row for row in content_file_data["muscles"]}
    texts = [
        conditions["ankle-sprain"]["summary"],
        conditions["peroneal-tendinopathy"]["summary"],
        muscles["fibularis"]["description"],
    ]
    for text in texts:
        assert "rolls outward" in text or "rolling outward" in text, text
        assert "inward" not in text.replace("sole turning in", ""), text


@pytest.mark.parametrize(("slug", "field"), [("heel-walk", "sets"), ("marble-pickup", "reps")])
def test_repeat_twice_read_as_three_is_our_reading_not_the_articles(
    client, seeded_library, content_file_data, slug, field
):
    row = next(row for row in content_file_data["exercises"] if row["slug"] == slug)
    assert row["dose"][f"{field}_from_source"] is False
    assert "Our reading:" in row["dose"]["note"]
    page = client.get(f"/exercises/{slug}/").content.decode()
    assert "Our reading:" in page


# Point 12: the pain rule and the red flags where pain is entered or read ---------------------

COMPACT = '<details class="pain-rule pain-rule-compact">'
NEW_FLAGS = (
    "diabetes, or loss of feeling in your feet, together with a wound",
    "a foot that is hot, red and swollen, with a fever",
)


def test_the_pain_rule_and_red_flags_show_where_pain_is_entered_or_read(
    runner, runner_with_plan, runner_client, on_monday
):
    calf_raise_sessions(runner, runner_with_plan)  # /progress/ reads pain once there is some
    pages = {
        "/today/": runner_client.get("/today/"),
        "/progress/": runner_client.get("/progress/"),
        "/plans/generate/": runner_client.get("/plans/generate/?sessions=3&minutes=15"),
    }
    rule = progression.pain_rule_context()
    # The check-in is /today/'s first card; the block sits right under it.
    today = pages["/today/"].content.decode()
    assert today.index('id="check-in"') < today.index(COMPACT) < today.index("<article")
    for name, response in pages.items():
        page = response.content.decode()
        assert response.status_code == 200, name
        assert page.count(COMPACT) == 1, name
        assert f"pain {rule['pain_ok']}/10 or less" in page, name
        for flag in NEW_FLAGS:
            assert flag in page, (name, flag)


def test_every_exercise_page_has_the_new_red_flags(client, exercise):
    page = client.get(exercise("calf-raise").get_absolute_url()).content.decode()
    for flag in NEW_FLAGS:
        assert flag in page
    assert "for the last five" in page


def test_a_suggestion_for_an_exercise_taken_back_to_draft_still_carries_its_safety_tips(
    runner, exercise, on_monday
):
    # A published exercise's tips come with the kept ladders; one taken back to draft while
    # still in a runner's plan is not among them, and its tips are asked for instead.
    step = exercise("calf-drop-step")
    plan = plan_of(runner, exercise, "calf-drop-step")
    monday, thursday = plan.items.order_by("weekday")
    log_by_hand(runner, monday, days_ago(7), pain=7, effort=6)
    log_by_hand(runner, thursday, days_ago(4), pain=7, effort=6)
    steady_mornings(runner, 1)
    published = suggestion_for(runner, "calf-drop-step", MONDAY)
    doing = published.suggestion.rung or step
    expected = tuple(doing.tips.filter(kind=TipKind.SAFETY).values_list("text", flat=True))
    assert expected and published.safety_tips == expected

    doing.status = "draft"
    doing.save()
    drafted = suggestion_for(runner, "calf-drop-step", MONDAY)
    assert (drafted.suggestion.rung or step).pk == doing.pk
    assert drafted.safety_tips == expected
