import json

from allauth.account import views as allauth_views
from allauth.account.internal.flows.email_verification import (
    consume_email_verification_rate_limit,
)
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from footcare import clock
from footcare.http import HtmxHttpRequest

from . import norms
from .decorators import runner_required
from .exports import runner_export
from .forms import AccountDeleteForm, CalfRaiseTestForm, RunDayForm, RunnerProfileForm
from .models import RETEST_DAYS, SIDE_DIFFERENCE_FLAG, WEEKDAYS, RunnerProfile
from .services import calf_raise_test_save, runner_delete

# Tells the browser to drop what it cached and stored for this site: the HTTP cache, so Back
# cannot show a private page, and storage, where htmx keeps its history snapshots.
CLEAR_SITE_DATA = '"cache", "storage"'


def _day_forms(profile: RunnerProfile, *, bound: RunDayForm | None = None) -> list[RunDayForm]:
    return [
        bound
        if bound is not None and bound.day == day
        else RunDayForm(day=day, initial={"run_type": getattr(profile, day)})
        for day in WEEKDAYS
    ]


def _render_profile(
    request: HtmxHttpRequest,
    profile: RunnerProfile,
    form: RunnerProfileForm,
    *,
    day_forms: list[RunDayForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": profile,
            "form": form,
            "day_forms": day_forms or _day_forms(profile),
        },
        status=status,
    )


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def profile(request: HtmxHttpRequest) -> HttpResponse:
    # Always the signed-in runner's own profile: no id ever comes from the request.
    # Made with the user (signals.py): this page only ever reads it on GET.
    runner_profile = request.user.runner_profile
    if request.method == "POST":
        form = RunnerProfileForm(request.POST, instance=runner_profile)
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
        return _render_profile(request, runner_profile, form, status=400)
    return _render_profile(request, runner_profile, RunnerProfileForm(instance=runner_profile))


@never_cache
# A POST-only address: without a session, come back to the page the day is saved from.
@runner_required(return_to="accounts:profile")
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def profile_day(request: HtmxHttpRequest, day: str) -> HttpResponse:
    """Save one day of the weekly pattern: the day's fragment for htmx, else the whole page."""
    if day not in WEEKDAYS:
        raise Http404("No such weekday.")
    runner_profile = request.user.runner_profile
    form = RunDayForm(request.POST, day=day)
    saved = form.is_valid()
    if saved:
        runner_profile.set_run_type(day, form.cleaned_data["run_type"])
    if request.htmx.target == f"day-{day}":
        if saved:
            form = RunDayForm(day=day, initial={"run_type": getattr(runner_profile, day)})
        return render(request, "accounts/profile.html#run-day", {"day_form": form, "saved": saved})
    if saved:
        messages.success(
            request, f"{day.capitalize()} is saved as {runner_profile.run_type_on(day).label}."
        )
        return redirect("accounts:profile")
    return _render_profile(
        request,
        runner_profile,
        RunnerProfileForm(instance=runner_profile),
        day_forms=_day_forms(runner_profile, bound=form),
    )


@never_cache
@runner_required
@require_GET
def export(request: HtmxHttpRequest) -> HttpResponse:
    document = runner_export(request.user)
    filename = f"footcare-data-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = AccountDeleteForm(request.POST, request=request, user=user)
        if form.is_valid():
            runner_delete(user=user)
            auth_logout(request)
            messages.success(
                request,
                "Your account is deleted, with your profile and everything else it held. "
                "You are logged out.",
            )
            response = redirect("home")
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
            return response
    else:
        form = AccountDeleteForm(request=request, user=user)
    return render(request, "accounts/delete.html", {"form": form})


@never_cache
@require_POST
def logout(request: HtmxHttpRequest) -> HttpResponse:
    """allauth's logout, POST only, telling the browser to forget what it kept of the session."""
    response = allauth_views.logout(request)
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


