"""A database that stops answering costs a page a few seconds, not a worker for good.

The "database" is a socket on this machine that accepts connections and never says a word,
as a PostgreSQL server that hangs does. The app runs in a fresh process with the production
settings pointed at it, and every page must answer the styled 503 within a few connect
timeouts. Without a connect timeout, psycopg waits 130 seconds, and gunicorn kills the
worker at 30 with a bare 500.
"""

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import PRODUCTION_ENV

# Each test starts processes of its own: left out by `make test FAST=1`.
pytestmark = pytest.mark.slow

CONNECT_TIMEOUT = 2  # psycopg's floor

REQUESTS = """
import json, sys, time
import django
django.setup()
from django.core.management import call_command
from django.test import Client

# The production pages name hashed static files; collecting them needs no database.
call_command("collectstatic", "--noinput", verbosity=0)

for path, cookie in (("/healthz", ""), ("/", ""), ("/exercises/", ""), ("/accounts/login/", ""),
                     ("/accounts/profile/", "a-session-key-of-someone-signed-in")):
    client = Client(raise_request_exception=False, HTTP_X_FORWARDED_PROTO="https")
    if cookie:
        client.cookies["sessionid"] = cookie
    started = time.monotonic()
    response = client.get(path, HTTP_HOST="127.0.0.1")
    print(json.dumps({
        "path": path,
        "status": response.status_code,
        "seconds": time.monotonic() - started,
        "body": response.content.decode(),
        "csp": "Content-Security-Policy" in response,
    }))
"""


@pytest.fixture
def silent_database() -> Iterator[int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    # Connections complete in the kernel's backlog and are never read from or answered.
    listener.listen(64)
    yield listener.getsockname()[1]
    listener.close()


def test_every_page_answers_a_503_within_seconds_when_the_database_is_silent(
    run_django, silent_database: int, tmp_path: Path
):
    result = run_django(
        REQUESTS,
        {
            **PRODUCTION_ENV,
            "DATABASE_URL": f"postgres://footcare@127.0.0.1:{silent_database}/footcare",
            "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
            "STATIC_ROOT": str(tmp_path / "static"),
        },
    )

    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [answer["path"] for answer in answers] == [
        "/healthz",
        "/",
        "/exercises/",
        "/accounts/login/",
        "/accounts/profile/",
    ]
    for answer in answers:
        # A few connection attempts at most, never the 30 seconds a worker is given.
        assert answer["seconds"] < 5 * CONNECT_TIMEOUT, answer
        assert answer["csp"], answer
    statuses = {answer["path"]: answer["status"] for answer in answers}
    # The login form needs no database to be drawn; everything else does.
    assert statuses == {
        "/healthz": 503,
        "/": 503,
        "/exercises/": 503,
        "/accounts/login/": 200,
        "/accounts/profile/": 503,
    }
    assert json.loads(answers[0]["body"])["database"] == "unavailable"
    for answer in answers[1:]:
        if answer["status"] == 503:
            assert "<h1>Footcare is not answering just now</h1>" in answer["body"]
