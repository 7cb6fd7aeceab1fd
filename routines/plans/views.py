"""The runner's weekly plans: the list, the board and its in-place edits, generate, feed, print.

Every plan and item is fetched through the signed-in runner's own plans, so another
runner's id answers 404 whatever the method. Each board action is a plain form POST that
redirects back to the board; htmx sends the same POST naming the fragment it will swap
(`HX-Target`), and gets just that fragment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from exercises.models import Exercise
from exercises.search import search_exercises
from footcare.accounts.decorators import runner_required
from footcare.accounts.models import RunnerProfile, User, zone_of
from footcare.http import HtmxHttpRequest

from . import services
from .board_rows import (
    BoardAddresses,
    day_head,
    day_items_form,
    day_picker,
    item_heading,
    item_html,
)
from .calendar import plan_calendar
from .facts import exercise_facts, exercises_for_facts, library_facts
from .forms import (
    AddItemForm,
    AddToPlanForm,
    CopyDayForm,
    DoseForm,
    GeneratedPlanSaveForm,
    GenerateForm,
    MoveForm,
    OnceTokenField,
    PlanForm,
)
from .generator import CalfTestResult, HurtingNow, generate_plan
from .models import (
    DAY_NAMES,
    DOSE_FIELDS,
    UNDO_REMOVE_SECONDS,
    DoseChange,
    PlanItem,
    RemovedPlanItem,
    StarterPlan,
    WeeklyPlan,
)
from .rules import REST, DaySummary, ItemFacts, week_summary

PICKER_LIMIT = 12
NOT_COPIED = "That form was not one of ours, or it was damaged. Nothing was copied."


def _board_url(request: HtmxHttpRequest, pk: int, *args: object, **kwargs: object) -> str:
    return reverse("plans:detail", kwargs={"pk": pk})


# POST-only views: without a session, log in and come back to the board (or the list).
board_required = runner_required(return_to=_board_url)
list_required = runner_required(return_to="plans:list")


def _refused(request: HtmxHttpRequest, plan: WeeklyPlan | None, text: str) -> HttpResponse:
    """A form no page of ours sends (tampered, or broken): its page again, saying so, as a 400."""
    messages.error(request, text)
    if plan is None:
        return render(request, "plans/plan_list.html", _list_context(request), status=400)
    return render(request, "plans/plan_detail.html", _board_context(request, plan), status=400)


def _once_token(request: HtmxHttpRequest) -> uuid.UUID | None:
    """The form's one-off token; ValidationError for one that no form of ours made."""
    return OnceTokenField().clean(request.POST.get("token"))


@dataclass
class RunnerContext:
    pattern: tuple[str, ...]
    equipment: frozenset[str]


def _runner_context(user: User) -> RunnerContext:
    try:
        # The navigation's greeting has already loaded the profile: no query here.
        profile = user.runner_profile
    except RunnerProfile.DoesNotExist:
        return RunnerContext(pattern=(REST,) * 7, equipment=frozenset())
    return RunnerContext(
        pattern=tuple(str(run) for run in profile.weekly_pattern),
        equipment=frozenset(profile.equipment.values_list("slug", flat=True)),
    )


def _own_plan(request: HtmxHttpRequest, pk: int) -> WeeklyPlan:
    return get_object_or_404(request.user.weekly_plans, pk=pk)


def _own_item(request: HtmxHttpRequest, pk: int, item_pk: int) -> PlanItem:
    return get_object_or_404(
        PlanItem.objects.select_related("plan", "exercise"),
        pk=item_pk,
        plan_id=pk,
        plan__owner=request.user,
    )


@dataclass
class ItemRow:
    item: PlanItem
    form: DoseForm | None
    editing: bool
    # The applied suggestion that explains the item's dose ("Why this dose"), if any.
    reason: DoseChange | None
    addresses: BoardAddresses
    weight_unit: str
    index: int = 0
    last: bool = False
    level: int = 4

    # The item drawn in Python (`board_rows`): its heading, and the whole item when it is
    # not being changed. Drawn when the template shows it: a change within a day draws that
    # day, not the seventy items its week's warnings are worked out from.
    @cached_property
    def heading(self) -> str:
        return item_heading(self.item, self.addresses, self.level)

    @cached_property
    def html(self) -> str:
        if self.editing:
            return ""
        return item_html(
            self.item,
            index=self.index,
            last=self.last,
            reason=self.reason,
            weight_unit=self.weight_unit,
            addresses=self.addresses,
            heading=self.heading,
        )


