"""Weekly plans: which foot and calf work goes on which day of a runner's week.

A plan repeats every week until the runner changes it, so it has weekdays but no dates.
Every range a dose keeps is a database constraint and, with the same message, a check in
`clean()`, so a form shows it beside the field and nothing else can write a bad row.
"""

from __future__ import annotations

import math
import secrets
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from exercises.models import Exercise, seconds_in_words
from footcare.text import LINE_VALIDATORS, NOTE_VALIDATORS

if TYPE_CHECKING:
    from collections.abc import Iterable


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_CHOICES = list(enumerate(DAY_NAMES))

# A dose's fields, in one place (issue 22): the forms, the admin, the starter file, a copy,
# the suggestions and the progression engine read them from here.
# What a suggestion may change on a plan item, before and after: the dose's amounts.
CHANGED_DOSE_FIELDS = ("sets", "reps", "hold_seconds", "duration_seconds")
# Every field of a dose, as a runner edits it.
DOSE_FIELDS = (
    *CHANGED_DOSE_FIELDS,
    "per_side",
    "extra_set_side",
    "load",
    "load_note",
    "rest_seconds",
)

# Every dose range, in one place: the constraints, clean(), the forms' inputs, the library
# dose brought into a plan and the progression engine's steps read it.
RANGES = {
    "sets": (1, 10),
    "reps": (1, 100),
    "hold_seconds": (1, 300),
    "duration_seconds": (5, 900),
    "rest_seconds": (0, 600),
    "weekday": (0, 6),
}
RANGE_MESSAGES = {
    "sets": "Sets run from 1 to 10.",
    "reps": "Reps run from 1 to 100.",
    "hold_seconds": "A hold lasts 1 to 300 seconds.",
    "duration_seconds": "A timed set lasts 5 to 900 seconds.",
    "rest_seconds": "Rest is 0 to 600 seconds.",
    "weekday": "Choose a day from Monday to Sunday.",
}
# Seconds a rep takes when it is not held: up, down and a breath.
SECONDS_PER_REP = 3
LOAD_NOTE_MAX = 100

# The weight lifted (issue 24), one table for the plan items, the log and the engine. It is
# stored in kilograms, always, with three decimals (a pound typed as 25 is kept as 11.340 kg
# and shown as 25 lb again); a runner types and reads it in their profile's unit, shown to
# one decimal. Switching the unit converts nothing stored: the same weight reads in the other
# unit. A hand weight or a loaded backpack, not a barbell: 0 to 200 kg, or 0 to 440 lb.
KG_PER_LB = Decimal("0.45359237")
LOAD_STORED = Decimal("0.001")  # kilograms, as stored
LOAD_SHOWN = Decimal("0.1")  # in the runner's unit, as typed and shown
LOAD_MIN = Decimal(0)
LOAD_MAX = Decimal(200)  # kilograms
# What a runner may type, in their unit (440 lb is just under 200 kg).
LOAD_LIMITS = {"kg": (LOAD_MIN, LOAD_MAX), "lb": (LOAD_MIN, Decimal(440))}
# The steps a suggestion moves the weight by, in the runner's unit: the smallest change a
# runner can make with hand weights or a backpack (a water bottle), and clear in each unit.
LOAD_STEPS = {"kg": Decimal("0.5"), "lb": Decimal("1")}


def load_message(unit: str = "kg") -> str:
    """The message for a weight out of range or badly typed, in the runner's unit."""
    low, high = LOAD_LIMITS.get(unit, LOAD_LIMITS["kg"])
    return f"Give the weight as a number from {low} to {high} {unit}, with at most one decimal."


LOAD_MESSAGE = load_message()


def load_shown(kg: Decimal | None, unit: str) -> Decimal | None:
    """A stored weight (kg) in the runner's unit, rounded to a tenth (half up): 20 kg is
    44.1 lb, and 25 lb typed (11.340 kg) is 25 lb again."""
    if kg is None:
        return None
    value = Decimal(kg) / KG_PER_LB if unit == "lb" else Decimal(kg)
    return value.quantize(LOAD_SHOWN, ROUND_HALF_UP).normalize() + 0


