"""A visitor's library page served whole from the cache, before the rest of the middleware.

A visitor (no session cookie) sees what every visitor of the same address sees, so once a
library view has rendered a page for one, the finished response (its body and headers, as
the middleware below this one left them) is kept under the content version and served to
the next visitor without the session, CSRF, authentication, messages or the view. Each
response still gets a CSP nonce of its own: the entry holds a stand-in where the nonce goes,
in the body and the headers, and a fresh nonce replaces it every time.

What may be kept is the view's decision (`keep_for_visitors()`), checked again here: only
a 200 to a GET or HEAD without a session cookie, for a request that was anonymous to the
end, with no cookie set, varying on nothing but the htmx headers the key holds, and whose
body is exactly the view's marked page with this request's nonce in it.

A hit costs one cache read, the content version: the page itself comes from a small store
in this process when it holds the page at that version, from the shared cache otherwise.
An edit anywhere moves the version on (`exercises.cache`), so every process renders afresh
on its next request.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as once

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csp import get_nonce
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.csp import generate_nonce
from django.utils.http import split_header_value

from .cache import PIECE_TIMEOUT, VERSION_KEY

# Where the nonce goes in a kept page; derived from the secret key, so no content can
# spell it.
NONCE_MARK = "nonce-" + salted_hmac("exercises.pages", "nonce", algorithm="sha256").hexdigest()[:24]
# The request headers a library page may depend on besides its address: the key holds
# them, and a page that varies on anything else is not kept.
KEY_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_TARGET")
VARY_ALLOWED = {"hx-request", "hx-target", "cookie"}
# Pages kept in each process beside the shared cache: the library's pages and the
# common filters fit many times over; a page costs a few tens of kilobytes.
LOCAL_PAGES = 256


def keep_for_visitors(response: HttpResponse, page: str) -> HttpResponse:
    """Let the middleware keep `response` for every visitor of this address.

    `page` is the response's body with `NONCE_MARK` where this response has its nonce. It
    must have been rendered without anything of the request's own but its address.
    """
    response.visitor_page = page
    # A runner's page at the same address is not this one: no shared cache on the way may
    # hand it to someone with a session cookie.
    patch_vary_headers(response, ["Cookie"])
    return response


@dataclass(frozen=True)
class KeptPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    # Whether the stand-in is in the body or a header: a page without scripts has none.
    has_nonce: bool

    def response(self) -> HttpResponse:
        if not self.has_nonce:
            body, headers = self.body, dict(self.headers)
        else:
            nonce = generate_nonce()
            body = self.body.replace(NONCE_MARK.encode(), nonce.encode())
            headers = {name: value.replace(NONCE_MARK, nonce) for name, value in self.headers}
        # What CommonMiddleware, which a hit never reaches, would have added.
        headers["Content-Length"] = str(len(body))
        return HttpResponse(body, status=self.status, headers=headers)


@once
def _library_paths() -> tuple[str, ...]:
    return tuple(reverse(f"exercises:{name}") for name in ("list", "muscles", "conditions"))


def _visitor_key(request: HttpRequest) -> str | None:
    """The key of the page this request asks for, if a visitor may be served a kept one."""
    if request.method not in ("GET", "HEAD") or not request.path.startswith(_library_paths()):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    meta = request.META
    parts = [
        # get_host() also refuses a host ALLOWED_HOSTS does not name, as it would without us.
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        *(meta.get(name, "") for name in KEY_HEADERS),
    ]
    # Signed with the secret key: what a visitor sends never becomes a cache key as such.
    signed = hmac.new(_key_secret(), "\x1f".join(parts).encode(), hashlib.sha256)
    return signed.hexdigest()[:40]


@once
def _key_secret() -> bytes:
    # salted_hmac's own derivation, done once rather than on every request.
    return hashlib.sha256(b"exercises.pages.key" + settings.SECRET_KEY.encode()).digest()


class VisitorPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.local: OrderedDict[str, tuple[str, KeptPage]] = OrderedDict()
        # The store is this process's: threads (runserver, a threaded worker) take turns.
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = _visitor_key(request)
        if key is None:
            return self.get_response(request)
        version = cache.get(VERSION_KEY)
        if version is not None:
            kept = self.kept(key, version)
            if kept is not None:
                return kept.response()
        response = self.get_response(request)
        # The version read before the page was rendered: an edit meanwhile moved it on, so
        # a page rendered from the old rows is kept under a version no one reads again.
        if version is not None and (page := self.keepable(request, response)) is not None:
            self.remember(key, version, page)
            cache.set(f"library:page:{version}:{key}", page, timeout=PIECE_TIMEOUT)
        return response

    def kept(self, key: str, version: str) -> KeptPage | None:
        with self.lock:
            found = self.local.get(key)
            if found is not None and found[0] == version:
                self.local.move_to_end(key)
                return found[1]
        page = cache.get(f"library:page:{version}:{key}")
        if page is not None:
            self.remember(key, version, page)
        return page

    def remember(self, key: str, version: str, page: KeptPage) -> None:
        with self.lock:
            self.local[key] = (version, page)
            self.local.move_to_end(key)
            while len(self.local) > LOCAL_PAGES:
                self.local.popitem(last=False)

    @staticmethod
    def keepable(request: HttpRequest, response: HttpResponseBase) -> KeptPage | None:
        page = getattr(response, "visitor_page", None)
        if (
            page is None
            or response.status_code != 200
            or response.cookies
            or response.has_header("Set-Cookie")
            or request.user.is_authenticated
        ):
            return None
        vary = {value.lower() for value in split_header_value(response.get("Vary", ""))}
        if not vary <= VARY_ALLOWED:
            return None
        nonce = get_nonce(request)
        nonce = str(nonce) if nonce else None
        if response.content != (page.replace(NONCE_MARK, nonce) if nonce else page).encode():
            return None
        headers = tuple(
            (name, value.replace(nonce, NONCE_MARK) if nonce else value)
            for name, value in response.items()
            if name.lower() != "content-length"
        )
        has_nonce = NONCE_MARK in page or any(NONCE_MARK in value for _, value in headers)
        return KeptPage(response.status_code, headers, page.encode(), has_nonce)
