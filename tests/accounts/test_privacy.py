import pytest
from django.test import Client

from footcare.accounts.models import User

from .conftest import login

pytestmark = pytest.mark.django_db

PRIVATE_PAGES = [
    "/accounts/profile/",
    "/accounts/export/",
    "/accounts/delete/",
    "/accounts/password/change/",
    "/accounts/email/",
    # Any page shown to a signed-in runner names them in the navigation.
    "/",
]


@pytest.mark.parametrize("url", PRIVATE_PAGES)
def test_pages_for_a_signed_in_runner_are_never_cached(runner_client: Client, url: str):
    response = runner_client.get(url)

    assert response.status_code == 200
    cache_control = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate", "private"} <= cache_control
    assert "Cookie" in response.headers["Vary"]


@pytest.mark.parametrize(
    "url", ["/accounts/profile/", "/accounts/delete/", "/accounts/email/", "/"]
)
def test_pages_for_a_signed_in_runner_keep_no_htmx_history(runner_client: Client, url: str):
    html = runner_client.get(url).content.decode()

    assert '<body hx-history="false"' in html


def test_public_pages_for_visitors_keep_htmx_history(client: Client):
    html = client.get("/").content.decode()

    assert 'hx-history="false"' not in html


def test_account_pages_carry_the_sites_csp_without_inline_script_or_style(runner_client: Client):
    import re

    for url in ("/accounts/profile/", "/accounts/email/", "/accounts/password/change/"):
        html = runner_client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "nonce=" in tag and "src=" in tag, (url, tag)
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "hx-on" not in html


def test_flash_messages_stay_on_the_server_not_in_a_cookie(client: Client, runner: User):
    response = login(client, runner.email)

    assert "messages" not in response.cookies, "the cookie carried the address in base64"
    page = client.get(response.url)
    assert "messages" not in page.cookies
    assert f"You are logged in as {runner.email}." in page.content.decode()
