"""`runner_required`: Django's `login_required`, made right for htmx and for forms.

Put it on every view that needs a signed-in runner, in this app and in the ones to come
(plans, the log), in place of `login_required`::

    from footcare.accounts.decorators import runner_required

    @never_cache
    @runner_required
    @require_http_methods(["GET", "POST"])
    def plan_detail(request, pk): ...

    @never_cache
    @runner_required(return_to=lambda request, pk: reverse("plans:detail", args=[pk]))
    @require_POST
    def plan_item_done(request, pk): ...

A visitor without a session is sent to log in, and back afterwards, like `login_required`
does, with two differences:

* **htmx requests** get `HX-Redirect` to the login page, so the browser navigates there.
  A plain redirect would be followed by htmx itself, which would then swap the whole login
  page into whatever the request targeted (a weekday's slot on the profile, say).
* **`next` is always a page that answers GET**: after logging in, the browser asks for it
  by GET. A POST-only address there would answer 405, and an htmx fragment would show as a
  bare scrap of HTML. So `next` is, in order: `return_to` if the view names one (required
  for a view that refuses GET); for htmx, the page the runner was on (`HX-Current-URL`);
  for a GET, the address asked for; otherwise the same address, now asked for by GET.

`return_to` is a URL, a URL name (as `redirect()` takes), or a function of the request and
the view's arguments that returns a URL.

A change sent without a session was not made; the login page says so, so that the runner
knows to make it again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, overload

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from footcare.http import HtmxHttpRequest

View = Callable[..., HttpResponse]
ReturnTo = str | Callable[..., str]

SAFE_METHODS = frozenset({"GET", "HEAD"})
NOT_SAVED = "You were logged out, so that change was not saved. Log in to make it again."


@overload
def runner_required(view: View, /) -> View: ...
@overload
def runner_required(*, return_to: ReturnTo | None = None) -> Callable[[View], View]: ...
def runner_required(
    view: View | None = None, /, *, return_to: ReturnTo | None = None
) -> View | Callable[[View], View]:
    def decorator(view_func: View) -> View:
        @wraps(view_func)
        def wrapper(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated:
                return view_func(request, *args, **kwargs)
            come_back_to = _come_back_to(request, return_to, args, kwargs)
            return _send_to_login(request, come_back_to)

        return wrapper

    if view is not None:
        return decorator(view)
    return decorator


def _come_back_to(
    request: HtmxHttpRequest,
    return_to: ReturnTo | None,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> str:
    if callable(return_to):
        return return_to(request, *args, **kwargs)
    if return_to is not None:
        return resolve_url(return_to)
    if request.htmx and not request.htmx.boosted and request.htmx.current_url_abs_path:
        # Only a same-origin page: django-htmx gives None for any other.
        return request.htmx.current_url_abs_path
    if request.method in SAFE_METHODS:
        return request.get_full_path()
    return request.path


def _send_to_login(request: HtmxHttpRequest, come_back_to: str) -> HttpResponse:
    if request.method not in SAFE_METHODS:
        messages.warning(request, NOT_SAVED)
    redirect = redirect_to_login(come_back_to)
    response = HttpResponseClientRedirect(redirect.url) if request.htmx else redirect
    # The same address answers an htmx request and a page load differently.
    patch_vary_headers(response, ["HX-Request"])
    return response
