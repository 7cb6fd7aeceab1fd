"""A signed-in runner's own pages, kept in this process until anything they show changes.

The plans, the board, today, the log, progress and the profile are drawn for one runner,
and most of what they cost is drawing them. A page a view marks (`runner_page`) is kept
by `RunnerPageCacheMiddleware`, in the memory of the process that drew it and nowhere
else (no runner's page is ever written to the shared cache), and served again to the same
session for the same request while all of these are as they were when it was drawn:

* the session itself: the session cookie is in the key, and the session's data in the
  shared cache must be exactly what it was (a logout, an expired or deleted session, a
  password changed, a flash message waiting: each changes it or removes it);
* the runner's version (`runner-pages:<user id>` in the shared cache, a random token),
  which every write of theirs moves on: any POST (or other unsafe request) they make, at
  its end, and any save of what they own outside their own requests (the admin, a
  command, the shell: the receivers connected with `follow()`);
* the library's content version (`exercises.cache`), since the pages show the library;
  every unsafe request to the admin moves it on too, as the admin can change anything a
  runner's page shows (a starter plan, a runner's plan);
* the runner's day (`footcare.clock.today()` in their time zone, as the middleware that
  sets it left it on the request), since today, the log and progress are about it;
* and the address, scheme, host and htmx headers, which are in the key.

The versions are read before the page is drawn, so a page drawn while a write lands is
kept under a version no one reads again. A hit costs one round trip to the shared cache
(the two versions and the session, together) and no query; what the session, CSRF,
authentication and messages middleware and the view would have done is either in the
kept response or done again here: a fresh CSP nonce in the body and the header, a CSRF
token masked afresh from the request's own cookie (and the cookie renewed, as Django
does), fresh one-off tokens in its forms, fresh "never cache" headers. A page is kept for
at most `MAX_AGE` seconds, a bound for a write that reached the database but whose version
bump did not reach the cache.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo
from functools import cache as once
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_PREFIX
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csp import get_nonce
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.csp import generate_nonce
from django.utils.http import http_date, split_header_value

from exercises.cache import VERSION_KEY, bump_content_version, content_version
from exercises.middleware import NONCE_MARK

from . import clock

log = logging.getLogger(__name__)

# Where a kept page has its CSRF token; derived from the secret key, like NONCE_MARK, and
# not a token's shape (a hyphen), so no content can spell it and no token is mistaken.
CSRF_MARK = (
    "csrf-" + salted_hmac("footcare.page_cache", "csrf", algorithm="sha256").hexdigest()[:24]
)
# A masked CSRF token: 64 letters and digits.
TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Where a kept page has a form's one-off token (OnceTokenField and the like: a hidden
# "token", a fresh UUID in every form drawn, so the same form posted twice makes one row),
# numbered: each page served gets fresh ones, or two tabs' forms would be one form posted
# twice, and the second tab's new plan would be taken for the first's.
ONCE_MARK = (
    "once-" + salted_hmac("footcare.page_cache", "once", algorithm="sha256").hexdigest()[:24]
)
ONCE_TOKEN = re.compile(
    r'name="(?:[\w-]+-)?token" value="'
    r'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"'
)
MARKS = re.compile(f"({re.escape(NONCE_MARK)}|{re.escape(CSRF_MARK)}|{re.escape(ONCE_MARK)}\\d+-)")
# Django's alphabet for CSRF secrets and masks, and each letter's place in it.
CHARS = CSRF_ALLOWED_CHARS
PLACE = {char: n for n, char in enumerate(CHARS)}
# The largest multiple of the alphabet's length a byte can reach, for unbiased letters.
BYTE_LIMIT = 256 - 256 % len(CHARS)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# The htmx request headers: a fragment is not the page, nor one target's fragment another's.
KEY_HEADERS = (
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_TRIGGER",
    "HTTP_HX_TRIGGER_NAME",
    "HTTP_HX_BOOSTED",
    "HTTP_HX_CURRENT_URL",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
)
VARY_ALLOWED = {"cookie", "hx-request", "hx-target"}
# Pages kept per process: a few runners' six pages and their fragments, tens of kB each.
LOCAL_PAGES = 256
MAX_AGE = 10 * 60
# The runner versions outlive the pages kept under them; a lost one starts afresh.
VERSION_TIMEOUT = 24 * 60 * 60


def runner_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let the middleware keep this view's GET answers for the session that asked.

    The view must draw its page from nothing but the runner's own data, the library, the
    day, the address and the htmx headers: anything else it showed would go stale.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method == "GET":
            response.runner_page = True
        return response

    wrapper.runner_page = True
    return wrapper


# The runner's version ------------------------------------------------------------------


def _version_key(user_id: object) -> str:
    return f"runner-pages:{user_id}"


def _new_version() -> str:
    # Random, not a counter: a lost version must not come back as one a page was kept under.
    return secrets.token_hex(6)


def runner_version(user_id: object) -> str:
    key = _version_key(user_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, _new_version(), timeout=VERSION_TIMEOUT)
        version = cache.get(key)
    return version


def bump_runner(user_id: object) -> None:
    """Every page kept for this runner is out of date from now on, in every process.

    Once now, for the rest of this transaction, and once after the commit, for a page
    another process drew from the old rows in between.
    """
    _set_version(user_id)
    transaction.on_commit(lambda: _set_version(user_id))


def changed(user_id: object) -> None:
    """For a write of the runner's that no signal sees (`update()`, `bulk_*`): move their
    pages on, unless the end of their own request is about to."""
    if not _covered():
        bump_runner(user_id)


def _set_version(user_id: object) -> None:
    try:
        cache.set(_version_key(user_id), _new_version(), timeout=VERSION_TIMEOUT)
    except Exception:
        # The cache is down: the write goes on (the database has it) and this process drops
        # what it kept; no process serves a kept page while the cache cannot be read, and
        # the others' pages expire within MAX_AGE of coming back.
        log.exception("Could not move runner %s's pages on", user_id)
        forget_all()


def follow(
    model: type,
    owner: Callable[[Any], object | None],
    *,
    deletes: bool = True,
    cascades: bool = True,
    moves: bool = True,
) -> None:
    """Move the owner's version on whenever an instance of `model` is saved or deleted.

    `owner(instance)` is the owning user's id. Without `cascades`, a delete is followed
    only when it started at this model (not when a parent's delete, which moves the pages
    on itself, takes the row with it). With `moves`, a save of an existing row
    reads it first, so that a row given to another runner moves its old owner's pages on
    too. Inside a runner's own unsafe request the middleware moves their version on at the
    end, so the receivers do nothing there.
    """

    def saving(sender: type, instance: Any, **kwargs: Any) -> None:
        # Whose it was before this save: a row given to another runner (a plan, an item
        # moved to another's plan) must leave its old owner's pages too.
        instance._runner_pages_owner = None
        if _covered() or instance._state.adding or instance.pk is None:
            return
        stored = sender._base_manager.filter(pk=instance.pk).first()
        if stored is not None:
            instance._runner_pages_owner = owner(stored)

    def changed(sender: type, instance: Any, **kwargs: Any) -> None:
        if _covered():
            return
        user_id = owner(instance)
        if user_id is not None:
            bump_runner(user_id)
        before = instance.__dict__.pop("_runner_pages_owner", None)
        if before is not None and before != user_id:
            bump_runner(before)

    def deleted(sender: type, instance: Any, origin: Any = None, **kwargs: Any) -> None:
        started = origin.model if isinstance(origin, QuerySet) else type(origin)
        if cascades or started is sender:
            changed(sender, instance)

    uid = f"runner-pages-{model._meta.label}"
    if moves:
        pre_save.connect(saving, sender=model, dispatch_uid=uid + "-pre", weak=False)
    post_save.connect(changed, sender=model, dispatch_uid=uid, weak=False)
    if deletes:
        post_delete.connect(deleted, sender=model, dispatch_uid=uid + "-d", weak=False)


def follow_m2m(through: type, owner: Callable[[Any], object | None]) -> None:
    """Follow a many-to-many field of an owned model, changed from the owner's side."""

    def changed(sender: type, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
        if not action.startswith("post_") or _covered():
            return
        if reverse:
            # Changed from the other side (a condition's runners): rare; every runner.
            bump_content_version()
        elif (user_id := owner(instance)) is not None:
            bump_runner(user_id)

    m2m_changed.connect(
        changed, sender=through, dispatch_uid=f"runner-pages-{through._meta.label}", weak=False
    )


# The unsafe request each thread of this process is answering, if any.
_writing: dict[int, HttpRequest] = {}


def _covered() -> bool:
    """Whether the end of this thread's request moves the version on: a signed-in runner's
    unsafe request (what else it changed is the admin's, which moves every page on)."""
    request = _writing.get(threading.get_ident())
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


# The middleware --------------------------------------------------------------------------

# The pages this process keeps, most recently served last.
_pages: OrderedDict[str, KeptPage] = OrderedDict()
# Threads (runserver, a threaded worker) take turns with it.
_lock = threading.Lock()


def forget_all() -> None:
    """Drop every page this process keeps."""
    with _lock:
        _pages.clear()


@dataclass(frozen=True)
class Before:
    """What a page about to be drawn is drawn under, read before the view runs."""

    session_key: str
    session: dict
    runner_key: str
    runner_version: str
    content_version: str


@dataclass(frozen=True)
class KeptPage:
    drawn_under: Before
    # The runner's time zone and their day in it when the view began.
    zone: tzinfo
    day: date
    born: float
    status: int
    # The headers without the nonce, as ResponseHeaders keeps them (lower-cased name to
    # name and value), and those with it (the CSP header), with the stand-in.
    headers: dict[str, tuple[str, str]]
    nonce_headers: tuple[tuple[str, str], ...]
    # The body cut at the stand-ins: pieces[0], marks[0], pieces[1], ... pieces[-1].
    pieces: tuple[bytes, ...]
    marks: tuple[str, ...]

    def fresh(self, found: dict[str, Any]) -> bool:
        drawn = self.drawn_under
        return (
            found.get(VERSION_KEY) == drawn.content_version
            and found.get(drawn.runner_key) == drawn.runner_version
            and found.get(drawn.session_key) == drawn.session
            and self.today() == self.day
            and time.monotonic() - self.born < MAX_AGE
        )

    def today(self) -> date:
        with timezone.override(self.zone):
            return clock.today()

    def response(self, csrf_secret: str) -> HttpResponse:
        nonce = generate_nonce() if self.nonce_headers or NONCE_MARK in self.marks else ""
        token = _masked(csrf_secret) if CSRF_MARK in self.marks else ""
        values = {NONCE_MARK: nonce.encode(), CSRF_MARK: token.encode()}
        body = [self.pieces[0]]
        for mark, piece in zip(self.marks, self.pieces[1:], strict=True):
            value = values.get(mark)
            if value is None:
                # A one-off token: fresh for this page, the same wherever the page repeats it.
                value = values[mark] = str(uuid.uuid4()).encode()
            body += (value, piece)
        content = b"".join(body)
        response = HttpResponse(content, status=self.status)
        # Each value was checked when the page was kept; copying them is a tenth of setting
        # them one by one, and with 150 kB bodies every microsecond shows.
        response.headers._store.update(self.headers)
        for name, value in self.nonce_headers:
            response[name] = value.replace(NONCE_MARK, nonce)
        # What CommonMiddleware and never_cache would have added: the rest of never_cache's
        # headers (Cache-Control) are kept with the page.
        response["Content-Length"] = str(len(content))
        response["Expires"] = http_date(time.time())
        if token:
            # As CsrfViewMiddleware does whenever a page used the token: renew the cookie.
            response.set_cookie(
                settings.CSRF_COOKIE_NAME,
                csrf_secret,
                max_age=settings.CSRF_COOKIE_AGE,
                domain=settings.CSRF_COOKIE_DOMAIN,
                path=settings.CSRF_COOKIE_PATH,
                secure=settings.CSRF_COOKIE_SECURE,
                httponly=settings.CSRF_COOKIE_HTTPONLY,
                samesite=settings.CSRF_COOKIE_SAMESITE,
            )
        response.runner_page_hit = True
        return response


@once
def _key_secret() -> bytes:
    return hashlib.sha256(b"footcare.page_cache.key" + settings.SECRET_KEY.encode()).digest()


def _page_key(request: HttpRequest, session_cookie: str) -> str:
    meta = request.META
    parts = [
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        session_cookie,
        *(meta.get(name, "") for name in KEY_HEADERS),
    ]
    return hmac.new(_key_secret(), "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()[:40]


def _is_runner_page(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "runner_page", False)


def _masked(secret: str) -> str:
    """A CSRF token for `secret` under a fresh random mask, as `get_token()` gives.

    Django's `_mask_cipher_secret()`, with the mask's letters drawn from one call for
    random bytes instead of 32 calls to `secrets.choice()`, which cost more than the rest
    of a kept page's answer.
    """
    mask: list[str] = []
    while len(mask) < CSRF_SECRET_LENGTH:
        mask += (CHARS[byte % len(CHARS)] for byte in os.urandom(48) if byte < BYTE_LIMIT)
    mask = mask[:CSRF_SECRET_LENGTH]
    cipher = "".join(
        CHARS[(PLACE[x] + PLACE[y]) % len(CHARS)] for x, y in zip(secret, mask, strict=True)
    )
    return "".join(mask) + cipher


def _good_secret(secret: str | None) -> bool:
    return (
        secret is not None
        and len(secret) == CSRF_SECRET_LENGTH
        and secret.isascii()
        and secret.isalnum()
    )


@once
def _admin_path() -> str:
    return reverse("admin:index")


class RunnerPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in SAFE_METHODS:
            return self.write(request)
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if (
            request.method != "GET"
            or not cookie
            or not settings.RUNNER_PAGE_CACHE
            or settings.SESSION_CACHE_ALIAS != "default"
        ):
            return self.get_response(request)
        key = _page_key(request, cookie)
        with _lock:
            kept = _pages.get(key)
        if kept is not None:
            served = self.serve(request, key, kept)
            if served is not None:
                return served
        before = self.before(request, cookie) if _is_runner_page(request) else None
        response = self.get_response(request)
        if before is not None and (page := self.keepable(request, response, before)):
            with _lock:
                _pages[key] = page
                _pages.move_to_end(key)
                while len(_pages) > LOCAL_PAGES:
                    _pages.popitem(last=False)
        return response

    def serve(self, request: HttpRequest, key: str, kept: KeptPage) -> HttpResponse | None:
        try:
            drawn = kept.drawn_under
            found = cache.get_many([VERSION_KEY, drawn.runner_key, drawn.session_key])
        except Exception:
            # The cache is down: the rest of the stack answers (and says so).
            return None
        if not kept.fresh(found):
            with _lock:
                if _pages.get(key) is kept:
                    del _pages[key]
            return None
        with _lock:
            if key in _pages:
                _pages.move_to_end(key)
        secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if not _good_secret(secret):
            # As get_token() does for a request without one: a new secret, in a new cookie.
            secret = _get_new_csrf_string()
        return kept.response(secret)

    @staticmethod
    def before(request: HttpRequest, cookie: str) -> Before | None:
        session_key = SESSION_PREFIX + cookie
        try:
            found = cache.get_many([VERSION_KEY, session_key])
            session = found.get(session_key)
            if not isinstance(session, dict) or SESSION_KEY not in session:
                return None
            runner_key = _version_key(session[SESSION_KEY])
            return Before(
                session_key=session_key,
                session=session,
                runner_key=runner_key,
                runner_version=runner_version(session[SESSION_KEY]),
                content_version=found.get(VERSION_KEY) or content_version(),
            )
        except Exception:
            return None

    @staticmethod
    def keepable(
        request: HttpRequest, response: HttpResponseBase, before: Before
    ) -> KeptPage | None:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        # Left by RunnerTimeZoneMiddleware, before the view, for a signed-in runner.
        zone = getattr(request, "runner_zone", None)
        day = getattr(request, "runner_day", None)
        if (
            not getattr(response, "runner_page", False)
            or zone is None
            or day is None
            or response.status_code != 200
            or response.streaming
            or user is None
            or not user.is_authenticated
            or str(user.pk) != str(before.session[SESSION_KEY])
            or session is None
            or session.modified
            or session.session_key != before.session_key.removeprefix(SESSION_PREFIX)
        ):
            return None
        # The secret the page's tokens were masked from: the request's cookie, or the one
        # get_token() made for a request without one.
        secret = request.META.get("CSRF_COOKIE")
        for name, morsel in response.cookies.items():
            # Only the CSRF cookie with that secret: anything else set is this response's.
            if name != settings.CSRF_COOKIE_NAME or morsel.value != secret:
                return None
        vary = {value.lower() for value in split_header_value(response.get("Vary", ""))}
        if not vary <= VARY_ALLOWED:
            return None
        body = response.content.decode()
        nonce = get_nonce(request)
        nonce = str(nonce) if nonce else None
        # Content-Length and Expires are set afresh on each hit; the rest is kept.
        headers = {
            name.lower(): (name, value)
            for name, value in response.items()
            if name.lower() not in ("content-length", "expires")
        }
        nonce_headers = ()
        if nonce:
            body = body.replace(nonce, NONCE_MARK)
            nonce_headers = tuple(
                (name, value.replace(nonce, NONCE_MARK))
                for name, value in headers.values()
                if nonce in value
            )
            for name, _value in nonce_headers:
                del headers[name.lower()]
        if _good_secret(secret):
            for token in set(TOKEN.findall(body)):
                if _unmask_cipher_token(token) == secret:
                    body = body.replace(token, CSRF_MARK)
            if secret in body:
                return None
        for number, one_off in enumerate(dict.fromkeys(ONCE_TOKEN.findall(body))):
            body = body.replace(one_off, f"{ONCE_MARK}{number}-")
        cut = MARKS.split(body)
        return KeptPage(
            drawn_under=before,
            zone=zone,
            day=day,
            born=time.monotonic(),
            status=response.status_code,
            headers=headers,
            nonce_headers=nonce_headers,
            pieces=tuple(piece.encode() for piece in cut[::2]),
            marks=tuple(cut[1::2]),
        )

    def write(self, request: HttpRequest) -> HttpResponseBase:
        thread = threading.get_ident()
        _writing[thread] = request
        try:
            response = self.get_response(request)
        finally:
            _writing.pop(thread, None)
        user = getattr(request, "user", None)
        try:
            signed_in = user is not None and user.is_authenticated
        except Exception:
            # The session could not be read (the cache is down): no one was signed in to
            # write anything, and the response says so.
            return response
        if signed_in:
            # Once, after the view's writes are committed (no transaction is open here).
            _set_version(user.pk)
            if user.is_staff and request.path.startswith(_admin_path()):
                try:
                    bump_content_version()
                except Exception:
                    log.exception("Could not move the content version on")
                    forget_all()
        return response
