"""/exercises/: search and filters, alone and combined; bad values; the htmx fragment."""

import re

import pytest
from django.test import Client

from exercises.models import Exercise

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "results"}


# Read from the HTML served, not the template context: a page from the cache renders none.
CARD_LINK = re.compile(r'href="/exercises/([a-z0-9-]+)/"')


def listed(response) -> list[str]:
    """The slugs of the cards in the page, in order."""
    return list(dict.fromkeys(CARD_LINK.findall(response.content.decode())))


def names(response) -> list[str]:
    by_slug = dict(Exercise.objects.values_list("slug", "name"))
    return [by_slug[slug] for slug in listed(response)]


def slugs(response) -> set[str]:
    return set(listed(response))


def expected(seeded_library: dict, **match) -> set[str]:
    """Slugs the content file says should match: the test's own reading of the data."""
    found = set()
    for exercise in seeded_library["exercises"]:
        if "muscle" in match and match["muscle"] not in {m["muscle"] for m in exercise["muscles"]}:
            continue
        if "condition" in match and match["condition"] not in {
            c["condition"] for c in exercise["conditions"]
        }:
            continue
        if "equipment" in match and match["equipment"] not in exercise["equipment"]:
            continue
        if "position" in match and exercise["position"] != match["position"]:
            continue
        if "level" in match and exercise["level"] != match["level"]:
            continue
        found.add(exercise["slug"])
    return found


def test_the_library_lists_every_published_exercise_by_name(client: Client, seeded_library):
    response = client.get("/exercises/")

    assert response.status_code == 200
    every = sorted(e["name"] for e in seeded_library["exercises"])
    assert names(response) == every[:24]  # the first page
    assert names(client.get("/exercises/", {"page": 2})) == every[24:]
    html = response.content.decode()
    assert "<h1>Exercise library</h1>" in html
    assert "25 exercises" in html
    assert 'id="results"' in html


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("muscle", "soleus"),
        ("muscle", "tibialis-anterior"),
        ("condition", "plantar-fasciitis"),
        ("condition", "shin-splints"),
        ("equipment", "step"),
        ("equipment", "towel"),
        ("position", "seated"),
        ("position", "walking"),
        ("level", 1),
        ("level", 4),
    ],
)
def test_each_filter_alone(client: Client, seeded_library, param, value):
    response = client.get("/exercises/", {param: value})

    assert response.status_code == 200
    want = expected(seeded_library, **{param: value})
    assert want, "the filter should match something in the seeded library"
    assert slugs(response) == want
    assert f"{len(want)} exercise" in response.content.decode()


def test_filters_combine(client: Client, seeded_library):
    response = client.get(
        "/exercises/",
        {"condition": "achilles-tendinopathy", "equipment": "step", "level": "2"},
    )

    want = expected(seeded_library, condition="achilles-tendinopathy", equipment="step", level=2)
    assert slugs(response) == want == {"calf-drop-step", "soleus-raise-both-feet"}


def test_every_filter_at_once(client: Client, seeded_library):
    response = client.get(
        "/exercises/",
        {
            "q": "calf",
            "muscle": "gastrocnemius",
            "condition": "achilles-tendinopathy",
            "equipment": "wall-or-chair",
            "position": "standing",
            "level": "2",
        },
    )

    # "calf" also means the soleus, a calf muscle: its both-feet raise fits every filter.
    assert slugs(response) == {"calf-raise", "calf-drop-step", "soleus-raise-both-feet"}


def test_search_is_case_insensitive_over_name_and_summary(client: Client, seeded_library):
    by_name = client.get("/exercises/", {"q": "MARBLE"})
    by_summary = client.get("/exercises/", {"q": "rubber band"})
    both_words = client.get("/exercises/", {"q": "soleus weights"})

    assert slugs(by_name) == {"marble-pickup"}
    assert slugs(by_summary) == {"toe-spread-band"}
    # The weighted calf raise works the soleus too; the exercise named for it comes first.
    assert names(both_words)[0] == "Bent-knee soleus raise with weights"
    assert slugs(both_words) == {"soleus-raise-weighted", "calf-raise-weighted"}


def test_no_equipment_means_exercises_that_need_none(client: Client, seeded_library):
    response = client.get("/exercises/", {"equipment": "none"})

    want = {e["slug"] for e in seeded_library["exercises"] if not e["equipment"]}
    assert slugs(response) == want
    assert "heel-walk" in want


def test_no_match_gives_a_clear_empty_state_with_a_way_back(client: Client, seeded_library):
    response = client.get("/exercises/", {"q": "handstand"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "0 exercises" in html
    assert "No exercises match" in html
    assert re.search(r'<a class="button" href="/exercises/">Show all exercises</a>', html)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"muscle": "biceps"}, "muscle", "We do not know the muscle “biceps”"),
        ({"condition": "gout"}, "condition", "We do not know the condition “gout”"),
        ({"equipment": "kettlebell"}, "equipment", "We do not know the equipment"),
        ({"position": "upside-down"}, "position", "We do not know the position"),
        ({"level": "9"}, "level", "We do not know the level “9”"),
        ({"level": "hard"}, "level", "We do not know the level “hard”"),
        ({"q": "x" * 101}, "q", "Searches are up to 100 characters."),
    ],
)
def test_a_bad_filter_value_is_reported_and_ignored_never_a_500(
    client: Client, seeded_library, query, field, message
):
    response = client.get("/exercises/", {**query, "position": query.get("position", "seated")})

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert re.search(rf'<(input|select)[^>]*aria-invalid="true"[^>]*id="id_{field}"', html)
    # The bad filter is ignored; the good one still applies.
    if field != "position":
        assert slugs(response) == expected(seeded_library, position="seated")
    else:
        assert len(names(response)) == 24  # the first page of 25


