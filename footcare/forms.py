"""How every form on the site is drawn."""

import html
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class FormRenderer(TemplatesSetting):
    """Django's form rendering, with our template for a field (templates/forms/field.html).

    `{{ form }}` draws each field with it, in our pages and allauth's alike. Built on
    TemplatesSetting so that the template can live in the project's templates/ (Django's
    widget templates come from the `django.forms` app).
    """

    field_template_name = "forms/field.html"


# The widest integer a database column here holds (a signed 64-bit id).
LARGEST_ID = 2**63 - 1


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Ticked rows by id, where an id past any column's range is refused like a missing one.

    Django checks the ids with an `in` lookup, which SQLite's driver cannot bind for a number
    that wide (OverflowError, a 500) while PostgreSQL answers "no such row".
    """

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            digits = str(pk).strip().removeprefix("-")
            if digits.isdigit() and (len(digits) > 19 or int(digits) > LARGEST_ID):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


SELECTED = mark_safe(" selected")


def _escaped(value: Any) -> str:
    """`conditional_escape` without its lazy wrapper: what is marked safe is kept."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class LongSelect(forms.Select):
    """A select of hundreds of plain options (every time zone): Django's own widget draws
    each option with a template of its own, which cost the profile page most of its time;
    this one draws them in one pass. No groups, no per-option attributes."""

    template_name = "forms/widgets/long_select.html"

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = set(context["widget"]["value"])
        # One f-string an option: format_html's checks and lazy wrappers on six hundred
        # zones were a third of the profile page.
        context["widget"]["options_html"] = mark_safe(
            "".join(
                f'<option value="{_escaped(choice)}"{SELECTED if str(choice) in chosen else ""}>'
                f"{_escaped(label)}</option>"
                for choice, label in self.choices
            )
        )
        return context

    def optgroups(self, name: str, value: Any, attrs: dict | None = None) -> list:
        # Drawn in get_context() instead: Django's per-option dictionaries are the cost.
        return []


def _attributes(attrs: dict[str, Any]) -> str:
    """Attributes as Django's `attrs.html` writes them: `False` left out, `True` bare."""
    return "".join(
        format_html(' {}="{}"', name, value) if value is not True else format_html(" {}", name)
        for name, value in attrs.items()
        if value is not False
    )


# One box as Django's `multiple_input.html`, `input_option.html` and `input.html` draw it.
BOX = '<div>\n    <label{}><input type="{}" name="{}" value="{}"{}>\n {}</label>\n\n</div>'


class OnePassCheckboxes(forms.CheckboxSelectMultiple):
    """Django's checkbox list, each box drawn in one pass rather than through three
    templates of its own (the profile's conditions and equipment were a third of its page).
    The same HTML as Django's `multiple_input.html`; no groups."""

    template_name = "forms/widgets/one_pass_checkboxes.html"

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        boxes = []
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                label_for = option["attrs"].get("id")
                boxes.append(
                    format_html(
                        BOX,
                        format_html(' for="{}"', label_for) if label_for else "",
                        option["type"],
                        option["name"],
                        str(option["value"]),
                        mark_safe(_attributes(option["attrs"])),
                        option["label"],
                    )
                )
        context["widget"]["options_html"] = mark_safe("".join(boxes))
        return context
