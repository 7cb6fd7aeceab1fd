"""The board's items drawn in one pass in Python: seventy of them through the template
engine were most of the board's time (issue 23).

An item not being changed is a heading, its dose, "Why this dose" and four buttons. Drawn
by `{% partial item %}` that took three `{% url %}` tags, a reversed exercise address and
about forty variable lookups and filters an item; here each address is reversed once per
board and filled in, and every value is escaped as the template's autoescape would
(the standard library's `html.escape`, which Django's `escape` calls, on plain strings;
the template's own `date` filter, and the weight as the `weight` filter gives it). The item being
changed (its dose form and move-to-day form) is still drawn by the template, with this
module's heading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from exercises.models import Exercise, Status
from footcare.urls_once import reversed_once

from .models import DoseChange, PlanItem, load_text
from .rules import DaySummary

_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")


@dataclass(frozen=True)
class BoardAddresses:
    """Every address an item of one plan links or posts to, each reversed once
    (`footcare.urls_once`) and filled in with an item's key or an exercise's slug."""

    update: Callable[..., str]
    move: Callable[..., str]
    remove: Callable[..., str]
    exercise: Callable[..., str]
    # The board itself, which a day's item buttons post through, and a day's picker.
    board: str
    add: str

    @classmethod
    def of(cls, plan_pk: int) -> BoardAddresses:
        return cls(
            update=reversed_once("plans:item_update", "item_pk", pk=plan_pk),
            move=reversed_once("plans:item_move", "item_pk", pk=plan_pk),
            remove=reversed_once("plans:item_remove", "item_pk", pk=plan_pk),
            exercise=reversed_once("exercises:detail", "slug"),
            board=reverse("plans:detail", kwargs={"pk": plan_pk}),
            add=reverse("plans:item_add", kwargs={"pk": plan_pk}),
        )

    def of_exercise(self, exercise: Exercise) -> str:
        # A slug the URL pattern takes as it is; anything else reversed the long way.
        if _SLUG.match(exercise.slug):
            return self.exercise(slug=exercise.slug)
        return exercise.get_absolute_url()


def item_heading(item: PlanItem, addresses: BoardAddresses, level: int = 4) -> SafeString:
    """The item's name as a heading: a link to the exercise, or "No longer in the library"."""
    exercise = item.exercise
    name = escape(str(exercise.name))
    if exercise.status == Status.PUBLISHED:
        inner = f'<a href="{escape(addresses.of_exercise(exercise))}">{name}</a>'
    else:
        inner = f'{name} <span class="badge badge-draft">No longer in the library</span>'
    return mark_safe(f'<h{level} class="plan-item-name">{inner}</h{level}>')


def item_html(
    item: PlanItem,
    *,
    index: int,
    last: bool,
    reason: DoseChange | None,
    weight_unit: str,
    addresses: BoardAddresses,
    heading: str,
) -> SafeString:
    """An item not being changed, as the board shows it: its up and down buttons post the
    place it goes to (`to`, from 0) through its day's form (#day-N-items), each to its own
    formaction; Remove comes last, after Change."""
    pk = item.pk
    name = escape(str(item.exercise.name))
    day = escape(item.day_name)
    form = f"day-{item.weekday}-items"
    update = addresses.update(item_pk=pk)
    move, remove = addresses.move(item_pk=pk), addresses.remove(item_pk=pk)
    dose = escape(item.dose_text())
    if item.load is not None:
        dose += f"; weight {escape(load_text(item.load, weight_unit))}"
    why = ""
    if reason is not None:
        applied = date_filter(timezone.localtime(reason.applied_at), "j M")
        why = (
            f'<p class="plan-item-why">Why this dose: {escape(str(reason.reason))} '
            f"(applied {escape(str(applied))}, {escape(str(reason.get_verdict_display()))})"
            "</p>\n"
        )
    up_disabled = " disabled" if index == 0 else ""
    down_disabled = " disabled" if last else ""
    return mark_safe(
        f'\n  <li class="plan-item" id="item-{pk}">\n'
        f"    {heading}\n"
        f'<p class="plan-item-dose">{dose}</p>\n'
        f"{why}"
        f'<div class="plan-item-actions">\n'
        f'<button type="submit" form="{form}" formaction="{move}" name="to" value="{index - 1}"'
        f' id="item-{pk}-up" aria-label="Move {name} up"{up_disabled}>↑</button>\n'
        f'<button type="submit" form="{form}" formaction="{move}" name="to" value="{index + 1}"'
        f' id="item-{pk}-down" aria-label="Move {name} down"{down_disabled}>↓</button>\n'
        f'<a class="button button-secondary button-small" id="item-{pk}-change"'
        f' href="{update}" hx-get="{update}" hx-target="#item-{pk}" hx-swap="outerHTML"'
        f' aria-label="Change {name} on {day}">Change</a>\n'
        f'<button type="submit" form="{form}" formaction="{remove}" id="item-{pk}-remove"'
        f' class="plan-item-remove" aria-label="Remove {name} from {day}">✕</button>\n'
        "</div>\n"
        "  </li>"
    )


# A day's fixed parts: its head, the form its items' buttons post through (opened here,
# its CSRF token and end from the template) and its "Add exercise" picker. Seven days of
# these through the template were some 250 variable lookups a board.


def day_head(weekday: int, name: str, summary: DaySummary) -> SafeString:
    run = escape(summary.run)
    minutes = f"About {summary.minutes} min" if summary.seconds else "No strength work"
    return mark_safe(
        f'<section class="plan-day run-{run}" id="day-{weekday}"'
        f' aria-labelledby="day-{weekday}-title">\n'
        '    <header class="plan-day-head">\n'
        f'      <h3 id="day-{weekday}-title" tabindex="-1">{escape(name)}</h3>\n'
        f'      <p class="plan-day-run"><span class="run-badge run-badge-{run}">'
        f"{escape(summary.run_label)}</span></p>\n"
        f'      <p class="plan-day-minutes">{minutes}</p>\n'
        "    </header>"
    )


def day_items_form(weekday: int, addresses: BoardAddresses) -> SafeString:
    board = escape(addresses.board)
    return mark_safe(
        f'<form id="day-{weekday}-items" method="post" hidden action="{board}"\n'
        f'            hx-post="{board}" hx-target="#day-{weekday}" hx-swap="outerHTML">'
    )


def day_picker(weekday: int, name: str, addresses: BoardAddresses) -> SafeString:
    name, add = escape(name), escape(addresses.add)
    return mark_safe(
        '<details class="picker">\n'
        f'      <summary>Add exercise<span class="visually-hidden"> to {name}</span></summary>\n'
        f'      <form class="picker-form" role="search" aria-label="Find an exercise for {name}"'
        f' method="get" action="{add}"\n'
        f'            hx-get="{add}" hx-target="#picker-results-{weekday}" hx-swap="innerHTML"\n'
        '            hx-trigger="input changed delay:300ms, submit" hx-sync="this:replace">\n'
        f'        <input type="hidden" name="day" value="{weekday}">\n'
        f'        <label for="picker-q-{weekday}">Search the library</label>\n'
        f'        <input type="search" name="q" id="picker-q-{weekday}" autocomplete="off">\n'
        '        <button type="submit" class="button-secondary picker-search">Search</button>\n'
        "      </form>\n"
        f'      <div id="picker-results-{weekday}" class="picker-results"></div>\n'
        "    </details>"
    )
