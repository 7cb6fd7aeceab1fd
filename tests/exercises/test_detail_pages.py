"""An exercise's page, muscle and condition pages, drafts, and the way in from home."""

import re

import pytest
from django.test import Client

from exercises.models import Exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff@example.com", "pw", is_staff=True)


@pytest.fixture
def non_staff_user(django_user_model):
    return django_user_model.objects.create_user("runner@example.com", "pw")


def test_an_exercise_page_shows_everything_about_it(client: Client, seeded_library):
    response = client.get("/exercises/calf-raise/")

    assert response.status_code == 200
    html = response.content.decode()
    data = next(e for e in seeded_library["exercises"] if e["slug"] == "calf-raise")
    assert '<h1 id="exercise-title">Single-leg calf raise</h1>' in html
    assert data["summary"] in html
    assert "Why it matters for runners" in html and data["why_it_matters"] in html
    for step in data["steps"]:
        assert f"<li>{step}</li>" in html
    for tip in data["tips"]:
        assert tip["text"] in html
    for heading in ("Safety", "Coaching cue", "Make it easier", "Make it harder"):
        assert f"<h3>{heading}</h3>" in html
    assert "Standing" in html and "One foot at a time" in html and "2 of 5" in html
    assert "Wall or chair for balance" in html
    assert "10 on each side" in html and "2 seconds each rep" in html
    assert "Our suggestion" in html
    assert "Education, not medical advice." in html
    assert "seek care" in html


def test_muscles_are_split_by_role_and_link_to_their_pages(client: Client, seeded_library):
    response = client.get("/exercises/calf-raise/")

    html = response.content.decode()
    mainly = html.split("<h3>Mainly</h3>")[1].split("</ul>")[0]
    also = html.split("<h3>Also</h3>")[1].split("</ul>")[0]
    assert '<a href="/muscles/gastrocnemius/">Gastrocnemius</a>' in mainly
    assert '<a href="/muscles/soleus/">Soleus</a>' in also
    assert "gastrocnemius" not in also


def test_conditions_are_listed_with_why_and_linked(client: Client, seeded_library):
    html = client.get("/exercises/calf-raise/").content.decode()

    assert '<a href="/conditions/achilles-tendinopathy/">Achilles tendinopathy</a>' in html
    assert "Stronger calf muscles take more of the push-off force" in html


def test_easier_and_harder_neighbours_on_the_ladder(client: Client, seeded_library):
    html = client.get("/exercises/calf-raise/").content.decode()

    easier = html.split("<h3>Easier</h3>")[1].split("</ul>")[0]
    harder = html.split("<h3>Harder</h3>")[1].split("</ul>")[0]
    assert '<a href="/exercises/calf-raise-both-feet/">Calf raise, both feet</a>' in easier
    assert '<a href="/exercises/calf-raise-weighted/">' in harder
    assert "You hold a hand weight to add load" in harder
    # The ladder climbs one level at a time: the weighted raise comes before the step drop.
    assert '<a href="/exercises/calf-drop-step-single-leg/">' not in harder


def test_sources_are_cited_with_their_links(client: Client, seeded_library):
    html = client.get("/exercises/toe-spread/").content.decode()

    sources = html.split('id="sources-heading"')[1]
    assert "8 Foot Strengthening Exercises Every Runner Needs to Know" in sources
    assert "Hinge Health, 27 March 2025" in sources
    assert 'href="https://cherrywoodfootcare.com/foot-strengthening-exercises-for-runners/"' in (
        sources
    )


def test_a_dose_from_the_article_is_not_marked_as_ours(client: Client, seeded_library):
    html = client.get("/exercises/toe-spread/").content.decode()

    assert "Our suggestion" not in html
    assert "Each number says where it is from" in html
    dose = html.split('id="dose-heading"')[1].split("</dl>")[0]
    assert '<dt>Reps</dt><dd>10 on each side <span class="dose-source">(from the article)' in dose
    assert '10 seconds each rep <span class="dose-source">(from the article)' in dose
    # One set goes without saying: "10 reps", not "1 set of 10 reps".
    assert "<dt>Sets</dt>" not in dose
    # How often a week is ours even then.
    assert re.search(r"Sessions a week</dt><dd>3 <span[^>]*>\(our suggestion\)", html)


