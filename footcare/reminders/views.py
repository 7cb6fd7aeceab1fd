from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from footcare.accounts.decorators import runner_required
from footcare.http import HtmxHttpRequest

from . import services
from .forms import ReminderSettingsForm


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HtmxHttpRequest) -> HttpResponse:
    profile = request.user.runner_profile
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            if profile.reminders_on:
                messages.success(
                    request,
                    f"Reminders are on: {profile.get_reminder_channel_display().lower()} at "
                    f"{profile.reminder_time:%H:%M} on plan days.",
                )
            else:
                messages.success(request, "Reminders are off.")
            return redirect("reminders:settings")
        status = 400
    else:
        form = ReminderSettingsForm(instance=profile)
        status = 200
    return render(
        request, "reminders/settings.html", {"form": form, "profile": profile}, status=status
    )


@never_cache
# RFC 8058: a mail app posts "List-Unsubscribe=One-Click" here from outside the site, with no
# session and no CSRF token; the signed, single-purpose token in the address is what
# authorises it, and all it can do is turn that runner's reminders off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = services.user_of_unsubscribe_token(token)
    if user is None:
        raise Http404("This unsubscribe link is not ours or was changed.")
    if request.method == "POST":
        services.unsubscribe(user)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Unsubscribed.", content_type="text/plain")
        return redirect("reminders:unsubscribe", token=token)
    response = render(
        request,
        "reminders/unsubscribe.html",
        {"reminders_on": user.runner_profile.reminders_on, "token": token},
    )
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
