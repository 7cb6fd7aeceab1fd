"""Failed logins are limited per account and per client address, in the shared cache."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from footcare.accounts.models import User
from tests.conftest import PASSWORD, make_runner

from ..footcare.conftest import REPO, deployment_environ
from .conftest import is_signed_in, login

pytestmark = pytest.mark.django_db

LOCKED = (
    "Too many login attempts in a short time. "
    "Wait a few minutes and try again, or reset your password."
)
PER_ACCOUNT = 5
PER_ADDRESS = 20
COOL_OFF = 15 * 60


def client_from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def fail(client: Client, email: str, times: int) -> None:
    for _ in range(times):
        response = login(client, email, "not-the-password")
        assert LOCKED not in response.content.decode(), "locked earlier than configured"


def test_the_configured_limits_are_the_documented_ones():
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == (
        f"{PER_ADDRESS}/15m/ip,{PER_ACCOUNT}/15m/key"
    )


def test_an_account_locks_after_five_failures_even_for_the_right_password(runner: User):
    fail(client_from("203.0.113.1"), runner.email, PER_ACCOUNT)

    # From another address, so only the account's counter can be what stops it.
    elsewhere = client_from("198.51.100.7")
    response = login(elsewhere, runner.email)

    assert LOCKED in response.content.decode()
    assert not is_signed_in(elsewhere)


@pytest.mark.parametrize(
    "host", ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1", "localhost", "localhost:8000", "[::1]:9"]
)
def test_the_account_lock_holds_whatever_host_or_port_a_request_names(runner: User, host: str):
    # allauth named the counter after the site's domain, which is the Host header: five
    # failures through one host name and port left every other one a fresh five guesses.
    fail(Client(REMOTE_ADDR="203.0.113.1", HTTP_HOST="127.0.0.1:8000"), runner.email, PER_ACCOUNT)

    elsewhere = Client(REMOTE_ADDR="198.51.100.7", HTTP_HOST=host)
    response = login(elsewhere, runner.email)

    assert LOCKED in response.content.decode()
    assert not is_signed_in(elsewhere)


def test_failures_spread_over_host_names_add_up(runner: User):
    for host in ("127.0.0.1:8000", "127.0.0.1:1", "localhost", "localhost:2", "[::1]"):
        fail(Client(REMOTE_ADDR="203.0.113.1", HTTP_HOST=host), runner.email, 1)

    assert LOCKED in login(client_from("198.51.100.7"), runner.email).content.decode()


def test_the_account_lock_does_not_touch_other_accounts(runner: User, other_runner: User):
    attacker = client_from("203.0.113.1")
    fail(attacker, runner.email, PER_ACCOUNT)

    response = login(attacker, other_runner.email)

    assert response.status_code == 302
    assert is_signed_in(attacker)


def test_the_account_lock_ends_after_the_cool_off(runner: User, fake_clock):
    fail(client_from("203.0.113.1"), runner.email, PER_ACCOUNT)
    fake_clock(COOL_OFF - 60)
    still_locked = client_from("198.51.100.7")
    assert LOCKED in login(still_locked, runner.email).content.decode()

    fake_clock(61)
    after = client_from("198.51.100.7")
    response = login(after, runner.email)

    assert response.status_code == 302
    assert is_signed_in(after)


def test_an_address_locks_after_twenty_failures_across_accounts(db):
    runners = [make_runner(f"runner{n}@example.com") for n in range(5)]
    attacker = client_from("203.0.113.9")
    # Four tries on each of five accounts: no single account reaches its own limit.
    for runner in runners:
        fail(attacker, runner.email, PER_ADDRESS // len(runners))

    fresh = make_runner("fresh@example.com")
    response = login(attacker, fresh.email)

    assert LOCKED in response.content.decode()
    assert not is_signed_in(attacker)
    neighbour = client_from("203.0.113.10")
    assert login(neighbour, fresh.email).status_code == 302, "other addresses are not locked"


def test_the_address_lock_ends_after_the_cool_off(db, fake_clock):
    runners = [make_runner(f"runner{n}@example.com") for n in range(5)]
    attacker = client_from("203.0.113.9")
    for runner in runners:
        fail(attacker, runner.email, PER_ADDRESS // len(runners))
    fake_clock(COOL_OFF + 1)

    response = login(attacker, runners[0].email)

    assert response.status_code == 302


def test_a_successful_login_does_not_wipe_earlier_failures(runner: User):
    attacker = client_from("203.0.113.1")
    fail(attacker, runner.email, PER_ACCOUNT - 1)
    assert login(client_from("198.51.100.7"), runner.email).status_code == 302

    fail(client_from("203.0.113.1"), runner.email, 1)

    assert LOCKED in login(client_from("198.51.100.8"), runner.email).content.decode()


def test_the_account_is_counted_case_insensitively(runner: User):
    for spelling in ("ada@example.com", "ADA@example.com", "Ada@Example.com", "aDa@example.com"):
        fail(client_from("203.0.113.1"), spelling, 1)
    fail(client_from("203.0.113.1"), "ada@EXAMPLE.com", 1)

    assert LOCKED in login(client_from("198.51.100.7"), runner.email).content.decode()


def test_the_counters_live_in_a_cache_every_process_shares():
    backend = settings.CACHES["default"]["BACKEND"]

    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }
    assert "locmem" not in backend.lower() and "dummy" not in backend.lower()


def test_a_failure_is_recorded_in_that_cache(runner: User):
    fail(client_from("203.0.113.1"), runner.email, 1)

    keys = [key for key in _cache_keys() if ":login_failed:" in key]
    assert len(keys) == 2, keys  # one counter for the address, one for the account


def _cache_keys() -> list[str]:
    # DatabaseCache keeps its keys readable in its table.
    from django.db import connection

    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(table)}")
        return [row[0] for row in cursor.fetchall()]


PROCESS = """
import sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from allauth.account.models import EmailAddress
from footcare.accounts.models import User

email, password = "far@example.com", "right-password-for-far-41"
client = Client(REMOTE_ADDR="192.0.2.1", HTTP_HOST=sys.argv[2])
if sys.argv[1] == "fail":
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    user = User.objects.create_user(email, password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for _ in range(5):
        client.post("/accounts/login/", {"login": email, "password": "wrong"})
else:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    locked = "Too many login attempts in a short time." in response.content.decode()
    print("locked" if locked else f"let in ({response.status_code})")
"""


@pytest.mark.slow
def test_a_second_process_sees_the_failures_of_the_first(tmp_path: Path):
    # Two separate Python processes with the app's own settings (the database cache, as
    # without REDIS_URL) and one database, as two app servers would run: the second must
    # refuse the right password after the first saw five failures. A per-process cache
    # would let it in.
    env = deployment_environ(DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}")

    def run(step: str, host: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", PROCESS, step, host],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    # Through another Host and port too: the lock is the account's, not the site name's.
    run("fail", "127.0.0.1:8000")

    assert run("check", "localhost:1") == "locked"


def test_the_right_password_still_works_below_the_limit(runner: User):
    fail(client_from("203.0.113.1"), runner.email, PER_ACCOUNT - 1)

    assert login(client_from("203.0.113.1"), runner.email, PASSWORD).status_code == 302


def test_other_limits_answer_with_our_too_many_attempts_page(client: Client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}

    client.post("/accounts/password/reset/", {"email": "someone@example.com"})
    response = client.post("/accounts/password/reset/", {"email": "someone-else@example.com"})

    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Too many attempts</h1>" in html
    assert 'href="/static/css/footcare.css"' in html