def test_a_timed_dose_reads_in_minutes(client: Client, seeded_library):
    html = client.get("/exercises/heel-walk/").content.decode()

    assert "<dt>Rounds</dt><dd>3 <span" in html
    assert '<dt>Each round</dt><dd>1 minute <span class="dose-source">' in html
    assert "<dt>Reps</dt>" not in html


def test_an_unknown_exercise_is_a_404(client: Client, seeded_library):
    response = client.get("/exercises/moonwalk/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_draft_is_404_for_visitors_and_runners_and_shown_to_staff_with_a_banner(
    client: Client, seeded_library, staff, non_staff_user
):
    Exercise.objects.filter(slug="toe-walk").update(status="draft")

    assert client.get("/exercises/toe-walk/").status_code == 404
    client.force_login(non_staff_user)
    assert client.get("/exercises/toe-walk/").status_code == 404
    client.force_login(staff)
    response = client.get("/exercises/toe-walk/")
    assert response.status_code == 200
    assert "Only staff can see this page." in response.content.decode()
    assert "Only staff can see" not in client.get("/exercises/heel-walk/").content.decode()


def test_a_draft_neighbour_is_not_linked_for_visitors(client: Client, seeded_library, staff):
    Exercise.objects.filter(slug="calf-raise-weighted").update(status="draft")

    public = client.get("/exercises/calf-raise/").content.decode()
    client.force_login(staff)
    for_staff = client.get("/exercises/calf-raise/").content.decode()

    assert "/exercises/calf-raise-weighted/" not in public
    assert "/exercises/calf-raise-both-feet/" in public
    assert "/exercises/calf-raise-weighted/" in for_staff


def test_staff_who_may_edit_get_a_link_to_the_admin(
    client: Client, seeded_library, django_user_model
):
    editor = django_user_model.objects.create_superuser("boss@example.com", "pw")
    exercise = Exercise.objects.get(slug="toe-yoga")

    assert "Edit in the admin" not in client.get("/exercises/toe-yoga/").content.decode()
    client.force_login(editor)
    html = client.get("/exercises/toe-yoga/").content.decode()
    assert f'href="/admin/exercises/exercise/{exercise.pk}/change/"' in html


