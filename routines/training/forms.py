"""The forms of the workout log: sets, ratings, a morning check-in, a session by hand."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from exercises.models import Exercise, ExerciseQuerySet
from footcare.text import LINE_VALIDATORS
from routines.plans.forms import OnceTokenField, WeightField, weight_field_for
from routines.plans.models import (
    LOAD_NOTE_MAX,
    RANGES,
)

from .models import (
    CHECK_IN_MESSAGES,
    CHECK_IN_RANGE,
    EFFORT_RANGE,
    LOG_DAYS_BACK,
    LOG_MESSAGES,
    PAIN_RANGE,
    SET_AMOUNT_MESSAGE,
    SET_AMOUNT_RANGE,
    Unit,
    WorkoutSession,
)


def _bounded(low: int, high: int, message: str, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=low,
        max_value=high,
        required=required,
        error_messages={
            "min_value": message,
            "max_value": message,
            "invalid": message,
            "required": message,
        },
    )


def _amount_field(*, required: bool = True) -> forms.IntegerField:
    # The widest a set can be (seconds); each form narrows it to its unit's in clean().
    low, high = SET_AMOUNT_RANGE[Unit.SECONDS]
    return _bounded(low, high, SET_AMOUNT_MESSAGE, required=required)


def _amount_bounds(form: forms.Form, unit: str | None, names: tuple[str, ...]) -> None:
    """The number inputs' min and max, from the same table the server checks against."""
    low, high = SET_AMOUNT_RANGE.get(unit or Unit.REPS, SET_AMOUNT_RANGE[Unit.REPS])
    for name in names:
        form.fields[name].widget.attrs.update(min=low, max=high, inputmode="numeric")


def _check_amounts(form: forms.Form, unit: str | None, names: tuple[str, ...]) -> None:
    if unit not in SET_AMOUNT_RANGE:
        return
    low, high = SET_AMOUNT_RANGE[unit]
    for name in names:
        value = form.cleaned_data.get(name)
        if value is not None and not low <= value <= high:
            form.add_error(name, f"A set is {low} to {high} {unit}.")


