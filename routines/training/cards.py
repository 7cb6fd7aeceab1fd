"""/today/'s cards drawn in one pass in Python: the `item` partial of `today.html`.

A full session on /today/ has ten cards or so and some forty set forms, each form some thirty
template lookups, tags and filters and a `{% csrf_token %}`, each card some fifty more: the
template's work on them was most of the page's drawing. `card` (and `set_forms`, its sets)
write the same HTML, character for character, whitespace included, each value escaped as
autoescape would; `today.html`'s `item` partial calls it (`{% today_card row %}`), so the page
and the card htmx swaps in are drawn by the same code. A set posted with a bad value keeps
its bound form (`slot.form`): its inputs and messages are the form's own HTML, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from routines.plans.models import load_text

if TYPE_CHECKING:
    from .views import TodayRow

LEFT = '<span class="side" aria-hidden="true">L</span>'
SAVE_FAILED = (
    '<p class="save-failed" role="alert" hidden>Not saved: no connection. Tap again to retry.</p>'
)


def csrf_input(token: object) -> str:
    """What `{% csrf_token %}` draws for the context's `csrf_token`."""
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


def set_forms(row: TodayRow, csrf: str) -> SafeString:
    """The `<li>` of each of the row's sets, as the template's loop drew them (whitespace
    included), `csrf` being the form token's input."""
    item = row.item
    pk = item.pk
    per_side = item.per_side
    low, high = row.amount_range
    unit_word = "reps" if row.unit == "reps" else "s"
    first_label = "Left side" if per_side else ("Reps" if row.unit == "reps" else "Seconds")
    target = f"#item-{pk}"
    out = []
    for slot in row.slots:
        n = slot.number
        side = slot.side
        form = slot.form
        url = escape(slot.url)
        ident = f"set-{pk}-{n}"
        out.append(
            f'\n    <li>\n      \n      <form class="set-form{" is-done" if slot.done else ""}"'
            f' method="post" action="{url}" novalidate\n'
            f'            hx-post="{url}" hx-target="{target}" hx-swap="outerHTML"'
            f' hx-disabled-elt="find button[type=submit]">\n'
            f"        {csrf}\n"
            f'        <span class="set-number">Set {n}'
            f"{f'<span class="set-side">: {escape(side)} only</span>' if side else ''}</span>\n"
            "        \n        \n        "
        )
        if side == "right":
            out.append('<input type="hidden" name="amount" value="0">')
        else:
            if form:
                field = conditional_escape(form["amount"])
            else:
                field = (
                    f'<input type="number" name="amount" value="{escape(slot.amount)}"'
                    f' min="{low}" max="{high}" inputmode="numeric" required id="{ident}-amount">'
                )
            out.append(
                '\n        <span class="stepper">\n'
                f'          <label class="visually-hidden" for="{ident}-amount">{first_label},'
                f" set {n}</label>\n"
                f"          {LEFT if per_side else ''}\n"
                f"          {field}\n"
                f'          <span class="unit" aria-hidden="true">{unit_word}</span>\n'
                "        </span>"
            )
        out.append("\n        ")
        if per_side and side == "left":
            out.append('<input type="hidden" name="amount_right" value="0">\n        ')
        elif per_side:
            if form:
                field = conditional_escape(form["amount_right"])
            else:
                value = "" if slot.amount_right is None else f' value="{escape(slot.amount_right)}"'
                field = (
                    f'<input type="number" name="amount_right"{value} min="{low}" max="{high}"'
                    f' inputmode="numeric" id="{ident}-amount_right">'
                )
            out.append(
                '\n        <span class="stepper">\n'
                f'          <label class="visually-hidden" for="{ident}-amount_right">'
                f"Right side, set {n}</label>\n"
                '          <span class="side" aria-hidden="true">R</span>\n'
                f"          {field}\n"
                f'          <span class="unit" aria-hidden="true">{unit_word}</span>\n'
                "        </span>\n        "
            )
        out.append("\n        ")
        if slot.done:
            out.append(
                '\n          <button type="submit" name="action" value="done"'
                ' class="set-save button-secondary">Save<span class="visually-hidden">'
                f" set {n}</span></button>\n"
                '          <button type="submit" name="action" value="undo"'
                f' class="set-tick is-ticked" aria-label="Set {n} done. Undo">✓</button>\n'
                "        "
            )
        else:
            out.append(
                '\n          <button type="submit" name="action" value="done" class="set-tick"'
                f' aria-label="Tick set {n} done">Done</button>\n        '
            )
        out.append("\n        ")
        if form:
            out.append(conditional_escape(form["amount"].errors))
            out.append(conditional_escape(form["amount_right"].errors))
        out.append(f"\n        {SAVE_FAILED}\n      </form>\n    </li>\n    ")
    return mark_safe("".join(out))


def _text(value: object) -> str:
    """A value as `{{ value }}` draws it (numbers, words and None alike)."""
    return conditional_escape(value)


