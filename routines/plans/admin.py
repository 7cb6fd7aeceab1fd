"""Starter plans are curated here like the library; runners' plans can be looked at."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from .models import (
    DOSE_DEFINING_FIELDS,
    PlanItem,
    StarterPlan,
    StarterPlanCitation,
    StarterPlanItem,
    WeeklyPlan,
)

DOSE_FIELDS = (
    "weekday",
    "position",
    "exercise",
    "sets",
    "reps",
    "hold_seconds",
    "duration_seconds",
    "per_side",
    "load_note",
    "rest_seconds",
)


class StarterPlanCitationInline(admin.StackedInline):
    model = StarterPlanCitation
    extra = 0
    min_num = 1


class StarterPlanItemInline(admin.TabularInline):
    model = StarterPlanItem
    fields = DOSE_FIELDS
    autocomplete_fields = ["exercise"]
    extra = 0
    ordering = ["weekday", "position", "pk"]


@admin.register(StarterPlan)
class StarterPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "published"]
    list_editable = ["order", "published"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StarterPlanCitationInline, StarterPlanItemInline]
    ordering = ["order", "name"]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    fields = DOSE_FIELDS
    autocomplete_fields = ["exercise"]
    extra = 0
    ordering = ["weekday", "position", "pk"]


@admin.register(WeeklyPlan)
class WeeklyPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_active", "updated_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__email"]
    readonly_fields = ["created_at", "updated_at"]
    exclude = ["calendar_token"]
    raw_id_fields = ["owner"]
    inlines = [PlanItemInline]
    ordering = ["-updated_at"]

    def save_formset(self, request, form, formset, change) -> None:
        # An exercise or dose changed here, as on the board, restarts the suggestions' count
        # of sessions at it (PlanItem.dose_set_at).
        defining = {name.removesuffix("_id") for name in DOSE_DEFINING_FIELDS}
        if formset.model is PlanItem:
            for item_form in formset.forms:
                if item_form.has_changed() and defining & set(item_form.changed_data):
                    item_form.instance.dose_set_at = timezone.now()
        super().save_formset(request, form, formset, change)
