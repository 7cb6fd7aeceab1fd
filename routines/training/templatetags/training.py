"""What the log's entries show on pages: `{% load training %}`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .. import cards
from ..views import week_at_a_glance

if TYPE_CHECKING:
    from ..models import ExerciseLog
    from ..views import TodayRow

register = template.Library()


@register.filter
def summary(log: ExerciseLog, unit: str) -> str:
    """`{{ log|summary:unit }}`: “3 × 15 at 20 kg, pain 2”, the weight in the runner's unit."""
    return log.summary_text(unit)


@register.simple_tag(takes_context=True)
def today_card(context: template.Context, row: TodayRow) -> SafeString:
    """`{% today_card row %}`: a /today/ card, drawn in one pass (`cards.card`)."""

    def weight_unit() -> str:
        # As `user.runner_profile.weight_unit` reads in a template: "" if there is none.
        try:
            return context["user"].runner_profile.weight_unit
        except (KeyError, ObjectDoesNotExist):
            return ""

    csrf = cards.csrf_input(context.get("csrf_token"))
    return cards.card(row, csrf, weight_unit, context.get("progress"))


@register.simple_tag(takes_context=True)
def this_week(context: template.Context) -> SafeString:
    """`{% this_week %}`: today's session and this week, the home page's card for the signed-in
    runner (`training/_week.html`), drawn in the page's own request: the home page, below
    every app, names this tag as it names their URLs, and imports none of their views."""
    glance = week_at_a_glance(context["user"])
    return render_to_string("training/_week.html", {"glance": glance}, request=context["request"])
