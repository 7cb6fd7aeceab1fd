"""The library pages' cache: every save moves the content version on, and nothing per
request or personal is ever served from a shared entry."""

import copy
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from exercises import cache as library_cache
from exercises import models as library
from exercises.cache import content_version
from exercises.content.bulk import library_bulk_add
from exercises.content.seed import library_seed
from exercises.models import Exercise
from footcare.accounts.models import User
from tests.conftest import make_runner

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "results"}
PAGES = [
    "/exercises/",
    "/exercises/?condition=plantar-fasciitis&page=1",
    "/exercises/calf-raise/",
    "/muscles/",
    "/muscles/soleus/",
    "/conditions/",
    "/conditions/plantar-fasciitis/",
]
NONCE = re.compile(r'nonce="([^"]+)"')
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def signed_up(email: str, name: str = "") -> User:
    """A runner as signup leaves them (`make_runner`), with a display name if given."""
    user = make_runner(email)
    if name:
        user.runner_profile.display_name = name
        user.runner_profile.save()
    return user


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda: Exercise.objects.get(slug="calf-raise").save(), id="exercise"),
        pytest.param(lambda: library.ExerciseStep.objects.first().save(), id="step"),
        pytest.param(lambda: library.ExerciseTip.objects.first().delete(), id="tip deleted"),
        pytest.param(lambda: library.ExerciseMuscle.objects.first().save(), id="muscle role"),
        pytest.param(lambda: library.Progression.objects.first().save(), id="progression"),
        pytest.param(lambda: library.Muscle.objects.first().save(), id="muscle"),
        pytest.param(lambda: library.Condition.objects.first().save(), id="condition"),
        pytest.param(lambda: library.Source.objects.first().save(), id="source"),
        pytest.param(
            lambda: Exercise.objects.get(slug="calf-raise").equipment.clear(), id="equipment link"
        ),
        pytest.param(
            lambda: library.Equipment.objects.create(name="Band", slug="band"), id="equipment"
        ),
        pytest.param(lambda: library_bulk_add(count=2), id="bulk load"),
    ],
)
def test_every_save_of_library_content_moves_the_version_on(seeded_library, change):
    before = content_version()

    change()

    assert content_version() != before


def test_a_seed_moves_the_version_on_once(seeded_library, content_file_data, monkeypatch):
    sets = []
    monkeypatch.setattr(library_cache.cache, "set", lambda *args, **kw: sets.append(args))
    library_seed(data=copy.deepcopy(content_file_data))

    assert [args for args in sets if args[0] == library_cache.VERSION_KEY] == [
        (library_cache.VERSION_KEY, sets[0][1])
    ]


def test_an_edit_shows_on_the_next_request(client: Client, seeded_library):
    assert "Calf raise" in html(client.get("/exercises/calf-raise/"))
    assert "Calf raise" in html(client.get("/exercises/"))

    exercise = Exercise.objects.get(slug="calf-raise")
    exercise.name = "Calf raise, renamed"
    exercise.save()

    assert "Calf raise, renamed" in html(client.get("/exercises/calf-raise/"))
    assert "Calf raise, renamed" in html(client.get("/exercises/"))
    assert "Calf raise, renamed" in html(client.get("/muscles/soleus/"))


def test_admin_unpublish_and_publish_show_on_the_next_request(client: Client, seeded_library):
    staff = User.objects.create_superuser("boss@example.com", "a-long-password-7")
    editor = Client()
    editor.force_login(staff)
    exercise = Exercise.objects.get(slug="calf-raise")
    assert client.get("/exercises/calf-raise/").status_code == 200

    editor.post(
        "/admin/exercises/exercise/", {"action": "unpublish", "_selected_action": [exercise.pk]}
    )
    assert client.get("/exercises/calf-raise/").status_code == 404
    assert "/exercises/calf-raise/" not in html(client.get("/exercises/"))

    editor.post(
        "/admin/exercises/exercise/", {"action": "publish", "_selected_action": [exercise.pk]}
    )
    assert client.get("/exercises/calf-raise/").status_code == 200
    assert "/exercises/calf-raise/" in html(client.get("/exercises/"))


