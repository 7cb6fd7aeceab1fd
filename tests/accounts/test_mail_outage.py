"""With the mail server down, nothing answers 500 and nothing is left half made.

The SMTP host is a closed port on this machine: the connection is refused at once, as from
a mail server that is down. Every page that needs an email to go on says so and suggests
trying again shortly; signup saves nothing, so the same address signs up normally later.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from footcare.accounts.models import RunnerProfile, User
from tests.conftest import PASSWORD

from ..footcare.conftest import closed_port
from .conftest import is_signed_in, login
from .test_signup import code_in, signup

pytestmark = pytest.mark.django_db

NOT_SENT = "We could not send the email"


@pytest.fixture
def mail_server_down(settings):
    locmem = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }

    def back_up() -> None:
        settings.MAILERS = locmem

    return back_up


def assert_says_try_again(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert f"<h1>{NOT_SENT}</h1>" in html
    assert "try again in a few minutes" in html


def test_signup_saves_nothing_and_says_so(client: Client, mail_server_down):
    response = signup(client, "new@example.com")

    assert_says_try_again(response)
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not RunnerProfile.objects.exists()
    assert client.get("/accounts/confirm-email/").url == "/accounts/login/", "nothing pending"

    mail_server_down()  # the mail server is back: the same address signs up as new
    assert signup(client, "new@example.com").url == "/accounts/confirm-email/"
    client.post("/accounts/confirm-email/", {"code": code_in(mail.outbox[0])})
    assert is_signed_in(client)


def test_signup_with_a_known_address_answers_the_same(client: Client, runner, mail_server_down):
    assert_says_try_again(signup(client, runner.email))


def test_a_login_that_sends_a_code_says_so_and_can_be_tried_again(client: Client, mail_server_down):
    User.objects.create_user("unverified@example.com", PASSWORD)

    assert_says_try_again(login(client, "unverified@example.com"))
    assert not is_signed_in(client)

    mail_server_down()
    again = login(client, "unverified@example.com")
    assert again.url == "/accounts/confirm-email/"
    client.post("/accounts/confirm-email/", {"code": code_in(mail.outbox[0])})
    assert is_signed_in(client)


def test_a_password_reset_says_so(client: Client, runner, mail_server_down):
    assert_says_try_again(client.post("/accounts/password/reset/", {"email": runner.email}))
    assert_says_try_again(client.post("/accounts/password/reset/", {"email": "no@example.com"}))


def test_a_password_change_is_made_though_its_notice_cannot_be_sent(
    runner_client: Client, runner, mail_server_down
):
    response = runner_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "new-hill-repeats-92",
            "password2": "new-hill-repeats-92",
        },
    )

    assert response.status_code == 302
    runner.refresh_from_db()
    assert runner.check_password("new-hill-repeats-92")
