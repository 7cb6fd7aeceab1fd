import pytest
from django.conf import settings
from django.test import Client

from footcare.accounts.models import User
from tests.conftest import PASSWORD

from .conftest import is_signed_in, login

pytestmark = pytest.mark.django_db

# Django's own auth tests (test_security_check, and url_has_allowed_host_and_scheme's) list
# these as addresses a login must never send anyone to.
UNSAFE_NEXT = [
    "http://example.com",
    "http:///example.com",
    "https://example.com",
    "https:///example.com",
    "ftp://example.com",
    "///example.com",
    "//example.com",
    "\\\\example.com",
    "\\\\\\example.com",
    "/\\\\/example.com",
    "\\/example.com",
    "/\\example.com",
    "http:\\\\example.com",
    "http:/\\//example.com",
    "http:\\/example.com",
    "http:/\\example.com",
    "http://testserver\\@example.com",
    "http:\\\\testserver\\@example.com",
    'javascript:alert("XSS")',
    "javascript:alert(1)",
    "\njavascript:alert(x)",
    "\x08//example.com",
]


def test_login_page_is_ours_with_labelled_fields(client: Client):
    html = client.get("/accounts/login/").content.decode()

    assert "<h1>Log in</h1>" in html
    assert '<label for="id_login">' in html and '<label for="id_password">' in html
    assert 'autocomplete="current-password"' in html
    assert 'href="/accounts/password/reset/"' in html


def test_a_runner_logs_in_with_their_email_in_any_case(client: Client, runner: User):
    response = login(client, "ADA@example.com")

    assert response.status_code == 302
    assert response.url == "/"
    assert int(client.session["_auth_user_id"]) == runner.pk


def test_wrong_password_and_unknown_address_get_the_same_answer(client: Client, runner: User):
    wrong_password = login(Client(), runner.email, "not-my-password")
    unknown = login(Client(), "nobody@example.com", "not-my-password")

    assert wrong_password.status_code == unknown.status_code == 200
    message = "That email address and password do not match an account."
    assert message in wrong_password.content.decode()
    assert message in unknown.content.decode()


def test_the_session_key_changes_at_login(client: Client, runner: User):
    session = client.session
    session["seen_before_login"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    login(client, runner.email)

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert is_signed_in(client)
    assert after != before


@pytest.mark.parametrize("bad_next", UNSAFE_NEXT)
def test_login_never_sends_anyone_off_site(client: Client, runner: User, bad_next: str):
    response = login(client, runner.email, next=bad_next)

    assert is_signed_in(client)
    assert response.status_code == 302
    assert response.url == "/", f"{bad_next!r} led to {response.url!r}"


@pytest.mark.parametrize("bad_next", UNSAFE_NEXT)
def test_logout_never_sends_anyone_off_site(runner_client: Client, bad_next: str):
    response = runner_client.post("/accounts/logout/", {"next": bad_next})

    assert response.status_code == 302
    assert response.url == "/"


def test_a_safe_next_brings_the_runner_back(client: Client, runner: User):
    response = login(client, runner.email, next="/accounts/export/?x=1")

    assert response.url == "/accounts/export/?x=1"


def test_a_private_page_sends_the_visitor_to_log_in_and_back(client: Client, runner: User):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/profile/"
    page = client.get(response.url).content.decode()
    assert 'name="next" value="/accounts/profile/"' in page

    back = login(client, runner.email, next="/accounts/profile/")

    assert back.url == "/accounts/profile/"


def test_an_unverified_address_must_be_confirmed_before_login(client: Client):
    User.objects.create_user("unverified@example.com", PASSWORD)

    response = login(client, "unverified@example.com")

    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert not is_signed_in(client)


def test_the_admin_signs_in_through_the_throttled_login(client: Client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_the_nav_shows_who_is_signed_in_and_a_logout_form(runner_client: Client):
    html = runner_client.get("/").content.decode()

    assert "Signed in as" in html and "ada@example.com" in html
    assert '<form method="post" action="/accounts/logout/">' in html
    assert 'href="/accounts/login/' not in html


def test_the_nav_offers_login_and_signup_to_visitors(client: Client):
    html = client.get("/").content.decode()

    assert 'href="/accounts/login/"' in html
    assert 'href="/accounts/signup/"' in html
    assert "Signed in as" not in html
