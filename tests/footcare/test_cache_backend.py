"""The Redis cache backend as the settings configure it: values go and come back, and it
fails loudly when Redis is away.

The round trips need a Redis: the one REDIS_URL names (the tests use it when set), else
they skip."""

import os
import socket
from urllib.parse import urlsplit

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from .conftest import closed_port


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("no REDIS_URL: the round trips need a Redis")
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        pytest.skip(f"no Redis answers at {url}")
    return url


def backend(url: str) -> RedisCache:
    return RedisCache(url, {"KEY_PREFIX": "footcare-backend-test"})


def test_values_go_and_come_back():
    cache = backend(redis_url())
    try:
        cache.set("page", {"body": "<p>hi</p>"}, timeout=30)
        cache.set("count", 3, timeout=30)

        assert cache.get("page") == {"body": "<p>hi</p>"}
        assert cache.get_many(["page", "count", "missing"]) == {
            "page": {"body": "<p>hi</p>"},
            "count": 3,
        }
        assert cache.add("page", "other") is False
        assert cache.incr("count") == 4
    finally:
        cache.delete_many(["page", "count"])


def test_redis_away_fails_loudly():
    cache = RedisCache(
        f"redis://127.0.0.1:{closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1}}
    )

    with pytest.raises(redis.ConnectionError):
        cache.get("anything")
    # And the next call tries again, rather than keep a broken client.
    with pytest.raises(redis.ConnectionError):
        cache.get("anything")