class SetForm(forms.Form):
    """One set: its reps or seconds, both sides for one-sided work. Ticked on /today/, or
    changed in a logged exercise (where one-sided work needs the right side too)."""

    amount = _amount_field()
    amount_right = _amount_field(required=False)

    def __init__(
        self, *args: Any, unit: str = Unit.REPS, per_side: bool | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.per_side = per_side
        _amount_bounds(self, unit, ("amount", "amount_right"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_amounts(self, self.unit, ("amount", "amount_right"))
        if self.per_side and data.get("amount_right") is None and "amount_right" not in self.errors:
            self.add_error("amount_right", "Give the right side too, or untick “Each side”.")
        return data


class RatingForm(forms.Form):
    """Pain or effort for one exercise today: each comes from its own row of buttons."""

    pain = _bounded(*PAIN_RANGE, LOG_MESSAGES["pain"], required=False)
    effort = _bounded(*EFFORT_RANGE, LOG_MESSAGES["effort"], required=False)


class CheckInForm(forms.Form):
    """This morning's first steps: pain or stiffness, each from its own row of buttons."""

    pain = _bounded(*CHECK_IN_RANGE, CHECK_IN_MESSAGES["pain"], required=False)
    stiffness = _bounded(*CHECK_IN_RANGE, CHECK_IN_MESSAGES["stiffness"], required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and data.get("pain") is None and data.get("stiffness") is None:
            raise forms.ValidationError("Tap a number for pain or for stiffness.")
        return data

    def answers(self) -> dict[str, int]:
        """Only what was tapped: a pain tap leaves stiffness as it was, and the other way."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.data and value is not None
        }


def log_date_limits(today: date) -> tuple[date, date]:
    return today - timedelta(days=LOG_DAYS_BACK), today


class SessionForm(forms.ModelForm):
    """A session's date and notes: logged by hand, or changed afterwards."""

    token = OnceTokenField()

    class Meta:
        model = WorkoutSession
        fields = ["date", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = log_date_limits(today)
        self.fields["date"].widget.attrs.update(
            min=self.earliest.isoformat(), max=self.latest.isoformat()
        )
        self.fields["date"].help_text = f"Today or up to {LOG_DAYS_BACK} days back."

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if day > self.latest:
            raise forms.ValidationError("A session cannot be logged in the future.")
        if day < self.earliest and day != self.initial.get("date"):
            raise forms.ValidationError(f"Log sessions from the last {LOG_DAYS_BACK} days.")
        session = self.instance
        if (
            session.pk
            and session.plan_id
            and WorkoutSession.objects.filter(owner_id=session.owner_id, plan_id=session.plan_id)
            .filter(date=day)
            .exclude(pk=session.pk)
            .exists()
        ):
            raise forms.ValidationError("This plan already has a session on that day.")
        return day


class FinishForm(forms.ModelForm):
    """The notes typed when finishing today's session on /today/."""

    class Meta:
        model = WorkoutSession
        fields = ["notes"]
        labels = {"notes": "Notes for this session (optional)"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "finish-%s")
        super().__init__(*args, **kwargs)


class ExerciseLogForm(forms.Form):
    """One exercise added to a session by hand: every set the same."""

    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose an exercise from the library."},
    )
    unit = forms.ChoiceField(choices=Unit.choices, initial=Unit.REPS)
    per_side = forms.BooleanField(label="Each side", required=False)
    sets = _bounded(0, RANGES["sets"][1], LOG_MESSAGES["sets_done"])
    amount = _amount_field()
    amount_right = _amount_field(required=False)
    load_note = forms.CharField(
        label="What you lifted with",
        help_text="For example “a backpack”; the weight itself goes below.",
        max_length=LOAD_NOTE_MAX,
        required=False,
        validators=LINE_VALIDATORS,
    )
    # The weight lifted, per entry, optional: the plan item's limits (`LOAD_LIMITS`).
    load = WeightField()
    pain = _bounded(*PAIN_RANGE, LOG_MESSAGES["pain"], required=False)
    effort = _bounded(*EFFORT_RANGE, LOG_MESSAGES["effort"], required=False)
    skipped = forms.BooleanField(required=False)
    token = OnceTokenField()

    amounts = ("amount", "amount_right")

    def __init__(
        self,
        *args: Any,
        exercises: ExerciseQuerySet,
        unit: str = "kg",
        stored_load: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises
        # Typed and shown in the runner's unit, kept in kilograms (`stored_load`: the
        # weight saved now, shown converted).
        weight_field_for(self, unit, stored_load)
        if "amount" in self.fields:
            self.fields["amount"].label = "Reps or seconds a set (left side, if one-sided)"
            self.fields["amount_right"].label = "Right side"
            # The unit typed (or planned) bounds the inputs; without script a changed unit
            # is checked by the server, whose message then shows beside the field.
            _amount_bounds(self, self["unit"].value(), self.amounts)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "amount" in self.fields:
            _check_amounts(self, data.get("unit"), self.amounts)
        return data


class LoggedExerciseForm(ExerciseLogForm):
    """A logged exercise changed afterwards: its sets come in `LoggedSetFormSet`, one form
    per set, so that changing the pain, or one set, leaves every other set as it was."""

    amounts = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sets", "amount", "amount_right"):
            del self.fields[name]


class LoggedSetForm(SetForm):
    """One set of a logged exercise. It carries its set's number and the values the page
    showed (hidden initial inputs), so a save writes only the sets the runner changed:
    a set ticked in another tab meanwhile, or changed there, is left as it is."""

    number = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=RANGES["sets"][1], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("amount", "amount_right"):
            self.fields[name].show_hidden_initial = True

    def has_changed(self) -> bool:
        # The number only names the set; a blank new row is unchanged whatever it names.
        return bool(set(self.changed_data) - {"number"})


class BaseLoggedSetFormSet(forms.BaseFormSet):
    def __init__(
        self, *args: Any, unit: str, per_side: bool, next_number: int = 1, **kwargs: Any
    ) -> None:
        kwargs["form_kwargs"] = {"unit": unit, "per_side": per_side}
        self.next_number = next_number
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None and index >= len(self.initial or []):
            # The new row names its set now, so that the same save again finds it.
            kwargs["initial"] = {"number": self.next_number}
        return kwargs

    def changes(self) -> dict[int, tuple[int, int | None] | None]:
        """Each set changed, by its number: its new amounts, or None when removed. Sets the
        runner left alone are not in it."""
        removed = self.deleted_forms
        changes: dict[int, tuple[int, int | None] | None] = {}
        for form in self.forms:
            number = form.cleaned_data.get("number") if form.cleaned_data else None
            if number is None:
                continue
            if form in removed:
                if not form.empty_permitted:
                    changes[number] = None
            elif form.has_changed():
                changes[number] = (form.cleaned_data["amount"], form.cleaned_data["amount_right"])
        return changes


# One more blank form than the sets logged, for a set to add; never more than a session counts.
LoggedSetFormSet = forms.formset_factory(
    LoggedSetForm,
    formset=BaseLoggedSetFormSet,
    extra=1,
    can_delete=True,
    max_num=RANGES["sets"][1],
    absolute_max=RANGES["sets"][1] + 1,
    validate_max=True,
)