def load_stored(value: Decimal | None, unit: str) -> Decimal | None:
    """A weight typed in the runner's unit, as stored: kilograms to three decimals."""
    if value is None:
        return None
    kg = Decimal(value) * KG_PER_LB if unit == "lb" else Decimal(value)
    return kg.quantize(LOAD_STORED, ROUND_HALF_UP)


def load_text(kg: Decimal | None, unit: str) -> str:
    """“20 kg”, “44.1 lb”; empty for none (body weight)."""
    shown = load_shown(kg, unit)
    return "" if shown is None else f"{shown:f} {unit}"


def load_typed_ok(value: Decimal, unit: str) -> bool:
    """Whether a typed weight is within the unit's limits, with at most one decimal."""
    low, high = LOAD_LIMITS.get(unit, LOAD_LIMITS["kg"])
    # In range first: a huge number cannot be quantized. "12.50" is one decimal, as 12.5.
    return value.is_finite() and low <= value <= high and value == value.quantize(LOAD_SHOWN)


class ExtraSetSide(models.TextChoices):
    """One more set for one side of one-sided work (issue 24): the weaker calf's, when the
    calf capacity test found it more than 10 % behind the other."""

    NONE = "", "No extra set"
    LEFT = "left", "Left"
    RIGHT = "right", "Right"


EXTRA_SET_NEEDS_SIDES = "An extra set for one side needs “each side” ticked."
# Said by the board's dose editor only: an applied progression may take the sets to the top
# of their range, and the extra set then simply drops out (`Dose.extra_set`).
EXTRA_SET_NO_ROOM = f"With {RANGES['sets'][1]} sets there is no room for one more."


def extra_set_done() -> Q:
    """The items whose weaker side's extra set is done (`Dose.extra_set`), for a query
    that counts planned sets in the database."""
    return Q(per_side=True, sets__lt=RANGES["sets"][1]) & ~Q(extra_set_side="")


class Unit(models.TextChoices):
    """What a set counts: reps, or seconds (of a timed set). `Dose.unit` says which."""

    REPS = "reps", "reps"
    SECONDS = "seconds", "seconds"


def new_calendar_token() -> str:
    # 256 bits from the OS's generator: the feed's URL is its only protection.
    return secrets.token_urlsafe(32)


def _range_constraints(prefix: str, nullable: Iterable[str]) -> list[models.CheckConstraint]:
    constraints = []
    for field, (low, high) in RANGES.items():
        in_range = Q(**{f"{field}__gte": low, f"{field}__lte": high})
        if field in nullable:
            in_range = Q(**{f"{field}__isnull": True}) | in_range
        constraints.append(
            models.CheckConstraint(
                condition=in_range,
                name=f"{prefix}_{field}_range",
                violation_error_message=RANGE_MESSAGES[field],
            )
        )
    return constraints