@pytest.mark.parametrize("url", PAGES)
def test_no_nonce_is_repeated_from_the_cache_and_visitors_get_no_csrf_token(seeded_library, url):
    first, second = Client(), Client()
    responses = [first.get(url), second.get(url), first.get(url)]
    pages = [html(response) for response in responses]

    nonces = [NONCE.findall(page) for page in pages]
    assert all(nonces)
    # Each response's nonce is its own, and the one its CSP header names.
    assert len({nonce for found in nonces for nonce in found}) == 3
    for response, found in zip(responses, nonces, strict=True):
        assert len(set(found)) == 1
        assert f"'nonce-{found[0]}'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
    # Nothing a visitor can do on a library page posts: no token, so none can be shared.
    for response, page in zip(responses, pages, strict=True):
        assert CSRF.findall(page) == [] and "csrfmiddlewaretoken" not in page
        assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert settings.CSRF_COOKIE_NAME not in first.cookies


@pytest.mark.parametrize("url", PAGES)
def test_a_runners_csrf_token_is_their_own_on_every_response(seeded_library, url):
    ada, bo = Client(), Client()
    ada.force_login(signed_up("ada@example.com"))
    bo.force_login(signed_up("bo@example.com"))
    pages = [html(who.get(url)) for who in (ada, bo, ada)]

    tokens = [CSRF.findall(page) for page in pages]
    assert all(len(found) == 1 for found in tokens)
    # Masked afresh per response, and each runner's secret is their own: Ada's tokens pass
    # Django's CSRF check with her cookie, Bo's does not (checked as Django checks a post).
    assert len({found[0] for found in tokens}) == 3
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = ada.cookies

    def refused(token: str) -> bool:
        answer = strict.post("/plans/add-exercise/", headers={"X-CSRFToken": token})
        return answer.status_code == 403

    assert not refused(tokens[0][0]) and not refused(tokens[2][0])
    assert refused(tokens[1][0])


@pytest.mark.parametrize("url", [*PAGES, "/exercises/?condition=plantar-fasciitis"])
def test_a_visitors_page_comes_whole_from_the_cache(seeded_library, url, monkeypatch):
    visitor = Client()
    first = html(visitor.get(url))
    monkeypatch.setattr("exercises.views.render", lambda *a, **kw: pytest.fail("drawn again"))

    again = html(Client().get(url))

    assert NONCE.sub("", again) == NONCE.sub("", first)
    hit = Client().get(url)
    assert int(hit["Content-Length"]) == len(hit.content)
    # A runner's page is never the visitors' one: it is drawn for them.
    ada = Client()
    ada.force_login(signed_up("ada@example.com"))
    monkeypatch.undo()
    as_ada = html(ada.get(url))
    assert "ada@example.com" in as_ada and "Log out" in as_ada and "Log in" not in as_ada


@pytest.mark.parametrize("staff_first", [True, False], ids=["staff first", "visitor first"])
def test_staff_drafts_and_banners_never_reach_a_visitor(seeded_library, staff_first):
    Exercise.objects.filter(slug="toe-walk").update(status="draft")
    cache.clear()
    staff_client, visitor, runner_client = Client(), Client(), Client()
    staff_client.force_login(User.objects.create_superuser("boss@example.com", "a-long-password-7"))
    runner_client.force_login(signed_up("ada@example.com"))
    order = (
        [staff_client, visitor, runner_client]
        if staff_first
        else [visitor, runner_client, staff_client]
    )
    pages = {
        who: {
            url: who.get(url)
            for url in (
                "/exercises/",
                "/exercises/toe-walk/",
                "/muscles/",
                "/exercises/calf-raise/",
            )
        }
        for who in order
    }

    as_staff = {url: html(response) for url, response in pages[staff_client].items()}
    assert "/exercises/toe-walk/" in as_staff["/exercises/"]
    assert "Only staff can see this page." in as_staff["/exercises/toe-walk/"]
    assert "Edit in the admin" in as_staff["/exercises/calf-raise/"]
    for who in (visitor, runner_client):
        assert pages[who]["/exercises/toe-walk/"].status_code == 404
        assert "/exercises/toe-walk/" not in html(pages[who]["/exercises/"])
        assert "Edit in the admin" not in html(pages[who]["/exercises/calf-raise/"])
        assert "badge-draft" not in html(pages[who]["/exercises/"])


