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
key holds. A hit costs one cache read, the content version: the page itself comes from a
small store in this process when it holds the page at that version, from the shared cache
otherwise (kept with the version it was drawn under). An edit anywhere moves the version
on, so every process draws afresh on its next request.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

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
# Pages kept in each process beside the shared cache: the library's pages and the common
# filters fit many times over; a page costs a few tens of kilobytes.
LOCAL_PAGES = 256


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


@lru_cache(maxsize=1024)
def _marked(path: str) -> bool:
    """Whether the view at `path` is marked `@for_visitors` (the URLs do not change)."""
    try:
        return getattr(resolve(path).func, "for_visitors", False)
    except Resolver404:
        return False


def _for_visitors(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return _marked(request.path_info)


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
        # The last pages this process served, each with the version it was drawn under:
        # while that is the shared version, a hit reads nothing but the version.
        self.local: OrderedDict[str, tuple[str, KeptPage]] = OrderedDict()
        # Threads (runserver, a threaded worker) take turns with it.
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _for_visitors(request):
            return self.get_response(request)
        key = _page_key(request)
        version = cache.get(VERSION_KEY)
        kept = self.kept(key, version) if version is not None else None
        if kept is not None:
            return kept.response()
        response = self.get_response(request)
        # The version read before the page was drawn: an edit meanwhile moved it on, so a
        # page drawn from the old rows is kept under a version no one reads again.
        if version is not None and (page := self.keepable(request, response)) is not None:
            self.remember(key, version, page)
            cache.set(key, (version, page), timeout=PIECE_TIMEOUT)
        return response

    def kept(self, key: str, version: str) -> KeptPage | None:
        """The page kept at this address under `version`: this process's, or the shared one."""
        with self.lock:
            found = self.local.get(key)
            if found is not None and found[0] == version:
                self.local.move_to_end(key)
                return found[1]
        found = cache.get(key)
        if found is None or found[0] != version:
            return None
        self.remember(key, version, found[1])
        return found[1]

    def remember(self, key: str, version: str, page: KeptPage) -> None:
        with self.lock:
            self.local[key] = (version, page)
            self.local.move_to_end(key)
            while len(self.local) > LOCAL_PAGES:
                self.local.popitem(last=False)

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