def test_a_bad_value_in_an_htmx_request_is_reported_in_the_fragment(client: Client, seeded_library):
    response = client.get("/exercises/", {"muscle": "biceps"}, headers=HTMX)

    assert response.status_code == 200
    assert "We do not know the muscle “biceps”" in response.content.decode()
    assert len(names(response)) == 24  # the first page of 25


def test_repeated_or_odd_parameters_do_not_break_the_page(client: Client, seeded_library):
    response = client.get("/exercises/?level=1&level=2&page=abc&page=-1&muscle=&unknown=1")

    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_htmx_gets_only_the_results_fragment(client: Client, seeded_library):
    full = client.get("/exercises/", {"condition": "plantar-fasciitis"})
    fragment = client.get("/exercises/", {"condition": "plantar-fasciitis"}, headers=HTMX)

    fragment_html = fragment.content.decode()
    assert fragment.status_code == 200
    assert fragment_html.lstrip().startswith('<section id="results"')
    assert "<html" not in fragment_html and "<form" not in fragment_html
    assert "<h1" not in fragment_html
    assert slugs(fragment) == slugs(full)
    # The fragment is exactly the part of the full page that htmx swaps.
    assert fragment_html.strip() in full.content.decode()


def test_other_htmx_requests_get_the_whole_page(client: Client, seeded_library):
    # A boosted link or a history restore is an htmx request too, without our target.
    boosted = client.get("/exercises/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    other_target = client.get("/exercises/", headers={"HX-Request": "true", "HX-Target": "main"})

    for response in (boosted, other_target):
        assert "<html" in response.content.decode()
        assert '<form id="exercise-filters"' in response.content.decode()


def test_responses_vary_on_the_htmx_headers(client: Client, seeded_library):
    full = client.get("/exercises/")
    fragment = client.get("/exercises/", headers=HTMX)

    for response in (full, fragment):
        vary = {v.strip() for v in response.headers["Vary"].split(",")}
        assert {"HX-Request", "HX-Target"} <= vary


def test_the_form_is_a_plain_get_form_enhanced_by_htmx(client: Client, seeded_library):
    html = client.get("/exercises/").content.decode()

    form = re.search(r'<form id="exercise-filters"[^>]*>', html).group(0)
    assert 'method="get"' in form and 'action="/exercises/"' in form
    assert 'hx-get="/exercises/"' in form
    assert 'hx-target="#results"' in form
    assert 'hx-push-url="true"' in form
    assert "delay:" in form
    assert '<button type="submit">' in html
    for name in ("q", "muscle", "condition", "equipment", "position", "level"):
        assert re.search(rf'<label for="id_{name}">', html), name


def test_muscle_choices_are_grouped_by_region(client: Client, seeded_library):
    html = client.get("/exercises/").content.decode()

    assert '<optgroup label="Calf">' in html
    assert '<optgroup label="Hip and thigh">' in html


def test_pages_of_24_with_links_that_keep_the_filters(client: Client, make_exercise):
    for n in range(30):
        make_exercise(name=f"Seated drill {n:02}", position="seated", level=2)
    make_exercise(name="Standing drill", position="standing", level=2)

    first = client.get("/exercises/", {"position": "seated", "muscle": "bogus"})
    second = client.get("/exercises/", {"position": "seated", "page": "2"}, headers=HTMX)
    beyond = client.get("/exercises/", {"position": "seated", "page": "99"})

    assert len(names(first)) == 24
    assert "30 exercises" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    assert names(second) == [f"Seated drill {n:02}" for n in range(24, 30)]
    assert names(beyond) == names(second), "a page past the end shows the last page"
    html = first.content.decode()
    next_link = re.search(r'<a class="button button-secondary" rel="next"\s+href="([^"]+)"', html)
    # Valid filters are carried along; an ignored one is dropped.
    assert next_link.group(1) == "/exercises/?position=seated&amp;page=2"
    assert 'hx-get="/exercises/?position=seated&amp;page=2"' in html
    # Where and how the links swap is said once, on the nav they sit in.
    nav = re.search(r'<nav class="pagination-nav".*?</nav>', html, re.DOTALL).group()
    assert nav.count('hx-target="#results"') == 1
    assert nav.count('hx-push-url="true"') == 1


def test_drafts_are_listed_for_staff_only(client: Client, seeded_library, django_user_model):
    Exercise.objects.filter(slug="toe-walk").update(status="draft")
    staff = django_user_model.objects.create_user("staff@example.com", "pw", is_staff=True)
    runner = django_user_model.objects.create_user("runner@example.com", "pw")

    anonymous = client.get("/exercises/")
    client.force_login(runner)
    as_runner = client.get("/exercises/")
    client.force_login(staff)
    as_staff = client.get("/exercises/")

    assert "toe-walk" not in slugs(anonymous) | slugs(as_runner)
    assert "toe-walk" in slugs(as_staff)
    assert '<span class="badge badge-draft">Draft</span>' in as_staff.content.decode()


def test_the_list_refuses_a_post(client: Client, seeded_library):
    assert client.post("/exercises/").status_code == 405


def test_nav_marks_the_library_as_the_current_page(client: Client, seeded_library):
    html = client.get("/exercises/calf-raise/").content.decode()

    assert re.search(r'<a href="/exercises/" aria-current="page">Exercises</a>', html)
    assert 'aria-current="page">Exercises' not in client.get("/").content.decode()