def test_a_runners_own_bits_never_reach_another_runner_or_a_visitor(seeded_library):
    ada, bo, visitor = Client(), Client(), Client()
    ada.force_login(signed_up("ada@example.com", "Ada Runner"))
    bo.force_login(signed_up("bo@example.com"))

    for url in PAGES:
        as_ada, as_bo, as_visitor = (html(who.get(url)) for who in (ada, bo, visitor))

        assert "Ada Runner" in as_ada
        assert "Ada Runner" not in as_bo and "ada@example.com" not in as_bo
        assert "bo@example.com" in as_bo
        assert "Ada Runner" not in as_visitor and "bo@example.com" not in as_visitor
        # A signed-in runner's pages are kept out of htmx's history; a visitor's are not.
        assert "Log in" in as_visitor
        assert 'hx-history="false"' not in as_visitor.split("<main", 1)[0]
        assert 'hx-history="false"' in as_ada.split("<main", 1)[0]


def test_the_htmx_fragment_and_the_whole_page_are_never_mixed_up(client: Client, seeded_library):
    url = "/exercises/?condition=plantar-fasciitis"
    for _ in range(2):
        fragment = client.get(url, headers=HTMX)
        page = client.get(url)
        boosted = client.get(url, headers={"HX-Request": "true", "HX-Boosted": "true"})

        assert html(fragment).lstrip().startswith('<section id="results"')
        assert "<html" not in html(fragment)
        assert "<html" in html(page) and "<html" in html(boosted)
        for response in (fragment, page, boosted):
            vary = {value.strip() for value in response["Vary"].split(",")}
            # Cookie too: a runner's page at the same address is drawn for them.
            assert {"HX-Request", "HX-Target", "Cookie"} <= vary


def for_you(page: str) -> str:
    """The "For you" section of a page, or "" where there is none."""
    if 'id="for-you-heading"' not in page:
        return ""
    return page.split('id="for-you-heading"')[1].split("</section>")[0]


def add_to_plan(page: str) -> str:
    """The "Add to my plan" section of a page, or "" where there is none."""
    if 'id="add-to-plan-heading"' not in page:
        return ""
    return page.split('id="add-to-plan-heading"')[1].split("</section>")[0]


def runners_with_their_own_bits() -> tuple[Client, Client]:
    """Ada guards against plantar fasciitis and has a plan; Bo another condition and plan."""
    from routines.plans.models import WeeklyPlan

    ada_user, bo_user = signed_up("ada@example.com"), signed_up("bo@example.com")
    ada_user.runner_profile.conditions.set(
        library.Condition.objects.filter(slug="plantar-fasciitis")
    )
    bo_user.runner_profile.conditions.set(library.Condition.objects.filter(slug="shin-splints"))
    WeeklyPlan.objects.create(owner=ada_user, name="Ada's secret week", is_active=True)
    WeeklyPlan.objects.create(owner=bo_user, name="Bo's hill block", is_active=True)
    ada, bo = Client(), Client()
    ada.force_login(ada_user)
    bo.force_login(bo_user)
    return ada, bo


ORDERS = {
    "visitor first": ("visitor", "bo", "ada"),
    "other runner first": ("bo", "visitor", "ada"),
    "runner first": ("ada", "bo", "visitor"),
}


@pytest.mark.parametrize("order", ORDERS.values(), ids=ORDERS.keys())
def test_for_you_is_each_runners_own_whoever_filled_the_cache(seeded_library, order):
    cache.clear()
    ada, bo = runners_with_their_own_bits()
    clients = {"ada": ada, "bo": bo, "visitor": Client()}
    pages = {who: html(clients[who].get("/exercises/")) for who in order}
    # And once more, every one of them from a warm cache.
    again = {who: html(clients[who].get("/exercises/")) for who in reversed(order)}

    for seen in (pages, again):
        ada_for_you, bo_for_you = for_you(seen["ada"]), for_you(seen["bo"])
        assert "Toe yoga" in ada_for_you  # for plantar fasciitis, needs no equipment
        assert ada_for_you and bo_for_you and ada_for_you != bo_for_you
        assert "Toe yoga" not in bo_for_you
        assert for_you(seen["visitor"]) == "" and "For you" not in seen["visitor"]
        # The shared list itself is there for everyone, and no stand-in is left.
        for page in seen.values():
            assert 'id="results-heading"' in page
            assert "personal-" not in page


