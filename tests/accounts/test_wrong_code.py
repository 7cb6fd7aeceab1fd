"""The code page: wrong codes, a new code, and what the runner is told on the way."""

import re

import pytest
from django.core import mail
from django.test import Client

from .conftest import is_signed_in, login
from .test_signup import code_in, signup

pytestmark = pytest.mark.django_db

EMAIL = "new@example.com"
CANCELLED = "That code was typed wrongly three times, so it no longer works."
JUST_SENT = "We sent a code to this address a moment ago."
LOCKED = "Too many login attempts"


def notices(response) -> str:
    return " ".join(re.findall(r'<li class="message[^"]*">([^<]*)', response.content.decode()))


def test_the_code_page_offers_a_new_code_which_replaces_the_old(client: Client, fake_clock):
    signup(client, EMAIL)
    first = code_in(mail.outbox[0])
    assert "Send a new code" in client.get("/accounts/confirm-email/").content.decode()

    fake_clock(11)
    client.post("/accounts/confirm-email/", {"action": "resend"})

    assert len(mail.outbox) == 2
    second = code_in(mail.outbox[1])
    assert second != first
    wrong = client.post("/accounts/confirm-email/", {"code": first})
    assert "That code is not right." in wrong.content.decode()
    client.post("/accounts/confirm-email/", {"code": second})
    assert is_signed_in(client)


def test_new_codes_are_rate_limited(client: Client, fake_clock):
    signup(client, EMAIL)

    # Within seconds of the first: refused, with our words, and no email goes out.
    response = client.post("/accounts/confirm-email/", {"action": "resend"}, follow=True)

    assert len(mail.outbox) == 1
    assert response.redirect_chain[-1][0] == "/accounts/confirm-email/", "still on the page"
    assert "Wait a few seconds before asking for a new one." in notices(response)
    # Two new codes per signup at most; then the page stops offering one.
    for _ in range(2):
        fake_clock(11)
        client.post("/accounts/confirm-email/", {"action": "resend"})
    assert len(mail.outbox) == 3
    assert "Send a new code" not in client.get("/accounts/confirm-email/").content.decode()


def test_three_wrong_codes_say_what_happened_and_a_login_gets_a_new_one(client: Client, fake_clock):
    signup(client, EMAIL)
    for _ in range(2):
        assert "That code is not right." in (
            client.post("/accounts/confirm-email/", {"code": "AAAA-AAAA"}).content.decode()
        )
    third = client.post("/accounts/confirm-email/", {"code": "AAAA-AAAA"}, follow=True)

    assert third.redirect_chain[-1][0] == "/accounts/login/"
    assert CANCELLED in notices(third)
    assert LOCKED not in third.content.decode(), "they never tried to log in"

    # Logging in at once: the last code went out seconds ago, and the page says so.
    too_soon = login(client, EMAIL).content.decode()
    assert JUST_SENT in too_soon
    assert LOCKED not in too_soon

    fake_clock(11)
    response = login(client, EMAIL)
    assert response.url == "/accounts/confirm-email/"
    assert len(mail.outbox) == 2
    client.post("/accounts/confirm-email/", {"code": code_in(mail.outbox[1])})
    assert is_signed_in(client)


def test_wrong_codes_do_not_count_towards_the_login_lock(client: Client, runner, fake_clock):
    # A signup with a known address gets a code page whose code can never work.
    signup(client, runner.email)
    for _ in range(3):
        client.post("/accounts/confirm-email/", {"code": "AAAA-AAAA"})

    assert login(Client(), runner.email).status_code == 302
