"""Curating the library: one page per exercise with everything about it inline.

Every library model's admin keeps its history (`HistoryAdmin`: who, when, what changed,
revert); the exercise's admin sends a change to a published exercise through review
(`exercises.workflow`), and the changes under way have their own pages, where reviewers
decide.
"""

from __future__ import annotations

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import history, workflow
from .cache import bump_content_version, bumps_held
from .models import (
    ChangeState,
    Condition,
    Equipment,
    Exercise,
    ExerciseChange,
    ExerciseCondition,
    ExerciseMuscle,
    ExercisePicture,
    ExerciseSource,
    ExerciseStep,
    ExerciseTip,
    Muscle,
    MuscleRole,
    Progression,
    Source,
    StaffProfile,
    Status,
    publication_gaps,
)
from .muscle_map import map_views
from .pictures import check_picture, store_copies

# Before any admin class: reversion's admin would register the models its own way.
history.register_library()


class HistoryAdmin(VersionAdmin):
    """An admin whose history page shows each version as a difference, with revert.

    Saving in the admin records a version (who, when, the admin's change message);
    `seed_library` records its own. Reverting writes the earlier version back and is
    itself a new version; for a published exercise whose changes go through review, it
    is drafted as a change for review instead (`revert_version`).
    """

    object_history_template = "admin/exercises/history.html"

    def get_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                self.admin_site.admin_view(require_POST(self.revert_view)),
                name="{}_{}_revert".format(*info),
            ),
            *super().get_urls(),
        ]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = history.versions_of(obj)
        described = [history.describe(history.graph_of_version(v)) for v in versions]
        entries = [
            {
                "version": version,
                "changes": history.difference(
                    described[index + 1] if index + 1 < len(described) else {}, now
                ),
                "current": index == 0,
            }
            for index, (version, now) in enumerate(zip(versions, described, strict=True))
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "entries": entries,
            "can_revert": self.has_change_permission(request, obj),
            "matches_newest": bool(described)
            and described[0] == history.describe(history.graph_of(obj)),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        # reversion's own page would revert the version's whole revision (a seed run's is
        # the whole library) and skip review: the history page's button reverts instead.
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[object_id])
        )

    def recoverlist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # Bringing back a deleted row restores a whole revision: the operator's to do.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request: HttpRequest, version_id: str, extra_context=None):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def revert_view(self, request: HttpRequest, object_id: str, version_id: int) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_object(obj), pk=version_id)
        level, text = self.revert_version(request, obj, version)
        self.message_user(request, text, level)
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk])
        )

    def revert_version(self, request: HttpRequest, obj: Model, version: Version) -> tuple:
        graph = history.graph_of_version(version)
        when = timezone.localtime(version.revision.date_created).strftime("%-d %B %Y, %H:%M")
        with transaction.atomic():
            obj = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
            if history.describe(graph) == history.describe(history.graph_of(obj)):
                return messages.INFO, f"“{obj}” already reads as the version of {when}."
            with reversion.create_revision(atomic=False):
                reversion.set_user(request.user)
                reversion.set_comment(f"Reverted to the version of {when}.")
                history.apply_graph(obj, graph)
        return messages.SUCCESS, f"“{obj}” now reads as the version of {when}."


class Proposed(Exception):
    """Raised inside the admin's save to roll it back and keep what it saved as a change."""

    def __init__(self, graph: dict, note: str) -> None:
        super().__init__(note)
        self.graph, self.note = graph, note


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


class PictureFormSet(NeededToPublishFormSet):
    part, value = "pictures", "alt"

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not form.has_changed():
                continue
            if not data.get("image") and not form.instance.static_path:
                form.add_error("image", "Choose a picture to upload.")


