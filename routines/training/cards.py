"""Parts of /today/'s cards drawn in one pass in Python: a card's set forms.

A full session on /today/ has some forty set forms, each some thirty template lookups, tags
and filters (and a `{% csrf_token %}`): the template's loop over them was most of the page's
drawing. `set_forms` writes the same HTML, character for character, each value escaped as
autoescape would; `templates/training/today.html` calls it through `{% set_forms row %}`.
A set posted with a bad value keeps its bound form (`slot.form`): its inputs and messages are
the form's own HTML, as the template drew them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

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
