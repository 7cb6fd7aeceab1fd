"""A visitor's library page served whole from the cache, before the rest of the middleware.

A visitor (no session cookie) sees what every visitor of the same address sees, so once a
library view marked `@for_visitors` (`exercises.cache`) has drawn a page for one, the
finished response is kept under the content version and served to the next visitor
without the session, CSRF, authentication, messages or the view.

Each response still gets a CSP nonce of its own. This is the one place a page is changed
after it was drawn: the nonce the page was drawn with is replaced, in the body and the
headers, by a placeholder (`NONCE_MARK`, derived from the secret key so no content can
spell it), and each response served from the cache gets a fresh nonce in its place.

Only a 200 to a GET or HEAD without a session cookie is kept, for a request that was
anonymous to the end, with no cookie set and varying on nothing but the htmx headers the
key holds. A hit costs one round trip to the shared cache (the version and the page, kept
with the version it was drawn under); an edit anywhere moves the version on, so every
process draws afresh on its next request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csp import get_nonce
from django.urls import Resolver404, resolve
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


@dataclass(frozen=True)
class KeptPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def response(self) -> HttpResponse:
        nonce = generate_nonce()
        body = self.body.replace(NONCE_MARK.encode(), nonce.encode())
        headers = {name: value.replace(NONCE_MARK, nonce) for name, value in self.headers}
        # What CommonMiddleware, which a hit never reaches, would have added.
        headers["Content-Length"] = str(len(body))
        return HttpResponse(body, status=self.status, headers=headers)


def _for_visitors(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    try:
        return getattr(resolve(request.path_info).func, "for_visitors", False)
    except Resolver404:
        return False


def _page_key(request: HttpRequest) -> str:
    meta = request.META
    parts = [
        # get_host() also refuses a host ALLOWED_HOSTS does not name, as it would without us.
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        *(meta.get(name, "") for name in KEY_HEADERS),
    ]
    # Hashed with the secret key: what a visitor sends never becomes a cache key as such.
    digest = hashlib.sha256((settings.SECRET_KEY + "\x1f".join(parts)).encode()).hexdigest()
    return f"library:page:{digest[:40]}"


class VisitorPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _for_visitors(request):
            return self.get_response(request)
        # One round trip: the content version and the page kept at this address, with the
        # version it was drawn under; it is served only while that is the current one.
        key = _page_key(request)
        found = cache.get_many([VERSION_KEY, key])
        version, kept = found.get(VERSION_KEY), found.get(key)
        if version is not None and kept is not None and kept[0] == version:
            return kept[1].response()
        response = self.get_response(request)
        # The version read before the page was drawn: an edit meanwhile moved it on, so a
        # page drawn from the old rows is kept under a version no one reads again.
        if version is not None and (page := self.keepable(request, response)) is not None:
            cache.set(key, (version, page), timeout=PIECE_TIMEOUT)
        return response

    @staticmethod
    def keepable(request: HttpRequest, response: HttpResponseBase) -> KeptPage | None:
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or response.has_header("Set-Cookie")
            or request.user.is_authenticated
        ):
            return None
        vary = {value.lower() for value in split_header_value(response.get("Vary", ""))}
        if not vary <= VARY_ALLOWED:
            return None
        nonce = str(get_nonce(request) or "")
        body = response.content
        headers = tuple(
            (name, value.replace(nonce, NONCE_MARK) if nonce else value)
            for name, value in response.items()
            if name.lower() != "content-length"
        )
        if nonce:
            body = body.replace(nonce.encode(), NONCE_MARK.encode())
        return KeptPage(response.status_code, headers, body)
