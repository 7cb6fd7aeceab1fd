"""Fixtures shared by every test. Test-only settings tweaks live here, not in settings.py."""

import copy
from typing import Any

import pytest
from django.core.cache import cache

from exercises.content.file import read_library
from exercises.content.seed import library_seed


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


@pytest.fixture(scope="session")
def content_file_data() -> dict[str, Any]:
    """The committed content file (exercises/content/library.yaml), parsed once."""
    return read_library()


@pytest.fixture
def seeded_library(db, content_file_data) -> dict[str, Any]:
    """The library seeded from the content file, as `make run` loads it; returns its data.

    In a test that uses live_server or transactional_db it is seeded the same way, for real.
    """
    data = copy.deepcopy(content_file_data)
    library_seed(data=copy.deepcopy(data))
    return data