def _item_row(
    item: PlanItem,
    addresses: BoardAddresses,
    *,
    weight_unit: str,
    index: int = 0,
    last: bool = False,
    form: DoseForm | None = None,
    level: int = 4,
) -> ItemRow:
    return ItemRow(
        item, form, form is not None, dose_reason(item), addresses, weight_unit, index, last, level
    )


def _weight_unit(user: User) -> str:
    try:
        return user.runner_profile.weight_unit
    except RunnerProfile.DoesNotExist:
        return ""


@dataclass
class BoardDay:
    weekday: int
    name: str
    summary: DaySummary
    rows: list[ItemRow]
    addresses: BoardAddresses

    @property
    def is_rest(self) -> bool:
        return self.summary.run == REST

    @cached_property
    def head(self) -> str:
        return day_head(self.weekday, self.name, self.summary)

    @cached_property
    def items_form(self) -> str:
        return day_items_form(self.weekday, self.addresses)

    @cached_property
    def picker(self) -> str:
        return day_picker(self.weekday, self.name, self.addresses)


def _board_days(
    plan: WeeklyPlan,
    runner: RunnerContext,
    *,
    bound: DoseForm | None = None,
    weight_unit: str = "",
) -> list[BoardDay]:
    items = list(plan.items.order_by("weekday", "position", "pk"))
    # Seventy items share about twenty exercises: one instance each, read with their
    # equipment and muscles in one query, their facts worked out once per exercise.
    exercises = {e.pk: e for e in exercises_for_facts({item.exercise_id for item in items})}
    for item in items:
        item.exercise = exercises[item.exercise_id]
    # "Why this dose": the applied, not undone, changes, newest first, in one query.
    changes: dict[int, list[DoseChange]] = {item.pk: [] for item in items}
    for change in DoseChange.objects.filter(
        plan_item__in=list(changes), undone_at__isnull=True
    ).order_by("-applied_at", "-pk"):
        changes[change.plan_item_id].append(change)
    for item in items:
        item.applied_changes = changes[item.pk]
    facts = {pk: exercise_facts(exercise) for pk, exercise in exercises.items()}
    summaries = week_summary(
        pattern=runner.pattern,
        items=[
            ItemFacts(item.weekday, facts[item.exercise_id], item.estimated_seconds())
            for item in items
        ],
        equipment_at_hand=runner.equipment,
    )
    addresses = BoardAddresses.of(plan.pk)
    days = [BoardDay(d, DAY_NAMES[d], summaries[d], [], addresses) for d in range(7)]
    by_day: list[list[PlanItem]] = [[] for _ in range(7)]
    for item in items:
        by_day[item.weekday].append(item)
    for day, day_items in zip(days, by_day, strict=True):
        for index, item in enumerate(day_items):
            editing = bound is not None and bound.instance.pk == item.pk
            day.rows.append(
                _item_row(
                    item,
                    addresses,
                    weight_unit=weight_unit,
                    index=index,
                    last=index == len(day_items) - 1,
                    form=bound if editing else None,
                )
            )
    return days


def dose_reason(item: PlanItem) -> DoseChange | None:
    """The applied suggestion that explains the item's dose, if it still has that dose:
    from the board's prefetch (`applied_changes`), or one query for an item on its own."""
    changes = getattr(item, "applied_changes", None)
    if changes is None:
        changes = item.dose_changes.filter(undone_at__isnull=True).order_by("-applied_at", "-pk")
    latest = next(iter(changes[:1]), None)
    return latest if latest and latest.still_applied_to(item) else None


def _board_context(
    request: HtmxHttpRequest, plan: WeeklyPlan, *, bound: DoseForm | None = None, **extra
) -> dict:
    runner = _runner_context(request.user)
    return {
        "plan": plan,
        "days": _board_days(plan, runner, bound=bound, weight_unit=_weight_unit(request.user)),
        "day_names": list(enumerate(DAY_NAMES)),
        "copy_form": extra.pop("copy_form", None) or CopyDayForm(),
        "equipment_at_hand": runner.equipment,
        "copy_token": uuid.uuid4(),
        **extra,
    }


