from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from footcare.http import HtmxHttpRequest

from .forms import ExerciseFilterForm
from .models import (
    Condition,
    Equipment,
    Exercise,
    ExerciseCondition,
    ExerciseMuscle,
    Muscle,
    TipKind,
)

PAGE_SIZE = 24
# Muscle and condition pages show this many exercises, then link to the filtered library.
RELATED_LIMIT = 24


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def exercise_list(request: HtmxHttpRequest) -> HttpResponse:
    form = ExerciseFilterForm(
        request.GET,
        muscles=Muscle.objects.only("name", "slug", "region"),
        conditions=Condition.objects.only("name", "slug"),
        equipment=Equipment.objects.only("name", "slug"),
    )
    exercises = form.apply(Exercise.objects.visible_to(request.user)).for_cards()
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
    }
    # Only the filter form and the pagination links target #results; a boosted link or a
    # history restore is an htmx request too, and must get the whole page.
    template = "exercises/exercise_list.html"
    if request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@require_safe
def exercise_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(
        Exercise.objects.visible_to(request.user).for_detail(request.user), slug=slug
    )
    tips = {kind: [] for kind in TipKind}
    for tip in exercise.tips.all():
        tips[tip.kind].append(tip)
    muscle_links = list(exercise.muscle_links.all())
    return render(
        request,
        "exercises/exercise_detail.html",
        {
            "exercise": exercise,
            "safety_tips": tips.pop(TipKind.SAFETY),
            "other_tips": [(TipKind(kind).label, found) for kind, found in tips.items() if found],
            "primary_muscles": [link.muscle for link in muscle_links if link.role == "primary"],
            "secondary_muscles": [link.muscle for link in muscle_links if link.role != "primary"],
        },
    )


@require_safe
def muscle_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    muscle = get_object_or_404(Muscle, slug=slug)
    links = ExerciseMuscle.objects.filter(muscle=muscle).visible_to(request.user)
    return render(
        request,
        "exercises/muscle_detail.html",
        {
            "muscle": muscle,
            "total": links.count(),
            "links": links.for_cards().order_by("role", "exercise__level", "exercise__name")[
                :RELATED_LIMIT
            ],
        },
    )


@require_safe
def condition_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    condition = get_object_or_404(Condition, slug=slug)
    links = ExerciseCondition.objects.filter(condition=condition).visible_to(request.user)
    return render(
        request,
        "exercises/condition_detail.html",
        {
            "condition": condition,
            "total": links.count(),
            "links": links.for_cards().order_by("exercise__level", "exercise__name")[
                :RELATED_LIMIT
            ],
        },
    )
