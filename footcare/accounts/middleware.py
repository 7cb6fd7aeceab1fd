"""Responses rendered for a signed-in runner are private."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_vary_headers


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