@pytest.mark.parametrize("order", ORDERS.values(), ids=ORDERS.keys())
def test_add_to_my_plan_lists_only_each_runners_own_plans(seeded_library, order):
    cache.clear()
    ada, bo = runners_with_their_own_bits()
    clients = {"ada": ada, "bo": bo, "visitor": Client()}
    url = "/exercises/calf-raise/"
    pages = {who: html(clients[who].get(url)) for who in order}
    again = {who: html(clients[who].get(url)) for who in reversed(order)}

    for seen in (pages, again):
        assert "Ada's secret week" in add_to_plan(seen["ada"]).replace("&#x27;", "'")
        assert "Bo's hill block" in add_to_plan(seen["bo"]).replace("&#x27;", "'")
        # The other runner's plan by its name: a bare "Bo" can turn up inside a random token.
        assert "hill block" not in add_to_plan(seen["ada"])
        assert "secret week" not in add_to_plan(seen["bo"])
        assert "Add to my plan" not in seen["visitor"]
        assert "secret week" not in seen["visitor"] and "hill block" not in seen["visitor"]
        # Each form carries its own response's CSRF token, never a cached one.
        tokens = [
            re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', add_to_plan(seen[who]))
            for who in ("ada", "bo")
        ]
        assert all(len(found) == 1 for found in tokens) and tokens[0] != tokens[1]
        for page in seen.values():
            assert 'id="exercise-title"' in page and "personal-" not in page


def test_personal_pieces_never_enter_a_shared_entry(seeded_library, monkeypatch):
    cache.clear()
    ada, bo = runners_with_their_own_bits()
    stored = []
    real_set = library_cache.cache.set
    monkeypatch.setattr(
        library_cache.cache,
        "set",
        lambda key, value, *args, **kw: (
            stored.append(repr(value)),
            real_set(key, value, *args, **kw),
        ),
    )
    for who in (ada, bo, Client()):
        for url in ("/exercises/", "/exercises/calf-raise/"):
            html(who.get(url))

    assert stored
    for value in stored:
        # "For you" is kept, but under the conditions and equipment it was chosen for,
        # the same for every runner who has them; a runner's plans never are.
        assert "add-to-plan-heading" not in value and "csrfmiddlewaretoken" not in value
        assert "secret week" not in value and "hill block" not in value
        assert "@example.com" not in value


def test_search_results_are_fresh_after_an_edit(client: Client, seeded_library):
    staff = Client()
    staff.force_login(User.objects.create_superuser("boss@example.com", "a-long-password-7"))
    calf, toe = html(client.get("/exercises/?q=calf")), html(client.get("/exercises/?q=toe"))
    # The search is in the key: each search has its own entry.
    assert "/exercises/calf-raise/" in calf and "/exercises/calf-raise/" not in toe
    assert "Zebrawalk" not in html(client.get("/exercises/?q=zebrawalk"))
    assert "Zebrawalk" not in html(client.get("/exercises/?q=zebrawalk", headers=HTMX))

    exercise = Exercise.objects.get(slug="calf-raise")
    exercise.name = "Zebrawalk calf raise"
    exercise.save()

    for page in (
        html(client.get("/exercises/?q=zebrawalk")),
        html(client.get("/exercises/?q=zebrawalk", headers=HTMX)),
        html(client.get("/exercises/?q=calf")),
    ):
        assert "Zebrawalk calf raise" in page and "/exercises/calf-raise/" in page


def test_a_visitors_page_is_kept_only_at_the_current_version(seeded_library, rf, monkeypatch):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from exercises.cache import bump_content_version
    from exercises.middleware import VisitorPageCacheMiddleware

    drawn = []

    def view(request):
        drawn.append(request.get_full_path())
        return HttpResponse(f"page {len(drawn)}")

    middleware = VisitorPageCacheMiddleware(view)
    content_version()

    def get(path: str) -> bytes:
        request = rf.get(path)
        request.user = AnonymousUser()
        return middleware(request).content

    assert get("/exercises/?q=4") == b"page 1"
    assert get("/exercises/?q=4") == b"page 1" and len(drawn) == 1
    assert get("/exercises/?q=5") == b"page 2"
    bump_content_version()
    assert get("/exercises/?q=4") == b"page 3"
    # A page no library view marks for visitors is never kept.
    assert get("/plans/") == b"page 4" and get("/plans/") == b"page 5"
    # Each process keeps its last few pages; the shared cache has the rest.
    monkeypatch.setattr("exercises.middleware.LOCAL_PAGES", 2)
    for n in range(4):
        get(f"/exercises/?q=more-{n}")
    assert len(middleware.local) == 2
    assert get("/exercises/?q=more-0") == b"page 6" and len(drawn) == 9
