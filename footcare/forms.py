"""How every form on the site is drawn."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


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