@dataclass
class DayNotice:
    """Words shown in a day, where its change happened: a removal with its Undo."""

    weekday: int
    text: str
    undo: RemovedPlanItem | None = None

    @property
    def seconds_left(self) -> int:
        if self.undo is None:
            return 0
        gone = (timezone.now() - self.undo.removed_at).total_seconds()
        return max(0, int(UNDO_REMOVE_SECONDS - gone))


def _removal_notice(removal: RemovedPlanItem) -> DayNotice:
    text = f"{removal.exercise.name} removed from {removal.day_name}."
    return DayNotice(removal.weekday, text, removal)


def _board_response(
    request: HtmxHttpRequest,
    plan: WeeklyPlan,
    *,
    weekday: int | None,
    status_text: str,
    bound: DoseForm | None = None,
    removal: RemovedPlanItem | None = None,
) -> HttpResponse:
    """After a change: the fragment htmx asked for, else the board again (PRG). A removal
    is said in its day, with its Undo, rather than in a message above the board."""
    target = request.htmx.target if request.htmx else None
    if target == "week" or (target and target == f"day-{weekday}"):
        context = _board_context(request, plan, bound=bound, status_text=status_text)
        if removal is not None:
            context["notice"] = _removal_notice(removal)
        if target == "week":
            return render(request, "plans/plan_detail.html#week-update", context)
        context["changed"] = weekday
        return render(request, "plans/plan_detail.html#day-update", context)
    anchor = f"#day-{weekday}" if weekday is not None else ""
    if removal is not None:
        return redirect(f"{plan.get_absolute_url()}?removed={removal.item_pk}{anchor}")
    messages.success(request, status_text)
    return redirect(plan.get_absolute_url() + anchor)


# The list of plans ---------------------------------------------------------------------


def _list_context(request: HtmxHttpRequest, form: PlanForm | None = None) -> dict:
    starters = list(
        StarterPlan.objects.filter(published=True)
        .prefetch_related("citations")
        .order_by("order", "name")
    )
    for starter in starters:
        # A token per Copy button: copying two starters from one page makes two plans.
        starter.copy_token = uuid.uuid4()
    return {
        "plans": request.user.weekly_plans.for_list(),
        "starters": starters,
        "form": form or PlanForm(),
    }


@never_cache
@runner_required
@require_GET
def plan_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "plans/plan_list.html", _list_context(request))


def _made_message(request: HtmxHttpRequest, plan: WeeklyPlan, text: str) -> None:
    """What a new plan's board says first: that today follows it now (a runner's first
    active plan), or which plan today follows, with the button that changes that."""
    active = None if plan.is_active else request.user.weekly_plans.filter(is_active=True).first()
    context = {"plan": plan, "text": text, "active": active}
    message = render_to_string("plans/plan_detail.html#made", context, request=request)
    messages.success(request, message)


@never_cache
@list_required
@require_POST
def plan_create(request: HtmxHttpRequest) -> HttpResponse:
    form = PlanForm(request.POST)
    if not form.is_valid():
        return render(request, "plans/plan_list.html", _list_context(request, form), status=400)
    plan, _ = services.plan_create(
        owner=request.user,
        name=form.cleaned_data["name"],
        notes=form.cleaned_data["notes"],
        token=form.cleaned_data["token"],
    )
    _made_message(request, plan, f"“{plan.name}” is made. Add exercises to its days.")
    return redirect(plan)


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The plan's name and notes are saved.")
        return redirect(plan)
    status = 400 if form.errors else 200
    return render(request, "plans/plan_edit.html", {"plan": plan, "form": form}, status=status)


@never_cache
@board_required
@require_POST
def plan_duplicate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    try:
        token = _once_token(request)
    except ValidationError:
        return _refused(request, plan, NOT_COPIED)
    copy = services.plan_duplicate(plan=plan, token=token)
    _made_message(request, copy, f"Copied into “{copy.name}”.")
    return redirect(copy)


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def plan_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    if request.method == "POST":
        name = plan.name
        plan.delete()
        messages.success(request, f"“{name}” is deleted.")
        return redirect("plans:list")
    return render(
        request, "plans/plan_delete.html", {"plan": plan, "item_count": plan.items.count()}
    )


