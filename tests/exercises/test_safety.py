"""What a runner in pain needs on every page, and content that claims only what it can back.

Pages: red flags, the pain rule, condition guidance, "May help with", the ladder before the
tips, our own exercise and doses marked number by number. Content (the committed file):
the corrections of the physiotherapist's review, each pinned so it cannot quietly return.
"""

import re
from typing import Any

import pytest
from django.test import Client

from exercises.models import Condition, Exercise

RED_FLAGS = [
    "sharp pain",
    "gets worse",
    "swelling",
    "numbness or tingling",
    "pain at night or while you rest",
    "a spot on a bone that hurts to press",
    "pain when you hop",
    "stress fracture",
    "a foot you cannot put weight on",
    "a sudden snap",
    "a calf that is swollen, red or hot",
    "diabetes, or loss of feeling in your feet, together with a wound",
    "a foot that is hot, red and swollen, with a fever",
    "ask your doctor whether they suit you",
    "Cherrywood Foot Care",
]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def by_slug(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["slug"]: row for row in rows}


@pytest.mark.django_db
def test_every_exercise_page_says_when_to_stop_get_help_and_make_it_harder(
    client: Client, seeded_library
):
    for slug in Exercise.objects.values_list("slug", flat=True):
        html = client.get(f"/exercises/{slug}/").content.decode()
        text = text_of(html)
        for flag in RED_FLAGS:
            assert flag in text, (slug, flag)
        assert "If it hurts now" in text, slug
        assert "Up to 5 out of 10 during the exercise is acceptable" in text, slug
        assert "settled by the next morning" in text, slug
        assert "must not rise from one week to the next" in text, slug
        assert "When to make it harder" in text, slug
        assert "Silbernagel" in text and "2007;35(6):897–906" in text, slug


@pytest.mark.django_db
def test_the_easier_and_harder_variants_come_before_the_tips(client: Client, seeded_library):
    html = client.get("/exercises/calf-raise/").content.decode()

    assert html.index('id="ladder-heading"') < html.index('id="tips-heading"')


@pytest.mark.django_db
def test_every_condition_page_has_the_red_flags_and_says_whether_to_train_now(
    client: Client, seeded_library
):
    for condition in Condition.objects.all():
        text = text_of(client.get(f"/conditions/{condition.slug}/").content.decode())
        for flag in RED_FLAGS:
            assert flag in text, (condition.slug, flag)
        assert "If you have it now" in text
        assert condition.with_symptoms in text
        assert "Exercises that may help" in text


def test_each_condition_says_plainly_whether_to_do_the_exercises_with_symptoms(content_file_data):
    advice = {row["slug"]: row["with_symptoms"] for row in content_file_data["conditions"]}

    assert advice["lateral-foot-stress-fracture"].startswith("No.")
    assert advice["ankle-sprain"].startswith("Not in the first days")
    assert advice["shin-splints"].startswith("Only within the pain rule")
    for slug in ("achilles-tendinopathy", "plantar-fasciitis", "peroneal-tendinopathy"):
        assert advice[slug].startswith("Usually yes, within the pain rule"), slug


@pytest.mark.django_db
def test_the_achilles_page_warns_about_dropping_the_heel_below_a_step(
    client: Client, seeded_library
):
    text = text_of(client.get("/conditions/achilles-tendinopathy/").content.decode())

    assert "where the tendon joins the heel bone" in text
    assert "never let the heel drop below it" in text
    # And so do the exercises that drop the heel below a step.
    for slug in ("calf-drop-step", "calf-drop-step-single-leg"):
        page = text_of(client.get(f"/exercises/{slug}/").content.decode())
        assert "where the Achilles tendon joins the heel bone" in page, slug


@pytest.mark.django_db
def test_our_own_exercise_says_so(client: Client, seeded_library):
    own = text_of(client.get("/exercises/calf-drop-step-single-leg/").content.decode())
    cited = text_of(client.get("/exercises/calf-drop-step/").content.decode())

    assert "Our own exercise" in own
    assert "Neither cited article describes it" in own
    assert "Our own exercise" not in cited
    assert list(Exercise.objects.filter(our_own=True).values_list("slug", flat=True)) == [
        "calf-drop-step-single-leg"
    ]


