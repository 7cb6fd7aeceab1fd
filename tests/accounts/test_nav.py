"""The navigation greets a signed-in runner by the name they chose."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from footcare.accounts.models import RunnerProfile, User

pytestmark = pytest.mark.django_db


def nav_name(html: str) -> str:
    # The span carries the whole name in a title too, for when a phone cuts it short.
    start = html.index(">", html.index('<span class="nav-account-name"')) + 1
    return html[start : html.index("</span>", start)]


def name_the_runner(user: User, name: str) -> None:
    RunnerProfile.objects.filter(user=user).update(display_name=name)


def test_the_nav_greets_the_runner_by_their_display_name(runner_client: Client, runner: User):
    name_the_runner(runner, "Ada Lovelace")

    assert nav_name(runner_client.get("/").content.decode()) == "Ada Lovelace"


def test_without_a_display_name_the_nav_shows_the_email_address(runner_client: Client):
    assert nav_name(runner_client.get("/").content.decode()) == "ada@example.com"


def test_an_account_without_a_profile_yet_is_named_by_its_email(client: Client):
    user = User.objects.create_user("admin-made@example.com", "x-long-password-1")
    client.force_login(user)

    assert nav_name(client.get("/").content.decode()) == "admin-made@example.com"


def test_a_display_name_is_escaped_in_the_nav(runner_client: Client, runner: User):
    name_the_runner(runner, '<img src=x onerror="alert(1)"> Ada')

    html = runner_client.get("/").content.decode()

    assert nav_name(html) == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Ada"


def test_a_saved_display_name_shows_in_the_nav_straight_away(runner_client: Client):
    response = runner_client.post(
        "/accounts/profile/",
        {"display_name": "Grace", "units": "km", "experience": "new"},
        follow=True,
    )

    assert nav_name(response.content.decode()) == "Grace"


def test_the_name_comes_with_the_user(
    runner_client: Client, runner: User, django_assert_num_queries
):
    name_the_runner(runner, "Ada")
    with CaptureQueriesContext(connection) as anonymous:
        Client().get("/")

    # Signed in, the home page adds the session and the user (as every page does), read
    # with the profile that holds the name (one query: footcare.accounts.backends), and the
    # two of the training app's today-and-this-week card (its plan, the week's sets done):
    # 1 + 4 = 5 queries. The name costs none of its own.
    with django_assert_num_queries(len(anonymous) + 4):
        html = runner_client.get("/").content.decode()
    assert nav_name(html) == "Ada"
