import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-like-secret-for-tests-only-0123456789",
    "ALLOWED_HOSTS": "footcare.example,127.0.0.1",
    "CSRF_TRUSTED_ORIGINS": "https://footcare.example",
    "TRUST_X_FORWARDED_PROTO": "1",
    "EMAIL_HOST": "smtp.example",
}


def closed_port() -> int:
    """A port on this machine that nothing listens on: a connection to it is refused at once.

    Also a free port to start a server on.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def deployment_environ(**overrides: str) -> dict[str, str]:
    """This process's environment without what tests or the developer set, plus overrides."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV
        and key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return {**inherited, "DJANGO_SETTINGS_MODULE": "footcare.settings", **overrides}


@pytest.fixture
def run_django():
    """Run Python in a fresh process with the given environment, as a deployment would."""

    def run(code: str, env: dict[str, str], *, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env=deployment_environ(**env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return run


@contextmanager
def gunicorn(env: dict[str, str], app: str = "footcare.wsgi") -> Iterator[int]:
    """Serve footcare.wsgi (or `app`) with gunicorn, two workers, on a free port; yield the
    port."""
    port = closed_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            # gunicorn 27's control socket is one per user by default: a second instance on
            # the machine (another test run) would take it over.
            "--no-control-socket",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Until a worker answers, not merely until the master listens: on a busy machine
        # the workers can take longer to import Django than a test's request waits.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
                if probe.getresponse().status == 200:
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"gunicorn exited: {server.stderr.read().decode()}")
            time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz within 60 seconds")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
