"""Search: runners' words find the right exercises, ranked, on SQLite and on PostgreSQL.

The same tests run on whichever database DATABASE_URL names; CI runs them on both.
"""

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from exercises.models import Condition, Exercise, ExerciseCondition
from exercises.search import fts5_query, parse, related_text_refresh, search_exercises, tsquery

HTMX = {"HX-Request": "true", "HX-Target": "results"}


def linked_to(data: dict[str, Any], condition: str) -> set[str]:
    """Slugs the content file links to a condition: the test's own reading of the data."""
    return {
        e["slug"]
        for e in data["exercises"]
        if condition in {link["condition"] for link in e["conditions"]}
    }


def working(data: dict[str, Any], muscle: str) -> set[str]:
    return {e["slug"] for e in data["exercises"] if muscle in {m["muscle"] for m in e["muscles"]}}


def found(client: Client, text: str) -> list[str]:
    response = client.get("/exercises/", {"q": text})
    assert response.status_code == 200
    return [exercise.slug for exercise in response.context["page"].object_list]


# query, what must be among the results (a function of the content file), which must come
# first (any one of them), what must not be found.
CASES = [
    (
        "plantar",
        lambda lib: linked_to(lib, "plantar-fasciitis"),
        lambda lib: linked_to(lib, "plantar-fasciitis"),
        {"single-leg-deadlift", "heel-walk", "calf-raise"},
    ),
    (
        "achilles",
        lambda lib: linked_to(lib, "achilles-tendinopathy"),
        lambda lib: linked_to(lib, "achilles-tendinopathy"),
        {"toe-yoga", "single-leg-squat", "heel-walk"},
    ),
    (
        "Achilles tendonitis",
        lambda lib: linked_to(lib, "achilles-tendinopathy"),
        lambda lib: linked_to(lib, "achilles-tendinopathy"),
        {"toe-yoga"},
    ),
    (
        "shin",
        lambda lib: linked_to(lib, "shin-splints") | working(lib, "tibialis-anterior"),
        lambda lib: linked_to(lib, "shin-splints") | working(lib, "tibialis-anterior"),
        {"toe-yoga", "single-leg-deadlift"},
    ),
    (
        # The shin's own exercise too (issue 20 point 16): the heel walk works the muscle
        # at the front of the shin.
        "shin splints",
        lambda lib: linked_to(lib, "shin-splints") | working(lib, "tibialis-anterior"),
        lambda lib: linked_to(lib, "shin-splints") | working(lib, "tibialis-anterior"),
        {"toe-yoga", "single-leg-deadlift"},
    ),
    (
        "heel pain",
        lambda lib: linked_to(lib, "plantar-fasciitis") | linked_to(lib, "achilles-tendinopathy"),
        lambda lib: linked_to(lib, "plantar-fasciitis") | linked_to(lib, "achilles-tendinopathy"),
        # Heel pain is about the conditions that cause it, not walking on your heels.
        {"heel-walk", "single-leg-deadlift"},
    ),
    (
        "my heels are sore",
        lambda lib: linked_to(lib, "plantar-fasciitis"),
        lambda lib: linked_to(lib, "plantar-fasciitis") | linked_to(lib, "achilles-tendinopathy"),
        {"heel-walk"},
    ),
    (
        "calf raises",
        lambda _: {"calf-raise", "calf-raise-both-feet", "calf-raise-weighted"},
        lambda _: {"calf-raise", "calf-raise-both-feet", "calf-raise-weighted"},
        {"toe-yoga", "heel-walk", "marble-pickup"},
    ),
    (
        "calves",
        lambda _: {"calf-raise", "calf-drop-step", "soleus-raise"},
        lambda lib: working(lib, "gastrocnemius") | working(lib, "soleus"),
        {"toe-yoga", "marble-pickup"},
    ),
    (
        "big toe",
        lambda _: {"toe-yoga"},
        lambda _: {"toe-yoga"},
        {"calf-raise", "single-leg-squat"},
    ),
    (
        "arch",
        lambda _: {"arch-lift"},
        lambda _: {"arch-lift"},
        {"single-leg-squat", "heel-walk"},
    ),
    (
        "towel",
        lambda _: {"towel-scrunch"},
        lambda _: {"towel-scrunch"},
        {"calf-raise"},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "includes", "first", "excludes"), CASES, ids=[case[0] for case in CASES]
)
def test_runners_words_find_the_right_exercises(
    client: Client, seeded_library, text, includes, first, excludes
):
    results = found(client, text)

    assert includes(seeded_library) <= set(results), results
    assert results[0] in first(seeded_library), results
    assert not excludes & set(results), results


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "first", "then"),
    [
        # Pain under the heel is plantar fasciitis: its exercises before the Achilles ones.
        ("heel pain", "plantar-fasciitis", "achilles-tendinopathy"),
        ("my heels are sore", "plantar-fasciitis", "achilles-tendinopathy"),
        ("sore shins", "shin-splints", None),
    ],
)
def test_a_sore_place_ranks_the_exercises_for_its_first_condition_first(
    client: Client, seeded_library, text, first, then
):
    results = found(client, text)
    for_first = linked_to(seeded_library, first)

    assert set(results[: len(for_first)]) == for_first, results
    if then:
        assert linked_to(seeded_library, then) - for_first <= set(results[len(for_first) :])


