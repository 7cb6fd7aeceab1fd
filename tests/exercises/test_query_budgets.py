"""Every library page costs a fixed number of queries, at the seeded size and 300 larger."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from exercises.content.bulk import library_bulk_add
from exercises.models import Exercise

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "results"}

# One budget per page, the same at both sizes, on a cold cache (what the page costs when
# an edit has just moved the content version on): the cache's own statements, when it is
# a table in the database, are counted apart. From the cache, a visitor's page is two
# cache reads (the content version and the page's content) and no query of its own.
# Anonymous visitors: the session and user lookups of a signed-in runner add the same two
# queries to every page.
# The list: muscle, condition and equipment choices, the count, the page, its equipment,
# its pictures. An exercise page adds its pictures and the muscle map's muscles; a muscle
# page the map's muscles and its cards' pictures; a condition page its cards' pictures.
PAGES = [
    pytest.param("/exercises/", {}, 7, id="list"),
    pytest.param(
        "/exercises/?q=raise&condition=achilles-tendinopathy&muscle=soleus&equipment=step"
        "&position=standing&level=3",
        {},
        7,
        id="list, every filter",
    ),
    pytest.param("/exercises/?page=1", HTMX, 7, id="list, htmx fragment"),
    # One more than the page itself: the head and "Add to my plan" read the exercise apart
    # from the kept parts, so that a kept page costs that one query. The pictures and the
    # muscle map's muscles are one query each.
    pytest.param("/exercises/calf-raise/", {}, 11, id="detail"),
    pytest.param("/muscles/soleus/", {}, 6, id="muscle"),
    pytest.param("/conditions/plantar-fasciitis/", {}, 5, id="condition"),
    pytest.param("/muscles/", {}, 1, id="muscles"),
    pytest.param("/conditions/", {}, 1, id="conditions"),
    pytest.param("/", {}, 1, id="home"),
]


def is_cache_query(sql: str) -> bool:
    """A statement of the database cache: on its table, or the savepoint its writes take."""
    if not settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        return False
    return settings.CACHES["default"]["LOCATION"] in sql or "SAVEPOINT" in sql


def count_queries(client: Client, url: str, headers: dict) -> tuple[int, int]:
    """The page's own queries and the cache's, in one request."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    of_cache = sum(is_cache_query(query["sql"]) for query in queries)
    return len(queries) - of_cache, of_cache


@pytest.mark.parametrize(("url", "headers", "budget"), PAGES)
def test_the_same_query_budget_holds_with_300_more_exercises(
    client: Client, seeded_library, url, headers, budget
):
    cache.clear()
    small, _ = count_queries(client, url, headers)
    assert small <= budget

    library_bulk_add(count=300)
    assert Exercise.objects.count() == 325

    cache.clear()
    assert count_queries(client, url, headers)[0] == small


@pytest.mark.parametrize(("url", "headers", "budget"), PAGES)
def test_from_the_cache_a_page_costs_no_query_of_its_own(
    client: Client, seeded_library, url, headers, budget
):
    client.get(url, headers=headers)

    own, of_cache = count_queries(client, url, headers)

    if url == "/":
        assert own == budget  # the home page is not cached
    else:
        assert own == 0
        assert of_cache <= 2


def test_the_large_library_is_really_large_on_each_page(client: Client, seeded_library):
    library_bulk_add(count=300)

    assert "325 exercises" in client.get("/exercises/").content.decode()
    assert client.get("/muscles/soleus/").context["total"] > 300
    assert client.get("/conditions/plantar-fasciitis/").context["total"] > 300
    detail = client.get("/exercises/calf-raise/").content.decode()
    assert detail.count("/exercises/bulk-exercise-") == 60, "a harder variant per new ladder"


def test_staff_pages_keep_a_fixed_budget_too(
    client: Client, seeded_library, django_user_model, django_assert_max_num_queries
):
    client.force_login(django_user_model.objects.create_user("s@example.com", "pw", is_staff=True))
    small = {
        url: sum(count_queries(client, url, {})) for url in ("/exercises/", "/exercises/toe-walk/")
    }

    library_bulk_add(count=300)

    for url, count in small.items():
        with django_assert_max_num_queries(count):
            client.get(url)


def test_the_admin_changelist_has_no_query_per_row(
    client: Client, seeded_library, django_user_model, django_assert_max_num_queries
):
    client.force_login(django_user_model.objects.create_superuser("boss@example.com", "pw"))
    url = "/admin/exercises/exercise/"
    small = sum(count_queries(client, url, {}))

    library_bulk_add(count=300)

    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.context["cl"].result_count == 325
