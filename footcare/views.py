from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from exercises.models import Condition
from footcare.http import HtmxHttpRequest


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    # A way into the library by the injury a runner wants to avoid.
    conditions = Condition.objects.only("name", "slug")
    return render(request, "home.html", {"conditions": conditions})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer the load balancer: is this process able to reach its database?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse(
            {
                "status": "error",
                "database": "unavailable",
                "error": f"{type(error).__name__}: the database did not answer",
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
@cache_control(max_age=24 * 3600)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page says; send them to our icon.

    Not permanent: the icon's hashed name changes whenever the icon does.
    """
    return HttpResponseRedirect(static("img/favicon.svg"))
