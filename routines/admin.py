"""Starter plans are curated here like the library; runners' plans can be looked at."""

from __future__ import annotations

from django.contrib import admin

from .models import PlanItem, StarterPlan, StarterPlanCitation, StarterPlanItem, WeeklyPlan

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
