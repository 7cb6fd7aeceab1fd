"""Helpers for the accounts tests; the runners themselves are in tests/conftest.py."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import PASSWORD


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
def profile_choices(make_condition, make_equipment) -> dict:
    """A few of the library's conditions and equipment, as the seeded library names them."""
    return {
        "plantar-fasciitis": make_condition(slug="plantar-fasciitis", name="Plantar fasciitis"),
        "achilles-tendinopathy": make_condition(
            slug="achilles-tendinopathy", name="Achilles tendinopathy"
        ),
        "step": make_equipment(slug="step", name="Step"),
        "towel": make_equipment(slug="towel", name="Towel"),
    }
