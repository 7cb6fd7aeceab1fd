"""Apply a suggestion to the plan, and undo it: the forms of `_suggestions.html`.

Both are plain form POSTs that redirect back to the page they came from (`next`, checked to
be ours; /today/ by default) with a message. htmx sends the same POST naming #suggestions
and gets the block again with what happened at its top; on /today/, when a changed item is
one of today's, the page is reloaded instead, since its cards show the old dose.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from footcare import clock
from footcare.accounts.decorators import runner_required
from footcare.http import HtmxHttpRequest
from routines.plans.models import DoseChange

from . import services
from .suggestions import change_summary, safe_next, suggestions_context

STALE = "This suggestion has changed; here is the current one. Nothing was changed."
APPLIED_THEN_UNDONE = "That suggestion was applied and then undone. Nothing was changed."
BAD_INPUT = "That suggestion could not be applied: the form was incomplete. Nothing was changed."
UNDO_TEXTS = {
    "already": ("info", "That change was already undone."),
    "changed": (
        "warning",
        "Not undone: the exercise has been changed since, and undoing would overwrite that. "
        "Change it on the plan instead.",
    ),
    "gone": ("warning", "Not undone: that exercise is no longer in your plan."),
}
MAX_ITEMS = 70

suggestion_required = runner_required(return_to=lambda request, *args, **kwargs: safe_next(request))


def _respond(
    request: HtmxHttpRequest,
    *,
    level: str,
    text: str,
    weekdays: frozenset[int] = frozenset(),
    applied: DoseChange | None = None,
) -> HttpResponse:
    next_url = safe_next(request)
    if request.htmx.target == "suggestions":
        on_today = urlsplit(request.htmx.current_url_abs_path or "").path == reverse("log:today")
        if on_today and clock.today().weekday() in weekdays:
            # Today's cards show the dose: draw the whole page again, message and all.
            messages.add_message(request, getattr(messages, level.upper()), text)
            return HttpResponseClientRedirect(next_url)
        context = suggestions_context(request, next_url=next_url)
        context.update(
            suggestions_status=text,
            suggestions_status_level=level,
            # The row of the change just applied carries the message, beside its Undo.
            suggestions_status_change=applied.pk if applied else None,
        )
        return render(request, "progress/_suggestions.html#suggestions", context)
    messages.add_message(request, getattr(messages, level.upper()), text)
    return redirect(next_url.split("#")[0] + "#suggestions")


@never_cache
@suggestion_required
@require_GET
def suggestions_panel(request: HtmxHttpRequest) -> HttpResponse:
    """The suggestions as a fragment, for a page of a lower app to draw them again (/today/,
    on its `checkedIn` event; it draws them first with `{% suggestions_panel %}`); its forms
    come back to `next`. Asked for without htmx, the progress page shows them in full."""
    if not request.htmx:
        return redirect(reverse("progress:index") + "#suggestions")
    context = suggestions_context(request, next_url=safe_next(request))
    return render(request, "progress/_suggestions.html#suggestions", context)


@never_cache
@suggestion_required
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def suggestion_apply(request: HtmxHttpRequest) -> HttpResponse:
    try:
        item_ids = sorted({int(value) for value in request.POST.getlist("item")})
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        return _respond(request, level="error", text=BAD_INPUT)
    fingerprint = request.POST.get("fingerprint", "")[:64]
    if not item_ids or len(item_ids) > MAX_ITEMS or not fingerprint:
        return _respond(request, level="error", text=BAD_INPUT)
    # An item not in the active plan (removed, another plan made active since the page was
    # drawn, never there, or another runner's: one answer, so ids cannot be probed) is a
    # stale page: the service finds no such suggestion among the runner's own, and the
    # runner is shown the current ones.
    outcome = services.suggestion_apply(
        runner=request.user,
        item_ids=item_ids,
        fingerprint=fingerprint,
        token=token,
        today=clock.today(),
    )
    if outcome.status == "stale":
        return _respond(request, level="warning", text=STALE)
    if outcome.status == "already" and all(c.undone_at for c in outcome.changes):
        # The same form again after its change was undone: saying "made harder" would lie.
        return _respond(request, level="info", text=APPLIED_THEN_UNDONE)
    weekdays = frozenset(c.plan_item.weekday for c in outcome.changes if c.plan_item)
    return _respond(
        request,
        level="success",
        text=change_summary(outcome.changes, unit=request.user.runner_profile.weight_unit),
        weekdays=weekdays,
        applied=outcome.changes[0],
    )


@never_cache
@suggestion_required
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def suggestion_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(
        request.user.dose_changes.select_related("plan_item", "exercise_before", "exercise_after"),
        pk=pk,
    )
    weekdays = frozenset(
        request.user.dose_changes.filter(applied_at=change.applied_at)
        .exclude(plan_item=None)
        .values_list("plan_item__weekday", flat=True)
    )
    status = services.dose_change_undo(change=change)
    if status == "undone":
        return _respond(
            request,
            level="success",
            text=change_summary(
                [change], unit=request.user.runner_profile.weight_unit, undone=True
            ),
            weekdays=weekdays,
        )
    level, text = UNDO_TEXTS[status]
    return _respond(request, level=level, text=text)
