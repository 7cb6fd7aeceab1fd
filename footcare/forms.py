"""How every form on the site is drawn."""

import functools
import html
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorList
from django.utils.choices import CallableChoiceIterator
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


def _escaped(value: Any) -> str:
    """`conditional_escape` without its lazy wrapper: what is marked safe is kept."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attributes(attrs: dict[str, Any]) -> str:
    """Attributes as Django's `attrs.html` writes them: `False` left out, `True` bare."""
    return "".join(
        f' {_escaped(name)}="{_escaped(value)}"' if value is not True else f" {_escaped(name)}"
        for name, value in attrs.items()
        if value is not False
    )


class OnePassInput(forms.widgets.Input):
    """An input drawn in Python: the same HTML as Django's `input.html` with `attrs.html`,
    without the two templates (a form's text and number fields). For the inputs that
    Django draws with `input.html` alone (text, number, email and the like)."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        return mark_safe(
            f'<input type="{_escaped(widget["type"])}" name="{_escaped(widget["name"])}"'
            + (f' value="{_escaped(shown)}"' if shown is not None else "")
            + _attributes(widget["attrs"])
            + ">"
        )


class OnePassTextInput(OnePassInput, forms.TextInput):
    """Django's `TextInput`, drawn in one pass."""


class OnePassNumberInput(OnePassInput, forms.NumberInput):
    """Django's `NumberInput`, drawn in one pass."""


@functools.lru_cache(maxsize=64)
def _options_html(choices: tuple[tuple[Any, Any], ...]) -> str:
    """A select's options, none of them selected: the same for everyone, so drawn once per
    process for each list of choices (the six hundred time zones, the run types, the days)."""
    return "".join(
        f'<option value="{_escaped(choice)}">{_escaped(label)}</option>'
        for choice, label in choices
    )


class LongSelect(forms.Select):
    """A select of hundreds of plain options (every time zone): Django's own widget draws
    each option with a template of its own, which cost the profile page most of its time.
    This one draws the same HTML in Python: the options once per process for each list of
    choices, then the chosen one marked, as Django marks it (the first option of that value).
    No groups, no per-option attributes."""

    def plain_choices(self) -> tuple[tuple[Any, Any], ...]:
        """The choices as given: a function's (the time zones) called without Django's
        normalizing of each of its six hundred pairs, twice a page. Plain pairs need none."""
        if isinstance(self.choices, CallableChoiceIterator):
            return tuple(self.choices.func())
        return tuple(self.choices)

    def use_required_attribute(self, initial: Any) -> bool:
        # Django's rule (Select.use_required_attribute) on the plain choices: `required`
        # only where the first option has no value, which is valid HTML.
        if self.allow_multiple_selected or self.is_hidden:
            return super().use_required_attribute(initial)
        first = next(iter(self.plain_choices()), None)
        return first is not None and (first[0] is None or first[0] == "")

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = _options_html(self.plain_choices())
        for chosen in widget["value"]:
            option = f'<option value="{_escaped(chosen)}">'
            if option in options:
                options = options.replace(
                    option,
                    f'<option value="{_escaped(chosen)}" selected>',
                    -1 if self.allow_multiple_selected else 1,
                )
                if not self.allow_multiple_selected:
                    break
        # As Django's `select.html` with `attrs.html` (its renderer strips the line end).
        return mark_safe(
            f'<select name="{_escaped(widget["name"])}"{_attributes(widget["attrs"])}>'
            f"{options}</select>"
        )

    def optgroups(self, name: str, value: Any, attrs: dict | None = None) -> list:
        # Drawn in render() instead: Django's per-option dictionaries are the cost.
        return []


# One choice as Django's `multiple_input.html`, `input_option.html` and `input.html` draw it.
BOX = '<div>\n    <label{}><input type="{}" name="{}" value="{}"{}>\n {}</label>\n\n</div>'


class OnePassChoices(forms.widgets.ChoiceWidget):
    """Django's list of tick boxes or radio buttons, each drawn in one pass in Python rather
    than through three templates of its own (the profile's conditions, equipment, experience
    and sex were a third of its page). The same HTML as Django's `multiple_input.html`; no
    groups."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        boxes = []
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                label_for = option["attrs"].get("id")
                boxes.append(
                    BOX.format(
                        f' for="{_escaped(label_for)}"' if label_for else "",
                        _escaped(option["type"]),
                        _escaped(option["name"]),
                        _escaped(option["value"]),
                        _attributes(option["attrs"]),
                        _escaped(option["label"]),
                    )
                )
        wrapper_id = widget["attrs"].get("id")
        wrapper_class = widget["attrs"].get("class")
        return mark_safe(
            "<div"
            + (f' id="{_escaped(wrapper_id)}"' if wrapper_id else "")
            + (f' class="{_escaped(wrapper_class)}"' if wrapper_class else "")
            + ">"
            + "".join(boxes)
            + "\n</div>"
        )


class OnePassCheckboxes(OnePassChoices, forms.CheckboxSelectMultiple):
    """Django's `CheckboxSelectMultiple`, drawn in one pass."""