def test_a_muscle_page_says_what_it_does_and_lists_its_exercises(client: Client, seeded_library):
    response = client.get("/muscles/soleus/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Soleus</h1>" in html
    assert "What it does in running" in html
    assert "A broad, flat calf muscle" in html
    listed = [link.exercise.slug for link in response.context["links"]]
    want = {
        e["slug"]
        for e in seeded_library["exercises"]
        if "soleus" in {m["muscle"] for m in e["muscles"]}
    }
    assert set(listed) == want
    roles = [link.role for link in response.context["links"]]
    assert roles == sorted(roles), "primary work first"
    assert "Primary muscle" in html and "Secondary muscle" in html
    assert 'href="/exercises/?muscle=soleus"' in html


def test_a_condition_page_says_what_it_is_and_lists_its_exercises_with_why(
    client: Client, seeded_library
):
    response = client.get("/conditions/plantar-fasciitis/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Plantar fasciitis</h1>" in html
    assert "What it is" in html and "How strengthening helps" in html
    assert "Irritation of the thick band of tissue" in html
    assert "Muscles that hold up the arch may share the load" in html
    assert "Education, not medical advice." in html
    assert len(response.context["links"]) == response.context["total"] == 9


def test_drafts_stay_off_muscle_and_condition_pages_except_for_staff(
    client: Client, seeded_library, staff
):
    Exercise.objects.filter(slug="arch-lift").update(status="draft")

    public = client.get("/conditions/plantar-fasciitis/")
    client.force_login(staff)
    for_staff = client.get("/conditions/plantar-fasciitis/")

    assert "/exercises/arch-lift/" not in public.content.decode()
    assert public.context["total"] == 8
    assert "/exercises/arch-lift/" in for_staff.content.decode()


def test_long_lists_link_to_the_filtered_library(
    client: Client, seeded_library, make_exercise, link
):
    from exercises.models import Muscle

    soleus = Muscle.objects.get(slug="soleus")
    for n in range(30):
        link(make_exercise(name=f"Soleus drill {n:02}"), muscles=(soleus,))

    response = client.get("/muscles/soleus/")

    seeded = sum(
        "soleus" in {m["muscle"] for m in e["muscles"]} for e in seeded_library["exercises"]
    )
    assert len(response.context["links"]) == 24
    assert f"See all {seeded + 30} in the library" in response.content.decode()


def test_unknown_muscle_or_condition_is_a_404(client: Client, seeded_library):
    assert client.get("/muscles/biceps/").status_code == 404
    assert client.get("/conditions/gout/").status_code == 404


def test_home_leads_into_the_library_and_its_conditions(client: Client, seeded_library):
    html = client.get("/").content.decode()

    assert '<a class="button" href="/exercises/">Browse the exercise library</a>' in html
    assert '<a class="chip" href="/conditions/shin-splints/">Shin splints</a>' in html


def test_every_library_page_has_one_h1_and_the_landmarks(client: Client, seeded_library):
    for url in (
        "/exercises/",
        "/exercises/arch-lift/",
        "/muscles/hamstrings/",
        "/conditions/ankle-sprain/",
    ):
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert '<main id="main"' in html and "<header" in html and "<footer" in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "hx-on" not in html, url


def test_the_muscles_page_groups_them_by_region(client: Client, seeded_library):
    response = client.get("/muscles/")

    assert response.status_code == 200
    html = response.content.decode()
    headings = re.findall(r'<h2 id="group-\d+">([^<]+)</h2>', html)
    assert headings == ["Calf", "Foot", "Shin", "Hip and thigh"]
    for muscle in seeded_library["muscles"]:
        assert f'<a href="/muscles/{muscle["slug"]}/">{muscle["name"]}</a>' in html
    soleus = sum(
        "soleus" in {m["muscle"] for m in e["muscles"]} for e in seeded_library["exercises"]
    )
    assert f'Soleus</a> <span class="topic-count">{soleus} exercises</span>' in html
    # The calf's muscles come under the calf, A to Z.
    calf = html.split('id="group-1"')[1].split("</section>")[0]
    names = re.findall(r'<a href="/muscles/[^"]+/">([^<]+)</a>', calf)
    assert names == sorted(names) and "Soleus" in names


def test_the_conditions_page_lists_them_a_to_z_with_the_disclaimer(client: Client, seeded_library):
    html = client.get("/conditions/").content.decode()

    names = re.findall(r'<a href="/conditions/[^"]+/">([^<]+)</a>', html)
    assert names == sorted(c["name"] for c in seeded_library["conditions"])
    assert "not medical advice" in html.lower()


def test_index_pages_count_drafts_for_staff_only(client: Client, seeded_library, staff):
    Exercise.objects.filter(slug="toe-walk").update(status="draft")

    public = client.get("/muscles/").context["groups"]
    client.force_login(staff)
    for_staff = client.get("/muscles/").context["groups"]

    def counts(groups):
        return {m.slug: m.exercise_count for _, muscles in groups for m in muscles}

    assert sum(counts(for_staff).values()) > sum(counts(public).values())


def test_muscle_and_condition_pages_lead_back_to_their_index(client: Client, seeded_library):
    muscle = client.get("/muscles/soleus/").content.decode()
    condition = client.get("/conditions/shin-splints/").content.decode()

    assert '<li><a href="/muscles/">Muscles</a></li>' in muscle
    assert '<li><a href="/conditions/">Conditions</a></li>' in condition


@pytest.mark.django_db
def test_a_muscle_page_counts_its_exercises_in_plain_english(client, seeded_library):
    # The count is worked out only when the kept part is missing (a lazy value), and still
    # reads "11 exercises", never "11 exercise".
    html = client.get("/muscles/soleus/").content.decode()
    count = Exercise.objects.published().filter(muscle_links__muscle__slug="soleus").count()
    assert f"<p>{count} exercises in the library" in html
