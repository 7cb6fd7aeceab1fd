from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from django import forms
from django.http import QueryDict

from .models import (
    LEVEL_MAX,
    LEVEL_MIN,
    Condition,
    Equipment,
    ExerciseQuerySet,
    Muscle,
    Position,
    Region,
)
from .search import parse, search_exercises, topics_matching

NO_EQUIPMENT = "none"
# A search that names more than this many conditions and muscles is too broad to list them.
TOPICS_SHOWN = 4
LEVEL_LABELS = {1: "1 · gentlest", 2: "2", 3: "3", 4: "4", 5: "5 · hardest"}


class ExerciseFilterForm(forms.Form):
    """The library's search and filters, read from the query string.

    Choices come from lists the view loads once, so validating a muscle or condition
    costs no query of its own. A value the form does not know (an old or mistyped link)
    is reported beside its field and that filter alone is ignored: the page still
    answers, with every filter that was valid.
    """

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": "e.g. heel pain, calf raise, big toe"}),
        help_text="An exercise, a muscle, or where it hurts: shin splints, Achilles, arch.",
        error_messages={"max_length": "Searches are up to %(limit_value)d characters."},
    )
    condition = forms.ChoiceField(label="Helps with", required=False)
    muscle = forms.ChoiceField(label="Muscle", required=False)
    equipment = forms.ChoiceField(label="Equipment", required=False)
    position = forms.ChoiceField(
        label="Position", required=False, choices=[("", "Any"), *Position.choices]
    )
    level = forms.TypedChoiceField(
        label="Level",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "Any"),
            *((n, LEVEL_LABELS[n]) for n in range(LEVEL_MIN, LEVEL_MAX + 1)),
        ],
    )

    unknown = "We do not know the {what} “%(value)s”; that filter is ignored."

    def __init__(
        self,
        data: QueryDict,
        *,
        muscles: Iterable[Muscle],
        conditions: Iterable[Condition],
        equipment: Iterable[Equipment],
    ) -> None:
        super().__init__(data)
        self.muscles = {muscle.slug: muscle for muscle in muscles}
        self.conditions = {condition.slug: condition for condition in conditions}
        self.equipment = {item.slug: item for item in equipment}

        by_region = sorted(
            self.muscles.values(), key=lambda m: (list(Region.values).index(m.region), m.name)
        )
        self.fields["muscle"].choices = [
            ("", "Any"),
            *(
                (Region(region).label, [(m.slug, m.name) for m in group])
                for region, group in groupby(by_region, key=lambda m: m.region)
            ),
        ]
        self.fields["condition"].choices = [
            ("", "Any"),
            *((c.slug, c.name) for c in self.conditions.values()),
        ]
        self.fields["equipment"].choices = [
            ("", "Any"),
            (NO_EQUIPMENT, "None needed"),
            *((e.slug, e.name) for e in self.equipment.values()),
        ]
        for name, what in (
            ("muscle", "muscle"),
            ("condition", "condition"),
            ("equipment", "equipment"),
            ("position", "position"),
            ("level", "level"),
        ):
            self.fields[name].error_messages["invalid_choice"] = self.unknown.format(what=what)

    def valid_filters(self) -> dict[str, Any]:
        """The filters that passed, by name, ignoring the ones that did not."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in self.errors
        }

    def apply(self, exercises: ExerciseQuerySet) -> ExerciseQuerySet:
        filters = self.valid_filters()
        if text := filters.get("q"):
            exercises = search_exercises(exercises, text)
        if slug := filters.get("muscle"):
            exercises = exercises.for_muscle(self.muscles[slug])
        if slug := filters.get("condition"):
            exercises = exercises.for_condition(self.conditions[slug])
        if slug := filters.get("equipment"):
            exercises = exercises.with_equipment(
                None if slug == NO_EQUIPMENT else self.equipment[slug]
            )
        if position := filters.get("position"):
            exercises = exercises.filter(position=position)
        if level := filters.get("level"):
            exercises = exercises.filter(level=level)
        return exercises

    def ordering(self) -> tuple[str, ...]:
        """Best match first when searching (search() ranks), otherwise by name."""
        if self.valid_filters().get("q") and parse(self.valid_filters()["q"]):
            return ("-search_tier", "-search_rank", "name", "pk")
        return ("name", "pk")

    def topics(self) -> list[Condition | Muscle]:
        """The conditions and muscles the search names: their pages are worth offering."""
        text = self.valid_filters().get("q")
        if not text:
            return []
        return topics_matching(text, self.conditions.values(), self.muscles.values())[:TOPICS_SHOWN]

    def query(self) -> QueryDict:
        """The valid filters as a query string: what pagination links carry along."""
        query = QueryDict(mutable=True)
        for name, value in self.valid_filters().items():
            query[name] = str(value)
        return query

    def summary(self) -> list[str]:
        """The search and the active filters in words, for the results heading."""
        text = self.valid_filters().get("q")
        return [f"“{text}”", *self.filter_summary()] if text else self.filter_summary()

    def filter_summary(self) -> list[str]:
        """The active filters other than the search, in words."""
        filters = self.valid_filters()
        words = []
        if slug := filters.get("condition"):
            words.append(f"for {self.conditions[slug].name.lower()}")
        if slug := filters.get("muscle"):
            words.append(f"working the {self.muscles[slug].name.lower()}")
        if slug := filters.get("equipment"):
            if slug == NO_EQUIPMENT:
                words.append("with no equipment")
            else:
                words.append(f"equipment: {self.equipment[slug].name.lower()}")
        if position := filters.get("position"):
            words.append(f"done {Position(position).label.lower()}")
        if level := filters.get("level"):
            words.append(f"level {level}")
        return words