class OnePassRadios(OnePassChoices, forms.RadioSelect):
    """Django's `RadioSelect`, drawn in one pass."""


def errors_html(errors: Any) -> str:
    """A list of errors as Django's `errors/list/ul.html` draws it: nothing when empty."""
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    return (
        f'<ul class="{_escaped(errors.error_class)}"'
        + (f' id="{_escaped(field_id)}_error"' if field_id else "")
        + ">"
        + "".join(f"<li>{_escaped(error)}</li>" for error in errors)
        + "</ul>"
    )


def _help_html(field: forms.BoundField) -> str:
    if not field.help_text:
        return ""
    help_id = f' id="{_escaped(field.auto_id)}_helptext"' if field.auto_id else ""
    return f'<div class="helptext"{help_id}>{field.help_text}</div>'


def field_group_html(field: forms.BoundField) -> str:
    """One field as templates/forms/field.html draws it, in Python: the same HTML (Django's
    renderer strips what a template draws, so the ends are stripped here too). A field with
    a template of its own is drawn with it."""
    if field.field.template_name is not None:
        return field.as_field_group()
    return _field_group(field).strip()


def _field_group(field: forms.BoundField) -> str:
    label = _escaped(field.label) if field.label else ""
    errors = errors_html(field.errors)
    if field.use_fieldset:
        described = field.aria_describedby
        return (
            "\n\n  <fieldset"
            + (f' aria-describedby="{_escaped(described)}"' if described else "")
            + ">\n    "
            + (f"<legend>{label}</legend>" if label else "")
            + "\n    \n    "
            + _help_html(field)
            + "\n    "
            + errors
            + "\n    "
            + str(field)
            + "\n  </fieldset>\n"
        )
    label_for = field.id_for_label
    label_html = (
        "<label" + (f' for="{_escaped(label_for)}"' if label_for else "") + f">{label}</label>"
        if label
        else ""
    )
    if field.widget_type == "checkbox":
        return (
            "\n\n  "
            + errors
            + '\n  <div class="field-choice">\n    '
            + str(field)
            + "\n    "
            + label_html
            + "\n  </div>\n  "
            + _help_html(field)
            + "\n"
        )
    return (
        "\n\n  "
        + label_html
        + "\n  "
        + errors
        + "\n  "
        + str(field)
        + "\n  "
        + _help_html(field)
        + "\n"
    )


class OnePassErrorList(ErrorList):
    """Django's list of errors, drawn in Python (`errors_html`) rather than by two templates,
    which it renders even for no errors: the same HTML. Any other template, context or
    renderer is Django's as before."""

    def render(
        self, template_name: str | None = None, context: dict | None = None, renderer: Any = None
    ) -> str:
        if template_name is not None or context is not None or renderer is not None:
            return super().render(template_name, context, renderer)
        return mark_safe(errors_html(self))

    __str__ = render

    def __html__(self) -> str:
        return self.render()


class OnePassForm:
    """A form whose `{{ form }}` is drawn in one pass in Python: the same HTML as Django's
    `div.html` with our field template (templates/forms/field.html), without the two
    templates a field (and one more for its empty error list) that cost the profile page
    a third of its time. Any other template, context or renderer is Django's as before.
    Its errors are `OnePassErrorList`s, so `{{ field.errors }}` is drawn in Python too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_class", OnePassErrorList)
        super().__init__(*args, **kwargs)

    def render(
        self, template_name: str | None = None, context: dict | None = None, renderer: Any = None
    ) -> str:
        form: forms.BaseForm = self  # type: ignore[assignment]
        if (
            template_name is not None
            or context is not None
            or renderer is not None
            # What this draws: Django's div.html with our field template.
            or form.template_name != "django/forms/div.html"
            or getattr(form.renderer, "field_template_name", None)
            != FormRenderer.field_template_name
        ):
            return super().render(template_name, context, renderer)  # type: ignore[misc]
        errors = form.non_field_errors().copy()
        visible, hidden = [], []
        for field in form:
            if field.is_hidden:
                if field.errors:
                    # Django's own wording and layout for these; no form here has one.
                    return super().render()  # type: ignore[misc]
                hidden.append(field)
            else:
                visible.append(field)
        if errors and not visible:
            return super().render()  # type: ignore[misc]
        hidden_html = "".join(str(field) for field in hidden)
        parts = [errors_html(errors), "\n\n"]
        for number, field in enumerate(visible, start=1):
            classes = field.css_classes()
            parts.append(
                "\n  <div" + (f' class="{_escaped(classes)}"' if classes else "") + ">\n    "
            )
            parts.append(field_group_html(field))
            parts.append("\n    ")
            if number == len(visible):
                parts.append("\n      " + hidden_html + "\n    ")
            parts.append("\n</div>\n")
        parts.append("\n")
        if not visible and not errors:
            parts.append("\n  " + hidden_html + "\n")
        parts.append("\n")
        return mark_safe("".join(parts).strip())

    __str__ = render

    def __html__(self) -> str:
        return self.render()