def card(row: TodayRow, csrf: str, weight_unit: Callable[[], str], progress=None) -> SafeString:
    """A /today/ card (`today.html`'s `item` partial), as the template drew it: `csrf` is the
    form token's input, `weight_unit()` the runner's unit (asked for only if a weight is
    shown), `progress` the page's count of sets to replace beside the card, if any."""
    item = row.item
    exercise = row.exercise
    pk = item.pk
    name = _text(exercise.name)
    skipped = row.skipped
    out = [
        f'\n<article class="today-item{" is-complete" if row.complete else ""}'
        f'{" is-skipped" if skipped else ""}" id="item-{pk}" aria-labelledby="item-{pk}-name">\n'
        '  <header class="today-item-head">\n'
        f'    <h2 id="item-{pk}-name"><a href="{_text(exercise.get_absolute_url())}">{name}</a>'
        f'</h2>\n    <p class="today-dose">{_text(item.dose_text())}'
    ]
    if item.load is not None:
        out.append(f"; weight {_text(load_text(item.load, weight_unit()))}")
    out.append("</p>\n    ")
    if row.swapped:
        out.append(f'<p class="today-note">For today, in place of {_text(item.exercise.name)}.</p>')
    out.append('\n    <p class="today-last">')
    last = row.last
    if last:
        day = date_filter(last.session.date, "D j M")
        out.append(f"Last time ({_text(day)}): {_text(last.summary_text(weight_unit()))}")
    else:
        out.append("First time in your log.")
    out.append('</p>\n    <p class="today-count" aria-live="polite">')
    if skipped:
        out.append("Skipped today")
    else:
        out.append(f"{row.sets_done} of {item.set_count} sets done")
    out.append("</p>\n  </header>\n  ")
    if row.errors:
        errors = "".join(f"<li>{_text(error)}</li>" for error in row.errors)
        out.append(f'<ul class="errorlist" role="alert">{errors}</ul>')
    out.append("\n\n  ")
    steps = exercise.steps.all()
    if steps:
        texts = "".join(f"<li>{_text(step.text)}</li>" for step in steps)
        out.append(
            '\n  <details class="today-steps">\n    <summary>How to do it</summary>\n'
            f"    <ol>{texts}</ol>\n  </details>\n  "
        )
    out.append("\n\n  \n  ")
    if not skipped and (item.hold_seconds or item.duration_seconds or item.rest_seconds):
        out.append(
            f'\n  <div class="timer" id="timer-{pk}" hx-preserve="true" hidden'
            f' data-hold="{_text(item.hold_seconds or "")}"'
            f' data-rise="{_text(exercise.rise_seconds)}"'
            f' data-lower="{_text(exercise.lower_seconds)}"'
            f' data-reps="{_text(item.reps or "")}"'
            f' data-duration="{_text(item.duration_seconds or "")}"'
            f' data-rest="{_text(item.rest_seconds)}" data-name="{name}"></div>\n  '
        )
    out.append("\n\n  ")
    item_url = _text(row.item_url)
    form_head = (
        f' method="post" action="{item_url}"\n        hx-post="{item_url}"'
        f' hx-target="#item-{pk}" hx-swap="outerHTML">\n    {csrf}\n    '
    )
    if not skipped:
        out.append(
            '\n  <ol class="today-sets">\n    '
            f"{set_forms(row, csrf)}\n  </ol>\n\n"
            f'  <form class="rating"{form_head}<fieldset class="scale">\n'
            '      <legend>Pain <span class="hint">0 none · 10 worst</span></legend>\n'
            f"      {row.pain_buttons}\n    </fieldset>\n"
            '    <fieldset class="scale">\n'
            '      <legend>Effort <span class="hint">1 easy · 10 all out</span></legend>\n'
            f"      {row.effort_buttons}\n    </fieldset>\n"
            f"    {SAVE_FAILED}\n  </form>\n  "
        )
        if row.pain is not None and row.pain > 5:
            rung = ", or swap it for the easier rung" if row.easier and not row.swapped else ""
            out.append(
                '\n  <p class="notice notice-danger pain-warning">Pain above 5 is more than this'
                f" work should cost: stop this exercise today{rung}. If it is still there"
                " tomorrow morning, ease off; if it persists, see a physiotherapist or a"
                " doctor.</p>\n  "
            )
        out.append("\n  ")
    out.append(f'\n\n  <form class="today-actions"{form_head}')
    if row.swapped:
        out.append(
            f'\n      <button type="submit" name="swap" value="{_text(item.exercise_id)}"'
            f' class="button-secondary">Back to {_text(item.exercise.name)}</button>\n    '
        )
    else:
        out.append("\n      ")
        if row.easier:
            out.append(
                f'<button type="submit" name="swap" value="{_text(row.easier.pk)}"'
                f' class="button-secondary">Easier today: {_text(row.easier.name)}</button>'
            )
        out.append("\n      ")
        if row.harder:
            out.append(
                f'<button type="submit" name="swap" value="{_text(row.harder.pk)}"'
                f' class="button-secondary">Harder today: {_text(row.harder.name)}</button>'
            )
        out.append("\n    ")
    out.append("\n    ")
    if skipped:
        out.append(
            '\n      <button type="submit" name="skip" value="0" class="button-secondary">'
            "Do it after all</button>\n    "
        )
    else:
        out.append(
            '\n      <button type="submit" name="skip" value="1" class="button-secondary">'
            f'Skip today<span class="visually-hidden">: {name}</span></button>\n    '
        )
    out.append(f"\n    {SAVE_FAILED}\n  </form>\n</article>\n")
    if progress:
        out.append(
            f'<span id="today-progress" hx-swap-oob="true">{_text(progress["done"])} of'
            f" {_text(progress['planned'])} sets</span>"
        )
    out.append("\n")
    return mark_safe("".join(out))