class Dose(models.Model):
    """A day's slot for one exercise and how much of it: shared by plans and starter plans.

    Sets of reps (each rep optionally held for some seconds), or sets of a duration.
    """

    weekday = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES)
    position = models.PositiveSmallIntegerField(default=0)
    exercise = models.ForeignKey(
        Exercise,
        # A plan's exercise cannot be deleted from under it; unpublishing leaves it working.
        on_delete=models.PROTECT,
        related_name="+",
    )
    sets = models.PositiveSmallIntegerField(default=2)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(
        "hold (seconds)", null=True, blank=True, help_text="How long each rep is held."
    )
    duration_seconds = models.PositiveSmallIntegerField(
        "duration (seconds)", null=True, blank=True, help_text="For timed sets, instead of reps."
    )
    per_side = models.BooleanField("each side", default=False)
    # The one side that does one set more than `sets` (one-sided work only): `set_count`.
    extra_set_side = models.CharField(
        "one more set for",
        max_length=5,
        choices=ExtraSetSide,
        default=ExtraSetSide.NONE,
        blank=True,
        help_text="A weaker side's extra set, after the last set of both.",
    )
    load_note = models.CharField(
        "load",
        max_length=LOAD_NOTE_MAX,
        blank=True,
        help_text="For example “5 kg in each hand”.",
        validators=LINE_VALIDATORS,
    )
    # Heavy slow work is dosed by the weight lifted (issue 24): stored in kilograms (see
    # LOAD_LIMITS), typed and shown in the unit the runner's profile chooses.
    load = models.DecimalField(
        "weight lifted",
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(LOAD_MIN), MaxValueValidator(LOAD_MAX)],
        help_text="The weight you hold, in kilograms; leave empty for body weight.",
    )
    rest_seconds = models.PositiveSmallIntegerField("rest between sets (seconds)", default=60)

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for field, (low, high) in RANGES.items():
            value = getattr(self, field)
            if value is not None and not low <= value <= high:
                errors[field] = RANGE_MESSAGES[field]
        if self.reps is not None and self.duration_seconds is not None:
            errors.setdefault("duration_seconds", "Give reps or a duration, not both.")
        if self.reps is None and self.duration_seconds is None:
            errors.setdefault("reps", "Give reps, or a duration for a timed set.")
        if self.hold_seconds is not None and self.reps is None:
            errors.setdefault("hold_seconds", "A hold belongs to a rep: give reps with a hold.")
        if self.extra_set_side and not self.per_side:
            errors.setdefault("extra_set_side", EXTRA_SET_NEEDS_SIDES)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def dose_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return [
            *_range_constraints(prefix, nullable=("reps", "hold_seconds", "duration_seconds")),
            models.CheckConstraint(
                condition=(
                    Q(reps__isnull=False, duration_seconds__isnull=True)
                    | Q(reps__isnull=True, duration_seconds__isnull=False)
                ),
                name=f"{prefix}_reps_xor_duration",
                violation_error_message="Give reps or a duration, not both.",
            ),
            models.CheckConstraint(
                condition=Q(hold_seconds__isnull=True) | Q(reps__isnull=False),
                name=f"{prefix}_hold_needs_reps",
                violation_error_message="A hold belongs to a rep: give reps with a hold.",
            ),
            models.CheckConstraint(
                condition=Q(extra_set_side="")
                | Q(extra_set_side__in=ExtraSetSide.values, per_side=True),
                name=f"{prefix}_extra_set_one_sided",
                violation_error_message=EXTRA_SET_NEEDS_SIDES,
            ),
        ]

    @property
    def day_name(self) -> str:
        return DAY_NAMES[self.weekday]

    @property
    def extra_set(self) -> bool:
        """Whether the weaker side's extra set is done: one-sided work with room for it (a
        progression that took the sets to the top of their range leaves none). The same
        rule for a query: `extra_set_done()`."""
        return bool(self.extra_set_side) and self.per_side and self.sets < RANGES["sets"][1]

    @property
    def set_count(self) -> int:
        """The sets /today/ shows and a session plans: `sets`, and the weaker side's one more."""
        return self.sets + 1 if self.extra_set else self.sets

    def dose_text(self) -> str:
        """The dose in one line: “3 × 12 each side, hold 2 s, 5 kg in each hand, rest 60 s”,
        with “and 1 more set on the left” after the sets when the left side has an extra set."""
        each_side = " each side" if self.per_side else ""
        if self.extra_set:
            each_side += f" and 1 more set on the {self.extra_set_side}"
        if self.reps is not None:
            text = f"{self.sets} × {self.reps}{each_side}"
            if self.hold_seconds:
                text += f", hold {seconds_in_words(self.hold_seconds)}"
        else:
            text = f"{self.sets} × {seconds_in_words(self.duration_seconds or 0)}{each_side}"
        if self.load_note:
            text += f", {self.load_note}"
        if self.sets > 1:
            text += f", rest {seconds_in_words(self.rest_seconds)}"
        return text

    @property
    def unit(self) -> Unit:
        """Reps or seconds: what a set of this dose counts (a held rep still counts as a rep)."""
        return Unit.REPS if self.reps is not None else Unit.SECONDS

    @property
    def amount(self) -> int | None:
        """What a set holds in its `unit`: the reps, or a timed set's seconds."""
        return self.reps if self.unit == Unit.REPS else self.duration_seconds

    def estimated_seconds(self) -> int:
        """How long the dose takes, rests between sets included (`dose_seconds`)."""
        return dose_seconds(
            **{field: getattr(self, field) for field in CHANGED_DOSE_FIELDS},
            per_side=self.per_side,
            rest_seconds=self.rest_seconds,
            extra_set=self.extra_set,
        )

    def copy_dose_from(self, other: Dose | Exercise) -> None:
        """Take another slot's dose, or an exercise's suggested starting dose (`library_dose`:
        brought within a plan's ranges)."""
        if isinstance(other, Exercise):
            for field, value in library_dose(other).items():
                setattr(self, field, value)
            return
        for field in DOSE_FIELDS:
            setattr(self, field, getattr(other, field))

    @classmethod
    def from_library(cls, exercise: Exercise, **fields: object) -> Dose:
        """An unsaved slot of this kind with the exercise and its library dose, as a plan would
        hold it (`library_dose`); `fields` set the rest (plan, weekday, position...)."""
        return cls(exercise=exercise, **{**library_dose(exercise), **fields})


