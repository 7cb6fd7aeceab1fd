"""A runner's own pages kept per session (footcare/page_cache.py): served again only while
nothing they show has changed, and never to anyone else.

Each test would fail if the cache served a page it should not: a kept page is marked
(`runner_page_hit`), and each test says when a page must be one and when it must not.
"""

import datetime
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from exercises.models import Exercise
from footcare import page_cache
from footcare.accounts.models import RunnerProfile, User
from routines.plans.models import WeeklyPlan
from routines.training.models import MorningCheckIn
from tests.exercises.test_admin import change_form_data

from .conftest import MONDAY, add_item

pytestmark = pytest.mark.django_db

PAGES = ["/plans/", "/today/", "/log/", "/progress/", "/accounts/profile/"]


@pytest.fixture(autouse=True)
def _no_pages_kept_between_tests():
    # The store is the process's; the cache it checks against is emptied for each test.
    page_cache.forget_all()
    yield
    page_cache.forget_all()


def kept(response) -> bool:
    assert response.status_code == 200
    return getattr(response, "runner_page_hit", False)


def board(plan: WeeklyPlan) -> str:
    return plan.get_absolute_url()


def twice(client: Client, url: str, **kwargs):
    """The page drawn, then served again as kept."""
    first = client.get(url, **kwargs)
    assert not kept(first), url
    second = client.get(url, **kwargs)
    assert kept(second), url
    return second


def nonce_of(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def tokens_of(response) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text))


# What a kept page is -------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_each_page_is_kept_and_served_again_without_the_view(
    runner_client, runner_with_plan, on_monday, settings, url
):
    drawn = runner_client.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = runner_client.get(url)

    assert kept(again)
    # One read of the cache (the versions and the session at once) and no other query: on
    # the cache table that read is the one query; on Redis there is none.
    expected = 0 if settings.CACHES["default"]["BACKEND"].endswith("RedisCache") else 1
    assert len(captured) == expected
    assert all("footcare_cache" in query["sql"] for query in captured)

    # Alike but for the nonce, the CSRF tokens and the forms' one-off tokens, each fresh.
    def alike(response) -> str:
        text = re.sub(r"[A-Za-z0-9]{64}", "T", response.text.replace(nonce_of(response), "N"))
        return re.sub(r'name="token" value="[^"]+"', "O", text)

    assert alike(again) == alike(drawn)


def test_the_board_is_kept_too(runner_client, runner_with_plan, on_monday):
    assert "Strong feet" in twice(runner_client, board(runner_with_plan)).text


