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
    LOAD_MAX,
    LOAD_MESSAGE,
    LOAD_MIN,
    RANGE_MESSAGES,
    RANGES,
    WEEKDAY_CHOICES,
    PlanItem,
    WeeklyPlan,
)


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
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
        load = self.fields["load"]
        load.widget.attrs.update({"min": 0, "max": 200, "step": "0.5", "inputmode": "decimal"})
        for error in ("min_value", "max_value", "invalid", "max_digits", "max_decimal_places"):
            load.error_messages[error] = LOAD_MESSAGE
        load.validators = []  # clean_load says it in our words
        load.help_text = "Kilograms or pounds, as your profile says; empty for body weight."

    def clean_load(self):
        load = self.cleaned_data.get("load")
        if load is not None and (not LOAD_MIN <= load <= LOAD_MAX or load.as_tuple().exponent < -1):
            raise forms.ValidationError(LOAD_MESSAGE)
        return load

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
