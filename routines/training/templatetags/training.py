"""What the log's entries show on pages: `{% load training %}`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.utils.safestring import SafeString

from .. import cards

if TYPE_CHECKING:
    from ..models import ExerciseLog
    from ..views import TodayRow

register = template.Library()


@register.filter
def summary(log: ExerciseLog, unit: str) -> str:
    """`{{ log|summary:unit }}`: “3 × 15 at 20 kg, pain 2”, the weight in the runner's unit."""
    return log.summary_text(unit)


@register.simple_tag(takes_context=True)
def set_forms(context: template.Context, row: TodayRow) -> SafeString:
    """`{% set_forms row %}`: the `<li>` of each of a /today/ card's sets, in one pass."""
    return cards.set_forms(row, cards.csrf_input(context.get("csrf_token")))