@pytest.mark.django_db
def test_doses_say_number_by_number_which_are_the_articles(client: Client, seeded_library):
    toe_walk = client.get("/exercises/toe-walk/").content.decode()
    band = client.get("/exercises/toe-spread-band/").content.decode()

    # The article gives the toe walk's three rounds, not their length.
    assert "The sources give no numbers for this one" not in toe_walk
    assert '<dt>Rounds</dt><dd>3 <span class="dose-source">(from the article)' in toe_walk
    assert '<dt>Each round</dt><dd>1 minute <span class="dose-ours">(our suggestion)' in toe_walk
    # The band variant reuses the plain toe spread's numbers: ours, and said so.
    assert "The sources give no numbers for this one" in band
    assert "(from the article)" not in band


@pytest.mark.django_db
def test_the_marble_pickup_reads_the_way_a_runner_does_it(client: Client, seeded_library):
    html = client.get("/exercises/marble-pickup/").content.decode()
    dose = html.split('id="dose-heading"')[1].split("</section>")[0]

    assert "<dt>Sets</dt>" not in dose
    assert "<dt>Reps</dt><dd>3 on each side" in dose
    assert "<dt>Hold</dt><dd>20 seconds each rep" in dose
    assert "three holds in all" in dose


@pytest.mark.django_db
def test_the_conditions_box_says_may_help_with(client: Client, seeded_library):
    html = client.get("/exercises/arch-lift/").content.decode()

    assert '<h2 id="conditions-heading">May help with</h2>' in html
    assert "Helps guard against" not in html
    assert "Our reasoning:" in html


def test_condition_links_the_articles_do_not_support_are_gone_or_labelled(content_file_data):
    exercises = by_slug(content_file_data["exercises"])

    def conditions(slug: str) -> dict[str, str]:
        return {link["condition"]: link["note"] for link in exercises[slug]["conditions"]}

    assert "lateral-foot-stress-fracture" not in conditions("toe-spread")
    assert "ankle-sprain" not in conditions("toe-spread")
    assert "lateral-foot-stress-fracture" not in conditions("toe-spread-band")
    assert "shin-splints" not in conditions("heel-walk")
    assert conditions("arch-lift")["lateral-foot-stress-fracture"].startswith("Our reasoning:")


def test_no_text_promises_safety_or_gentleness_it_cannot_back(content_file_data):
    exercises = by_slug(content_file_data["exercises"])
    claims = [
        exercises["calf-drop-step"]["why_it_matters"],
        exercises["calf-drop-step"]["summary"],
        *(c["how_strengthening_helps"] for c in content_file_data["conditions"]),
        *(c["summary"] for c in content_file_data["conditions"]),
        *(link["note"] for e in exercises.values() for link in e["conditions"]),
    ]
    for claim in claims:
        assert not re.search(r"\bsafe(ly)?\b|\bgentl(e|y)\b", claim, re.IGNORECASE), claim


def test_every_ladder_note_that_is_our_judgement_says_so(content_file_data):
    # Edges an article gives ("both feet if this is too hard", "add hand weights", "a
    # rubber band", "press with your hand"); every other edge is ours and says so.
    from_articles = {
        ("calf-raise-both-feet", "calf-raise"),
        ("calf-raise", "calf-raise-weighted"),
        ("soleus-raise-both-feet", "soleus-raise"),
        ("soleus-raise", "soleus-raise-weighted"),
        ("toe-spread", "toe-spread-band"),
        ("toe-yoga", "toe-yoga-resisted"),
    }
    for edge in content_file_data["progressions"]:
        ours = (edge["from"], edge["to"]) not in from_articles
        assert edge["note"].startswith("Our judgement:") == ours, edge


def test_the_calf_ladder_climbs_one_level_at_a_time(content_file_data):
    levels = {e["slug"]: e["level"] for e in content_file_data["exercises"]}

    for edge in content_file_data["progressions"]:
        assert levels[edge["to"]] - levels[edge["from"]] == 1, edge
    edges = {(edge["from"], edge["to"]) for edge in content_file_data["progressions"]}
    assert ("calf-raise-weighted", "calf-drop-step-single-leg") in edges
    assert ("calf-drop-step", "calf-drop-step-single-leg") not in edges


def test_the_long_toe_flexors_sit_in_the_calf(content_file_data):
    muscle = by_slug(content_file_data["muscles"])["toe-flexors"]

    assert muscle["region"] == "calf"
    assert muscle["name"].startswith("Long toe flexors")