def test_every_kept_page_has_a_nonce_and_a_csrf_token_of_its_own_that_work(
    runner, runner_with_plan, on_monday
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(runner)
    responses = [client.get("/plans/") for _ in range(4)]
    assert [kept(r) for r in responses] == [False, True, True, True]

    nonces = [nonce_of(r) for r in responses]
    assert len(set(nonces)) == 4
    for response, nonce in zip(responses, nonces, strict=True):
        assert f'nonce="{nonce}"' in response.text
        assert page_cache.NONCE_MARK not in response.text
        assert page_cache.CSRF_MARK not in response.text
    secret = client.cookies["csrftoken"].value
    tokens = [tokens_of(r) for r in responses]
    assert all(len(t) == 1 for t in tokens)
    assert len({next(iter(t)) for t in tokens}) == 4
    assert {_unmask_cipher_token(next(iter(t))) for t in tokens} == {secret}
    # The cookie is renewed as Django renews it whenever a page uses the token.
    assert responses[-1].cookies["csrftoken"].value == secret

    # A form posted from a kept page is accepted.
    token = next(iter(tokens[-1]))
    made = client.post("/plans/new/", {"name": "From a kept page", "csrfmiddlewaretoken": token})
    assert made.status_code == 302
    assert WeeklyPlan.objects.filter(owner=runner, name="From a kept page").exists()


def once_tokens(response) -> list[str]:
    return re.findall(r'name="token" value="([^"]+)"', response.text)


def test_every_kept_page_has_one_off_form_tokens_of_its_own(
    runner_client, runner, runner_with_plan
):
    # Two tabs of the plans list, the second a kept page: each has a token of its own, as
    # two drawn pages would, so a plan made in each tab is two plans, not one made twice.
    tab_one = runner_client.get("/plans/")
    tab_two = runner_client.get("/plans/")
    assert kept(tab_two)
    assert once_tokens(tab_one) and not set(once_tokens(tab_one)) & set(once_tokens(tab_two))
    assert page_cache.ONCE_MARK not in tab_two.text
    for name, tab in (("From tab one", tab_one), ("From tab two", tab_two)):
        (token,) = once_tokens(tab)
        assert runner_client.post("/plans/new/", {"name": name, "token": token}).status_code == 302
    assert set(runner.weekly_plans.values_list("name", flat=True)) >= {
        "From tab one",
        "From tab two",
    }

    # The board's Duplicate and Copy a day likewise (once the message the last plan left
    # is shown).
    url = board(runner_with_plan)
    runner_client.get("/plans/")
    drawn, again = runner_client.get(url), runner_client.get(url)
    assert kept(again) and len(once_tokens(again)) == len(once_tokens(drawn)) == 2
    assert not set(once_tokens(again)) & set(once_tokens(drawn))


def test_a_kept_page_says_never_cache_afresh(runner_client, runner_with_plan, on_monday):
    again = twice(runner_client, "/plans/")
    assert "no-store" in again["Cache-Control"] and "private" in again["Cache-Control"]
    assert again["Expires"]
    assert again["Content-Length"] == str(len(again.content))
    assert again["X-Frame-Options"] == "DENY"


def test_a_page_the_view_does_not_mark_is_never_kept(runner_client, seeded_library):
    for url in ["/", "/exercises/calf-raise/", "/accounts/export/"]:
        for _ in range(2):
            assert not getattr(runner_client.get(url), "runner_page_hit", False), url


def test_the_htmx_fragment_and_the_page_are_kept_apart(runner_client, runner_with_plan):
    item = runner_with_plan.items.first()
    fragment = {"HX-Request": "true", "HX-Target": f"item-{item.pk}"}
    url = f"{board(runner_with_plan)}items/{item.pk}/"
    whole = runner_client.get(url)
    part = twice(runner_client, url, headers=fragment)
    again = runner_client.get(url)

    assert not kept(whole) and kept(again)
    assert "<html" in whole.text and "<html" in again.text
    assert "<html" not in part.text
    assert "Cookie" in again["Vary"] and "HX-Target" in part["Vary"]


# Never anyone else's ---------------------------------------------------------------------


def test_another_runner_is_never_served_a_runners_page(
    runner_client, other_client, runner_with_plan, on_monday
):
    for url in PAGES:
        twice(runner_client, url)
        theirs = other_client.get(url)
        assert not kept(theirs)
        # A word: the profile's time zones have America/Adak.
        assert not re.search(r"\bAda\b", theirs.text) and "ada@example.com" not in theirs.text
        assert "Strong feet" not in theirs.text


def test_a_visitor_with_the_same_address_is_sent_to_log_in(runner_client, runner_with_plan):
    twice(runner_client, "/plans/")
    assert Client().get("/plans/").status_code == 302


def test_another_session_of_the_same_runner_gets_its_own_pages(runner, runner_with_plan):
    phone, laptop = Client(), Client()
    phone.force_login(runner)
    laptop.force_login(runner)
    twice(phone, "/plans/")
    assert not kept(laptop.get("/plans/"))

    # A write on one device moves the other's pages on too.
    assert kept(laptop.get("/plans/"))
    phone.post("/plans/new/", {"name": "Made on the phone"})
    page = laptop.get("/plans/")
    assert not kept(page) and "Made on the phone" in page.text


def test_after_logout_the_old_session_cookie_gets_no_kept_page(runner_client, runner_with_plan):
    twice(runner_client, "/plans/")
    old = runner_client.cookies["sessionid"].value
    runner_client.post("/accounts/logout/")

    replay = Client()
    replay.cookies["sessionid"] = old
    assert replay.get("/plans/").status_code == 302


def test_a_password_changed_elsewhere_ends_the_kept_pages_with_the_session(
    runner_client, runner, runner_with_plan
):
    twice(runner_client, "/plans/")
    user = User.objects.get(pk=runner.pk)
    user.set_password("a-new-password-for-ada-7")
    user.save()

    assert runner_client.get("/plans/").status_code == 302


def test_a_deleted_account_leaves_no_kept_page(runner_client, runner, runner_with_plan):
    twice(runner_client, "/plans/")
    old = runner_client.cookies["sessionid"].value
    User.objects.get(pk=runner.pk).delete()

    replay = Client()
    replay.cookies["sessionid"] = old
    assert replay.get("/plans/").status_code == 302


# Fresh after every change ----------------------------------------------------------------


def test_a_runners_own_post_moves_their_pages_on(
    runner_client, runner_with_plan, exercise, on_monday
):
    url = board(runner_with_plan)
    twice(runner_client, url)
    item = runner_with_plan.items.get(weekday=0, position=1)
    # A move is a bulk update of positions, which no signal sees: the request's end does.
    # Through htmx, as the board does: no message, so the session stays as it was when the
    # old board was kept, and only the runner's version tells the two boards apart.
    moved = runner_client.post(
        f"{url}items/{item.pk}/move/",
        {"direction": "up"},
        headers={"HX-Request": "true", "HX-Target": "day-0"},
    )
    assert moved.status_code == 200
    page = runner_client.get(url)

    assert not kept(page)
    monday = page.text.split('id="day-0"')[1].split('id="day-1"')[0]
    names = re.findall(r'class="plan-item-name"><a href="/exercises/([^/]+)/', monday)
    assert names == ["toe-yoga", "calf-raise"]


def test_todays_page_after_a_tick(runner_client, runner_with_plan, on_monday):
    twice(runner_client, "/today/")
    item = runner_with_plan.items.get(weekday=0, position=0)
    runner_client.post(
        f"/today/items/{item.pk}/sets/1/", {"amount": "10", "amount_right": "9", "action": "done"}
    )

    page = runner_client.get("/today/")
    assert not kept(page)
    assert "Set 1 done. Undo" in page.text
    # Kept again from then on, with the tick.
    again = runner_client.get("/today/")
    assert kept(again) and "Set 1 done. Undo" in again.text


@pytest.mark.parametrize(
    ("url", "change", "shown"),
    [
        (
            "/plans/",
            lambda runner, plan, ex: WeeklyPlan.objects.create(owner=runner, name="Shell plan"),
            "Shell plan",
        ),
        (
            "board",
            lambda runner, plan, ex: add_item(plan, ex("towel-scrunch"), 2),
            "Towel scrunch",
        ),
        (
            "/today/",
            lambda runner, plan, ex: MorningCheckIn.objects.create(
                owner=runner, date=MONDAY, pain=4, stiffness=5
            ),
            "Pain 4/10, stiffness 5/10 this morning",
        ),
        (
            "/accounts/profile/",
            lambda runner, plan, ex: _save_name(runner, "Ada L"),
            "Ada L",
        ),
    ],
)
def test_a_change_made_outside_the_runners_requests_shows_on_the_next_one(
    runner, runner_client, runner_with_plan, exercise, on_monday, url, change, shown
):
    url = board(runner_with_plan) if url == "board" else url
    assert shown not in twice(runner_client, url).text
    change(runner, runner_with_plan, exercise)

    page = runner_client.get(url)
    assert not kept(page)
    assert shown in page.text


def _save_name(runner: User, name: str) -> None:
    profile = RunnerProfile.objects.get(user=runner)
    profile.display_name = name
    profile.save()


def test_an_admin_edit_of_a_runners_plan_shows_on_their_next_request(
    runner_client, runner_with_plan, admin_client
):
    url = board(runner_with_plan)
    twice(runner_client, url)
    admin_url = f"/admin/plans/weeklyplan/{runner_with_plan.pk}/change/"
    data = change_form_data(admin_client.get(admin_url))
    data["name"] = "Renamed by staff"
    assert admin_client.post(admin_url, data).status_code == 302

    page = runner_client.get(url)
    assert not kept(page) and "Renamed by staff" in page.text


def test_a_library_edit_shows_on_the_runners_board(runner_client, runner_with_plan):
    url = board(runner_with_plan)
    twice(runner_client, url)
    calf = Exercise.objects.get(slug="calf-raise")
    calf.name = "Heel raise"
    calf.save()

    page = runner_client.get(url)
    assert not kept(page) and "Heel raise" in page.text


def test_a_new_day_draws_today_afresh(runner_client, runner_with_plan, monkeypatch):
    monkeypatch.setattr("footcare.clock.today", lambda: MONDAY)
    twice(runner_client, "/today/")
    monkeypatch.setattr("footcare.clock.today", lambda: MONDAY + datetime.timedelta(days=3))

    page = runner_client.get("/today/")
    assert not kept(page) and "Thursday" in page.text


def test_a_message_waiting_is_shown_once_and_not_from_a_kept_page(runner_client, runner_with_plan):
    twice(runner_client, "/plans/")
    runner_client.post("/plans/new/", {"name": "Second plan"})

    with_message = runner_client.get("/plans/")
    assert not kept(with_message) and "is made" in with_message.text
    after = runner_client.get("/plans/")
    assert "is made" not in after.text


# Bounds and outages ----------------------------------------------------------------------


def test_a_page_is_kept_at_most_max_age(runner_client, runner_with_plan, monkeypatch):
    twice(runner_client, "/plans/")
    later = page_cache.time.monotonic() + page_cache.MAX_AGE + 1
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)
    assert not kept(runner_client.get("/plans/"))