@never_cache
@board_required
@require_POST
def plan_activate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    services.plan_activate(plan=plan)
    messages.success(request, f"“{plan.name}” is now your active plan.")
    if request.POST.get("back") == "list":
        return redirect("plans:list")
    return redirect(plan)


@never_cache
@list_required
@require_POST
def starter_copy(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    starter = get_object_or_404(StarterPlan, slug=slug, published=True)
    try:
        token = _once_token(request)
    except ValidationError:
        return _refused(request, None, NOT_COPIED)
    plan, moves = services.starter_plan_copy(
        starter=starter,
        owner=request.user,
        token=token,
        pattern=_runner_context(request.user).pattern,
    )
    _made_message(
        request,
        plan,
        f"“{plan.name}” is copied into your plans. {_moves_in_words(moves)} Make it yours.",
    )
    return redirect(plan)


def _moves_in_words(moves: dict[int, int]) -> str:
    if not moves:
        return "Its days already suit your running week."
    moved = [
        f"{DAY_NAMES[old]}’s session to {DAY_NAMES[new]}" for old, new in sorted(moves.items())
    ]
    listed = moved[0] if len(moved) == 1 else ", ".join(moved[:-1]) + " and " + moved[-1]
    return (
        "Its days are fitted to your running week, keeping calf-heavy days off the day "
        f"before a long run or hard workout where the week allows: {listed}."
    )


# The board --------------------------------------------------------------------------------


@never_cache
@runner_required
@require_GET
def plan_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    context = _board_context(request, plan)
    removed = request.GET.get("removed", "")
    if removed.isascii() and removed.isdigit() and len(removed) < 19:
        # Back from a removal without JavaScript: its words and Undo in its day, for a minute.
        cutoff = timezone.now() - timedelta(seconds=UNDO_REMOVE_SECONDS)
        removal = (
            plan.removed_items.select_related("exercise")
            .filter(item_pk=int(removed), restored_at=None, removed_at__gte=cutoff)
            .first()
        )
        if removal is not None:
            context["notice"] = _removal_notice(removal)
    return render(request, "plans/plan_detail.html", context)


def _picker_context(request: HtmxHttpRequest, plan: WeeklyPlan) -> dict:
    query = request.GET.get("q", "")[:100]
    try:
        weekday = int(request.GET.get("day", "0"))
    except ValueError:
        weekday = 0
    if not 0 <= weekday <= 6:
        weekday = 0
    runner = _runner_context(request.user)
    # The library's own search over what it publishes.
    found = (
        search_exercises(Exercise.objects.published(), query)
        .for_cards()
        .order_by("level", "name", "pk")
    )
    results = list(found[: PICKER_LIMIT + 1])
    more = len(results) > PICKER_LIMIT
    results = results[:PICKER_LIMIT]
    for exercise in results:
        exercise.lacking = [
            item.name for item in exercise.equipment.all() if item.slug not in runner.equipment
        ]
        # Each Add button is its own form: a token each, so two adds are two items.
        exercise.add_token = uuid.uuid4()
    return {
        "plan": plan,
        "weekday": weekday,
        "day_name": DAY_NAMES[weekday],
        "query": query,
        "results": results,
        "more": more,
        "day_names": list(enumerate(DAY_NAMES)),
    }


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request", "HX-Target")
def item_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    if request.method == "GET":
        context = _picker_context(request, plan)
        template = "plans/item_add.html"
        if request.htmx.target == f"picker-results-{context['weekday']}":
            template += "#results"
        return render(request, template, context)
    form = AddItemForm(request.POST, exercises=Exercise.objects.published())
    if not form.is_valid():
        # Only a tampered or stale form gets here: the picker offers published exercises.
        messages.error(request, "That exercise could not be added: " + _first_error(form))
        return redirect(plan)
    item, _ = services.plan_item_add(
        plan=plan,
        exercise=form.cleaned_data["exercise"],
        weekday=form.cleaned_data["weekday"],
        token=form.cleaned_data["token"],
    )
    return _board_response(
        request,
        plan,
        weekday=item.weekday,
        status_text=f"{item.exercise.name} added to {item.day_name}.",
    )


@never_cache
@runner_required(return_to="plans:list")
@require_POST
def exercise_add_to_plan(request: HtmxHttpRequest) -> HttpResponse:
    """“Add to my plan” from an exercise's page: a plan of the runner's, a day, the dose."""
    form = AddToPlanForm(
        request.POST, exercises=Exercise.objects.published(), plans=request.user.weekly_plans.all()
    )
    if not form.is_valid():
        exercise = form.cleaned_data.get("exercise")
        messages.error(request, "Nothing was added: " + _first_error(form))
        return redirect(exercise or "plans:list")
    plan = form.cleaned_data["plan"]
    item, _ = services.plan_item_add(
        plan=plan,
        exercise=form.cleaned_data["exercise"],
        weekday=form.cleaned_data["weekday"],
        token=form.cleaned_data["token"],
    )
    messages.success(
        request,
        f"{item.exercise.name} is on {item.day_name} in “{plan.name}”, at its suggested dose.",
    )
    return redirect(plan.get_absolute_url() + f"#day-{item.weekday}")


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return ""


def _item_editor(
    request: HtmxHttpRequest, item: PlanItem, form: DoseForm | None, *, status: int = 200
) -> HttpResponse:
    """One item on its own: editing (a form given) or not, as a fragment or a page."""
    fragment = request.htmx.target == f"item-{item.pk}"
    index, last = 0, False
    if form is None:
        # Closed again in the board: its up and down buttons need its place in the day.
        day = list(
            item.plan.items.filter(weekday=item.weekday)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        index = day.index(item.pk)
        last = index == len(day) - 1
    row = _item_row(
        item,
        BoardAddresses.of(item.plan_id),
        weight_unit=_weight_unit(request.user),
        index=index,
        last=last,
        form=form,
        # On a page of its own the item's name is the page's first heading under its h1.
        level=4 if fragment else 2,
    )
    context = {
        "plan": item.plan,
        "item": item,
        "form": form,
        "row": row,
        "day_names": list(enumerate(DAY_NAMES)),
        "index": index,
        "last": last,
    }
    if fragment:
        return render(request, "plans/plan_detail.html#item", context, status=status)
    return render(request, "plans/item_edit.html", context, status=status)


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request", "HX-Target")
def item_update(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _own_item(request, pk, item_pk)
    if request.method == "GET":
        if request.GET.get("cancel") and request.htmx.target == f"item-{item.pk}":
            return _item_editor(request, item, None)
        return _item_editor(
            request, item, DoseForm(instance=item, prefix=f"item-{item.pk}", unit=_unit(request))
        )
    form = DoseForm(request.POST, instance=item, prefix=f"item-{item.pk}", unit=_unit(request))
    if not form.is_valid():
        if request.htmx.target == f"day-{item.weekday}":
            # The form's instance now holds the rejected values; the day shows saved ones.
            return _board_response(
                request,
                item.plan,
                weekday=item.weekday,
                status_text=f"{item.exercise.name}'s dose was not saved: see the errors.",
                bound=form,
            )
        return _item_editor(request, _saved(item), form, status=400)
    services.plan_item_save(item=form.instance)
    return _board_response(
        request,
        item.plan,
        weekday=item.weekday,
        status_text=f"{item.exercise.name}'s dose on {item.day_name} is saved.",
    )


def _unit(request: HtmxHttpRequest) -> str:
    """The runner's unit of weight (the navigation has loaded the profile already)."""
    return request.user.runner_profile.weight_unit


def _saved(item: PlanItem) -> PlanItem:
    # A failed form has written its rejected values onto its instance; show the saved ones.
    return PlanItem.objects.select_related("plan", "exercise").get(pk=item.pk)


@never_cache
@board_required
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def item_remove(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = (
        PlanItem.objects.select_related("plan", "exercise")
        .filter(pk=item_pk, plan_id=pk, plan__owner=request.user)
        .first()
    )
    if item is None:
        # Removed already (a double click, a retry, another tab): the board as it is now.
        # Any item not in this plan answers so, never existed or another runner's alike:
        # the answer tells nobody which ids exist.
        plan = _own_plan(request, pk)
        target = request.htmx.target if request.htmx else None
        return _board_response(
            request,
            plan,
            weekday=next((d for d in range(7) if target == f"day-{d}"), None),
            status_text="That exercise had been removed already.",
        )
    removal = services.plan_item_remove(item=item)
    return _board_response(
        request,
        item.plan,
        weekday=item.weekday,
        status_text=(
            f"{item.exercise.name} removed from {item.day_name}."
            if removal
            else "That exercise had been removed already."
        ),
        removal=removal,
    )


NOTHING_TO_UNDO = (
    "Nothing to undo: an exercise can be put back only within a minute of its removal."
)


@never_cache
@board_required
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def item_restore(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A removal's Undo. Whatever it names that this plan cannot put back (too late, never
    removed, another plan's or another runner's) gets the same answer."""
    plan = _own_plan(request, pk)
    item, _ = services.plan_item_restore(plan=plan, item_pk=item_pk)
    if item is None:
        target = request.htmx.target if request.htmx else None
        day = next((d for d in range(7) if target == f"day-{d}"), None)
        if day is None:
            messages.error(request, NOTHING_TO_UNDO)
            return redirect(plan)
        context = _board_context(request, plan, status_text=NOTHING_TO_UNDO)
        context |= {"changed": day, "notice": DayNotice(day, NOTHING_TO_UNDO)}
        return render(request, "plans/plan_detail.html#day-update", context)
    return _board_response(
        request,
        plan,
        weekday=item.weekday,
        status_text=f"{item.exercise.name} is back on {item.day_name}.",
    )


@never_cache
@board_required
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def item_move(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _own_item(request, pk, item_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _refused(request, item.plan, "That move was not understood: " + _first_error(form))
    direction = form.cleaned_data["direction"]
    weekday = form.cleaned_data["weekday"]
    if form.cleaned_data["to"] is not None:
        shift = services.plan_item_place(item=item, to=form.cleaned_data["to"])
        text = (
            f"{item.exercise.name} moved {'up' if shift < 0 else 'down'} on {item.day_name}."
            if shift
            else f"{item.exercise.name} is already there on {item.day_name}."
        )
        return _board_response(request, item.plan, weekday=item.weekday, status_text=text)
    if direction in ("up", "down"):
        services.plan_item_move(item=item, step=-1 if direction == "up" else 1)
        text = f"{item.exercise.name} moved {direction} on {item.day_name}."
        return _board_response(request, item.plan, weekday=item.weekday, status_text=text)
    if weekday is None:
        return _refused(request, item.plan, "Choose a day to move it to. Nothing was moved.")
    services.plan_item_move(item=item, weekday=weekday)
    return _board_response(
        request,
        item.plan,
        weekday=weekday,
        status_text=f"{item.exercise.name} moved to {DAY_NAMES[weekday]}.",
    )


@never_cache
@board_required
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def day_copy(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    form = CopyDayForm(request.POST)
    if not form.is_valid():
        target = request.htmx.target if request.htmx else None
        context = _board_context(request, plan, copy_form=form, status_text="Nothing copied.")
        if target == "week":
            return render(request, "plans/plan_detail.html#week-update", context)
        return render(request, "plans/plan_detail.html", context, status=400)
    source, target_day = form.cleaned_data["from_weekday"], form.cleaned_data["to_weekday"]
    count = services.plan_day_copy(
        plan=plan, from_weekday=source, to_weekday=target_day, token=form.cleaned_data["token"]
    )
    return _board_response(
        request,
        plan,
        weekday=None if request.htmx.target == "week" else target_day,
        status_text=(
            f"{count} exercise{'s' if count != 1 else ''} copied from "
            f"{DAY_NAMES[source]} onto {DAY_NAMES[target_day]}."
        ),
    )


# Calendar and print ------------------------------------------------------------------------


@never_cache
@board_required
@require_POST
def calendar_renew(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    services.calendar_token_renew(plan=plan)
    messages.success(
        request, "Your calendar address is new; the old one no longer works. Subscribe again."
    )
    return redirect(plan.get_absolute_url() + "#calendar")


@require_GET
def calendar_feed(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The plan as an iCalendar feed, to whoever holds its secret address, and nothing else."""
    plan = get_object_or_404(
        WeeklyPlan.objects.select_related("owner__runner_profile").only(
            "pk",
            "name",
            "created_at",
            "updated_at",
            "owner__runner_profile__time_zone",
            "owner__runner_profile__reminders_on",
            "owner__runner_profile__reminder_time",
            "owner__runner_profile__reminder_channel",
        ),
        calendar_token=token,
    )
    items = (
        plan.items.select_related("exercise")
        .only("weekday", "position", "exercise__name", *DOSE_FIELDS)
        .order_by("weekday", "position", "pk")
    )
    # Asked for without a session, so in the plan owner's zone by name.
    zone = zone_of(plan.owner)
    # Timed events at the reminder time while reminders are on; all-day ones otherwise.
    profile = plan.owner.runner_profile
    body = plan_calendar(
        plan,
        list(items),
        host=request.get_host(),
        zone=zone,
        at=profile.reminder_time if profile.reminders_on else None,
        alarm=profile.calendar_alarm,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="footcare-plan.ics"'
    # Calendar apps poll it; a shared cache must not keep one runner's plan.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@runner_required
@require_GET
def plan_print(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    context = _board_context(request, plan)
    context["printed_on"] = timezone.localdate()
    return render(request, "plans/plan_print.html", context)


# The generator ------------------------------------------------------------------------------


def _proposal(user: User, sessions: int, minutes: int):
    profile = RunnerProfile.objects.filter(user=user).prefetch_related(
        "conditions", "equipment", "hurting_now"
    )
    profile = profile.first()
    hurting: list[HurtingNow] = []
    latest = user.calf_raise_tests.first()
    calf_test = (
        CalfTestResult(
            weaker=latest.weaker, flagged_side=latest.weaker_side if latest.flagged else None
        )
        if latest
        else None
    )
    if profile is None:
        pattern, conditions, equipment, experience = (REST,) * 7, {}, frozenset(), "new"
    else:
        hurting = [
            HurtingNow(
                name=c.name,
                advice=c.with_symptoms,
                plan_allowed=c.plan_while_it_hurts,
                url=c.get_absolute_url(),
            )
            for c in profile.hurting_now.all()
        ]
        pattern = tuple(str(run) for run in profile.weekly_pattern)
        conditions = {c.slug: c.name for c in profile.conditions.all()}
        equipment = frozenset(e.slug for e in profile.equipment.all())
        experience = profile.experience
    return generate_plan(
        pattern=pattern,
        exercises=library_facts(),
        conditions=conditions,
        equipment=equipment,
        experience=experience,
        sessions=sessions,
        minutes=minutes,
        hurting=hurting,
        calf_test=calf_test,
    ), profile


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def plan_generate(request: HtmxHttpRequest) -> HttpResponse:
    refused: GeneratedPlanSaveForm | None = None
    if request.method == "POST":
        form = GeneratedPlanSaveForm(request.POST)
        if form.is_valid():
            proposal, _ = _proposal(
                request.user, form.cleaned_data["sessions"], form.cleaned_data["minutes"]
            )
            if proposal.stopped_by:
                # Advice to get assessed first: nothing to save, and nothing is saved.
                return redirect("plans:generate")
            plan = services.generated_plan_save(
                owner=request.user,
                name=form.cleaned_data["name"],
                placements=proposal.placements,
                token=form.cleaned_data["token"],
            )
            _made_message(request, plan, f"“{plan.name}” is saved. Change anything you like.")
            return redirect(plan)
        refused = form
        choices = GenerateForm(request.POST)
    else:
        choices = GenerateForm(request.GET or None)
    if choices.is_bound and choices.is_valid():
        sessions, minutes = choices.cleaned_data["sessions"], choices.cleaned_data["minutes"]
    else:
        sessions, minutes = GenerateForm.base_fields["sessions"].initial, 15
    proposal, profile = _proposal(request.user, sessions, minutes)
    save_form = GeneratedPlanSaveForm(initial={"sessions": sessions, "minutes": minutes})
    if refused is not None and refused.has_error("name"):
        save_form = refused  # the name shown again, its error beside it
    return render(
        request,
        "plans/plan_generate.html",
        {
            "choices": choices if choices.is_bound else GenerateForm(),
            "save_form": save_form,
            "proposal": proposal,
            "profile": profile,
            "calf_test": request.user.calf_raise_tests.first(),
            "sessions": sessions,
            "minutes": minutes,
        },
        status=400 if refused is not None or (choices.is_bound and choices.errors) else 200,
    )