class ExercisePictureForm(forms.ModelForm):
    """An upload is checked (`exercises.pictures`) before anything of it is saved."""

    class Meta:
        model = ExercisePicture
        fields = ["order", "kind", "image", "alt", "caption", "credit", "licence"]
        widgets = {"alt": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    checked = None

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if (
            image
            and image is not getattr(self.instance, "image", None)
            and "image" in self.changed_data
        ):
            self.checked = check_picture(image)
        return image

    def save(self, commit: bool = True) -> ExercisePicture:
        picture = super().save(commit=False)
        if self.checked is not None:
            picture.stored_in, picture.static_path = "media", ""
            picture.image = self.checked.original
            picture.width, picture.height = self.checked.width, self.checked.height
        if commit:
            self.save_stored(picture)
        else:
            self.save_m2m = lambda: None
        return picture

    def save_stored(self, picture: ExercisePicture) -> None:
        picture.save()
        if self.checked is not None:
            picture.renditions = store_copies(
                picture.image.storage, picture.image.name, self.checked
            )
            picture.save(update_fields=["renditions"])


class ExercisePictureInline(admin.StackedInline):
    model = ExercisePicture
    form = ExercisePictureForm
    formset = PictureFormSet
    extra = 1
    ordering = ["order", "id"]
    fields = ["preview", ("order", "kind"), "image", "alt", "caption", ("credit", "licence")]
    readonly_fields = ["preview"]
    verbose_name_plural = "pictures (start and end positions, steps)"

    @admin.display(description="as runners see it")
    def preview(self, picture: ExercisePicture) -> str:
        if not picture.pk:
            return "Shown here once saved."
        return render_to_string("exercises/_picture.html", {"picture": picture, "eager": True})


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
class ExerciseAdmin(HistoryAdmin):
    form = ExerciseAdminForm
    change_form_template = "admin/exercises/exercise/change_form.html"
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
    readonly_fields = ["page_preview", "easier_variants", "created_at", "updated_at"]
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
                    ("rise_seconds", "lower_seconds"),
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
        ("As runners see it", {"fields": ["page_preview"]}),
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
        ExercisePictureInline,
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Exercise | None = None) -> list:
        # Publishing is a reviewer's approval (or an operator's action), never a field.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "status"]

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/submit/",
                self.admin_site.admin_view(require_POST(self.submit_view)),
                name="exercises_exercise_submit",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(require_POST(self.preview_view)),
                name="exercises_exercise_preview",
            ),
            *super().get_urls(),
        ]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change and workflow.goes_through_review(form.instance, request.user):
            # Everything is validated and saved: keep it as the change, and roll it back.
            changed = [str(form.fields[name].label or name) for name in form.changed_data]
            changed += [
                str(formset.model._meta.verbose_name_plural)
                for formset in formsets
                if formset.has_changed()
            ]
            note = "Changed " + ", ".join(changed) if changed else "No change"
            raise Proposed(history.graph_of(form.instance), note)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id) if object_id else None
        context = {**(extra_context or {})}
        change = None
        if obj is not None and workflow.goes_through_review(obj, request.user):
            change = workflow.open_change(obj)
            context["goes_through_review"] = True
        elif obj is not None:
            context["open_change"] = workflow.open_change(obj)
        context["open_change"] = context.get("open_change") or change
        try:
            if change is None or change.proposal is None:
                return super().change_view(request, object_id, form_url, context)
            # The form shows, and saves over, the change under way: drawn from its rows
            # written inside a transaction that is rolled back (`history.apply_graph`).
            with transaction.atomic(), bumps_held():
                history.apply_graph(obj, change.proposal)
                response = super().change_view(request, object_id, form_url, context)
                if hasattr(response, "render"):
                    response.render()
                transaction.set_rollback(True)
            return response
        except Proposed as proposed:
            change = workflow.propose(obj, proposed.graph, request.user, proposed.note)
            self.message_user(
                request,
                f"Your change to “{obj}” is kept as a draft: runners still see the published "
                "version. Submit it for review when it is ready.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:exercises_exercisechange_change", args=[change.pk])
            )

    def revert_version(self, request: HttpRequest, obj: Model, version: Version) -> tuple:
        if not workflow.goes_through_review(obj, request.user):
            level, text = super().revert_version(request, obj, version)
            if obj.status == Status.PUBLISHED and (
                gaps := Exercise.objects.get(pk=obj.pk).publication_gaps()
            ):
                text += f" Note: it now lacks {'; '.join(gaps)}."
            return level, text
        graph = history.graph_of_version(version)
        when = timezone.localtime(version.revision.date_created).strftime("%-d %B %Y, %H:%M")
        workflow.propose(obj, graph, request.user, f"Revert to the version of {when}")
        return (
            messages.SUCCESS,
            f"The version of {when} is kept as a draft change to “{obj}”: submit it for review "
            "to publish it.",
        )

    def submit_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        exercise = self.get_object(request, object_id)
        if exercise is None:
            raise Http404
        if not self.has_change_permission(request, exercise):
            raise PermissionDenied
        try:
            change = workflow.submit(exercise, request.user)
        except workflow.ReviewError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:exercises_exercise_change", args=[exercise.pk])
            )
        self.message_user(
            request, f"Submitted the change to “{exercise}” for review.", messages.SUCCESS
        )
        return HttpResponseRedirect(
            reverse("admin:exercises_exercisechange_change", args=[change.pk])
        )

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The exercise's page as its open change would make it, with a banner.

        The change is written inside a transaction that is rolled back: the page is drawn
        from the very rows approval would write, and nothing is kept or cached.
        """
        exercise = self.get_object(request, object_id)
        if exercise is None:
            raise Http404
        if not self.has_view_or_change_permission(request, exercise):
            raise PermissionDenied
        change = workflow.open_change(exercise)
        if change is None:
            return HttpResponseRedirect(exercise.get_absolute_url())
        from .views import exercise_page

        # Drawn inside the transaction, from the rows approval would write; nothing kept.
        with transaction.atomic(), bumps_held():
            if change.proposal is not None:
                history.apply_graph(exercise, change.proposal)
            response = TemplateResponse(
                request,
                "exercises/exercise_detail.html",
                {**exercise_page(request, exercise.slug, keep=False), "preview_of": change},
            )
            response.render()
            transaction.set_rollback(True)
        return response

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

    @admin.display(description="pictures and muscle map")
    def page_preview(self, exercise: Exercise) -> str:
        if not exercise.pk:
            return "Shown here once saved."
        links = exercise.muscle_links.select_related("muscle")
        return render_to_string(
            "exercises/_admin_preview.html",
            {
                "pictures": exercise.pictures.all(),
                "map": map_views(
                    Muscle.objects.only("name", "slug"),
                    {link.muscle.slug: link.role for link in links},
                ),
            },
        )

    class Media:
        css = {"all": ["css/pictures.css"]}

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

    def has_publish_permission(self, request: HttpRequest) -> bool:
        # Editors and reviewers publish through review; the bulk actions are the operator's.
        return request.user.is_superuser

    @admin.action(description="Publish the selected exercises", permissions=["publish"])
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
        description="Unpublish the selected exercises (back to draft)", permissions=["publish"]
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> None:
        count = queryset.filter(status=Status.PUBLISHED).update(
            status=Status.DRAFT, updated_at=timezone.now()
        )
        bump_content_version()
        self.message_user(request, f"Unpublished {count} exercise(s).", messages.SUCCESS)


@admin.register(Muscle)
class MuscleAdmin(HistoryAdmin):
    list_display = ["name", "region", "updated_at"]
    list_filter = ["region"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Condition)
class ConditionAdmin(HistoryAdmin):
    list_display = ["name", "plan_while_it_hurts", "updated_at"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Equipment)
class EquipmentAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "publisher", "published", "url"]
    search_fields = ["title", "publisher", "key"]
    prepopulated_fields = {"key": ["publisher", "title"]}


@admin.register(Progression)
class ProgressionAdmin(HistoryAdmin):
    list_display = ["easier", "harder", "note", "branch"]
    list_filter = ["branch"]
    list_select_related = ["easier", "harder"]
    ordering = ["easier__name", "harder__name"]
    search_fields = ["easier__name", "harder__name", "note"]
    autocomplete_fields = ["easier", "harder"]


@admin.register(ExerciseChange)
class ExerciseChangeAdmin(admin.ModelAdmin):
    """The changes under way; each one's page is where a reviewer decides."""

    list_display = ["exercise", "state", "author", "note", "submitted_at", "reviewer"]
    list_filter = ["state"]
    list_select_related = ["exercise", "author", "reviewer"]
    search_fields = ["exercise__name", "note"]
    ordering = ["-submitted_at", "-updated_at"]
    change_form_template = "admin/exercises/exercisechange/review.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a change is made by editing its exercise

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # decided with the buttons of its page, never edited as a row

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(require_POST(self.decide_view)),
                {"decision": "approve"},
                name="exercises_exercisechange_approve",
            ),
            path(
                "<path:object_id>/send-back/",
                self.admin_site.admin_view(require_POST(self.decide_view)),
                {"decision": "send_back"},
                name="exercises_exercisechange_send_back",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        change = self.get_object(request, object_id)
        if change is None:
            raise Http404
        if not self.has_view_permission(request, change):
            raise PermissionDenied
        exercise = change.exercise
        live = history.describe(history.graph_of(exercise))
        if change.proposal is not None and change.is_open:
            before, after = live, history.describe(change.proposal)
        elif change.is_open:
            before, after = self._last_approved(exercise), live
        else:
            before, after = {}, history.describe(change.proposal) if change.proposal else {}
        context = {
            **self.admin_site.each_context(request),
            "title": str(change),
            "subtitle": None,
            "opts": self.opts,
            "original": change,
            "change": change,
            "exercise": exercise,
            "changes": history.difference(before, after),
            "new_exercise": not before,
            "refusal": workflow.may_review(change, request.user),
            "can_edit": request.user.has_perm("exercises.change_exercise"),
            "decided": not change.is_open,
            "ChangeState": ChangeState,
            "has_view_permission": True,
        }
        return TemplateResponse(request, self.change_form_template, context)

    @staticmethod
    def _last_approved(exercise: Exercise) -> dict[str, str]:
        # A draft exercise's change is its rows: compare with what was last published.
        versions = history.versions_of(exercise)
        for version in versions:
            graph = history.graph_of_version(version)
            if graph["fields"].get("status") == Status.PUBLISHED:
                return history.describe(graph)
        return {}

    def decide_view(self, request: HttpRequest, object_id: str, decision: str) -> HttpResponse:
        change = self.get_object(request, object_id)
        if change is None:
            raise Http404
        if not request.user.has_perm(workflow.PUBLISH_PERMISSION):
            raise PermissionDenied
        comment = request.POST.get("comment", "")[:2000]
        try:
            if decision == "approve":
                workflow.approve(change.pk, request.user, comment)
                text = f"Approved: runners now see the change to “{change.exercise}”."
            else:
                workflow.send_back(change.pk, request.user, comment)
                text = f"Sent the change to “{change.exercise}” back to {change.author}."
        except workflow.ReviewError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, text, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:exercises_exercisechange_change", args=[change.pk])
        )


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    """Who a reviewer is on the pages; set by a superuser (no group may change it)."""

    list_display = ["public_name", "credentials", "user"]
    search_fields = ["public_name", "user__email"]
    raw_id_fields = ["user"]
