"""What the log's entries show on pages: `{% load training %}`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

if TYPE_CHECKING:
    from ..models import ExerciseLog

register = template.Library()


@register.filter
def summary(log: ExerciseLog, unit: str) -> str:
    """`{{ log|summary:unit }}`: “3 × 15 at 20 kg, pain 2”, the weight in the runner's unit."""
    return log.summary_text(unit)
