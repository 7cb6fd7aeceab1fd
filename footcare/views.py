import sys
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, DataError, IntegrityError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.security import SecurityMiddleware
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from redis.exceptions import RedisError

from exercises.models import Condition
from footcare.http import HtmxHttpRequest


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    # A way into the library by the injury a runner wants to avoid.
    conditions = Condition.objects.only("name", "slug")
    # A runner's week is the training app's card, drawn by its tag (`{% this_week %}`).
    return render(request, "home.html", {"conditions": conditions})


# What a shared service that is down raises: the database (the cache too, when it lives
# there), or Redis. The page then says "try again shortly" rather than "something broke".
OUTAGES = (DatabaseError, RedisError)
# What the database says of a value it was given, not of itself: a bug of ours, never
# "try again shortly" (a retry sends the same value).
REFUSED_VALUES = (DataError, IntegrityError)
# How long the outage page suggests waiting, in seconds.
RETRY_AFTER = 30


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _cache_answers() -> bool:
    # A key of its own per probe: two processes probing at once do not read each other's.
    key, token = f"healthz:{uuid.uuid4().hex}", "ok"
    try:
        cache.set(key, token, timeout=10)
        answered = cache.get(key) == token
        cache.delete(key)
    except OUTAGES:
        return False
    return answered


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer the load balancer: can this process reach its database and its cache?

    Logins count failures in the cache, so a process without it cannot serve them.
    """
    database = _database_answers()
    cache_in_database = settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    # A cache kept in an unanswering database would only make the probe wait a second time.
    cache_ok = _cache_answers() if database or not cache_in_database else False
    body = {
        "status": "ok" if database and cache_ok else "error",
        "database": "ok" if database else "unavailable",
        "cache": "ok" if cache_ok else "unavailable",
    }
    return JsonResponse(body, status=200 if database and cache_ok else 503)


def _with_security_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The headers our middleware adds to every page, for error pages made without it.

    A bad Host header is refused (400) inside SecurityMiddleware itself when HTTPS redirects
    are on, and a failing database stops the request before the clickjacking and CSP
    middleware: their pages went out with none of these headers.
    """
    for middleware in (
        SecurityMiddleware,
        XFrameOptionsMiddleware,
        ContentSecurityPolicyMiddleware,
    ):
        # Only their response half runs: the request already went through (or failed).
        instance = middleware(lambda request, response=response: response)
        response = instance.process_response(request, response)
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _with_security_headers(request, defaults.bad_request(request, exception))


def server_error(request: HttpRequest) -> HttpResponse:
    """A 503 that says "try again shortly" when a shared service is down, else the 500.

    Drawn without the request's context, as Django's own 500 is: the database may be what
    failed, and the navigation would ask it who is signed in.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OUTAGES) and not isinstance(error, REFUSED_VALUES):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
    else:
        response = defaults.server_error(request)
    return _with_security_headers(request, response)


@require_safe
@cache_control(max_age=24 * 3600)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page says; send them to our icon.

    Not permanent: the icon's hashed name changes whenever the icon does.
    """
    return HttpResponseRedirect(static("img/favicon.svg"))
