"""Today's session set by set, and the workout log: history, detail, by hand, CSV.

Every session and log is fetched through the signed-in runner's own sessions, and today's
items through their own active plan, so another runner's id answers 404 whatever the
method. Each change on /today/ is a plain form POST that redirects back to the item; htmx
sends the same POST naming the item's card (`HX-Target: item-N`) and gets just that card.
"""

from __future__ import annotations

import calendar
import csv
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_slug
from django.db.models import (
    CharField,
    Count,
    OuterRef,
    Prefetch,
    Q,
    StringAgg,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, ExtractDay
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from exercises.models import Exercise, ExerciseStep
from exercises.published import PublishedLadders, published_ladders
from exercises.search import search_exercises
from footcare import clock
from footcare.accounts.decorators import runner_required
from footcare.accounts.models import User
from footcare.http import HtmxHttpRequest
from footcare.urls_once import reversed_once
from routines.plans.models import (
    DAY_NAMES,
    LIBRARY_DOSE_FIELDS,
    RANGE_MESSAGES,
    RANGES,
    PlanItem,
    WeeklyPlan,
    load_shown,
)

from . import services
from .forms import (
    CheckInForm,
    ExerciseLogForm,
    FinishForm,
    LoggedExerciseForm,
    LoggedSetFormSet,
    RatingForm,
    SessionForm,
    SetForm,
)
from .models import (
    CHECK_IN_RANGE,
    SET_AMOUNT_RANGE,
    ExerciseLog,
    MorningCheckIn,
    SetLog,
    Unit,
    WorkoutSession,
)

HISTORY_PAGE_SIZE = 20
PICKER_LIMIT = 12

today_required = runner_required(return_to="log:today")


def _today() -> date:
    return clock.today()


# Today ------------------------------------------------------------------------------------

# The buttons of a card's pain and effort scales.
PAIN_SCALE = range(0, 11)
EFFORT_SCALE = range(1, 11)


def scale_buttons(
    name: str,
    scale: range,
    chosen: int | None,
    *,
    label: str,
    high_from: int | None = None,
    id_prefix: str = "",
) -> SafeString:
    """A row of scale buttons (0 to 10), drawn in one pass: /today/ draws about twenty a card,
    each through a dozen template lookups. `high_from` marks the painful end; `id_prefix`
    gives each button an id, so that htmx gives the tapped one its focus back."""
    buttons = []
    for n in scale:
        ident = f' id="{id_prefix}{n}"' if id_prefix else ""
        classes = "scale-button"
        if n == chosen:
            classes += " is-chosen"
        if high_from is not None and n >= high_from:
            classes += " is-high"
        buttons.append(
            f'<button type="submit" name="{name}" value="{n}"{ident} class="{classes}"'
            f' aria-pressed="{"true" if n == chosen else "false"}">'
            f'<span class="visually-hidden">{label} </span>{n}</button>'
        )
    # Numbers and our own words only: nothing to escape.
    return mark_safe("".join(buttons))


# A pain above this is more than the work should cost (the pain rule's line).
HIGH_PAIN = 6


@dataclass
class SetSlot:
    number: int
    done: SetLog | None
    amount: int
    amount_right: int | None
    form: SetForm | None = None
    # The weaker side's extra set is for this side only ("left" or "right"); else "".
    side: str = ""
    # Where the set posts to, reversed once for its form's action and hx-post.
    url: str = ""


@dataclass
class TodayRow:
    """One exercise on /today/: built by `_rows()` from a fixed number of queries."""

    item: PlanItem
    log: ExerciseLog | None
    exercise: Exercise
    slots: list[SetSlot]
    last: ExerciseLog | None
    easier: Rung | None
    harder: Rung | None
    errors: list[str] = field(default_factory=list)

    @property
    def unit(self) -> str:
        return self.item.unit

    @property
    def amount_range(self) -> tuple[int, int]:
        """The set inputs' min and max: the table the server checks a set against."""
        return SET_AMOUNT_RANGE[self.unit]

    @property
    def swapped(self) -> bool:
        return self.exercise.pk != self.item.exercise_id

    @property
    def sets_done(self) -> int:
        return sum(1 for slot in self.slots if slot.done)

    @property
    def skipped(self) -> bool:
        return bool(self.log and self.log.skipped)

    @property
    def complete(self) -> bool:
        return self.sets_done >= self.item.set_count

    @property
    def pain(self) -> int | None:
        return self.log.pain if self.log else None

    @property
    def effort(self) -> int | None:
        return self.log.effort if self.log else None

    @cached_property
    def item_url(self) -> str:
        """Where the card's rating, swap and skip post to."""
        return reverse("log:item", args=[self.item.pk])

    @cached_property
    def pain_buttons(self) -> SafeString:
        return scale_buttons("pain", PAIN_SCALE, self.pain, label="Pain", high_from=HIGH_PAIN)

    @cached_property
    def effort_buttons(self) -> SafeString:
        return scale_buttons("effort", EFFORT_SCALE, self.effort, label="Effort")


def _active_plan(user: User) -> WeeklyPlan | None:
    return user.weekly_plans.filter(is_active=True).first()


def _today_items(user: User, plan: WeeklyPlan, day: date):
    return _with_last_logs(plan.items.all(), user, day)


def _plan_and_items(user: User, day: date) -> tuple[WeeklyPlan | None, list[PlanItem]]:
    """The active plan and its items for the day: in one query on a day with items (the
    plan comes with them), the plan alone asked for on a day without."""
    items = list(
        _with_last_logs(
            PlanItem.objects.filter(plan__owner=user, plan__is_active=True), user, day
        ).select_related("plan")
    )
    if items:
        return items[0].plan, items
    return _active_plan(user), []


def _with_last_logs(items, user: User, day: date):
    """The day's items of `items`, with their exercise and the id of the runner's last log of
    it before the day (`last_log_id`)."""
    last = (
        ExerciseLog.objects.filter(
            session__owner=user,
            exercise=OuterRef("exercise"),
            session__date__lt=day,
            skipped=False,
        )
        .order_by("-session__date", "-pk")
        .values("pk")[:1]
    )
    return (
        items.filter(weekday=day.weekday())
        .select_related("exercise")
        .annotate(last_log_id=Subquery(last))
        .order_by("position", "pk")
    )


def _rows(
    user: User,
    plan: WeeklyPlan,
    day: date,
    items: list[PlanItem] | None = None,
    ladders: PublishedLadders | None = None,
    sessions: list[WorkoutSession] | None = None,
):
    """Today's rows, in a fixed number of queries however long the history; `ladders`, the
    published ladders, and `sessions`, the runner's sessions around today
    (`_sessions_around`), if the caller has read them already."""
    if items is None:
        items = list(_today_items(user, plan, day))
    if sessions is None:
        session = user.workout_sessions.filter(plan=plan, date=day).first()
    else:
        session = next((s for s in sessions if s.date == day and s.plan_id == plan.pk), None)
    # Today's logs and each item's last one before today, with their sets, in one query
    # each: a card shows what was done today and what was done last time.
    wanted = Q(pk__in=[item.last_log_id for item in items if item.last_log_id])
    if session is not None:
        wanted |= Q(session=session)
    logs, last_logs = {}, {}
    for log in (
        ExerciseLog.objects.filter(wanted)
        .select_related("session", "exercise")
        .prefetch_related(Prefetch("sets", queryset=SetLog.objects.order_by("number")))
    ):
        if session is not None and log.session_id == session.pk:
            logs[log.plan_item_id] = log
        else:
            last_logs[log.pk] = log
    # The steps of every exercise shown, in one query: the items' own, and a swapped one's.
    exercises = [item.exercise for item in items] + [log.exercise for log in logs.values()]
    prefetch_related_objects(
        exercises,
        Prefetch("steps", queryset=ExerciseStep.objects.order_by("number", "pk")),
    )
    wanted, names = _swaps_named([item.exercise_id for item in items], ladders)
    rungs = {pk: Rung(pk, name) for pk, name in names.items()}
    set_url = reversed_once("log:set", "item_pk", "number")
    rows = []
    for item in items:
        log = logs.get(item.pk)
        done = {s.number: s for s in log.sets.all()} if log else {}
        planned = item.amount
        slots = []
        for n in range(1, max(item.set_count, max(done, default=0)) + 1):
            # The weaker side's extra set, after the others: that side's reps, none for
            # the other (it is logged as 0).
            side = item.extra_set_side if item.extra_set and n == item.set_count else ""
            amount = done[n].amount if n in done else (0 if side == "right" else planned)
            amount_right = (
                (done[n].amount_right if n in done else (0 if side == "left" else planned))
                if item.per_side
                else None
            )
            # The planned numbers filled in, or what was saved: drawn as plain inputs (the
            # template's `set-inputs`); a set posted with a bad value gets its bound form.
            url = set_url(item_pk=item.pk, number=n)
            slots.append(SetSlot(n, done.get(n), amount, amount_right, side=side, url=url))
        easier_id, harder_id = wanted[item.exercise_id]
        rows.append(
            TodayRow(
                item=item,
                log=log,
                exercise=log.exercise if log else item.exercise,
                slots=slots,
                last=last_logs.get(item.last_log_id),
                easier=rungs.get(easier_id),
                harder=rungs.get(harder_id),
            )
        )
    return session, rows


def _swaps(exercise_ids: list[int]) -> dict[int, tuple[int | None, int | None]]:
    """Each exercise's swap buttons for today: the easier and the harder rung of its published
    ladder by `Ladders.next_rung` (the suggestions' rule), or None."""
    return _swaps_named(exercise_ids)[0]


def _swaps_named(
    exercise_ids: list[int], ladders: PublishedLadders | None = None
) -> tuple[dict[int, tuple[int | None, int | None]], dict[int, str]]:
    """`_swaps`, and the names of the rungs, from the published ladders (the cache's, or
    `ladders` as read already)."""
    graph = (ladders or published_ladders()).graph
    swaps = {
        pk: (graph.next_rung(pk, harder=False), graph.next_rung(pk, harder=True))
        for pk in exercise_ids
    }
    wanted = {pk for pair in swaps.values() for pk in pair if pk}
    return swaps, {pk: graph.names[pk] for pk in wanted}


@dataclass(frozen=True)
class Rung:
    """A swap button's exercise: all the card shows of it."""

    pk: int
    name: str


# The morning check-in -----------------------------------------------------------------------


@dataclass
class MorningCard:
    """This morning's check-in on /today/: asked outright the morning after a session,
    folded away on other mornings, where a runner may still record their usual."""

    check_in: MorningCheckIn | None
    asks: bool
    errors: list[str] = field(default_factory=list)
    opened: bool = False
    scale: ClassVar[range] = range(CHECK_IN_RANGE[0], CHECK_IN_RANGE[1] + 1)

    @cached_property
    def pain_buttons(self) -> SafeString:
        pain = self.check_in.pain if self.check_in else None
        return scale_buttons(
            "pain",
            self.scale,
            pain,
            label="Morning pain",
            high_from=HIGH_PAIN,
            id_prefix="check-in-pain-",
        )

    @cached_property
    def stiffness_buttons(self) -> SafeString:
        stiffness = self.check_in.stiffness if self.check_in else None
        return scale_buttons(
            "stiffness", self.scale, stiffness, label="Stiffness", id_prefix="check-in-stiffness-"
        )

    @property
    def unfolded(self) -> bool:
        """Whether the folded check-in shows its buttons: after a tap, with an error, or
        while half answered, so that the next tap is in view."""
        half = self.check_in is not None and self.check_in.stiffness is None
        return self.opened or bool(self.errors) or half


def _sessions_around(user: User, plan: WeeklyPlan, day: date) -> list[WorkoutSession]:
    """The plan's session today and every session yesterday, each with `was_trained`, in one
    query: the cards' session (`_rows`) and the check-in's question (`_morning`)."""
    yesterday = day - timedelta(days=1)
    return list(
        user.workout_sessions.filter(Q(plan=plan, date=day) | Q(date=yesterday))
        .with_trained()
        .order_by("pk")
    )


def _morning(
    user: User,
    day: date,
    *,
    errors: list[str] | None = None,
    opened: bool = False,
    sessions: list[WorkoutSession] | None = None,
) -> MorningCard:
    """This morning's card; `sessions`, the runner's sessions around today if read already
    (`_sessions_around`): it asks the morning after a session in which something was done."""
    yesterday = day - timedelta(days=1)
    if sessions is None:
        asks = user.workout_sessions.trained().filter(date=yesterday).exists()
    else:
        asks = any(s.was_trained for s in sessions if s.date == yesterday)
    return MorningCard(
        check_in=user.check_ins.filter(date=day).first(),
        asks=asks,
        errors=errors or [],
        opened=opened,
    )


def _today_context(request: HtmxHttpRequest) -> dict:
    day = _today()
    plan, items = _plan_and_items(request.user, day)
    # Today's session and yesterday's, read once for the cards and the check-in's question.
    sessions = _sessions_around(request.user, plan, day) if plan is not None else None
    context = {
        "day": day,
        "day_name": DAY_NAMES[day.weekday()],
        "plan": plan,
        "rows": [],
        "morning": _morning(request.user, day, sessions=sessions),
    }
    if plan is None:
        return context
    # Read once for the swap buttons and the suggestions' tag (`{% suggestions_panel %}`).
    context["ladders"] = ladders = published_ladders()
    session, rows = _rows(request.user, plan, day, items, ladders, sessions)
    profile = getattr(request.user, "runner_profile", None)
    context.update(
        session=session,
        rows=rows,
        run=profile.weekly_pattern[day.weekday()] if profile else None,
        sets_planned=sum(row.item.set_count for row in rows),
        sets_done=sum(row.sets_done for row in rows),
        finish_form=FinishForm(initial={"notes": session.notes if session else ""}),
        pain_scale=PAIN_SCALE,
        effort_scale=EFFORT_SCALE,
    )
    return context


@never_cache
@runner_required
@require_GET
def today(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "training/today.html", _today_context(request))


# How far back a change kept on the phone without signal (static/js/offline.js) may land:
# a tick made offline late on Monday and sent on Tuesday is Monday's, up to a week on.
OFFLINE_DAYS = 7
DAY_REFUSED = (
    f"That change was made for a day more than {OFFLINE_DAYS} days ago or in the future, "
    "so it was not saved. Log that session by hand."
)


def _posted_day(request: HtmxHttpRequest) -> date | None:
    """The day a change on /today/ is for: the page's own day (`day`, which the page sends,
    and a change queued offline keeps), so a tick made before midnight lands on that day;
    today when none is given; None for a day that is not a date or out of reach."""
    today = _today()
    value = request.POST.get("day", "")
    if not value:
        return today
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if today - timedelta(days=OFFLINE_DAYS) <= day <= today else None


def _own_today_item(request: HtmxHttpRequest, item_pk: int, day: date | None = None) -> PlanItem:
    # Only an item of the runner's own active plan, on the day's weekday, can be done that day.
    return get_object_or_404(
        PlanItem.objects.select_related("plan"),
        pk=item_pk,
        plan__owner=request.user,
        plan__is_active=True,
        weekday=(day or _today()).weekday(),
    )


def _other_day_response(errors: list[str] | None = None, *, status: int = 200) -> HttpResponse:
    """A change for an earlier day (sent late from the phone's queue): today's page has no
    card for it, so only whether it was saved, and the refusal's words if not."""
    if status == 200:
        return HttpResponse(status=204)
    return HttpResponse(
        render_to_string("offline/_refused.html", {"errors": errors or []}), status=status
    )


def _item_response(
    request: HtmxHttpRequest,
    item: PlanItem,
    *,
    status: int = 200,
    errors=None,
    bad_form=None,
    day: date | None = None,
) -> HttpResponse:
    """The item's card for htmx; else back to the item on the page (or the page with errors)."""
    if day is not None and day != _today():
        if bad_form is not None:
            errors = [e for errs in bad_form.errors.values() for e in errs]
        return _other_day_response(errors, status=status)
    target = request.htmx.target if request.htmx else None
    if target == f"item-{item.pk}" or status != 200:
        day = _today()
        _, rows = _rows(
            request.user, item.plan, day, items=list(_today_items(request.user, item.plan, day))
        )
        row = next(row for row in rows if row.item.pk == item.pk)
        row.errors = errors or []
        if bad_form is not None:
            for slot in row.slots:
                if slot.number == bad_form.number:
                    slot.form = bad_form
        context = {
            "row": row,
            "pain_scale": PAIN_SCALE,
            "effort_scale": EFFORT_SCALE,
            # The page's count of sets, replaced beside the card (out of band).
            "progress": {
                "done": sum(r.sets_done for r in rows),
                "planned": sum(r.item.set_count for r in rows),
            },
        }
        if target == f"item-{item.pk}":
            return render(request, "training/today.html#item", context, status=status)
        full = _today_context(request)
        full["rows"] = [row if r.item.pk == item.pk else r for r in full["rows"]]
        return render(request, "training/today.html", full, status=status)
    return redirect(reverse("log:today") + f"#item-{item.pk}")


@never_cache
@today_required
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def set_tick(request: HtmxHttpRequest, item_pk: int, number: int) -> HttpResponse:
    day = _posted_day(request)
    if day is None:
        return _other_day_response([DAY_REFUSED], status=400)
    item = _own_today_item(request, item_pk, day)
    if not 1 <= number <= RANGES["sets"][1]:
        return _item_response(request, item, status=400, errors=[RANGE_MESSAGES["sets"]], day=day)
    if request.POST.get("action") == "undo":
        services.set_untick(runner=request.user, item=item, day=day, number=number)
        return _item_response(request, item, day=day)
    unit = item.unit
    form = SetForm(request.POST, unit=unit, auto_id=f"set-{item.pk}-{number}-%s")
    if not form.is_valid():
        form.number = number
        return _item_response(request, item, status=400, bad_form=form, day=day)
    amount, amount_right = form.cleaned_data["amount"], form.cleaned_data["amount_right"]
    if item.extra_set and number == item.set_count:
        # The weaker side's extra set: only that side works, whatever the form says of the other.
        amount, amount_right = (
            (amount, 0) if item.extra_set_side == "left" else (0, amount_right or 0)
        )
    services.set_tick(
        runner=request.user,
        item=item,
        day=day,
        number=number,
        amount=amount,
        amount_right=amount_right if item.per_side else None,
    )
    return _item_response(request, item, day=day)


@never_cache
@today_required
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def item_log(request: HtmxHttpRequest, item_pk: int) -> HttpResponse:
    """Pain, effort, skip or unskip, or a swap to the easier or harder rung for today."""
    day = _posted_day(request)
    if day is None:
        return _other_day_response([DAY_REFUSED], status=400)
    item = _own_today_item(request, item_pk, day)
    changes: dict[str, object] = {}
    if "pain" in request.POST or "effort" in request.POST:
        form = RatingForm(request.POST)
        if not form.is_valid():
            errors = [e for errs in form.errors.values() for e in errs]
            return _item_response(request, item, status=400, errors=errors, day=day)
        changes.update({k: v for k, v in form.cleaned_data.items() if k in request.POST})
    if request.POST.get("skip") in ("1", "0"):
        changes["skipped"] = request.POST["skip"] == "1"
    swap = request.POST.get("swap")
    if swap:
        allowed = {*_swaps([item.exercise_id])[item.exercise_id], item.exercise_id} - {None}
        try:
            exercise_id = int(swap)
        except ValueError:
            exercise_id = None
        if exercise_id not in allowed:
            return _item_response(
                request,
                item,
                status=400,
                errors=["Swap only for the next rung up or down."],
                day=day,
            )
        changes["exercise_id"] = exercise_id
    if changes:
        services.today_log_update(runner=request.user, item=item, day=day, **changes)
    return _item_response(request, item, day=day)


@never_cache
@today_required
@require_POST
def today_finish(request: HtmxHttpRequest) -> HttpResponse:
    plan = _active_plan(request.user)
    if plan is None:
        return redirect("log:today")
    day = _posted_day(request)
    if day is None:
        return _other_day_response([DAY_REFUSED], status=400)
    form = FinishForm(request.POST)
    if not form.is_valid():
        # Checked before the session is made: a refused note changes nothing.
        if day != _today():
            errors = [e for errs in form.errors.values() for e in errs]
            return _other_day_response(errors, status=400)
        context = _today_context(request)
        context["finish_form"] = form
        return render(request, "training/today.html", context, status=400)
    session = services.today_session(runner=request.user, plan=plan, day=day)
    notes = form.cleaned_data["notes"]
    services.session_finish(session=session, notes=notes or session.notes)
    messages.success(request, "Session finished and saved in your log.")
    return redirect(session)


def _check_in_response(
    request: HtmxHttpRequest, *, status: int = 200, errors: list[str] | None = None
) -> HttpResponse:
    """The check-in card for htmx; else back to it on the page (or the page with errors)."""
    target = request.htmx.target if request.htmx else None
    if target == "check-in":
        morning = _morning(request.user, _today(), errors=errors, opened=True)
        response = render(
            request, "training/today.html#check-in", {"morning": morning}, status=status
        )
        if status == 200:
            # The morning is what the suggestions wait for: their panel (the progress
            # app's fragment on this page) asks for itself again on this event.
            trigger_client_event(response, "checkedIn")
        return response
    if status != 200:
        context = _today_context(request)
        context["morning"].errors = errors or []
        return render(request, "training/today.html", context, status=status)
    return redirect(reverse("log:today") + "#check-in")


@never_cache
@today_required
@require_POST
@vary_on_headers("HX-Request", "HX-Target")
def check_in(request: HtmxHttpRequest) -> HttpResponse:
    """This morning's pain or stiffness on the first steps, one tap each; today's only."""
    form = CheckInForm(request.POST)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        return _check_in_response(request, status=400, errors=errors)
    try:
        MorningCheckIn.objects.record(owner=request.user, day=_today(), **form.answers())
    except ValidationError as error:
        return _check_in_response(request, status=400, errors=error.messages)
    return _check_in_response(request)


# The log ----------------------------------------------------------------------------------


def _month(request: HtmxHttpRequest, today: date) -> date:
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        return today.replace(day=1)
    # Far years would overflow the calendar's previous and next months; nobody logged then.
    return first if 2000 <= year <= today.year else today.replace(day=1)


def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _calendar(first: date, today: date, days_with: set[date]) -> dict:
    last_day = _month_end(first).day
    # Each day's cell drawn here, in one pass: six weeks of template lookups were a sixth
    # of the log's page. A day of another month is an empty cell.
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
        cells = []
        for d in week:
            if d.month != first.month:
                cells.append("")
            elif d in days_with:
                cells.append(
                    f'<span class="day is-logged">{d.day}'
                    '<span class="visually-hidden"> (session logged)</span></span>'
                )
            else:
                cells.append(f'<span class="day">{d.day}</span>')
        # Numbers and our own words only: nothing to escape.
        weeks.append([mark_safe(cell) for cell in cells])
    previous = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = first.replace(day=last_day) + timedelta(days=1)
    return {
        "first": first,
        "weeks": weeks,
        "previous": previous,
        "next": following if following <= today else None,
        "day_names": [name[:3] for name in DAY_NAMES],
    }


@dataclass(frozen=True)
class Entry:
    """What the log's list shows of one exercise logged in a session."""

    name: str
    exercise_id: int
    sets_planned: int
    sets_done: int
    pain: int | None
    effort: int | None
    skipped: bool


@dataclass(frozen=True)
class SessionRow:
    """A session in the log's list, with what was logged in it (one query for the page),
    drawn here in one pass rather than in twenty rows of template lookups: the date, the
    hint and the lines are escaped as the template's autoescape would.

    `count` is the exercises the hint counts: every one logged in the session, or, with
    the list narrowed to one exercise, that exercise's entries (as a count annotated after
    the filter gave it)."""

    session: WorkoutSession
    entries: list[Entry]
    count: int
    url: str
    delete_url: str

    @cached_property
    def date_text(self) -> str:
        return date_filter(self.session.date, "l j F Y")

    @cached_property
    def hint(self) -> str:
        """“Plan name · 2 exercises · not finished”."""
        session = self.session
        count = self.count
        text = session.plan.name if session.plan else "Logged by hand"
        text += f" · {count} exercise{'' if count == 1 else 's'}"
        return text if session.is_finished else text + " · not finished"

    @cached_property
    def lines(self) -> list[str]:
        """Each exercise: “Calf raise: 3 of 3 sets, pain 2, effort 5”, or skipped."""
        return [entry_line(entry) for entry in self.entries]

    @cached_property
    def html(self) -> SafeString:
        url = escape(self.url)
        empty = ""
        if not self.count:
            day = escape(date_filter(self.session.date, "j F Y"))
            empty = (
                f'<p>Nothing logged in it. <a href="{escape(self.delete_url)}">Delete this empty'
                f' session<span class="visually-hidden"> of {day}</span></a> or'
                f' <a href="{url}#add">add what you did</a>.</p>'
            )
        lines = "".join(f"<li>{escape(line)}</li>" for line in self.lines)
        return mark_safe(
            '\n      <li class="card">\n'
            f'        <h3><a href="{url}">{escape(self.date_text)}</a></h3>\n'
            f'        <p class="hint">{escape(self.hint)}</p>\n'
            f"        {empty}\n"
            '        <ul class="log-entries">\n'
            f"          {lines}\n"
            "        </ul>\n"
            "      </li>\n"
            "      "
        )


def entry_line(entry: Entry) -> str:
    if entry.skipped:
        return f"{entry.name}: skipped"
    planned = entry.sets_planned
    text = f"{entry.name}: {entry.sets_done} of {planned} set{'' if planned == 1 else 's'}"
    if entry.pain is not None:
        text += f", pain {entry.pain}"
    if entry.effort is not None:
        text += f", effort {entry.effort}"
    return text


def session_rows(
    sessions: list[WorkoutSession], exercise: Exercise | None = None
) -> list[SessionRow]:
    """The page's sessions with what was logged in each, read in one plain query (rows,
    not models: two hundred entries and their exercises were a third of the log's time),
    each counted here rather than by a COUNT over every session the runner has."""
    ids = [session.pk for session in sessions]
    logs: dict[int, list[Entry]] = {}
    for session_id, *values in (
        ExerciseLog.objects.filter(session_id__in=ids)
        .order_by("position", "pk")
        .values_list(
            "session_id",
            "exercise__name",
            "exercise_id",
            "sets_planned",
            "sets_done",
            "pain",
            "effort",
            "skipped",
        )
    ):
        logs.setdefault(session_id, []).append(Entry(*values))
    detail, delete = reversed_once("log:detail", "pk"), reversed_once("log:delete", "pk")
    rows = []
    for session in sessions:
        entries = logs.get(session.pk, [])
        if exercise is None:
            count = len(entries)
        else:
            count = sum(1 for entry in entries if entry.exercise_id == exercise.pk)
        rows.append(
            SessionRow(
                session,
                entries,
                count,
                detail(pk=session.pk),
                delete(pk=session.pk),
            )
        )
    return rows


class CountedPaginator(Paginator):
    """A paginator told its count when the page already read it (None: counts itself)."""

    def __init__(self, object_list, per_page: int, known_count: int | None) -> None:
        super().__init__(object_list, per_page)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return super().count


@never_cache
@runner_required
@require_GET
def log_list(request: HtmxHttpRequest) -> HttpResponse:
    today = _today()
    sessions = request.user.workout_sessions.newest_first()
    exercise = None
    slug, status = request.GET.get("exercise", ""), 200
    try:
        validate_slug(slug or "-")
    except ValidationError:
        # No exercise has such a slug; PostgreSQL could not even be asked (a NUL byte).
        messages.error(request, "There is no such exercise in your log: showing every session.")
        slug, status = "", 400
    if slug:
        exercise = Exercise.objects.filter(slug=slug).only("name", "slug").first()
        sessions = sessions.filter(logs__exercise=exercise).distinct() if exercise else sessions
    month = _month(request, today)
    # Every session counted for the pages, and the days of the calendar's month with one
    # (whichever exercise the list is narrowed to), in one query.
    totals = request.user.workout_sessions.aggregate(
        count=Count("pk"),
        days=StringAgg(
            Cast(ExtractDay("date"), CharField()),
            Value(","),
            filter=Q(date__gte=month, date__lte=_month_end(month)),
        ),
    )
    days = totals["days"].split(",") if totals["days"] else []
    days_with = {month.replace(day=int(day)) for day in days}
    # Narrowed to one exercise, the pages count its sessions themselves.
    count = totals["count"] if exercise is None else None
    # Each session's exercises are counted from the page's own entries (`session_rows`): a
    # COUNT annotated here grouped every session the runner has, and it was most of the
    # page's time in the database.
    page = CountedPaginator(sessions.select_related("plan"), HISTORY_PAGE_SIZE, count).get_page(
        request.GET.get("page")
    )
    rows = session_rows(list(page.object_list), exercise)
    logged_exercises = (
        Exercise.objects.filter(
            pk__in=ExerciseLog.objects.filter(session__owner=request.user).values("exercise_id")
        )
        .only("name", "slug")
        .order_by("name")
    )
    return render(
        request,
        "training/log_list.html",
        {
            "page": page,
            "rows": rows,
            "exercise": exercise,
            "logged_exercises": logged_exercises,
            "calendar": _calendar(month, today, days_with),
        },
        status=status,
    )


def _own_session(request: HtmxHttpRequest, pk: int) -> WorkoutSession:
    return get_object_or_404(request.user.workout_sessions.select_related("plan"), pk=pk)


def _session_logs(session: WorkoutSession) -> list[ExerciseLog]:
    return list(
        session.logs.select_related("exercise")
        .prefetch_related(Prefetch("sets", queryset=SetLog.objects.order_by("number")))
        .order_by("position", "pk")
    )


def _picker(request: HtmxHttpRequest) -> tuple[str, list[Exercise]]:
    query = request.GET.get("q", "")[:100]
    if not query:
        return query, []
    # The library's own search over what it publishes.
    found = search_exercises(Exercise.objects.published(), query).only(
        "name", "slug", *LIBRARY_DOSE_FIELDS
    )
    results = list(found.order_by("level", "name", "pk")[:PICKER_LIMIT])
    for exercise in results:
        # Its library dose as a plan would hold it: the same numbers an added item gets.
        dose = PlanItem.from_library(exercise)
        exercise.form = ExerciseLogForm(
            initial={
                "exercise": exercise.pk,
                "unit": dose.unit,
                "sets": dose.sets,
                "amount": dose.amount,
                "per_side": dose.per_side,
            },
            exercises=Exercise.objects.none(),
            prefix=f"add-{exercise.pk}",
            unit=request.user.runner_profile.weight_unit,
        )
    return query, results


def _refused(add_form: ExerciseLogForm | None) -> list[Exercise]:
    """The exercise whose add was refused, with its form as typed and the messages beside
    the fields, in place of the search results the POST did not carry."""
    if add_form is None:
        return []
    exercise = add_form.cleaned_data.get("exercise")
    if exercise is None:
        return []
    exercise.form = add_form
    return [exercise]


def _detail_context(request: HtmxHttpRequest, session: WorkoutSession, **extra) -> dict:
    query, results = _picker(request)
    results = _refused(extra.get("add_form")) or results
    return {
        "session": session,
        "logs": _session_logs(session),
        "form": extra.pop("form", None) or SessionForm(instance=session, today=_today()),
        "query": query,
        "results": results,
        **extra,
    }


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def log_new(request: HtmxHttpRequest) -> HttpResponse:
    form = SessionForm(
        request.POST or None, today=_today(), initial={"date": _today(), "token": uuid.uuid4()}
    )
    if request.method == "POST" and form.is_valid():
        session = services.session_create(
            runner=request.user,
            day=form.cleaned_data["date"],
            notes=form.cleaned_data["notes"],
            token=form.cleaned_data["token"],
        )
        messages.success(request, "Session saved. Add what you did.")
        return redirect(session.get_absolute_url() + "#add")
    status = 400 if form.errors else 200
    plan = _active_plan(request.user)
    plan_days = (
        [
            (weekday, DAY_NAMES[weekday])
            for weekday in plan.items.order_by("weekday")
            .values_list("weekday", flat=True)
            .distinct()
        ]
        if plan
        else []
    )
    return render(
        request,
        "training/log_new.html",
        {"form": form, "plan": plan, "plan_days": plan_days},
        status=status,
    )


def _last_weekday(today: date, weekday: int) -> date:
    """The latest day up to today that falls on `weekday`."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def _plan_day_form(item: PlanItem, data=None, unit: str = "kg") -> ExerciseLogForm:
    """One item of the plan's day as done: its dose filled in, every field editable."""
    amount = item.amount
    return ExerciseLogForm(
        data,
        exercises=Exercise.objects.filter(pk=item.exercise_id),
        prefix=f"item-{item.pk}",
        unit=unit,
        stored_load=item.load,
        initial={
            "exercise": item.exercise_id,
            "unit": item.unit,
            "per_side": item.per_side,
            "sets": item.sets,
            "amount": amount,
            "amount_right": amount if item.per_side else None,
            "load_note": item.load_note,
        },
    )


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def log_plan_day(request: HtmxHttpRequest, weekday: int) -> HttpResponse:
    """“I did Monday's plan”: the day's exercises filled in, saved as one session in one
    step, so that leaving the page makes nothing."""
    plan = _active_plan(request.user)
    items = (
        list(
            plan.items.filter(weekday=weekday).select_related("exercise").order_by("position", "pk")
        )
        if plan and 0 <= weekday <= 6
        else []
    )
    if not items:
        raise Http404("No such day in the active plan.")
    today = _today()
    data = request.POST if request.method == "POST" else None
    form = SessionForm(
        data,
        today=today,
        initial={"date": _last_weekday(today, weekday), "token": uuid.uuid4()},
    )
    for item in items:
        item.form = _plan_day_form(item, data, request.user.runner_profile.weight_unit)
    if data is not None and all([form.is_valid(), *(item.form.is_valid() for item in items)]):
        try:
            session = services.plan_day_log(
                runner=request.user,
                plan=plan,
                day=form.cleaned_data["date"],
                notes=form.cleaned_data["notes"],
                token=form.cleaned_data["token"],
                entries=[(item, item.form.cleaned_data) for item in items],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{DAY_NAMES[weekday]}'s plan is in your log.")
            return redirect(session)
    refused = bool(form.errors or any(item.form.errors for item in items))
    return render(
        request,
        "training/log_plan_day.html",
        {
            "form": form,
            "plan": plan,
            "items": items,
            "day_name": DAY_NAMES[weekday],
            "refused": refused,
        },
        status=400 if refused else 200,
    )


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def log_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    if request.method == "POST":
        form = SessionForm(request.POST, instance=session, today=_today())
        if form.is_valid():
            form.save()
            messages.success(request, "Session saved.")
            return redirect(session)
        return render(
            request,
            "training/log_detail.html",
            _detail_context(request, session, form=form),
            status=400,
        )
    return render(request, "training/log_detail.html", _detail_context(request, session))


def _log_form_save(request, session, form, log=None) -> None:
    data = form.cleaned_data
    services.exercise_log_save(
        session=session,
        log=log,
        exercise=data["exercise"],
        unit=data["unit"],
        per_side=data["per_side"],
        sets=data["sets"],
        amount=data["amount"],
        amount_right=data["amount_right"],
        load_note=data["load_note"],
        load=data["load"],
        pain=data["pain"],
        effort=data["effort"],
        skipped=data["skipped"],
        token=data["token"] if log is None else None,
    )


@never_cache
@runner_required(return_to=lambda request, pk: reverse("log:detail", args=[pk]))
@require_POST
def log_entry_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    prefix = request.POST.get("prefix", "")[:20] or None
    form = ExerciseLogForm(
        request.POST,
        exercises=Exercise.objects.published(),
        prefix=prefix,
        unit=request.user.runner_profile.weight_unit,
    )
    if form.is_valid():
        try:
            _log_form_save(request, session, form)
        except ValidationError as error:
            # A session full to its last place: said beside the form, nothing added.
            form.add_error(None, error)
    if form.errors:
        return render(
            request,
            "training/log_detail.html",
            _detail_context(request, session, add_form=form),
            status=400,
        )
    messages.success(request, f"{form.cleaned_data['exercise'].name} is in the session.")
    return redirect(session.get_absolute_url() + "#logs")


@never_cache
@runner_required(return_to=lambda request, pk, log_pk: reverse("log:detail", args=[pk]))
@require_http_methods(["GET", "POST"])
def log_entry_edit(request: HtmxHttpRequest, pk: int, log_pk: int) -> HttpResponse:
    """A logged exercise changed afterwards: pain, effort, load, and each set on its own."""
    session = _own_session(request, pk)
    log = get_object_or_404(session.logs.select_related("exercise"), pk=log_pk)
    exercises = Exercise.objects.filter(pk=log.exercise_id)
    stored = [
        {"number": row.number, "amount": row.amount, "amount_right": row.amount_right}
        for row in log.sets.order_by("number")
    ]
    # A new set takes the next free number; at most a session's sets.
    taken = {row["number"] for row in stored}
    free = [n for n in range(1, RANGES["sets"][1] + 1) if n not in taken]
    next_number = next((n for n in free if n > max(taken, default=0)), free[0] if free else 1)
    weight = {"unit": request.user.runner_profile.weight_unit, "stored_load": log.load}
    if request.method == "POST":
        form = LoggedExerciseForm(request.POST, exercises=exercises, **weight)
        # The sets' bounds follow the unit and sides posted; the form checks those choices.
        unit = request.POST.get("unit")
        sets = LoggedSetFormSet(
            request.POST,
            initial=stored,
            prefix="sets",
            unit=unit if unit in Unit.values else log.unit,
            per_side=bool(form["per_side"].value()),
            next_number=next_number,
        )
        if form.is_valid() and sets.is_valid():
            data = form.cleaned_data
            services.exercise_log_edit(
                log=log,
                unit=data["unit"],
                per_side=data["per_side"],
                set_changes=sets.changes(),
                load_note=data["load_note"],
                load=data["load"],
                pain=data["pain"],
                effort=data["effort"],
                skipped=data["skipped"],
            )
            messages.success(request, f"{log.exercise.name} is saved.")
            return redirect(session.get_absolute_url() + f"#log-{log.pk}")
    else:
        form = LoggedExerciseForm(
            initial={
                "exercise": log.exercise_id,
                "unit": log.unit,
                "per_side": log.per_side,
                "load_note": log.load_note,
                "pain": log.pain,
                "effort": log.effort,
                "skipped": log.skipped,
            },
            exercises=exercises,
            **weight,
        )
        sets = LoggedSetFormSet(
            initial=stored,
            prefix="sets",
            unit=log.unit,
            per_side=log.per_side,
            next_number=next_number,
        )
    refused = bool(form.errors or sets.total_error_count())
    return render(
        request,
        "training/log_entry_edit.html",
        {"session": session, "log": log, "form": form, "sets": sets, "refused": refused},
        status=400 if refused else 200,
    )


@never_cache
@runner_required(return_to=lambda request, pk: reverse("log:detail", args=[pk]))
@require_POST
def log_finish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A session logged by hand is finished here, as /today/'s is by its Finish button; a
    second Finish (a double click, a retry) keeps the first time."""
    session = _own_session(request, pk)
    if not session.logs.exists():
        messages.error(request, "Add what you did before finishing the session.")
        return redirect(session.get_absolute_url() + "#add")
    if not session.is_finished:
        services.session_finish(session=session)
    messages.success(request, "Session finished and saved in your log.")
    return redirect(session)


@never_cache
@runner_required
@require_http_methods(["GET", "POST"])
def log_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    if request.method == "POST":
        session.delete()
        messages.success(request, f"The session of {session.date:%-d %B %Y} is deleted.")
        return redirect("log:list")
    return render(
        request,
        "training/log_delete.html",
        {"session": session, "log_count": session.logs.count()},
    )


# CSV --------------------------------------------------------------------------------------

CSV_HEADER = [
    "date",
    "plan",
    "finished",
    "position",
    "exercise",
    "unit",
    "each_side",
    "sets_planned",
    "sets_done",
    "per_set",
    "load",
    "weight_lifted",
    "weight_unit",
    "pain",
    "effort",
    "skipped",
    "session_notes",
]
# A spreadsheet runs a cell that starts with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@never_cache
@runner_required
@require_GET
def log_export(request: HtmxHttpRequest) -> HttpResponse:
    logs = (
        ExerciseLog.objects.filter(session__owner=request.user)
        .select_related("session__plan", "exercise")
        .prefetch_related(Prefetch("sets", queryset=SetLog.objects.order_by("number")))
        .order_by("session__date", "session__pk", "position", "pk")
    )
    writer = csv.writer(_Echo())
    lines = [writer.writerow(CSV_HEADER)]
    unit = request.user.runner_profile.weight_unit
    for log in logs:
        session = log.session
        lines.append(
            writer.writerow(
                [
                    csv_cell(value)
                    for value in (
                        session.date.isoformat(),
                        session.plan.name if session.plan else "",
                        "yes" if session.finished_at else "no",
                        log.position,
                        log.exercise.name,
                        log.unit,
                        "yes" if log.per_side else "no",
                        log.sets_planned,
                        log.sets_done,
                        " / ".join(s.text() for s in log.sets.all()),
                        log.load_note,
                        "" if log.load is None else f"{load_shown(log.load, unit):f}",
                        unit if log.load is not None else "",
                        log.pain,
                        log.effort,
                        "yes" if log.skipped else "no",
                        session.notes,
                    )
                ]
            )
        )
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="footcare-log.csv"'
    return response


# The signed-in home page ------------------------------------------------------------------


@dataclass
class GlanceDay:
    date: date
    name: str
    run: str
    exercises: list[str]
    sets_done: int
    is_today: bool


@dataclass(frozen=True)
class GlancePlan:
    """The active plan as the week's card names it and links to it."""

    name: str
    url: str


def week_at_a_glance(user: User) -> dict:
    """Today's session and this week, Monday to Sunday, for the home page."""
    day = _today()
    monday = day - timedelta(days=day.weekday())
    profile = getattr(user, "runner_profile", None)
    pattern = profile.weekly_pattern if profile else ("rest",) * 7
    # The active plan (one a runner at most) and its exercises' names by day, in one query:
    # a plan without items comes as one row without an item.
    plan = None
    names: dict[int, list[str]] = {}
    for pk, plan_name, weekday, name in (
        WeeklyPlan.objects.filter(owner=user, is_active=True)
        .values_list("pk", "name", "items__weekday", "items__exercise__name")
        .order_by("items__weekday", "items__position", "items__pk")
    ):
        plan = plan or GlancePlan(plan_name, WeeklyPlan(pk=pk).get_absolute_url())
        if weekday is not None:
            names.setdefault(weekday, []).append(name)
    done = dict(
        user.workout_sessions.filter(date__gte=monday, date__lte=monday + timedelta(days=6))
        .values_list("date")
        .annotate(total=Sum("logs__sets_done"))
        .order_by()
    )
    week = [
        GlanceDay(
            date=monday + timedelta(days=n),
            name=DAY_NAMES[n],
            run=pattern[n].label if hasattr(pattern[n], "label") else str(pattern[n]),
            exercises=names.get(n, []),
            sets_done=done.get(monday + timedelta(days=n)) or 0,
            is_today=n == day.weekday(),
        )
        for n in range(7)
    ]
    return {"plan": plan, "today": week[day.weekday()], "week": week, "week_html": week_html(week)}


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def week_html(week: list[GlanceDay]) -> SafeString:
    """The week's seven days as training/_week.html drew them with a loop of lookups and
    filters, in one pass: the same HTML, the day's name and run escaped as autoescape
    would (the rest is numbers and our own words)."""
    days = []
    for day in week:
        classes = ("is-today" if day.is_today else "") + (" is-done" if day.sets_done else "")
        count = len(day.exercises)
        exercises = f"{count} exercise{_plural(count)}" if count else "no foot work"
        sets = (
            f"<span>✓ {day.sets_done} set{_plural(day.sets_done)}</span>" if day.sets_done else ""
        )
        days.append(
            f'\n    <li class="{classes}"{' aria-current="date"' if day.is_today else ""}>'
            f"\n      <strong>{escape(day.name[:3])}</strong>"
            f'\n      <span class="hint">{escape(day.run)}</span>'
            f"\n      <span>{exercises}</span>"
            f"\n      {sets}"
            "\n    </li>\n    "
        )
    return mark_safe("".join(days))