# The exercise's fields `library_dose` reads, for a query that loads only those.
LIBRARY_DOSE_FIELDS = (
    "dose_sets",
    "dose_reps",
    "dose_hold_seconds",
    "dose_duration_seconds",
    "dose_per_side",
)


def library_dose(exercise: Exercise) -> dict[str, int | bool | None]:
    """The exercise's suggested dose as a plan holds it: the one way a library dose reaches a
    plan (a board's add, a generated plan, the demo). The library's ranges are looser than a
    plan's, so each amount is brought within `RANGES`."""
    return {
        "sets": _clamp(exercise.dose_sets, "sets"),
        "reps": _clamp(exercise.dose_reps, "reps"),
        "hold_seconds": _clamp(exercise.dose_hold_seconds, "hold_seconds"),
        "duration_seconds": _clamp(exercise.dose_duration_seconds, "duration_seconds"),
        "per_side": exercise.dose_per_side,
    }


def dose_seconds(
    *,
    sets: int,
    reps: int | None,
    hold_seconds: int | None,
    duration_seconds: int | None,
    per_side: bool,
    rest_seconds: int,
    extra_set: bool = False,
) -> int:
    """How long a dose takes: each set's reps (held, or `SECONDS_PER_REP` each) or its
    duration, twice over for each side, with the rests between sets, and one side's extra
    set with its rest. A plan item's (`Dose.estimated_seconds`) and a generated plan's
    budget alike."""
    if reps is not None:
        one_side = reps * (hold_seconds or SECONDS_PER_REP)
    else:
        one_side = duration_seconds or 0
    one_set = one_side * 2 if per_side else one_side
    total = sets * one_set + max(sets - 1, 0) * rest_seconds
    if extra_set and per_side:
        total += rest_seconds + one_side
    return total


def _clamp(value: int | None, field: str) -> int | None:
    if value is None:
        return None
    low, high = RANGES[field]
    return min(max(value, low), high)


def minutes(seconds: int) -> int:
    return math.ceil(seconds / 60)


class WeeklyPlanQuerySet(models.QuerySet["WeeklyPlan"]):
    def for_list(self) -> WeeklyPlanQuerySet:
        return self.annotate(item_count=models.Count("items")).order_by(
            "-is_active", "-updated_at", "pk"
        )


