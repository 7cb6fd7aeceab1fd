import pytest
from django.test import Client

from .conftest import is_signed_in

pytestmark = pytest.mark.django_db


def test_logout_refuses_get_and_keeps_the_runner_signed_in(runner_client: Client):
    response = runner_client.get("/accounts/logout/")

    assert response.status_code == 405
    assert is_signed_in(runner_client)


def test_logout_by_post_signs_out_and_clears_the_browsers_cache_and_storage(
    runner_client: Client,
):
    response = runner_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response.url == "/"
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response.headers["Cache-Control"]
    assert not is_signed_in(runner_client)
    assert runner_client.get("/accounts/profile/").status_code == 302


def test_logout_needs_the_csrf_token(runner_client: Client, runner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(runner)

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    assert is_signed_in(client)
