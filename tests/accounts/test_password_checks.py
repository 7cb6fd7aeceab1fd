"""Every check of a runner's password counts towards the one lock on their account.

A stolen session must not be a way to guess the password: login, reauthentication, the
password change (on the site and in the admin) and account deletion all count towards the
same five failures in 15 minutes, and all refuse while the lock holds.
"""

import pytest
from django.core import mail
from django.test import Client

from footcare.accounts.models import User
from tests.conftest import PASSWORD, SUPERUSER_PASSWORD

from .conftest import is_signed_in, login

pytestmark = pytest.mark.django_db

LOCKED = "Too many login attempts in a short time."
NEW_PASSWORD = "longer-hill-repeats-92"


def change_password(client: Client, old: str):
    return client.post(
        "/accounts/password/change/",
        {"oldpassword": old, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def lock_by_logging_in(user: User) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.1")
    for _ in range(5):
        login(attacker, user.email, "not-the-password")


def assert_login_locked(user: User) -> None:
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert LOCKED in login(elsewhere, user.email).content.decode()
    assert not is_signed_in(elsewhere)


def test_wrong_current_passwords_at_the_password_change_lock_the_login(
    runner_client: Client, runner: User
):
    for _ in range(5):
        assert change_password(runner_client, "a-guess").status_code == 200

    assert_login_locked(runner)


def test_the_password_change_refuses_even_the_right_password_while_locked(
    runner_client: Client, runner: User
):
    lock_by_logging_in(runner)

    response = change_password(runner_client, PASSWORD)

    assert LOCKED in response.content.decode(), "no right-or-wrong answer while locked"
    runner.refresh_from_db()
    assert runner.check_password(PASSWORD)


def test_wrong_passwords_at_reauthentication_lock_the_login(runner_client: Client, runner: User):
    for _ in range(5):
        response = runner_client.post("/accounts/reauthenticate/", {"password": "a-guess"})
        assert response.status_code == 200

    assert_login_locked(runner)
    locked = runner_client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert LOCKED in locked.content.decode()


def test_wrong_passwords_at_deletion_and_elsewhere_add_up(runner_client: Client, runner: User):
    runner_client.post("/accounts/delete/", {"password": "a-guess"})
    change_password(runner_client, "a-guess")
    runner_client.post("/accounts/reauthenticate/", {"password": "a-guess"})
    login(Client(REMOTE_ADDR="203.0.113.1"), runner.email, "a-guess")
    runner_client.post("/accounts/delete/", {"password": "a-guess"})

    assert_login_locked(runner)


def test_the_admin_sends_staff_to_the_sites_password_change(
    superuser_client: Client, superuser: User
):
    assert superuser_client.get("/admin/password_change/").url == "/accounts/password/change/"

    # Its own form, which checked the old password with no limit, takes no guesses at all.
    for _ in range(10):
        response = superuser_client.post(
            "/admin/password_change/",
            {
                "old_password": "a-guess",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response.status_code == 302
        assert response.url == "/accounts/password/change/"
    superuser.refresh_from_db()
    assert superuser.check_password(SUPERUSER_PASSWORD)


def test_the_admins_change_password_link_counts_and_mails_like_the_runners(
    superuser_client: Client, superuser: User
):
    for _ in range(4):
        change_password(superuser_client, "a-guess")

    response = change_password(superuser_client, SUPERUSER_PASSWORD)

    assert response.status_code == 302
    superuser.refresh_from_db()
    assert superuser.check_password(NEW_PASSWORD)
    assert [m.to for m in mail.outbox] == [[superuser.email]]
    assert "password" in mail.outbox[0].subject.lower()
