from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from footcare.accounts.decorators import runner_required
from footcare.http import HtmxHttpRequest

from . import services
from .forms import ShareLinkForm
from .models import ShareLink


def _links_page(request: HtmxHttpRequest, form: ShareLinkForm, *, status: int = 200):
    links = ShareLink.objects.filter(owner=request.user).order_by("-created_at", "-pk")
    return render(request, "sharing/links.html", {"form": form, "links": links}, status=status)


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def links(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ShareLinkForm(request.POST)
        if not form.is_valid():
            return _links_page(request, form, status=400)
        data = form.cleaned_data
        link = services.link_create(
            owner=request.user,
            token=data["token"],
            expires_in_days=data["expires_in"],
            label=data["label"],
            weeks=data["weeks"],
            show_plan=data["show_plan"],
            show_log=data["show_log"],
            show_pain=data["show_pain"],
        )
        messages.success(request, f"Your link for {link.label} is made: copy it below.")
        return redirect(f"{request.path}#link-{link.pk}")
    return _links_page(request, ShareLinkForm())


@never_cache
@runner_required(return_to="sharing:links")
@require_POST
def revoke(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink, pk=pk, owner=request.user)
    services.link_revoke(link)
    messages.success(request, f"The link for {link.label} no longer works.")
    return redirect("sharing:links")


@require_GET
def shared(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The runner's plan, log and pain, read-only, to whoever holds a live link."""
    link = services.live_link(token)
    if link is None:
        # The same 404 for a revoked, an expired and a made-up link: nothing of the runner's.
        raise Http404("No such shared page.")
    services.record_opening(link)
    response = render(request, "sharing/shared.html", services.shared_context(link))
    # Never kept by a browser, a proxy or a shared cache; never indexed; and the address
    # (the token) never sent on to another site as a referrer.
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
