"""Pages that need an account send a visitor without a session to log in, and back to a page."""

import pytest
from django.test import Client

from footcare.accounts.models import RunnerProfile, User

pytestmark = pytest.mark.django_db

LOGIN_THEN_PROFILE = "/accounts/login/?next=/accounts/profile/"
HTMX_DAY_SAVE = {"HX-Request": "true", "HX-Target": "day-sunday"}


def test_an_htmx_day_save_without_a_session_navigates_to_log_in(client: Client, runner: User):
    # The session ran out while the profile stayed open; the runner changes Sunday.
    response = client.post(
        "/accounts/profile/days/sunday/",
        {"sunday-run_type": "long"},
        headers={**HTMX_DAY_SAVE, "HX-Current-URL": "http://testserver/accounts/profile/"},
    )

    # htmx must not follow a redirect and swap the login page into Sunday's slot.
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["HX-Redirect"] == LOGIN_THEN_PROFILE
    assert "HX-Request" in response.headers["Vary"]
    assert RunnerProfile.objects.get(user=runner).sunday == "rest", "nothing changed"


def test_an_htmx_save_comes_back_to_the_page_even_without_its_address(client: Client):
    response = client.post(
        "/accounts/profile/days/sunday/", {"sunday-run_type": "long"}, headers=HTMX_DAY_SAVE
    )

    # Never the POST-only address, which would answer 405 after logging in.
    assert response.headers["HX-Redirect"] == LOGIN_THEN_PROFILE


def test_a_day_save_without_javascript_or_a_session_comes_back_to_the_profile(
    client: Client, runner: User
):
    response = client.post("/accounts/profile/days/sunday/", {"sunday-run_type": "long"})

    assert response.status_code == 302
    assert response.url == LOGIN_THEN_PROFILE
    assert "HX-Redirect" not in response.headers
    assert RunnerProfile.objects.get(user=runner).sunday == "rest"


def test_the_login_page_says_the_change_was_not_saved_and_login_returns_to_the_profile(
    client: Client, runner: User
):
    from .conftest import login

    response = client.post(
        "/accounts/profile/days/sunday/", {"sunday-run_type": "long"}, follow=True
    )

    assert "that change was not saved" in response.content.decode()
    assert 'name="next" value="/accounts/profile/"' in response.content.decode()
    back = login(client, runner.email, next="/accounts/profile/")
    assert back.url == "/accounts/profile/"
    assert client.get(back.url).status_code == 200


def test_a_profile_form_post_without_a_session_comes_back_to_the_form(client: Client, runner: User):
    response = client.post(
        "/accounts/profile/", {"display_name": "Ada", "units": "mi", "experience": "some"}
    )

    assert response.url == LOGIN_THEN_PROFILE
    assert RunnerProfile.objects.get(user=runner).display_name == ""


def test_an_htmx_request_from_another_page_comes_back_to_that_page(client: Client):
    response = client.get(
        "/accounts/export/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/exercises/?q=calf"},
    )

    assert response.headers["HX-Redirect"] == "/accounts/login/?next=/exercises/%3Fq%3Dcalf"


def test_an_htmx_request_never_comes_back_to_another_site(client: Client):
    response = client.get(
        "/accounts/delete/",
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/accounts/"},
    )

    assert response.headers["HX-Redirect"] == "/accounts/login/?next=/accounts/delete/"


def test_a_page_load_keeps_its_query_string_as_login_required_does(client: Client):
    response = client.get("/accounts/export/?format=json")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/export/%3Fformat%3Djson"
    assert "that change was not saved" not in client.get(response.url).content.decode()


def test_a_boosted_link_navigates_to_log_in_and_back_to_its_own_address(client: Client):
    response = client.get(
        "/accounts/profile/",
        headers={
            "HX-Request": "true",
            "HX-Boosted": "true",
            "HX-Current-URL": "http://testserver/exercises/",
        },
    )

    assert response.headers["HX-Redirect"] == LOGIN_THEN_PROFILE


def test_a_signed_in_runner_passes_straight_through(runner_client: Client, runner: User):
    response = runner_client.post(
        "/accounts/profile/days/sunday/", {"sunday-run_type": "long"}, headers=HTMX_DAY_SAVE
    )

    assert response.status_code == 200
    assert "HX-Redirect" not in response.headers
    assert RunnerProfile.objects.get(user=runner).sunday == "long"


def test_return_to_may_be_a_function_of_the_views_arguments(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.http import HttpResponse
    from django_htmx.middleware import HtmxDetails

    from footcare.accounts.decorators import runner_required

    @runner_required(return_to=lambda request, pk: f"/plans/{pk}/")
    def plan_item_done(request, pk: int) -> HttpResponse:
        raise AssertionError("never reached without a session")

    request = rf.post("/plans/7/items/3/done/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = HtmxDetails(request)

    response = plan_item_done(request, pk=7)

    assert response.url == "/accounts/login/?next=/plans/7/"
