"""Curating the library: one page per exercise with everything about it inline."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .cache import bump_content_version
from .models import (
    Condition,
    Equipment,
    Exercise,
    ExerciseCondition,
    ExerciseMuscle,
    ExerciseSource,
    ExerciseStep,
    ExerciseTip,
    Muscle,
    MuscleRole,
    Progression,
    Source,
    Status,
    publication_gaps,
)


class NeededToPublishFormSet(forms.BaseInlineFormSet):
    """An inline whose rows a published exercise must have (`publication_gaps`).

    The exercise form and its inlines are validated together before anything is saved,
    so publishing an incomplete exercise is refused with the reason beside the inline.
    `part` names the rule's part these rows are; `value` what the rule reads of a row.
    """

    part = ""
    value = ""

    def kept_rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if self.instance.status != Status.PUBLISHED:
            return
        values = [row.get(self.value) for row in self.kept_rows()]
        if gaps := publication_gaps(**{self.part: values}):
            raise forms.ValidationError(f"A published exercise needs {gaps[0]}.")


class StepFormSet(NeededToPublishFormSet):
    part, value = "steps", "text"

    def clean(self) -> None:
        super().clean()
        # Distinct numbers are kept here, not by the database (see ExerciseStep).
        numbers = [row.get("number") for row in self.kept_rows()]
        if len(numbers) != len(set(numbers)):
            raise forms.ValidationError("Two steps have the same number; number each once.")


class TipFormSet(NeededToPublishFormSet):
    part, value = "tips", "kind"


class MuscleFormSet(NeededToPublishFormSet):
    part, value = "muscles", "role"


class SourceFormSet(NeededToPublishFormSet):
    part, value = "sources", "source"


class ExerciseStepInline(admin.TabularInline):
    model = ExerciseStep
    formset = StepFormSet
    extra = 1
    fields = ["number", "text"]
    ordering = ["number", "id"]
    formfield_overrides = {
        ExerciseStep._meta.get_field("text").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 80})
        }
    }


class ExerciseTipInline(admin.TabularInline):
    model = ExerciseTip
    formset = TipFormSet
    extra = 1
    fields = ["order", "kind", "text"]
    formfield_overrides = ExerciseStepInline.formfield_overrides


class ExerciseMuscleInline(admin.TabularInline):
    model = ExerciseMuscle
    formset = MuscleFormSet
    extra = 1
    ordering = ["role", "muscle__name"]
    autocomplete_fields = ["muscle"]


NOTE_WIDGET = forms.Textarea(attrs={"rows": 2, "cols": 60})


class ExerciseConditionInline(admin.TabularInline):
    model = ExerciseCondition
    extra = 1
    ordering = ["condition__name"]
    autocomplete_fields = ["condition"]
    formfield_overrides = {
        ExerciseCondition._meta.get_field("note").__class__: {"widget": NOTE_WIDGET}
    }


class HarderProgressionInline(admin.TabularInline):
    model = Progression
    fk_name = "easier"
    extra = 1
    fields = ["harder", "note", "branch"]
    ordering = ["harder__level", "harder__name"]
    autocomplete_fields = ["harder"]
    formfield_overrides = ExerciseConditionInline.formfield_overrides
    verbose_name = "harder variant"
    verbose_name_plural = "harder variants (progressions up the ladder)"


class ExerciseSourceInline(admin.TabularInline):
    model = ExerciseSource
    formset = SourceFormSet
    extra = 1
    ordering = ["source__publisher", "source__title"]
    autocomplete_fields = ["source"]


class ExerciseAdminForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = "__all__"
        widgets = {
            "equipment": forms.CheckboxSelectMultiple,
            "summary": forms.TextInput(attrs={"size": 90}),
            "dose_note": forms.TextInput(attrs={"size": 90}),
        }


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseAdminForm
    list_display = ["name", "status", "level", "position", "laterality", "primary", "updated_at"]
    list_filter = [
        "status",
        "level",
        "calf_heavy",
        "position",
        "muscles",
        "conditions",
        "equipment",
    ]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["easier_variants", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "summary", "why_it_matters", "our_own"]}),
        (
            "How it is done",
            {
                "fields": [
                    "position",
                    "laterality",
                    "level",
                    "calf_heavy",
                    "progress_by_load",
                    "equipment",
                ]
            },
        ),
        (
            "Suggested starting dose",
            {
                "description": "Sets of reps (each optionally held) or of a duration. Tick "
                "each number a cited article gives; the page marks every other one as our "
                "suggestion.",
                "fields": [
                    ("dose_sets", "dose_reps", "dose_hold_seconds", "dose_duration_seconds"),
                    (
                        "dose_sets_from_source",
                        "dose_reps_from_source",
                        "dose_hold_from_source",
                        "dose_duration_from_source",
                    ),
                    ("dose_per_side", "dose_sessions_per_week"),
                    "dose_note",
                ],
            },
        ),
        ("On the ladder", {"fields": ["easier_variants"]}),
        ("History", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]
    inlines = [
        ExerciseStepInline,
        ExerciseTipInline,
        ExerciseMuscleInline,
        ExerciseConditionInline,
        HarderProgressionInline,
        ExerciseSourceInline,
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Exercise]:
        # The changelist shows each exercise's primary muscles: one query for all rows.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "muscle_links",
                    queryset=ExerciseMuscle.objects.filter(role=MuscleRole.PRIMARY)
                    .select_related("muscle")
                    .order_by("muscle__name"),
                    to_attr="primary_links",
                )
            )
        )

    @admin.display(description="primary muscles")
    def primary(self, exercise: Exercise) -> str:
        return ", ".join(link.muscle.name for link in exercise.primary_links)

    @admin.display(description="easier variants")
    def easier_variants(self, exercise: Exercise) -> str:
        edges = (
            exercise.to_easier.select_related("easier").order_by("easier__name")
            if exercise.pk
            else []
        )
        if not edges:
            return "None: this is the first rung of its ladder (or stands alone)."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>: {}</li>',
                (
                    (
                        reverse("admin:exercises_exercise_change", args=[edge.easier_id]),
                        edge.easier.name,
                        edge.note,
                    )
                    for edge in edges
                ),
            ),
        )

    @admin.action(description="Publish the selected exercises", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> None:
        ready, held = [], []
        for exercise in queryset.filter(status=Status.DRAFT):
            gaps = exercise.publication_gaps()
            (held if gaps else ready).append((exercise, gaps))
        Exercise.objects.filter(pk__in=[e.pk for e, _ in ready]).update(
            status=Status.PUBLISHED, updated_at=timezone.now()
        )
        # update() sends no signal: the pages must still show the change at once.
        bump_content_version()
        if ready:
            self.message_user(request, f"Published {len(ready)} exercise(s).", messages.SUCCESS)
        for exercise, gaps in held:
            self.message_user(
                request,
                f"“{exercise}” stays a draft: it still needs {'; '.join(gaps)}.",
                messages.WARNING,
            )

    @admin.action(
        description="Unpublish the selected exercises (back to draft)", permissions=["change"]
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> None:
        count = queryset.filter(status=Status.PUBLISHED).update(
            status=Status.DRAFT, updated_at=timezone.now()
        )
        bump_content_version()
        self.message_user(request, f"Unpublished {count} exercise(s).", messages.SUCCESS)


@admin.register(Muscle)
class MuscleAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "updated_at"]
    list_filter = ["region"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["name", "plan_while_it_hurts", "updated_at"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published", "url"]
    search_fields = ["title", "publisher", "key"]
    prepopulated_fields = {"key": ["publisher", "title"]}


@admin.register(Progression)
class ProgressionAdmin(admin.ModelAdmin):
    list_display = ["easier", "harder", "note", "branch"]
    list_filter = ["branch"]
    list_select_related = ["easier", "harder"]
    ordering = ["easier__name", "harder__name"]
    search_fields = ["easier__name", "harder__name", "note"]
    autocomplete_fields = ["easier", "harder"]