@pytest.mark.django_db
def test_heel_pain_ranks_plantar_fasciitis_first_even_over_a_name_that_says_achilles(
    client: Client, seeded_library
):
    # A match in the name weighs most; the sore place's first condition weighs more.
    achilles_only = linked_to(seeded_library, "achilles-tendinopathy") - linked_to(
        seeded_library, "plantar-fasciitis"
    )
    slug = sorted(achilles_only)[0]
    Exercise.objects.filter(slug=slug).update(
        name="Achilles calf raise", summary="Calf raises for the Achilles tendon."
    )
    results = found(client, "heel pain")
    plantar = linked_to(seeded_library, "plantar-fasciitis")

    assert set(results[: len(plantar)]) == plantar, results
    assert slug in results[len(plantar) :]


@pytest.mark.django_db
def test_the_htmx_fragment_ranks_the_same_way(client: Client, seeded_library):
    whole = found(client, "calf raises")
    fragment = client.get("/exercises/", {"q": "calf raises"}, headers=HTMX)

    assert [e.slug for e in fragment.context["page"].object_list] == whole


@pytest.mark.django_db
def test_words_with_nothing_to_search_leave_the_library_whole(client: Client, seeded_library):
    response = client.get("/exercises/", {"q": "the"})
    assert response.context["page"].paginator.count == len(seeded_library["exercises"])


@pytest.mark.django_db
def test_odd_characters_are_searched_as_words_not_as_query_syntax(client: Client, seeded_library):
    for text in ['"', "calf*", "calf OR toe", "NEAR(calf", "calf & | ! :*", "-toe", "(((", "'"]:
        response = client.get("/exercises/", {"q": text})
        assert response.status_code == 200, text


@pytest.mark.django_db
def test_search_follows_edits_made_in_the_admin_and_the_shell(client: Client, seeded_library):
    plantar = Condition.objects.get(slug="plantar-fasciitis")
    walk = Exercise.objects.get(slug="heel-walk")

    plantar.name = "Plantar heel pain"
    plantar.save()
    assert "arch-lift" in found(client, "plantar heel")

    link = ExerciseCondition.objects.create(exercise=walk, condition=plantar, note="Why.")
    assert "heel-walk" in found(client, "plantar")
    link.delete()
    assert "heel-walk" not in found(client, "plantar")

    walk.name = "Heel march"
    walk.save()
    assert found(client, "march") == ["heel-walk"]
    # An update that bypasses save() reaches the index too.
    Exercise.objects.filter(pk=walk.pk).update(summary="Stride along on your heels.")
    assert found(client, "stride") == ["heel-walk"]
    walk.delete()
    assert found(client, "march") == []


