"""Fixtures shared by every test. Test-only settings tweaks live here, not in settings.py."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(request: pytest.FixtureRequest):
    # The cache lives in a database table (or Redis) that transactional tests do not
    # flush, so login throttling counters would leak from one test into the next.
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    cache.clear()
    yield
    cache.clear()
