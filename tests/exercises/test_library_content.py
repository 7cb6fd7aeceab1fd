"""The committed library holds what issue 3 asks of it (read straight from the file)."""

import pytest

from exercises.ladders import components

# Every exercise the two articles describe, merged where they overlap.
ARTICLE_EXERCISES = {
    "calf-raise": {"hinge-health-2025"},
    "soleus-raise": {"hinge-health-2025"},
    "single-leg-squat": {"hinge-health-2025"},
    "single-leg-deadlift": {"hinge-health-2025"},
    "arch-lift": {"hinge-health-2025"},
    "toe-spread": {"hinge-health-2025", "cherrywood-foot-care"},
    "towel-scrunch": {"hinge-health-2025"},
    "toe-yoga": {"hinge-health-2025"},
    "marble-pickup": {"cherrywood-foot-care"},
    "calf-drop-step": {"cherrywood-foot-care"},
    "heel-walk": {"cherrywood-foot-care"},
    "toe-walk": {"cherrywood-foot-care"},
}


def exercises_by_slug(data: dict) -> dict[str, dict]:
    return {exercise["slug"]: exercise for exercise in data["exercises"]}


def test_every_exercise_of_both_articles_is_there_citing_its_articles(content_file_data):
    exercises = exercises_by_slug(content_file_data)

    for slug, sources in ARTICLE_EXERCISES.items():
        assert slug in exercises, slug
        assert set(exercises[slug]["sources"]) == sources, slug
        assert exercises[slug]["status"] == "published", slug


def test_the_conditions_and_equipment_the_articles_name(content_file_data):
    assert {c["name"] for c in content_file_data["conditions"]} == {
        "Plantar fasciitis",
        "Achilles tendinopathy",
        "Shin splints",
        "Stress fracture on the outer foot",
        "Peroneal tendinopathy",
        "Ankle sprain",
    }
    assert {e["slug"] for e in content_file_data["equipment"]} >= {
        "wall-or-chair",
        "step",
        "towel",
        "small-object",
        "resistance-band",
        "hand-weights",
    }


@pytest.mark.parametrize("field", ["steps", "sources"])
def test_every_exercise_has(content_file_data, field):
    for exercise in content_file_data["exercises"]:
        assert exercise[field], f"{exercise['slug']} has no {field}"


def test_every_exercise_has_a_primary_muscle_a_safety_tip_and_a_dose(content_file_data):
    for exercise in content_file_data["exercises"]:
        slug, dose = exercise["slug"], exercise["dose"]
        assert any(m["role"] == "primary" for m in exercise["muscles"]), slug
        assert any(t["kind"] == "safety" for t in exercise["tips"]), slug
        assert dose["sets"] >= 1, slug
        assert (dose["reps"] is None) != (dose["duration_seconds"] is None), slug


def test_the_articles_doses_are_kept_where_they_give_them(content_file_data):
    exercises = exercises_by_slug(content_file_data)

    def dose(slug: str) -> tuple:
        d = exercises[slug]["dose"]
        return (d["reps"], d["hold_seconds"], d["duration_seconds"], d["per_side"])

    assert dose("toe-spread") == (10, 10, None, True)
    # "Repeat twice" is read one way everywhere: the first go and two more, three in all.
    assert dose("marble-pickup") == (3, 20, None, True)
    assert exercises["heel-walk"]["dose"]["sets"] == 3
    assert exercises["toe-walk"]["dose"]["sets"] == 3
    for slug in ("marble-pickup", "heel-walk"):
        assert "three" in exercises[slug]["dose"]["note"], slug
    assert dose("calf-drop-step")[0] == 10
    assert dose("heel-walk") == (None, None, 60, False)
    # Number by number: what Cherrywood Foot Care gives is the article's, the rest ours.
    from_source = {
        slug: [
            flag.removesuffix("_from_source")
            for flag in ("sets_from_source", "reps_from_source")
            + ("hold_from_source", "duration_from_source")
            if exercises[slug]["dose"][flag]
        ]
        for slug in exercises
    }
    assert from_source["toe-spread"] == ["reps", "hold"]
    # "Repeat twice" read as three is our reading, not the article's (issue 24).
    assert from_source["marble-pickup"] == ["hold"]
    assert from_source["calf-drop-step"] == ["reps"]
    assert from_source["heel-walk"] == ["duration"]
    # The article gives the toe walk's rounds but no time for them.
    assert from_source["toe-walk"] == ["sets"]
    # The band variant only reuses the plain toe spread's numbers.
    assert from_source["toe-spread-band"] == []
    # Hinge Health gives no numbers at all: ours are marked as ours.
    for slug in ("calf-raise", "soleus-raise", "arch-lift", "towel-scrunch", "toe-yoga"):
        assert from_source[slug] == [], slug


def test_at_least_four_ladders_of_two_or_more_rungs(content_file_data):
    edges = [(edge["from"], edge["to"]) for edge in content_file_data["progressions"]]
    ladders = components([exercise["slug"] for exercise in content_file_data["exercises"]], edges)

    assert len([ladder for ladder in ladders if len(ladder) >= 2]) >= 4
    # The variants the articles name are rungs: both feet, with weights, against a band.
    assert {"calf-raise-both-feet", "calf-raise", "calf-raise-weighted"} <= next(
        ladder for ladder in ladders if "calf-raise" in ladder
    )
    assert {"toe-spread", "toe-spread-band"} in ladders


def test_every_progression_goes_up_a_level_or_stays(content_file_data):
    levels = {e["slug"]: e["level"] for e in content_file_data["exercises"]}

    for edge in content_file_data["progressions"]:
        assert levels[edge["to"]] >= levels[edge["from"]], edge
        assert edge["note"], edge


def test_toe_yoga_counts_as_foot_work_as_well_as_the_toe_lifters(content_file_data):
    # Issue 20 point 13: a day of toe yoga read "No foot work", its only primary muscle
    # (the long toe extensors) sitting in the shin. Holding toes down works the foot's own
    # muscles; lifting them, the extensors.
    regions = {muscle["slug"]: muscle["region"] for muscle in content_file_data["muscles"]}
    toe_yoga = exercises_by_slug(content_file_data)["toe-yoga"]
    primary = {m["muscle"] for m in toe_yoga["muscles"] if m["role"] == "primary"}

    assert {"intrinsic-foot-muscles", "toe-extensors"} <= primary
    assert "foot" in {regions[slug] for slug in primary}
