"""The library's content version, and the page pieces cached on it.

What the library pages show a visitor who is not staff is the same for everyone, so it
is rendered once and kept in the shared cache (Redis, or the database table: every app
process reads the same one), keyed on the content version. Every save or delete of
library content moves the version on (the signals in `apps.py`, the admin's publish
actions, the seed), so the next request in any process misses and renders afresh; the
old entries are never read again and expire.

A shared piece is rendered without the request: no CSP nonce, CSRF token, user or
session can end up in it. Staff (who see drafts) never read or fill it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "library:version"
# Entries are never stale (the version is in the key); the timeout only lets the ones of
# an old version, or of a one-off search, go.
PIECE_TIMEOUT = 6 * 60 * 60

_held: ContextVar[bool] = ContextVar("library_bumps_held", default=False)


def _new_version() -> str:
    # Random, not a counter: after the cache lost the version (evicted, cleared), a fresh
    # one must not meet entries kept under an earlier one.
    return secrets.token_hex(6)


def content_version() -> str:
    """The library's current content version, as every app process sees it."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # add(): of two processes starting a version at once, both use the first one.
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version() -> None:
    """Move the version on: every cached library piece is from now on out of date.

    Once now, so that the rest of this transaction (and a test inside one) sees fresh
    pages, and once more after the commit: another process that rendered the old rows
    under the new version in between must not keep them.
    """
    if _held.get():
        return
    cache.set(VERSION_KEY, _new_version(), timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, _new_version(), timeout=None))


@contextmanager
def one_bump() -> Iterator[None]:
    """Hold back the bumps of many writes (a seed, a bulk load) and bump once at the end."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)
    bump_content_version()


@contextmanager
def bumps_held() -> Iterator[None]:
    """No bumps at all: for writes that are rolled back (a preview of a change under
    review), which leave the library as it was."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


# The version this process last saw: a piece is asked for under it together with the
# current version, in one round trip, and used only when the two agree.
_last_seen = {"version": ""}


def _piece_key(version: str, key: tuple[str, ...]) -> str:
    digest = hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:32]
    return f"library:{version}:{digest}"


def shared_piece(*key: str, build: Callable[[], Any]) -> Any:
    """The cached value of `build()` for this key at the current content version.

    `build` must render without anything of the request's own: what it returns is served
    to everyone who asks with this key.
    """
    guess = _piece_key(_last_seen["version"], key)
    found = cache.get_many([VERSION_KEY, guess])
    version = found.get(VERSION_KEY)
    if version is not None and version == _last_seen["version"] and guess in found:
        return found[guess]
    if version is None:
        version = content_version()
    _last_seen["version"] = version
    cache_key = _piece_key(version, key)
    piece = cache.get(cache_key)
    if piece is None:
        piece = build()
        cache.set(cache_key, piece, timeout=PIECE_TIMEOUT)
    return piece
