from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from footcare.http import HtmxHttpRequest

from .cache import PIECE_TIMEOUT, content_version, for_visitors
from .forms import ExerciseFilterForm
from .models import (
    OPEN_STATES,
    Condition,
    Equipment,
    Exercise,
    ExerciseChange,
    ExerciseCondition,
    ExerciseMuscle,
    Muscle,
    Progression,
    Region,
    StaffProfile,
    TipKind,
)
from .muscle_map import map_views

PAGE_SIZE = 24
# Muscle and condition pages show this many exercises, then link to the filtered library.
RELATED_LIMIT = 24


# The query parameters a library page's content depends on: its key in the cache.
LIST_PARAMETERS = sorted([*ExerciseFilterForm.base_fields, "page"])


def _kept(request: HttpRequest, **context: Any) -> dict[str, Any]:
    """What the templates' `{% cache %}` blocks are keyed on, beside the page's own context.

    The library's parts are the same for everyone who sees them and are kept in the shared
    cache under the content version, which every library edit moves on (`exercises.cache`).
    Staff see drafts and admin links: their parts are kept apart, each under their own id.
    """
    user = request.user
    kept = {
        "version": content_version(),
        "viewer": f"staff-{user.pk}" if user.is_staff else "everyone",
        # Staff pages show drafts and changes under review, which move no content version:
        # drawn afresh for them (a timeout of 0 keeps nothing).
        "piece_timeout": 0 if user.is_staff else PIECE_TIMEOUT,
        **context,
    }
    if not user.is_authenticated:
        # No CSRF token: nothing on a library page posts for a visitor, and a token would
        # set a cookie and make the page one visitor's own (it would not be kept).
        kept["csrf_token"] = ""
    return kept


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@for_visitors
def exercise_list(request: HtmxHttpRequest) -> HttpResponse:
    form = SimpleLazyObject(
        lambda: ExerciseFilterForm(
            request.GET,
            muscles=Muscle.objects.only("name", "slug", "region"),
            conditions=Condition.objects.only("name", "slug"),
            equipment=Equipment.objects.only("name", "slug"),
        )
    )

    def page():
        exercises = form.apply(Exercise.objects.visible_to(request.user)).for_cards()
        return Paginator(exercises.order_by(*form.ordering()), PAGE_SIZE).get_page(
            request.GET.get("page")
        )

    # Keyed on the parameters as sent (each one's values in order): the form reads nothing
    # else, so the same key always draws the same list, errors included. Nothing below is
    # worked out unless the kept part is missing.
    query = urlencode(
        [(name, value) for name in LIST_PARAMETERS for value in request.GET.getlist(name)]
    )
    context = _kept(
        request,
        query=query,
        form=form,
        page=SimpleLazyObject(page),
        topics=SimpleLazyObject(lambda: form.topics()),
        filter_query=SimpleLazyObject(lambda: form.query()),
        filter_summary=SimpleLazyObject(lambda: form.summary()),
        search_text=SimpleLazyObject(lambda: form.valid_filters().get("q", "")),
        filters_only=SimpleLazyObject(lambda: form.filter_summary()),
    )
    # Only the filter form and the pagination links target #results; a boosted link or a
    # history restore is an htmx request too, and must get the whole page.
    if request.htmx.target == "results":
        return render(request, "exercises/exercise_list.html#results-kept", context)
    return render(request, "exercises/exercise_list.html", context)


@dataclass(frozen=True)
class Detail:
    """What an exercise's page shows of it: worked out only when its kept parts are missing."""

    exercise: Exercise
    easier: list
    harder: list
    safety_tips: list
    other_tips: list
    primary_muscles: list
    secondary_muscles: list
    pictures: list
    # One credit line under them all when every picture has the same one.
    shared_credit: bool
    map: list
    reviewed_by: StaffProfile | None
    # Staff only: a change to it waiting for review (`exercises.workflow`).
    pending_change: ExerciseChange | None


def _detail(request: HttpRequest, slug: str) -> Detail:
    exercise = get_object_or_404(Exercise.objects.visible_to(request.user).for_detail(), slug=slug)
    easier, harder = Progression.objects.rungs_around(exercise, request.user)
    tips = {kind: [] for kind in TipKind}
    for tip in exercise.tips.all():
        tips[tip.kind].append(tip)
    muscle_links = list(exercise.muscle_links.all())
    return Detail(
        exercise=exercise,
        easier=easier,
        harder=harder,
        safety_tips=tips.pop(TipKind.SAFETY),
        other_tips=[(TipKind(kind).label, found) for kind, found in tips.items() if found],
        primary_muscles=[link.muscle for link in muscle_links if link.role == "primary"],
        secondary_muscles=[link.muscle for link in muscle_links if link.role != "primary"],
        pictures=(pictures := list(exercise.pictures.all())),
        shared_credit=len({(p.credit, p.licence) for p in pictures}) == 1,
        map=map_views(
            Muscle.objects.only("name", "slug"),
            {link.muscle.slug: link.role for link in muscle_links},
        ),
        reviewed_by=_reviewer_profile(exercise),
        pending_change=(
            exercise.changes.filter(state__in=OPEN_STATES).first()
            if request.user.is_staff
            else None
        ),
    )


