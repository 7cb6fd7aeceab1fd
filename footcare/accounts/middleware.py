"""Responses rendered for a signed-in runner are private and in their time zone; a mail
outage gets its own page."""

from collections.abc import Callable

from allauth.account.internal.stagekit import clear_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from .adapter import EmailNotSent
from .models import zone_of

# How long the outage page suggests waiting, in seconds.
RETRY_AFTER = 120


class PrivatePagesMiddleware:
    """Keep every page rendered for a signed-in runner out of caches.

    Any page a runner sees while signed in carries their account in the navigation, so it is
    as private as the profile itself: no shared cache may keep it, and the browser must not
    show it again from its cache after logout. Views mark themselves `never_cache` too;
    this covers the pages that do not know they are shown to a runner (the home page, the
    library, allauth's own views).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Read before the view runs: logout and account deletion leave an anonymous user
        # behind, but what they answer was still asked for by a signed-in runner.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response


class RunnerTimeZoneMiddleware:
    """A signed-in runner's requests run in their own time zone (their profile's).

    So every "today" (`footcare.clock.today()`, `timezone.localdate()`: /today/, the home
    page's week, the log's dates, the streak, the morning after a session) and every time
    a template shows is the runner's, from this one place. The profile comes with the user
    (`footcare.accounts.backends.RunnerBackend`): no query of its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.get_response(request)
        with timezone.override(zone_of(request.user)):
            return self.get_response(request)


class EmailOutageMiddleware:
    """Answer "we could not send the email, try again shortly" when the mail server is down.

    Signup, a login that sends a code, a password reset and an address change all need an
    email to go on; without one they answered 500. The view's transaction (where it saves
    anything) is rolled back by now, and a half-made login is dropped from the session, so
    trying again later starts afresh.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, EmailNotSent):
            return None
        if not request.user.is_authenticated:
            clear_login(request)
        response = render(request, "account/email_not_sent.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
