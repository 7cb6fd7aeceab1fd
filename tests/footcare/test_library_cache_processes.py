"""Cached library pages are never stale in another process: an edit, an unpublish and a
publish made in the admin by one process show on the very next request served by another
(gunicorn, two workers), which shares only the database and its cache table."""

import http.client
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import REPO, closed_port, deployment_environ

# An editor in a process of its own, working through the admin as a browser would: the
# change form posted back as it was rendered, with one field changed, and the actions.
EDITOR = r"""
import sys
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from exercises.models import Exercise
from footcare.accounts.models import User

setup_test_environment()
client = Client()
client.force_login(User.objects.get(email="editor@example.com"))
exercise = Exercise.objects.get(slug="toe-yoga")
action, changelist = sys.argv[1], "/admin/exercises/exercise/"
if action == "edit":
    url = f"{changelist}{exercise.pk}/change/"
    page = client.get(url)
    data = {}
    def add(form):
        for name in form.fields:
            value, key = form[name].value(), form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value.pk if hasattr(value, "pk") else value)
    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data["summary"] = sys.argv[2]
    response = client.post(url, data)
else:
    response = client.post(changelist, {"action": action, "_selected_action": [exercise.pk]})
assert response.status_code == 302, response.status_code
"""


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, dict[str, str]]]:
    var = tmp_path_factory.mktemp("two-processes")
    env = deployment_environ(
        DEBUG="1", FOOTCARE_VAR_DIR=str(var), DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}"
    )

    def manage(*args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True, timeout=300
        )

    manage("migrate", "--noinput", "-v0")
    manage("createcachetable")
    manage("seed_library")
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from footcare.accounts.models import User; "
            "User.objects.create_superuser('editor@example.com', 'a-long-password-7')",
        ],
        cwd=REPO,
        env=env,
        check=True,
        timeout=120,
    )
    port = closed_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "footcare.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--no-control-socket",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(port, "/healthz")[0] == 200:
                break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"gunicorn exited: {server.stderr.read().decode()}")
        if time.monotonic() > deadline:
            pytest.fail("gunicorn did not answer /healthz within 60 seconds")
        time.sleep(0.2)
    yield port, env
    server.terminate()
    server.wait(timeout=10)


def edit(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", EDITOR, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


# Enough requests that both workers answer some, each from the cache after the first.
REQUESTS = 6


def test_an_admin_edit_shows_at_once_in_another_process(site):
    port, env = site
    pages = ["/exercises/toe-yoga/", "/exercises/?q=toe", "/muscles/", "/conditions/"]
    for path in pages * REQUESTS:
        assert get(port, path)[0] == 200

    edit(env, "edit", "Edited in another process: lift the big toe alone.")

    for _ in range(REQUESTS):
        assert "Edited in another process" in get(port, "/exercises/toe-yoga/")[1]
        assert "Edited in another process" in get(port, "/exercises/?q=toe")[1]


def test_unpublish_and_publish_show_at_once_in_another_process(site):
    port, env = site
    for _ in range(REQUESTS):
        assert get(port, "/exercises/toe-yoga/")[0] == 200
        assert "/exercises/toe-yoga/" in get(port, "/exercises/")[1]

    edit(env, "unpublish")

    for _ in range(REQUESTS):
        assert get(port, "/exercises/toe-yoga/")[0] == 404
        assert "/exercises/toe-yoga/" not in get(port, "/exercises/")[1]

    edit(env, "publish")

    for _ in range(REQUESTS):
        assert get(port, "/exercises/toe-yoga/")[0] == 200
        assert "/exercises/toe-yoga/" in get(port, "/exercises/")[1]