class SignupView(allauth_views.SignupView):
    def form_valid(self, form: Form) -> HttpResponse:
        # The account, its address and its profile are saved before the code is mailed. In
        # one transaction, a mail outage (EmailNotSent) leaves no half-made account behind.
        with transaction.atomic():
            return super().form_valid(form)


signup = SignupView.as_view()


class ConfirmEmailVerificationCodeView(allauth_views.ConfirmEmailVerificationCodeView):
    def _resend_form_valid(self, form: Form) -> HttpResponse:
        # allauth answers a new code asked for too soon with the bare "too many attempts"
        # page, away from the code page; stay on it and say when to ask again.
        if not consume_email_verification_rate_limit(
            self.request, self._process.email, dry_run=True
        ):
            messages.error(self.request, NEW_CODE_TOO_SOON)
            return redirect(self.passthrough_next_url(reverse("account_email_verification_sent")))
        return super()._resend_form_valid(form)

    def _verify_form_invalid(self, form: Form) -> HttpResponse:
        # allauth sends the runner to the login page saying "too many login attempts",
        # though they never tried to log in: say what happened and what to do.
        if self._process.record_invalid_attempt():
            return self.render_to_response(self.get_context_data(form=form))
        messages.error(self.request, CODE_CANCELLED)
        return redirect("account_login")


NEW_CODE_TOO_SOON = (
    "We sent you a code a moment ago. Wait a few seconds before asking for a new one."
)
CODE_CANCELLED = (
    "That code was typed wrongly three times, so it no longer works. "
    "Log in with your email address and password, and we will send you a new one."
)


@transaction.atomic
def email_verification_sent(request: HttpRequest) -> HttpResponse:
    """allauth's code page, whose "use a different address" saves the address before mailing."""
    return ConfirmEmailVerificationCodeView.as_view()(request)


# The calf capacity test -------------------------------------------------------------------


def _calf_test_context(request: HtmxHttpRequest, form: CalfRaiseTestForm) -> dict:
    tests = list(request.user.calf_raise_tests.all()[:24])
    latest = tests[0] if tests else None
    previous = tests[1] if len(tests) > 1 else None
    today = clock.today()
    retest_on = latest.retest_on if latest else None
    if latest and not form.is_bound:
        form.initial["surface"] = latest.surface  # the same surface every time
    profile = request.user.runner_profile
    return {
        "profile": profile,
        "norms": (
            norms.compare(
                left=latest.left,
                right=latest.right,
                tested_on=latest.tested_on,
                sex=profile.sex,
                birth_year=profile.birth_year,
            )
            if latest
            else None
        ),
        "study": norms,
        "form": form,
        "tests": tests,
        "latest": latest,
        "previous": previous,
        "change": (
            {"left": latest.left - previous.left, "right": latest.right - previous.right}
            if latest and previous
            else None
        ),
        "retest_on": retest_on,
        "retest_due": latest is not None and latest.retest_due(today),
        "flag_percent": SIDE_DIFFERENCE_FLAG,
        "retest_weeks": RETEST_DAYS // 7,
    }


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def calf_test(request: HtmxHttpRequest) -> HttpResponse:
    """The single-leg heel-raise test: how to do it, a metronome, the form and the history."""
    today = clock.today()
    if request.method == "POST":
        form = CalfRaiseTestForm(request.POST, today=today)
        if form.is_valid():
            test, created = calf_raise_test_save(
                user=request.user,
                token=form.cleaned_data.get("token"),
                **{f: form.cleaned_data[f] for f in ("tested_on", "surface", "left", "right")},
            )
            if created:
                messages.success(
                    request,
                    f"Your calf test of {test.tested_on:%-d %B} is saved: "
                    f"left {test.left}, right {test.right}.",
                )
            return redirect("accounts:calf_test")
        return render(
            request, "accounts/calf_test.html", _calf_test_context(request, form), status=400
        )
    return render(
        request,
        "accounts/calf_test.html",
        _calf_test_context(request, CalfRaiseTestForm(today=today)),
    )
