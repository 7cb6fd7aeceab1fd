"""How every form on the site is drawn."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html_join
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


class LongSelect(forms.Select):
    """A select of hundreds of plain options (every time zone): Django's own widget draws
    each option with a template of its own, which cost the profile page most of its time;
    this one draws them in one pass. No groups, no per-option attributes."""

    template_name = "forms/widgets/long_select.html"

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = set(context["widget"]["value"])
        context["widget"]["options_html"] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (choice, SELECTED if str(choice) in chosen else "", label)
                for choice, label in self.choices
            ),
        )
        return context

    def optgroups(self, name: str, value: Any, attrs: dict | None = None) -> list:
        # Drawn in get_context() instead: Django's per-option dictionaries are the cost.
        return []
