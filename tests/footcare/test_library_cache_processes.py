"""Cached library pages are never stale in another process: an edit, an unpublish and a
publish made in the admin by one process show on the very next request served by another
(gunicorn, two workers, each with its own store of visitors' pages), which shares only the
database and the cache.

The site is set up as the tests run: an SQLite file, or a PostgreSQL database of its own
beside the test database when the tests run on PostgreSQL; the cache table, or the tests'
Redis when REDIS_URL is set."""

import http.client
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings as django_settings

from .conftest import REPO, deployment_environ, gunicorn

# Each test starts processes of its own: left out by `make test FAST=1`.
pytestmark = pytest.mark.slow

# An editor in a process of its own, working through the admin as a browser would: the
# change form posted back as it was rendered, with the summary changed, and the actions.
EDITOR = """
import os
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from exercises.models import Exercise
from footcare.accounts.models import User
from tests.exercises.test_admin import change_form_data

setup_test_environment()
client = Client()
client.force_login(User.objects.get(email="editor@example.com"))
exercise = Exercise.objects.get(slug="toe-yoga")
action, changelist = os.environ["EDITOR_ACTION"], "/admin/exercises/exercise/"
if action == "edit":
    url = f"{changelist}{exercise.pk}/change/"
    data = change_form_data(client.get(url))
    data["summary"] = os.environ["EDITOR_SUMMARY"]
    response = client.post(url, data)
else:
    response = client.post(changelist, {"action": action, "_selected_action": [exercise.pk]})
assert response.status_code == 302, response.status_code
"""
# Enough requests that both workers answer some, each from the cache after the first.
REQUESTS = 6


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@contextmanager
def site_database(var) -> Iterator[str]:
    """The site's DATABASE_URL: beside the test database, on the same server."""
    test_database = django_settings.DATABASES["default"]
    if test_database["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{var / 'db.sqlite3'}"
        return
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"test_{url.path.lstrip('/')}_processes"
    # Made and dropped from the server's own database, as Django makes a test database.
    maintenance = url._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def library_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, dict[str, str]]]:
    """The seeded library served by gunicorn; its port and the settings to reach its data."""
    yield from serve_site(tmp_path_factory)


def serve_site(
    tmp_path_factory: pytest.TempPathFactory, app: str = "footcare.wsgi"
) -> Iterator[tuple[int, dict[str, str]]]:
    """A site set up as the tests run, served by gunicorn (footcare.wsgi, or `app`)."""
    var = tmp_path_factory.mktemp("two-processes")
    with site_database(var) as database_url:
        settings = {"DEBUG": "1", "FOOTCARE_VAR_DIR": str(var), "DATABASE_URL": database_url}
        if os.environ.get("REDIS_URL"):
            settings["REDIS_URL"] = os.environ["REDIS_URL"]
        yield from served(settings, app)


def served(
    settings: dict[str, str], app: str = "footcare.wsgi"
) -> Iterator[tuple[int, dict[str, str]]]:
    env = deployment_environ(**settings)
    for command in (
        ["manage.py", "migrate", "--noinput", "-v0"],
        ["manage.py", "createcachetable"],
        ["manage.py", "seed_library"],
        [
            "-c",
            "import django; django.setup(); from footcare.accounts.models import User; "
            "User.objects.create_superuser('editor@example.com', 'a-long-password-7')",
        ],
    ):
        subprocess.run([sys.executable, *command], cwd=REPO, env=env, check=True, timeout=300)
    with gunicorn(env, app) as port:
        yield port, settings


def test_an_admin_edit_shows_at_once_in_another_process(library_site, run_django):
    port, settings = library_site
    pages = ["/exercises/toe-yoga/", "/exercises/?q=toe", "/muscles/", "/conditions/"]
    for path in pages * REQUESTS:
        assert get(port, path)[0] == 200

    summary = "Edited in another process: lift the big toe alone."
    run_django(EDITOR, {**settings, "EDITOR_ACTION": "edit", "EDITOR_SUMMARY": summary})

    for _ in range(REQUESTS):
        assert summary in get(port, "/exercises/toe-yoga/")[1]
        assert summary in get(port, "/exercises/?q=toe")[1]


def test_unpublish_and_publish_show_at_once_in_another_process(library_site, run_django):
    port, settings = library_site
    for _ in range(REQUESTS):
        assert get(port, "/exercises/toe-yoga/")[0] == 200
        assert "/exercises/toe-yoga/" in get(port, "/exercises/")[1]

    run_django(EDITOR, {**settings, "EDITOR_ACTION": "unpublish"})

    for _ in range(REQUESTS):
        assert get(port, "/exercises/toe-yoga/")[0] == 404
        assert "/exercises/toe-yoga/" not in get(port, "/exercises/")[1]

    run_django(EDITOR, {**settings, "EDITOR_ACTION": "publish"})

    for _ in range(REQUESTS):
        assert get(port, "/exercises/toe-yoga/")[0] == 200
        assert "/exercises/toe-yoga/" in get(port, "/exercises/")[1]
