import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as CACHED_SESSION_PREFIX
from django.core.cache import cache
from django.test import Client

from exercises.models import Condition
from footcare.accounts.models import RunnerProfile, RunnerSession, User
from tests.conftest import PASSWORD

from .conftest import is_signed_in, login

pytestmark = pytest.mark.django_db


def test_the_delete_page_asks_for_the_password(runner_client: Client):
    response = runner_client.get("/accounts/delete/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Delete your account</h1>" in html
    assert '<label for="id_password">' in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert "no-store" in response.headers["Cache-Control"]


def test_a_wrong_password_deletes_nothing(runner_client: Client, runner: User):
    response = runner_client.post("/accounts/delete/", {"password": "not-my-password"})

    assert response.status_code == 200
    assert "That is not your password. Nothing was deleted." in response.content.decode()
    assert User.objects.filter(pk=runner.pk).exists()
    assert RunnerProfile.objects.filter(user=runner).exists()
    assert EmailAddress.objects.filter(user=runner).exists()
    assert is_signed_in(runner_client)


def test_the_right_password_deletes_the_account_and_all_it_owns(
    runner_client: Client, runner: User, other_runner: User, profile_choices: dict
):
    profile = RunnerProfile.objects.get(user=runner)
    profile.conditions.add(profile_choices["plantar-fasciitis"])
    profile.equipment.add(profile_choices["towel"])
    chosen = RunnerProfile.conditions.through.objects.filter(runnerprofile=profile)
    assert chosen.exists()

    response = runner_client.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/"
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert not User.objects.filter(pk=runner.pk).exists()
    assert not RunnerProfile.objects.filter(user_id=runner.pk).exists()
    assert not EmailAddress.objects.filter(email="ada@example.com").exists()
    assert not chosen.exists(), "the runner's choices go with the profile"
    assert Condition.objects.filter(slug="plantar-fasciitis").exists(), "the library keeps it"
    assert not is_signed_in(runner_client)
    home = runner_client.get("/").content.decode()
    assert "Your account is deleted" in home
    assert User.objects.filter(pk=other_runner.pk).exists(), "nobody else's"
    assert RunnerProfile.objects.filter(user=other_runner).exists()
    assert login(Client(), "ada@example.com").status_code == 200, "the login is gone too"


def test_deletion_needs_the_csrf_token(runner: User):
    client = Client(enforce_csrf_checks=True)
    client.force_login(runner)

    response = client.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 403
    assert User.objects.filter(pk=runner.pk).exists()


def test_wrong_passwords_at_deletion_count_towards_the_login_lock(
    runner_client: Client, runner: User
):
    for _ in range(5):
        runner_client.post("/accounts/delete/", {"password": "a-guess"})

    response = runner_client.post("/accounts/delete/", {"password": PASSWORD})

    assert "Too many login attempts in a short time." in response.content.decode()
    assert User.objects.filter(pk=runner.pk).exists()


def test_deletion_needs_an_account(client: Client):
    assert client.get("/accounts/delete/").status_code == 302
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302


def test_deletion_ends_the_accounts_sessions_on_every_device(runner: User, other_runner: User):
    phone, laptop, someone_else = Client(), Client(), Client()
    for client, user in ((phone, runner), (laptop, runner), (someone_else, other_runner)):
        assert login(client, user.email).status_code == 302

    phone_session = phone.cookies[settings.SESSION_COOKIE_NAME].value

    laptop.post("/accounts/delete/", {"password": PASSWORD})

    assert not is_signed_in(phone)
    # Sessions are read through the cache first: the phone's cached copy went with its row.
    assert cache.get(CACHED_SESSION_PREFIX + phone_session) is None
    assert phone.get("/accounts/profile/").status_code == 302, "the phone is logged out"
    remaining = [session.get_decoded() for session in RunnerSession.objects.all()]
    assert not any("ada@example.com" in str(data) for data in remaining), "nothing of hers stays"
    assert not RunnerSession.objects.filter(user_id=runner.pk).exists()
    assert is_signed_in(someone_else), "nobody else's session"
    assert someone_else.get("/accounts/profile/").status_code == 200