@pytest.mark.django_db
def test_the_seed_fills_what_search_reads_about_links(seeded_library):
    Exercise.objects.update(search_related="")
    assert related_text_refresh() == len(seeded_library["exercises"])
    toe_yoga = Exercise.objects.get(slug="toe-yoga")
    assert "Plantar fasciitis" in toe_yoga.search_related
    assert related_text_refresh() == 0


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
def test_sqlite_index_survives_a_table_rebuild(client: Client, seeded_library):
    # SQLite alters a table by copying it into a new one, which drops its triggers; the
    # index is reinstalled after every migrate (post_migrate).
    from django.core.management import call_command

    from exercises.search import FTS_TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {FTS_TABLE}_au")
    call_command("migrate", verbosity=0)
    Exercise.objects.filter(slug="toe-yoga").update(name="Toe piano")
    assert found(client, "piano") == ["toe-yoga"]


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("heel pain", [(("plantar", "fasciitis"), ("achilles",))]),
        ("pain in my heel", [(("plantar", "fasciitis"), ("achilles",))]),
        ("heel", [(("heel",),)]),
        (
            "calf raises",
            [(("calf",), ("calves",), ("gastrocnemius",), ("soleus",)), (("raises",),)],
        ),
        ("big toe", [(("big", "toe"), ("hallucis",))]),
        ("Achilles' tendonitis", [(("achilles",),), (("tendonitis",), ("tendinopathy",))]),
        ("shin splints", [(("shin", "splints"), ("tibialis", "anterior"))]),
        ("the and of", []),
        ("pain", []),
        ("toe toe", [(("toe",),)]),
    ],
)
def test_parse_reads_runners_words(text, groups):
    assert parse(text) == groups


def test_one_reading_written_for_both_databases():
    groups = parse("heel pain calf")

    assert tsquery(groups) == (
        "((plantar:* & fasciitis:*) | (achilles:*))"
        " & ((calf:*) | (calves:*) | (gastrocnemius:*) | (soleus:*))"
    )
    assert fts5_query(groups) == (
        '(("plantar"* AND "fasciitis"*) OR ("achilles"*))'
        ' AND (("calf"*) OR ("calves"*) OR ("gastrocnemius"*) OR ("soleus"*))'
    )


def test_query_syntax_never_reaches_the_database():
    for text in ['calf" OR "toe', "a:* | b", "NEAR(x y)", "*", "^toe"]:
        for group in parse(text):
            for alternative in group:
                assert all(word.isalnum() for word in alternative), text


@pytest.mark.django_db
def test_the_empty_state_says_what_was_searched_and_claims_no_filters(
    client: Client, seeded_library
):
    html = client.get("/exercises/", {"q": "handstand"}).content.decode()

    assert "No exercises match" in html
    assert "Nothing in the library matches “handstand”." in html
    assert "filter" not in html.split('class="empty-state')[1].split("</div>")[0]


@pytest.mark.django_db
def test_the_empty_state_names_the_filters_when_only_filters_were_set(
    client: Client, seeded_library
):
    html = client.get("/exercises/", {"position": "walking", "level": "5"}).content.decode()

    assert "fits all of these filters together: done walking, level 5." in html
    assert "matches “" not in html


@pytest.mark.django_db
def test_the_empty_state_names_search_and_filters_together(client: Client, seeded_library):
    html = client.get("/exercises/", {"q": "toe yoga", "level": "5"}).content.decode()

    assert "Nothing in the library matches “toe yoga” together with level 5." in html


@pytest.mark.django_db
def test_a_search_offers_the_page_of_the_condition_it_names(client: Client, seeded_library):
    empty = client.get("/exercises/", {"q": "plantar fasciitis", "level": "5"})
    found_some = client.get("/exercises/", {"q": "heel pain"}, headers=HTMX)

    assert 'href="/conditions/plantar-fasciitis/"' in empty.content.decode()
    html = found_some.content.decode()
    assert 'href="/conditions/plantar-fasciitis/"' in html
    assert 'href="/conditions/achilles-tendinopathy/"' in html


@pytest.mark.django_db
def test_a_search_for_a_muscle_offers_its_page(client: Client, seeded_library):
    html = client.get("/exercises/", {"q": "shin"}).content.decode()

    assert 'href="/conditions/shin-splints/"' in html
    assert 'href="/muscles/tibialis-anterior/"' in html


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_postgresql_can_answer_a_search_from_its_index(seeded_library):
    from exercises.search import PG_INDEX

    queryset = search_exercises(Exercise.objects.all(), "towel")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Only an index over exactly the searched expression can serve this filter.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert PG_INDEX in plan, plan


@pytest.mark.django_db
def test_a_sore_place_alone_offers_the_conditions_that_make_it_sore(client: Client, seeded_library):
    html = client.get("/exercises/", {"q": "heel"}).content.decode()

    assert 'href="/conditions/plantar-fasciitis/"' in html
    assert 'href="/conditions/achilles-tendinopathy/"' in html
