"""The forms of the plans and their board: a plan, an item's dose, moves, copies, the generator."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from exercises.models import Exercise, ExerciseQuerySet
from footcare.forms import LongSelect
from footcare.text import LINE_VALIDATORS

from .generator import MINUTES_RANGE, SESSIONS_RANGE
from .models import (
    DOSE_FIELDS,
    EXTRA_SET_NO_ROOM,
    LOAD_LIMITS,
    RANGE_MESSAGES,
    RANGES,
    WEEKDAY_CHOICES,
    PlanItem,
    WeeklyPlan,
    load_message,
    load_shown,
    load_stored,
    load_typed_ok,
)

UNIT_WORDS = {"kg": "kilograms", "lb": "pounds"}


class OnceTokenField(forms.UUIDField):
    """A fresh token in every rendered form: posting the same form twice makes one row."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)


def weekday_field(label: str = "Day") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=WEEKDAY_CHOICES,
        coerce=int,
        # Its seven options drawn in one pass, not a template each: the board draws two.
        widget=LongSelect,
        error_messages={"invalid_choice": "Choose a day from Monday to Sunday."},
    )


class WeightField(forms.DecimalField):
    """The weight lifted (issue 24), as a runner types it: in their profile's unit, within
    `LOAD_LIMITS`, one decimal at most; empty for body weight. Cleaned to kilograms, as
    stored (`load_stored`). The form sets `unit` and `stored` (the weight saved now, in kg):
    the same weight typed again keeps the stored kilograms, so re-saving 44.1 lb does not
    turn 20 kg into 20.003 kg."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Weight lifted")
        super().__init__(**kwargs)
        self.stored = None
        self.use_unit("kg")

    def use_unit(self, unit: str, stored: Any = None) -> None:
        self.unit = unit if unit in LOAD_LIMITS else "kg"
        self.stored = stored
        low, high = LOAD_LIMITS[self.unit]
        self.widget.attrs.update({"min": low, "max": high, "step": "0.1", "inputmode": "decimal"})
        for error in ("invalid", "min_value", "max_value", "max_digits", "max_decimal_places"):
            self.error_messages[error] = load_message(self.unit)
        self.label = f"Weight lifted ({self.unit})"
        self.help_text = f"In {UNIT_WORDS[self.unit]}, as your profile says; empty for body weight."

    def clean(self, value: Any) -> Any:
        typed = super().clean(value)
        if typed is None:
            return None
        if not load_typed_ok(typed, self.unit):
            raise forms.ValidationError(load_message(self.unit), code="invalid")
        if self.stored is not None and load_shown(self.stored, self.unit) == typed:
            return self.stored
        return load_stored(typed, self.unit)


def weight_field_for(form: forms.BaseForm, unit: str, stored: Any = None) -> None:
    """Set a form's `load` field to the runner's unit, its shown value from the stored kg."""
    field = form.fields["load"]
    field.use_unit(unit, stored)
    if stored is not None and not form.is_bound:
        form.initial["load"] = load_shown(stored, field.unit)


class PlanForm(forms.ModelForm):
    token = OnceTokenField()

    class Meta:
        model = WeeklyPlan
        fields = ["name", "notes"]
        labels = {"name": "Plan name"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"required": "Give the plan a name."}}


class DoseForm(forms.ModelForm):
    """One item's dose, edited in place on the board; each item's form has its own prefix."""

    class Meta:
        model = PlanItem
        fields = DOSE_FIELDS
        labels = {
            "hold_seconds": "Hold (s)",
            "duration_seconds": "Duration (s)",
            "rest_seconds": "Rest (s)",
        }
        help_texts = {"hold_seconds": "", "duration_seconds": ""}

    load = WeightField()

    def __init__(self, *args: Any, unit: str = "kg", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in RANGES:
                low, high = RANGES[name]
                # The server's messages are the ones shown (forms are novalidate); these
                # give the phone's number pad and its steppers sensible bounds.
                field.widget.attrs.update({"min": low, "max": high, "inputmode": "numeric"})
                # The range in our words, not Django's "greater than or equal to 0" (the
                # model's positive field), which says nothing of the top or of a sensible low.
                for error in ("min_value", "max_value", "invalid"):
                    field.error_messages[error] = RANGE_MESSAGES[name]
        self.fields["sets"].required = True
        # Typed and shown in the runner's unit, kept in kilograms.
        weight_field_for(self, unit, self.instance.load if self.instance.pk else None)

    def clean(self):
        data = super().clean()
        sets = data.get("sets")
        if data.get("extra_set_side") and sets is not None and sets >= RANGES["sets"][1]:
            self.add_error("extra_set_side", EXTRA_SET_NO_ROOM)
        return data

    def validate_constraints(self) -> None:
        # PlanItem.clean() already checks every dose constraint, with the message beside
        # its field; asking the database again would repeat each error at the form's top.
        return


class AddItemForm(forms.Form):
    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.none(),
        error_messages={"invalid_choice": "That exercise is not in the library."},
    )
    weekday = weekday_field()
    token = OnceTokenField()

    def __init__(self, *args: Any, exercises: ExerciseQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises


class AddToPlanForm(AddItemForm):
    """“Add to my plan” on an exercise's page: the plan is chosen too, among the runner's own."""

    plan = forms.ModelChoiceField(
        queryset=WeeklyPlan.objects.none(),
        error_messages={"invalid_choice": "Choose one of your plans."},
    )

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


PLACE_MESSAGE = "A place in the day counts from 0, the top."


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", "Up"), ("down", "Down"), ("day", "To day")], required=False
    )
    weekday = weekday_field("Move to")
    # The board's up and down buttons: the place in the day the item goes to, from 0, so
    # that a double click or a retry moves it once.
    to = forms.IntegerField(
        min_value=0,
        max_value=1000,
        required=False,
        error_messages=dict.fromkeys(("min_value", "max_value", "invalid"), PLACE_MESSAGE),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weekday"].required = False
        # Not chosen is None, not the choice field's '' (which reached the weekday column).
        self.fields["weekday"].empty_value = None


class CopyDayForm(forms.Form):
    from_weekday = weekday_field("Copy")
    to_weekday = weekday_field("onto")
    token = OnceTokenField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("from_weekday") is not None and data.get("from_weekday") == data.get(
            "to_weekday"
        ):
            self.add_error("to_weekday", "Choose a different day to copy onto.")
        return data


class GenerateForm(forms.Form):
    sessions = forms.TypedChoiceField(
        label="Sessions a week",
        coerce=int,
        choices=[(n, str(n)) for n in range(SESSIONS_RANGE[0], SESSIONS_RANGE[1] + 1)],
        initial=3,
        error_messages={"invalid_choice": "Choose 2, 3 or 4 sessions a week."},
    )
    minutes = forms.TypedChoiceField(
        label="Minutes a session",
        coerce=int,
        choices=[(n, f"{n} minutes") for n in range(MINUTES_RANGE[0], MINUTES_RANGE[1] + 1, 5)],
        initial=15,
        error_messages={"invalid_choice": "Choose from 10 to 30 minutes."},
    )


class GeneratedPlanSaveForm(GenerateForm):
    name = forms.CharField(
        label="Plan name", max_length=80, initial="My generated plan", validators=LINE_VALIDATORS
    )
    token = OnceTokenField()
