from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from footcare.http import HtmxHttpRequest

from .cache import shared_piece
from .forms import ExerciseFilterForm
from .middleware import NONCE_MARK, keep_for_visitors
from .models import (
    OPEN_STATES,
    Condition,
    Equipment,
    Exercise,
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


# Where a page's runner's own part (the template's `personal` partial: "For you", "Add to
# my plan") goes in the shared content: filled per request, empty for a visitor.
PERSONAL_MARK = (
    "personal-" + salted_hmac("exercises.views", "personal", algorithm="sha256").hexdigest()[:24]
)


def _page(
    request: HtmxHttpRequest,
    template: str,
    key: tuple[str, ...],
    build: Callable[[HttpRequest | None], dict],
    **shell: Any,
) -> HttpResponse:
    """A library page: `template` around what `build` renders (`body`, `title`, ...).

    Staff get it rendered for them each time, with their request (drafts, banners, admin
    links). Everyone else gets the content rendered once per content version without any
    request (`exercises.cache`), so nothing personal or per-request can be in it; a
    signed-in runner's navigation is drawn around it per request, and so is their own part
    of the page (the template's `personal` partial, put where the content has
    `PERSONAL_MARK`), which never enters the cache. A visitor without a session sees what
    every visitor of this address sees: the whole page, with no personal part and no CSRF
    token, is rendered with a stand-in for the nonce and kept for the next visitor by
    `exercises.middleware`, which serves it with a nonce of each response's own.
    """

    def content() -> dict:
        return shared_piece(*key, build=lambda: build(None))

    def personal(found: dict, for_request: HttpRequest | None) -> dict:
        body = found["body"]
        if PERSONAL_MARK not in body:
            return found
        own = ""
        if for_request is not None:
            own = render_to_string(f"{template}#personal", {**shell, **found}, for_request)
        return {**found, "body": mark_safe(body.replace(PERSONAL_MARK, own))}

    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        if request.user.is_staff:
            return render(request, template, {**shell, **personal(build(request), request)})
        return render(request, template, {**shell, **personal(content(), request)})

    # No CSRF token: nothing on a library page posts for a visitor, and a token would set
    # a cookie and make the page one visitor's own.
    marks = {"csp_nonce": NONCE_MARK, "csrf_token": ""}
    html = render_to_string(template, {**shell, **personal(content(), None), **marks}, request)
    response = HttpResponse(html.replace(NONCE_MARK, str(get_nonce(request))))
    return keep_for_visitors(response, html)


def _viewer(for_request: HttpRequest | None) -> AbstractBaseUser | AnonymousUser:
    """Whom a page is rendered for: staff with their request, or anyone at all."""
    return for_request.user if for_request else AnonymousUser()


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def exercise_list(request: HtmxHttpRequest) -> HttpResponse:
    # Only the filter form and the pagination links target #results; a boosted link or a
    # history restore is an htmx request too, and must get the whole page.
    part = "results" if request.htmx.target == "results" else "body"

    def build(for_request: HttpRequest | None) -> dict:
        form = ExerciseFilterForm(
            request.GET,
            muscles=Muscle.objects.only("name", "slug", "region"),
            conditions=Condition.objects.only("name", "slug"),
            equipment=Equipment.objects.only("name", "slug"),
        )
        exercises = form.apply(Exercise.objects.visible_to(_viewer(for_request))).for_cards()
        page = Paginator(exercises.order_by(*form.ordering()), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "form": form,
            "page": page,
            "topics": form.topics(),
            "filter_query": form.query(),
            "filter_summary": form.summary(),
            "search_text": form.valid_filters().get("q", ""),
            "filters_only": form.filter_summary(),
            "personal_slot": PERSONAL_MARK,
        }
        return {
            "body": render_to_string(f"exercises/exercise_list.html#{part}", context, for_request)
        }

    # Keyed on the parameters as sent (each one's values in order): the form reads nothing
    # else, so the same key always renders the same content, errors included.
    query = urlencode(
        [(name, value) for name in LIST_PARAMETERS for value in request.GET.getlist(name)]
    )
    key = ("list", part, query)
    if part == "results":
        if request.user.is_staff:
            return HttpResponse(build(request)["body"])
        body = shared_piece(*key, build=lambda: build(None))["body"]
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return HttpResponse(body)
        return keep_for_visitors(HttpResponse(body), body)
    return _page(request, "exercises/exercise_list.html", key, build)


def detail_content(slug: str, for_request: HttpRequest | None) -> dict:
    """What an exercise's page shows: its title, description and rendered body.

    Rendered without a request for everyone but staff; with one for staff, who also see a
    draft and whether a change to it waits for review (`exercises.workflow`).
    """
    viewer = _viewer(for_request)
    exercise = get_object_or_404(Exercise.objects.visible_to(viewer).for_detail(), slug=slug)
    easier, harder = Progression.objects.rungs_around(exercise, viewer)
    tips = {kind: [] for kind in TipKind}
    for tip in exercise.tips.all():
        tips[tip.kind].append(tip)
    muscle_links = list(exercise.muscle_links.all())
    context = {
        "exercise": exercise,
        "easier": easier,
        "harder": harder,
        "safety_tips": tips.pop(TipKind.SAFETY),
        "other_tips": [(TipKind(kind).label, found) for kind, found in tips.items() if found],
        "primary_muscles": [link.muscle for link in muscle_links if link.role == "primary"],
        "secondary_muscles": [link.muscle for link in muscle_links if link.role != "primary"],
        "pictures": (pictures := list(exercise.pictures.all())),
        # One credit line under them all when every picture has the same one.
        "shared_credit": len({(p.credit, p.licence) for p in pictures}) == 1,
        "map": map_views(
            Muscle.objects.only("name", "slug"),
            {link.muscle.slug: link.role for link in muscle_links},
        ),
        "reviewed_by": _reviewer_profile(exercise),
        "personal_slot": PERSONAL_MARK,
    }
    if viewer.is_staff:
        context["pending_change"] = exercise.changes.filter(state__in=OPEN_STATES).first()
    return {
        "title": exercise.name,
        "description": exercise.summary,
        # What the `personal` partial ("Add to my plan") needs of it, and no more.
        "exercise": Exercise(pk=exercise.pk, slug=exercise.slug, status=exercise.status),
        "body": render_to_string("exercises/exercise_detail.html#body", context, for_request),
    }


def _reviewer_profile(exercise: Exercise) -> StaffProfile | None:
    if exercise.reviewed_by_id is None:
        return None
    return StaffProfile.objects.filter(user_id=exercise.reviewed_by_id).first()


@require_safe
def exercise_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    # A slug with no (published) exercise raises 404 inside the build: nothing is cached.
    return _page(
        request,
        "exercises/exercise_detail.html",
        ("detail", slug),
        lambda for_request: detail_content(slug, for_request),
    )


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
def related_exercises(request: HtmxHttpRequest, slug: str, *, kind: str) -> HttpResponse:
    """A muscle's or a condition's page: what it is, and the exercises for it."""
    topic = TOPICS[kind]

    def build(for_request: HttpRequest | None) -> dict:
        subject = get_object_or_404(topic.model, slug=slug)
        links = topic.links.objects.filter(**{kind: subject}).visible_to(_viewer(for_request))
        context = {
            "kind": kind,
            "subject": subject,
            "filter_query": f"{topic.filter}={subject.slug}",
            "total": links.count(),
            "links": links.for_cards().order_by(*topic.order, "exercise__name")[:RELATED_LIMIT],
        }
        if kind == "muscle":
            context["map"] = map_views(Muscle.objects.only("name", "slug"), {subject.slug: "own"})
        return {
            "title": subject.name,
            "body": render_to_string("exercises/related_exercises.html#body", context, for_request),
        }

    return _page(request, "exercises/related_exercises.html", (kind, slug), build, kind=kind)


@require_safe
def muscle_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every muscle, by region, each with how many exercises work it."""

    def build(for_request: HttpRequest | None) -> dict:
        muscles = _with_exercise_counts(Muscle.objects.all(), _viewer(for_request))
        groups = [
            (region.label, [muscle for muscle in muscles if muscle.region == region])
            for region in Region
        ]
        context = {"kind": "muscle", "groups": [(label, found) for label, found in groups if found]}
        return {"body": render_to_string("exercises/topic_list.html#body", context, for_request)}

    return _page(request, "exercises/topic_list.html", ("muscles",), build, kind="muscle")


@require_safe
def condition_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every condition, A to Z: a condition has no one region."""

    def build(for_request: HttpRequest | None) -> dict:
        conditions = _with_exercise_counts(Condition.objects.all(), _viewer(for_request))
        context = {"kind": "condition", "groups": [("", conditions)] if conditions else []}
        return {"body": render_to_string("exercises/topic_list.html#body", context, for_request)}

    return _page(request, "exercises/topic_list.html", ("conditions",), build, kind="condition")


def _with_exercise_counts(topics: QuerySet, viewer: AbstractBaseUser | AnonymousUser) -> list:
    visible = Q() if viewer.is_staff else Q(exercise_links__exercise__status="published")
    return list(
        topics.only("name", "slug", *(["region"] if topics.model is Muscle else []))
        .annotate(exercise_count=Count("exercise_links", filter=visible))
        .order_by("name")
    )
