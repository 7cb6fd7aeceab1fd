"""The runner's time zone: the browser's at signup, theirs to change on the profile."""

import re

import pytest
from django.test import Client

from footcare.accounts.models import RunnerProfile, User
from tests.conftest import PASSWORD, make_runner

pytestmark = pytest.mark.django_db

GUESS_FAILED = "We could not tell your time zone"
BAD_ZONE = "Choose your time zone from the list."


def signup(client: Client, email: str, **extra: str):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra},
    )


def zone_of(email: str) -> str:
    return RunnerProfile.objects.get(user__email=email).time_zone


def test_the_signup_form_carries_the_browsers_zone_in_a_hidden_field(client: Client):
    html = client.get("/accounts/signup/").text

    assert re.search(r'<input type="hidden" name="time_zone"[^>]*id="id_time_zone"', html)
    assert re.search(r'<script src="/static/js/time_zone\.js[^"]*" defer nonce="', html)


def test_signup_keeps_the_zone_the_browser_sent(client: Client):
    response = signup(client, "kiwi@example.com", time_zone="Pacific/Auckland")

    assert response.status_code == 302
    assert zone_of("kiwi@example.com") == "Pacific/Auckland"
    assert GUESS_FAILED not in client.get(response.url).text


@pytest.mark.parametrize("sent", ["Mars/Olympus_Mons", "../../etc/passwd", "", "x" * 300, None])
def test_signup_with_no_zone_or_a_bogus_one_goes_on_in_utc_and_says_so(
    client: Client, settings, sent
):
    extra = {} if sent is None else {"time_zone": sent}
    response = signup(client, "new@example.com", **extra)

    assert response.status_code == 302, "a field the runner cannot see never stops signup"
    assert zone_of("new@example.com") == settings.TIME_ZONE == "UTC"
    page = client.get(response.url).text
    assert f"{GUESS_FAILED}, so your days follow UTC for now." in page


def test_the_fallback_message_tells_nothing_about_whether_the_address_has_an_account():
    make_runner("known@example.com")
    known, unknown = Client(), Client()

    signup(known, "known@example.com", time_zone="Mars/Olympus_Mons")
    signup(unknown, "unknown@example.com", time_zone="Mars/Olympus_Mons")

    assert GUESS_FAILED in known.get("/accounts/confirm-email/").text
    assert GUESS_FAILED in unknown.get("/accounts/confirm-email/").text
    assert zone_of("known@example.com") == "UTC", "the existing account is left as it was"


def test_the_profile_offers_the_systems_zones_with_the_runners_chosen(
    runner_client: Client, runner: User
):
    RunnerProfile.objects.filter(user=runner).update(time_zone="America/Los_Angeles")

    html = runner_client.get("/accounts/profile/").text

    assert '<label for="id_time_zone">Time zone</label>' in html
    assert re.search(r'<option value="America/Los_Angeles" selected>America/Los Angeles<', html)
    assert '<option value="Pacific/Auckland">Pacific/Auckland</option>' in html


def test_the_runner_changes_their_zone_on_the_profile(runner_client: Client, runner: User):
    response = runner_client.post(
        "/accounts/profile/",
        {"display_name": "Ada", "experience": "new", "time_zone": "Pacific/Auckland"},
    )

    assert response.status_code == 302
    assert zone_of(runner.email) == "Pacific/Auckland"


@pytest.mark.parametrize("sent", ["Mars/Olympus_Mons", "pacific/auckland", "x" * 300])
def test_a_zone_not_on_the_list_is_refused_beside_the_field_and_changes_nothing(
    runner_client: Client, runner: User, sent
):
    before = RunnerProfile.objects.filter(user=runner).values().get()

    response = runner_client.post(
        "/accounts/profile/",
        {"display_name": "Ada Lovelace", "experience": "some", "time_zone": sent},
    )

    assert response.status_code == 400, "a refused form answers 400 (issue 21)"
    html = response.text
    assert re.search(rf'<ul class="errorlist" id="id_time_zone_error"><li>{BAD_ZONE}</li>', html)
    assert 'value="Ada Lovelace"' in html, "what the runner typed is kept"
    assert RunnerProfile.objects.filter(user=runner).values().get() == before


def test_a_form_without_the_zone_keeps_it(runner_client: Client, runner: User):
    RunnerProfile.objects.filter(user=runner).update(time_zone="Europe/Paris")

    runner_client.post("/accounts/profile/", {"display_name": "Ada", "experience": "new"})

    assert zone_of(runner.email) == "Europe/Paris"


def test_the_export_holds_the_runners_zone(runner_client: Client, runner: User):
    RunnerProfile.objects.filter(user=runner).update(time_zone="Pacific/Auckland")

    document = runner_client.get("/accounts/export/").json()

    assert document["profile"]["time_zone"] == "Pacific/Auckland"
