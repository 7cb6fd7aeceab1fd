import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from footcare.accounts.models import RunnerProfile, User
from tests.conftest import PASSWORD, make_runner

from .conftest import is_signed_in, normalised

pytestmark = pytest.mark.django_db


def signup(client: Client, email: str, password: str = PASSWORD, password2: str | None = None):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": password, "password2": password2 or password},
    )


def code_in(message) -> str:
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.MULTILINE).group(1)


def test_signup_page_is_ours_with_labelled_fields(client: Client):
    html = client.get("/accounts/signup/").content.decode()

    assert "<h1>Create your Footcare account</h1>" in html
    assert 'href="/static/css/footcare.css"' in html
    for field in ("id_email", "id_password1", "id_password2"):
        assert f'<label for="{field}">' in html


def test_a_new_runner_signs_up_confirms_the_code_and_lands_on_their_profile(client: Client):
    response = signup(client, "New.Runner@Example.com")

    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert not is_signed_in(client), "not in before the address is confirmed"
    user = User.objects.get(email="new.runner@example.com")
    assert [m.to for m in mail.outbox] == [["new.runner@example.com"]]

    confirm = client.post("/accounts/confirm-email/", {"code": code_in(mail.outbox[0])})

    assert confirm.status_code == 302
    assert confirm.url == "/accounts/profile/"
    assert is_signed_in(client)
    assert EmailAddress.objects.get(user=user).verified
    assert RunnerProfile.objects.filter(user=user).exists()
    assert client.get("/accounts/profile/").status_code == 200


def test_a_wrong_code_does_not_let_anyone_in(client: Client):
    signup(client, "new@example.com")

    response = client.post("/accounts/confirm-email/", {"code": "AAAA-AAAA"})

    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert not is_signed_in(client)
    assert not EmailAddress.objects.get(email="new@example.com").verified


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("1234567890123", "This password is entirely numeric."),
    ],
)
def test_weak_passwords_are_refused_beside_the_field(client: Client, password, message):
    response = signup(client, "new@example.com", password)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert re.search(r'<ul class="errorlist" id="id_password1_error">', html)
    assert 'aria-invalid="true"' in html
    assert not User.objects.filter(email="new@example.com").exists()


def test_mismatched_passwords_are_refused(client: Client):
    response = signup(client, "new@example.com", PASSWORD, PASSWORD + "x")

    assert "You must type the same password each time." in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_signup_answers_the_same_for_a_known_and_an_unknown_address(client: Client):
    make_runner("known@example.com")

    known = signup(Client(), "known@example.com")
    unknown = signup(Client(), "unknown@example.com")

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    known_page = Client()
    unknown_page = Client()
    signup(known_page, "known@example.com")
    signup(unknown_page, "unknown@example.com")
    known_html = known_page.get("/accounts/confirm-email/").content.decode()
    unknown_html = unknown_page.get("/accounts/confirm-email/").content.decode()
    assert normalised(known_html).replace("known@", "X@") == normalised(unknown_html).replace(
        "unknown@", "X@"
    )


def test_signing_up_with_a_known_address_mails_its_owner_and_makes_no_account(client: Client):
    owner = make_runner("known@example.com")

    signup(client, "KNOWN@example.com", "another-password-77")
    response = client.post("/accounts/confirm-email/", {"code": "AAAA-AAAA"})

    assert User.objects.filter(email__iexact="known@example.com").count() == 1
    assert not is_signed_in(client)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["known@example.com"]
    assert "You already have an account with it" in mail.outbox[0].body
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD), "the owner's password is untouched"


def test_a_signed_in_runner_is_sent_on_from_the_signup_page(runner_client: Client):
    response = runner_client.get("/accounts/signup/")

    assert response.status_code == 302
