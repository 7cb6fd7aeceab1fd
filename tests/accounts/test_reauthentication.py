"""A session alone cannot take the account: changing the address needs the password again.

An attacker holding a runner's session could add their own address, confirm it and make it
primary, then reset the password through it. allauth's reauthentication stands in the way:
the address changes only after the password was typed in the last few minutes.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from footcare.accounts.models import User
from tests.conftest import PASSWORD

from .conftest import login

pytestmark = pytest.mark.django_db

ATTACKER = "mallory@example.net"


def add_address(client: Client, email: str = ATTACKER):
    return client.post("/accounts/email/", {"email": email, "action_add": ""})


def test_a_session_alone_cannot_add_an_address(runner_client: Client, runner: User):
    response = add_address(runner_client)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/?next=")
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()
    assert mail.outbox == []


def test_the_change_goes_through_once_the_password_is_typed(runner_client: Client, runner: User):
    asked = add_address(runner_client)
    page = runner_client.get(asked.url)
    assert "Confirm it is you" in page.content.decode()

    # As the page's form posts it. The suspended request is resumed after the password:
    # the runner does not start over.
    response = runner_client.post(
        "/accounts/reauthenticate/", {"password": PASSWORD, "next": "/accounts/email/"}
    )

    assert response.url == "/accounts/confirm-email/"
    assert [m.to for m in mail.outbox] == [[ATTACKER]], "the code goes to the new address"


def test_a_wrong_password_changes_nothing(runner_client: Client, runner: User):
    asked = add_address(runner_client)

    response = runner_client.post(asked.url, {"password": "a-guess"})

    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()


def test_a_session_alone_cannot_make_another_address_primary(runner_client: Client, runner: User):
    # As if the attacker's address had been added and confirmed some other way.
    EmailAddress.objects.create(user=runner, email=ATTACKER, verified=True, primary=False)

    response = runner_client.post("/accounts/email/", {"email": ATTACKER, "action_primary": ""})

    assert response.url.startswith("/accounts/reauthenticate/")
    assert EmailAddress.objects.get(user=runner, primary=True).email == runner.email


def test_a_session_alone_cannot_remove_the_pending_address(runner_client: Client, runner: User):
    EmailAddress.objects.create(user=runner, email=ATTACKER, verified=False, primary=False)

    response = runner_client.post("/accounts/email/", {"email": ATTACKER, "action_remove": ""})

    assert response.url.startswith("/accounts/reauthenticate/")
    assert EmailAddress.objects.filter(email=ATTACKER).exists()


def test_a_fresh_reauthentication_lasts_a_few_minutes(runner_client: Client, runner: User):
    runner_client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    response = add_address(runner_client)

    assert response.url == "/accounts/confirm-email/"
    assert [m.to for m in mail.outbox] == [[ATTACKER]]


def test_a_session_alone_can_neither_change_the_password_nor_delete(
    runner_client: Client, runner: User
):
    # Both forms ask for the current password themselves, checked against the account's lock.
    changed = runner_client.post(
        "/accounts/password/change/",
        {"oldpassword": "", "password1": "new-hill-repeats-92", "password2": "new-hill-repeats-92"},
    )
    deleted = runner_client.post("/accounts/delete/", {"password": ""})

    assert changed.status_code == deleted.status_code == 200
    runner.refresh_from_db()
    assert runner.check_password(PASSWORD)


def test_the_whole_takeover_fails_from_a_session_alone(runner: User):
    # The probe's path: log in as the runner would, then hand the session to the attacker.
    victim = Client()
    assert login(victim, runner.email).status_code == 302
    attacker = Client()
    attacker.cookies = victim.cookies

    add_address(attacker)
    attacker.post("/accounts/email/", {"email": ATTACKER, "action_primary": ""})

    assert list(EmailAddress.objects.filter(user=runner).values_list("email", flat=True)) == [
        runner.email
    ]
    assert not [m for m in mail.outbox if ATTACKER in m.to]
    assert not any(re.search(r"\b\d{6}\b", m.body) for m in mail.outbox if ATTACKER in m.to)
