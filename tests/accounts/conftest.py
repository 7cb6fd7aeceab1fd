"""Runners for the accounts tests: real accounts with a verified email, as signup leaves them."""

import re
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from footcare.accounts.models import User

PASSWORD = "steady-calf-raises-41"


def make_runner(email: str, password: str = PASSWORD) -> User:
    user = User.objects.create_user(email, password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def runner(db) -> User:
    return make_runner("ada@example.com")


@pytest.fixture
def other_runner(db) -> User:
    return make_runner("grace@example.com")


@pytest.fixture
def runner_client(client: Client, runner: User) -> Client:
    client.force_login(runner)
    return client


def login(client: Client, email: str, password: str = PASSWORD, **extra: str):
    return client.post("/accounts/login/", {"login": email, "password": password, **extra})


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def normalised(html: str) -> str:
    """The page without what differs between any two requests: CSRF tokens and CSP nonces."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


@pytest.fixture
def fake_clock(monkeypatch) -> Callable[[float], None]:
    """Control the clock allauth's rate limiter reads, and only that clock.

    The limiter keeps hit timestamps in the cache and drops those older than the window;
    moving its clock forward is what the passing of the cool-off looks like to it.
    """
    import time
    from types import SimpleNamespace

    from allauth.core.internal import ratelimit

    now = [time.time()]
    monkeypatch.setattr(
        ratelimit,
        "time",
        SimpleNamespace(time=lambda: now[0], monotonic=time.monotonic, sleep=time.sleep),
    )

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


@pytest.fixture
def profile_choices(db) -> dict:
    """A few of the library's conditions and equipment, as the seeded library names them."""
    from exercises.models import Condition, Equipment

    def condition(slug: str, name: str) -> Condition:
        return Condition.objects.create(
            slug=slug,
            name=name,
            summary=f"{name}, in plain words.",
            how_strengthening_helps="Stronger tissue copes with more running.",
        )

    return {
        "plantar-fasciitis": condition("plantar-fasciitis", "Plantar fasciitis"),
        "achilles-tendinopathy": condition("achilles-tendinopathy", "Achilles tendinopathy"),
        "step": Equipment.objects.create(slug="step", name="Step"),
        "towel": Equipment.objects.create(slug="towel", name="Towel"),
    }
