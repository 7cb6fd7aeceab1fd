"""Reminders, for operators: which went, which wait for the mail server, which a worker
left half-sent (status "sending" for more than a few minutes). Read-only: a row is the
only guard against sending twice, so nothing here edits or deletes one."""

from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("day", "owner", "status", "attempts", "claimed_at", "sent_at", "retry_at")
    list_filter = ("status", "day")
    list_select_related = ("owner",)
    date_hierarchy = "day"
    readonly_fields = (
        "owner",
        "day",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "retry_at",
        "last_error",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