def test_the_store_keeps_only_the_last_pages(runner_client, runner_with_plan, monkeypatch):
    monkeypatch.setattr(page_cache, "LOCAL_PAGES", 2)
    for month in ("2026-09", "2026-10", "2026-11"):
        runner_client.get(f"/log/?month={month}")
    assert len(page_cache._pages) == 2
    assert not kept(runner_client.get("/log/?month=2026-09"))
    assert kept(runner_client.get("/log/?month=2026-11"))


def test_the_switch_turns_it_off(runner_client, runner_with_plan, settings):
    settings.RUNNER_PAGE_CACHE = False
    for _ in range(3):
        assert not kept(runner_client.get("/plans/"))


def test_with_the_cache_down_a_kept_page_is_not_served_and_the_answer_is_a_clear_503(
    runner, runner_with_plan, settings
):
    from tests.footcare.test_health import closed_port

    client = Client(raise_request_exception=False)
    client.force_login(runner)
    twice(client, "/plans/")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/8",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }

    response = client.get("/plans/")
    assert response.status_code == 503
    assert "try again shortly" in response.text


def test_the_version_is_per_runner(runner, other_runner):
    mine, theirs = page_cache.runner_version(runner.pk), page_cache.runner_version(other_runner.pk)
    page_cache.bump_runner(runner.pk)
    assert page_cache.runner_version(runner.pk) != mine
    assert page_cache.runner_version(other_runner.pk) == theirs