class WeeklyPlan(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_plans"
    )
    name = models.CharField(max_length=80, validators=LINE_VALIDATORS)
    notes = models.TextField(blank=True, max_length=2000, validators=NOTE_VALIDATORS)
    is_active = models.BooleanField("active", default=False)
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    # The hidden token of the form that made this plan: posting that form twice (a double
    # click, a retry) finds this plan instead of making a second one.
    creation_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WeeklyPlanQuerySet.as_manager()

    class Meta:
        db_table = "routines_weeklyplan"  # kept from the one routines app
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(is_active=True),
                name="routines_one_active_plan_per_runner",
                violation_error_message="Only one plan can be active at a time.",
            ),
            models.UniqueConstraint(
                fields=["owner", "creation_token"],
                name="routines_plan_creation_once",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-updated_at"], name="routines_plan_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", kwargs={"pk": self.pk})

    def as_export(self) -> dict:
        return {
            "name": self.name,
            "notes": self.notes,
            "active": self.is_active,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "items": [item.as_export() for item in self.items.all()],
        }


class PlanItem(Dose):
    plan = models.ForeignKey(WeeklyPlan, on_delete=models.CASCADE, related_name="items")
    # The hidden token of the add form, as for plans: one item however often it is posted.
    request_token = models.UUIDField(null=True, blank=True, editable=False)
    # When the exercise or dose was last set by hand (the board's add and dose editor) or put
    # back by an undo after sessions at the undone dose: the suggestions judge only sessions
    # from then on. An applied suggestion is its `DoseChange`. None: not known (items made
    # before this was kept, copies of starter plans), so every session counts.
    dose_set_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "routines_planitem"  # kept from the one routines app
        constraints = [
            *Dose.dose_constraints("routines_planitem"),
            models.UniqueConstraint(
                fields=["plan", "request_token"], name="routines_planitem_added_once"
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "weekday", "position"], name="routines_item_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day_name}: {self.exercise_id}"

    def as_export(self) -> dict:
        return {
            "weekday": DAY_NAMES[self.weekday].lower(),
            "position": self.position,
            "exercise": self.exercise.slug,
            "exercise_name": self.exercise.name,
            **{field: getattr(self, field) for field in DOSE_FIELDS},
            "load_unit": "kg",  # the weight is kept in kilograms, whatever the profile shows
            # When the dose was last set by hand; the suggestions count sessions from then.
            "dose_set_at": self.dose_set_at.isoformat() if self.dose_set_at else None,
        }


# How long after its removal an item can be put back with its Undo.
UNDO_REMOVE_SECONDS = 60


class RemovedPlanItem(Dose):
    """An item removed from a plan's board, kept for its Undo (a minute, `UNDO_REMOVE_SECONDS`):
    the item comes back as it was, with its id, its day and place, its dose, and the logs and
    applied suggestions that pointed at it. A plan's next removal clears its expired ones."""

    plan = models.ForeignKey(WeeklyPlan, on_delete=models.CASCADE, related_name="removed_items")
    # The removed item's id, which the Undo's address names and the item gets back.
    item_pk = models.PositiveBigIntegerField()
    request_token = models.UUIDField(null=True, blank=True, editable=False)
    dose_set_at = models.DateTimeField(null=True, blank=True, editable=False)
    log_ids = models.JSONField(default=list)
    dose_change_ids = models.JSONField(default=list)
    removed_at = models.DateTimeField()
    # Put back: the same Undo again (a double click) answers that it is back.
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "routines_removedplanitem"  # kept from the one routines app
        constraints = [
            models.UniqueConstraint(fields=["plan", "item_pk"], name="routines_removed_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.day_name}: {self.exercise_id}, removed"


class StarterPlan(models.Model):
    """A plan written by staff, citing its evidence, that a runner copies into their own."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=100, unique=True)
    published = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.CharField(max_length=300, help_text="One line: who it is for.")
    description = models.TextField(help_text="What the plan does and why, in our own words.")
    evidence = models.TextField(help_text="What the cited research did and found, in our words.")

    class Meta:
        db_table = "routines_starterplan"  # kept from the one routines app

    def __str__(self) -> str:
        return self.name


class StarterPlanCitation(models.Model):
    starter = models.ForeignKey(StarterPlan, on_delete=models.CASCADE, related_name="citations")
    authors = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    journal = models.CharField(max_length=200)
    url = models.URLField("DOI or PubMed address", max_length=300)

    class Meta:
        db_table = "routines_starterplancitation"  # kept from the one routines app

    def __str__(self) -> str:
        return f"{self.authors} ({self.year})"


class StarterPlanItem(Dose):
    starter = models.ForeignKey(StarterPlan, on_delete=models.CASCADE, related_name="items")

    class Meta:
        db_table = "routines_starterplanitem"  # kept from the one routines app
        constraints = Dose.dose_constraints("routines_starteritem")

    def __str__(self) -> str:
        return f"{self.day_name}: {self.exercise_id}"


# What a `DoseChange` records of an item, before and after: the amounts, and the weight (in
# kilograms, as text: JSON has no decimals). Records made before the weight was kept have
# no "load": undoing one leaves the weight as it is.
RECORDED_DOSE_FIELDS = (*CHANGED_DOSE_FIELDS, "load")


def dose_record(item: Dose) -> dict[str, int | str | None]:
    """The item's dose as a `DoseChange` keeps it (`RECORDED_DOSE_FIELDS`)."""
    record: dict[str, int | str | None] = {
        name: getattr(item, name) for name in CHANGED_DOSE_FIELDS
    }
    load = item.load
    record["load"] = None if load is None else f"{Decimal(load).quantize(LOAD_STORED):f}"
    return record


def dose_restore(item: Dose, record: dict) -> None:
    """Set the item's dose from a `DoseChange` record (the weight only if it was kept)."""
    for name in CHANGED_DOSE_FIELDS:
        setattr(item, name, record[name])
    if "load" in record:
        item.load = None if record["load"] is None else Decimal(record["load"])


# What makes sessions at one dose unlike sessions at another: changed by hand, the
# suggestions start counting afresh (`PlanItem.dose_set_at`). Rest between sets does not.
DOSE_DEFINING_FIELDS = (
    "exercise_id",
    *CHANGED_DOSE_FIELDS,
    "per_side",
    "extra_set_side",
    "load",
    "load_note",
)


class DoseChangeVerdict(models.TextChoices):
    PROGRESS = "progress", "made harder"
    STEP_BACK = "step_back", "eased off"


class DoseChange(models.Model):
    """A suggestion the runner applied to a plan item, with its reason, kept for later.

    `dose_before` and `dose_after` hold `RECORDED_DOSE_FIELDS`; the exercise fields say the
    rung before and after. Undoing puts the item back as it was before and stamps
    `undone_at`: the record stays, so the history says what was tried and taken back.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dose_changes"
    )
    # The plan item may be removed later; the record of why its dose moved stays.
    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="dose_changes"
    )
    verdict = models.CharField(max_length=16, choices=DoseChangeVerdict.choices)
    reason = models.TextField(max_length=2000)
    exercise_before = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    exercise_after = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    dose_before = models.JSONField()
    dose_after = models.JSONField()
    applied_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    # The hidden token of the apply form: applying the same suggestion twice changes once.
    request_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "routines_dosechange"  # kept from the one routines app
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "request_token"], name="routines_dose_change_once"
            ),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True) | Q(undone_at__gte=F("applied_at")),
                name="routines_dose_change_undone_after_applied",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-applied_at"], name="routines_dosechange_owner_idx"),
            models.Index(fields=["plan_item", "-applied_at"], name="routines_dosechange_item_idx"),
        ]

    def still_applied_to(self, item: PlanItem) -> bool:
        """Whether the item still has what this change gave it: its reason still explains
        the dose (the board's "Why this dose"), and undoing it overwrites nothing."""
        now = dose_record(item)
        # A record from before the weight was kept compares what it holds.
        now = {name: now[name] for name in self.dose_after if name in now}
        return item.exercise_id == self.exercise_after_id and now == self.dose_after

    def __str__(self) -> str:
        return f"{self.applied_at:%Y-%m-%d}: {self.get_verdict_display()}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None

    def as_export(self) -> dict:
        return {
            "applied_at": self.applied_at.isoformat(),
            "undone_at": self.undone_at.isoformat() if self.undone_at else None,
            "verdict": self.verdict,
            "reason": self.reason,
            "exercise_before": self.exercise_before.slug,
            "exercise_after": self.exercise_after.slug,
            "dose_before": self.dose_before,
            "dose_after": self.dose_after,
        }
