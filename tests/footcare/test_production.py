"""Production serving, end to end: collectstatic, then gunicorn with the production settings."""

import http.client
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from .conftest import PRODUCTION_ENV, REPO, deployment_environ, gunicorn

# Each test starts processes of its own: left out by `make test FAST=1`.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    var = tmp_path_factory.mktemp("production")
    env = deployment_environ(
        **PRODUCTION_ENV,
        DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}",
        STATIC_ROOT=str(var / "static"),
    )
    # As the README deploys: collect static files and migrate, then serve.
    for command in (
        ["collectstatic", "--noinput", "-v0"],
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env=env,
            check=True,
            timeout=300,
        )
    with gunicorn(env) as port:
        yield port


def _get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "GET",
        path,
        headers={"Host": "footcare.example", "X-Forwarded-Proto": "https", **headers},
    )
    response = connection.getresponse()
    response.body = response.read()
    return response


def test_gunicorn_serves_the_home_page_with_hashed_static_files(production_server):
    response = _get(production_server, "/")

    assert response.status == 200
    html = response.body.decode()
    assert re.search(r'href="/static/css/footcare\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'src="/static/django_htmx/htmx-2\.min\.[0-9a-f]{12}\.js"', html)
    assert "Strict-Transport-Security" in response.headers


def test_hashed_static_files_are_compressed_and_cached_far_ahead(production_server):
    html = _get(production_server, "/").body.decode()
    stylesheet = re.search(r'href="(/static/css/footcare\.[0-9a-f]{12}\.css)"', html).group(1)

    response = _get(production_server, stylesheet, **{"Accept-Encoding": "br, gzip"})

    assert response.status == 200
    assert response.headers["Content-Encoding"] in {"br", "gzip"}
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) >= 365 * 24 * 3600


def test_plain_http_without_the_proxy_header_is_redirected_to_https(production_server):
    connection = http.client.HTTPConnection("127.0.0.1", production_server, timeout=10)
    connection.request("GET", "/", headers={"Host": "footcare.example"})
    response = connection.getresponse()

    assert response.status == 301
    assert response.headers["Location"] == "https://footcare.example/"


def test_health_probe_answers_over_plain_http(production_server):
    connection = http.client.HTTPConnection("127.0.0.1", production_server, timeout=10)
    connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
    response = connection.getresponse()

    assert response.status == 200
    assert response.read() == b'{"status": "ok", "database": "ok", "cache": "ok"}'