def _reviewer_profile(exercise: Exercise) -> StaffProfile | None:
    if exercise.reviewed_by_id is None:
        return None
    return StaffProfile.objects.filter(user_id=exercise.reviewed_by_id).first()


@require_safe
@for_visitors
def exercise_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    return render(request, "exercises/exercise_detail.html", exercise_page(request, slug))


def exercise_page(request: HttpRequest, slug: str, *, keep: bool = True) -> dict[str, Any]:
    """An exercise page's context. Its parts are worked out only when the kept ones are
    missing; `keep=False` (the admin's preview of a change under review, drawn from rows
    that are rolled back) keeps nothing and reads nothing kept."""
    # What the page's head and the runner's "Add to my plan" need; a slug with no
    # (published) exercise is a 404 here.
    exercise = get_object_or_404(
        Exercise.objects.visible_to(request.user).only("pk", "slug", "status", "name", "summary"),
        slug=slug,
    )
    context = _kept(
        request,
        exercise=exercise,
        title=exercise.name,
        description=exercise.summary,
        detail=SimpleLazyObject(lambda: _detail(request, slug)),
    )
    if not keep:
        context.update(piece_timeout=0, version="preview")
    return context


@dataclass(frozen=True)
class Topic:
    """What the related-exercises pages need to know about a muscle or a condition."""

    model: type[Muscle] | type[Condition]
    links: type[ExerciseMuscle] | type[ExerciseCondition]
    # The library's filter for it, and how its page orders its exercises.
    filter: str
    order: tuple[str, ...]


TOPICS = {
    "muscle": Topic(Muscle, ExerciseMuscle, "muscle", ("role", "exercise__level")),
    "condition": Topic(Condition, ExerciseCondition, "condition", ("exercise__level",)),
}


@require_safe
@for_visitors
def related_exercises(request: HtmxHttpRequest, slug: str, *, kind: str) -> HttpResponse:
    """A muscle's or a condition's page: what it is, and the exercises for it."""
    topic = TOPICS[kind]
    subject = get_object_or_404(topic.model, slug=slug)
    links = topic.links.objects.filter(**{kind: subject}).visible_to(request.user)
    context = _kept(
        request,
        kind=kind,
        title=subject.name,
        subject=subject,
        filter_query=f"{topic.filter}={subject.slug}",
        total=SimpleLazyObject(links.count),
        links=links.for_cards().order_by(*topic.order, "exercise__name")[:RELATED_LIMIT],
    )
    if kind == "muscle":
        context["map"] = SimpleLazyObject(
            lambda: map_views(Muscle.objects.only("name", "slug"), {subject.slug: "own"})
        )
    return render(request, "exercises/related_exercises.html", context)


@require_safe
@for_visitors
def muscle_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every muscle, by region, each with how many exercises work it."""

    def groups() -> list:
        muscles = _with_exercise_counts(Muscle.objects.all(), request.user)
        by_region = [
            (region.label, [muscle for muscle in muscles if muscle.region == region])
            for region in Region
        ]
        return [(label, found) for label, found in by_region if found]

    context = _kept(request, kind="muscle", groups=SimpleLazyObject(groups))
    return render(request, "exercises/topic_list.html", context)


@require_safe
@for_visitors
def condition_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every condition, A to Z: a condition has no one region."""

    def groups() -> list:
        conditions = _with_exercise_counts(Condition.objects.all(), request.user)
        return [("", conditions)] if conditions else []

    context = _kept(request, kind="condition", groups=SimpleLazyObject(groups))
    return render(request, "exercises/topic_list.html", context)


def _with_exercise_counts(topics: QuerySet, viewer: AbstractBaseUser | AnonymousUser) -> list:
    visible = Q() if viewer.is_staff else Q(exercise_links__exercise__status="published")
    return list(
        topics.only("name", "slug", *(["region"] if topics.model is Muscle else []))
        .annotate(exercise_count=Count("exercise_links", filter=visible))
        .order_by("name")
    )