def test_the_session_is_what_a_page_is_kept_under(runner_client, runner):
    twice(runner_client, "/accounts/profile/")
    (page,) = page_cache._pages.values()
    assert str(page.drawn_under.session[SESSION_KEY]) == str(runner.pk)
    assert page.drawn_under.session_key.endswith(runner_client.cookies["sessionid"].value)


def test_a_check_in_recorded_outside_the_runners_requests_shows_on_today(
    runner, runner_client, runner_with_plan, on_monday
):
    MorningCheckIn.objects.create(owner=runner, date=MONDAY, pain=2, stiffness=3)
    assert "Pain 2/10, stiffness 3/10" in twice(runner_client, "/today/").text
    # record() changes an existing row with update(), which no signal sees.
    MorningCheckIn.objects.record(owner=runner, day=MONDAY, pain=7)

    page = runner_client.get("/today/")
    assert not kept(page)
    assert "Pain 7/10, stiffness 3/10" in page.text


def test_a_plan_activated_outside_the_runners_requests_shows_on_their_pages(
    runner, runner_client, runner_with_plan, on_monday
):
    from routines.plans import services

    other = WeeklyPlan.objects.create(owner=runner, name="Quiet week")
    assert "Strong feet" in twice(runner_client, "/today/").text
    # plan_activate() flips is_active with update(), which no signal sees.
    services.plan_activate(plan=other)

    page = runner_client.get("/today/")
    assert not kept(page)
    assert "Quiet week" in page.text


def test_a_plan_given_to_another_runner_is_no_longer_served_to_its_old_owner(
    runner_client, other_runner, runner_with_plan
):
    url = board(runner_with_plan)
    twice(runner_client, url)
    twice(runner_client, "/plans/")
    # Moved to another runner outside the old owner's requests (a command, the shell).
    runner_with_plan.owner = other_runner
    runner_with_plan.save()

    assert runner_client.get(url).status_code == 404
    page = runner_client.get("/plans/")
    assert not kept(page) and "Strong feet" not in page.text


def test_a_set_deleted_outside_the_runners_requests_shows_on_today(
    runner, runner_client, runner_with_plan, on_monday
):
    from routines.training.models import SetLog

    item = runner_with_plan.items.get(weekday=0, position=0)
    runner_client.post(
        f"/today/items/{item.pk}/sets/1/", {"amount": "10", "amount_right": "9", "action": "done"}
    )
    assert "Set 1 done. Undo" in twice(runner_client, "/today/").text
    # Deleted on its own (the shell, a command), not in a cascade from its session.
    SetLog.objects.get(log__session__owner=runner).delete()

    page = runner_client.get("/today/")
    assert not kept(page)
    assert "Set 1 done. Undo" not in page.text
