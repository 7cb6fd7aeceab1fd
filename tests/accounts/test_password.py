import re

import pytest
from django.core import mail
from django.test import Client

from footcare.accounts.models import User
from tests.conftest import PASSWORD

from .conftest import is_signed_in, login, normalised

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "longer-hill-repeats-92"


def test_a_runner_changes_their_password_and_stays_signed_in(runner_client: Client, runner: User):
    response = runner_client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    runner.refresh_from_db()
    assert runner.check_password(NEW_PASSWORD)
    assert is_signed_in(runner_client)
    assert login(Client(), runner.email, NEW_PASSWORD).status_code == 302
    assert [m.to for m in mail.outbox] == [[runner.email]], "the runner is told"
    assert "password" in mail.outbox[0].subject.lower()


def test_a_password_change_needs_the_current_password(runner_client: Client, runner: User):
    response = runner_client.post(
        "/accounts/password/change/",
        {"oldpassword": "a-guess", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "That is not your current password." in response.content.decode()
    runner.refresh_from_db()
    assert runner.check_password(PASSWORD)


def test_a_password_change_is_held_to_the_validators(runner_client: Client, runner: User):
    response = runner_client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "qwerty123", "password2": "qwerty123"},
    )

    assert "This password is too common." in response.content.decode()
    runner.refresh_from_db()
    assert runner.check_password(PASSWORD)


def test_password_change_needs_an_account(client: Client):
    response = client.get("/accounts/password/change/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_a_forgotten_password_is_reset_by_following_the_link_in_the_email(
    client: Client, runner: User
):
    response = client.post("/accounts/password/reset/", {"email": "Ada@Example.com"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [runner.email]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    # The link hides its token behind a redirect, so it never sits in the address bar.
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0]
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    runner.refresh_from_db()
    assert runner.check_password(NEW_PASSWORD)
    assert login(Client(), runner.email, NEW_PASSWORD).status_code == 302
    again = client.get(link.group(1), follow=True)
    assert "This link no longer works" in again.content.decode(), "a reset link works once"


def test_reset_answers_the_same_for_a_known_and_an_unknown_address(runner: User):
    known_client, unknown_client = Client(), Client()

    known = known_client.post("/accounts/password/reset/", {"email": runner.email})
    unknown = unknown_client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert normalised(known_client.get(known.url).content.decode()) == normalised(
        unknown_client.get(unknown.url).content.decode()
    )
    # Each address gets a mail either way; only its owner learns what it says.
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.com", "nobody@example.com"]
    unknown_mail = next(m for m in mail.outbox if m.to == ["nobody@example.com"])
    assert "/accounts/password/reset/key/" not in unknown_mail.body


def test_reset_mails_say_they_come_from_footcare(runner: User):
    Client().post("/accounts/password/reset/", {"email": runner.email})

    assert mail.outbox[0].subject.startswith("[Footcare] ")
    assert mail.outbox[0].body.startswith("Hello from Footcare")
