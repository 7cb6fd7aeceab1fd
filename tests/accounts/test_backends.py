"""The authentication backend: allauth's, reading the runner's profile with the user."""

from unittest import mock

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from footcare.accounts.backends import RunnerBackend
from footcare.accounts.models import User
from tests.conftest import PASSWORD

from .conftest import is_signed_in, login

pytestmark = pytest.mark.django_db

RUNNER_BACKEND = "footcare.accounts.backends.RunnerBackend"
ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def test_the_user_comes_with_the_profile_in_one_query(runner: User):
    with CaptureQueriesContext(connection) as captured:
        user = RunnerBackend().get_user(runner.pk)
        zone = user.runner_profile.time_zone
    assert len(captured) == 1 and zone == runner.runner_profile.time_zone


def test_a_user_without_a_profile_is_still_a_user(runner: User):
    runner.runner_profile.delete()
    user = RunnerBackend().get_user(runner.pk)
    assert user == runner
    with pytest.raises(User.runner_profile.RelatedObjectDoesNotExist):
        user.runner_profile  # noqa: B018


def test_a_login_is_kept_under_this_backend(client: Client, runner: User):
    login(client, runner.email, PASSWORD)
    assert is_signed_in(client)
    assert client.session[BACKEND_SESSION_KEY] == RUNNER_BACKEND


def test_a_session_begun_under_allauths_backend_stays_signed_in(client: Client, runner: User):
    client.force_login(runner, backend=ALLAUTH_BACKEND)
    assert client.session[BACKEND_SESSION_KEY] == ALLAUTH_BACKEND
    assert client.get("/accounts/profile/").status_code == 200


def test_a_wrong_password_is_checked_once(client: Client, runner: User):
    check = User.check_password
    with mock.patch.object(User, "check_password", autospec=True, side_effect=check) as spy:
        login(client, runner.email, "not-the-password")
    assert not is_signed_in(client)
    # Not again by allauth's backend, listed after this one for older sessions.
    assert spy.call_count == 1
