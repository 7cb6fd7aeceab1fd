"""The library's content version, which what is kept of the library pages is keyed on.

What the library pages show is the same for everyone but staff (who see drafts), so the
parts that cost the most to draw are kept in the shared cache (Redis, or the database
table: every app process reads the same one) with Django's `{% cache %}` tag, keyed on the
content version (`exercises.views._kept`), and a visitor's whole page is kept by
`exercises.middleware`, under the same version. Every save or delete of library content
moves the version on (the signals in `apps.py`, the admin's publish actions, the seed), so
the next request in any process misses and draws afresh; the old entries are never read
again and expire.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

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


def kept_for_version[T](key: str, build: Callable[[], T]) -> T:
    """What `build()` gives, kept in the cache beside the version it was built under: one
    cache read (the version and the entry together) while the library is unchanged; built
    again after an edit. For values the same for everyone (the published ladders, the
    profile's lists of conditions and equipment), never for a runner's own data."""
    found = cache.get_many([VERSION_KEY, key])
    version, kept = found.get(VERSION_KEY), found.get(key)
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    version = version or content_version()
    value = build()
    cache.set(key, (version, value), timeout=PIECE_TIMEOUT)
    return value


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


def for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let `exercises.middleware` keep this view's page for every visitor of its address.

    The view draws the same page for every visitor (no session, nothing of the request's
    own but its address and htmx headers); the middleware checks the answer before keeping
    it. Marks the view and changes nothing else.
    """
    view.for_visitors = True
    return view
