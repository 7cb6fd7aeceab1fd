import pytest
from django.db import OperationalError, connection
from django.test import Client

from .conftest import closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings):
    """Redis that is down: nothing listens on its port, so every connection is refused."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/8",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


def test_healthz_reports_a_working_database_and_cache(client: Client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_reports_503_when_the_database_does_not_answer(client: Client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "unavailable"
    assert "refused" not in response.content.decode(), "no driver detail leaks to the caller"


def test_healthz_reports_503_when_the_cache_is_down(client: Client, cache_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unavailable"}


def test_a_login_with_the_cache_down_says_try_again_shortly(db, cache_down):
    from tests.conftest import make_runner

    runner = make_runner("ada@example.com")
    client = Client(raise_request_exception=False)

    response = client.post(
        "/accounts/login/", {"login": runner.email, "password": "steady-calf-raises-41"}
    )

    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert "<h1>Footcare is not answering just now</h1>" in html
    assert "try again shortly" in html
    assert response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"


def test_healthz_is_reachable_over_plain_http_behind_the_ssl_redirect(client: Client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
