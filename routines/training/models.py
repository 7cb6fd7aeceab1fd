"""The workout log and the morning check-in: what a runner did, and how their feet felt.

Sessions, the exercises logged in them and their sets; a session may follow a day of a
weekly plan (`routines.plans`), whose dose ranges a log keeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from exercises.models import Exercise
from footcare.text import LINE_VALIDATORS, NOTE_VALIDATORS
from routines.plans.models import (
    LOAD_MAX,
    LOAD_MIN,
    LOAD_NOTE_MAX,
    RANGE_MESSAGES,
    RANGES,
    PlanItem,
    Unit,
    WeeklyPlan,
    load_text,
)

if TYPE_CHECKING:
    from datetime import date

    from footcare.accounts.models import User

# The workout log ------------------------------------------------------------------------

PAIN_RANGE = (0, 10)
EFFORT_RANGE = (1, 10)
# How far back a session may be logged by hand; never in the future.
LOG_DAYS_BACK = 60
LOG_RANGES = {
    "position": (0, 100),
    "sets_planned": RANGES["sets"],
    "sets_done": (0, RANGES["sets"][1]),
    "pain": PAIN_RANGE,
    "effort": EFFORT_RANGE,
}
LOG_MESSAGES = {
    "position": "A session holds at most 100 exercises.",
    "sets_planned": RANGE_MESSAGES["sets"],
    "sets_done": "Sets done run from 0 to 10.",
    "pain": "Pain runs from 0 (none) to 10 (the worst).",
    "effort": "Effort runs from 1 (very easy) to 10 (all out).",
}
# A set is reps, or seconds of a hold or a timed set: whichever the log's unit says.
SET_AMOUNT_RANGE = {"reps": (0, RANGES["reps"][1]), "seconds": (0, RANGES["duration_seconds"][1])}
SET_AMOUNT_MESSAGE = (
    f"A set is {SET_AMOUNT_RANGE['reps'][0]} to {SET_AMOUNT_RANGE['reps'][1]} reps, "
    f"or {SET_AMOUNT_RANGE['seconds'][0]} to {SET_AMOUNT_RANGE['seconds'][1]} seconds."
)


class WorkoutSessionQuerySet(models.QuerySet["WorkoutSession"]):
    def newest_first(self) -> WorkoutSessionQuerySet:
        return self.order_by("-date", "-started_at", "-pk")

    def trained(self) -> WorkoutSessionQuerySet:
        """Sessions in which some exercise was done: a set logged on one not skipped.

        The morning after one of these, /today/ asks how the feet felt.
        """
        return self.filter(_some_set_done())

    def with_trained(self) -> WorkoutSessionQuerySet:
        """Each session with `was_trained`: whether it is one of `trained()`."""
        return self.annotate(was_trained=_some_set_done())


def _some_set_done() -> Exists:
    return Exists(
        ExerciseLog.objects.filter(session=OuterRef("pk"), skipped=False, sets_done__gt=0)
    )


class WorkoutSession(models.Model):
    """One day's work: from the active plan (`/today/`) or logged by hand (`/log/new/`)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workout_sessions"
    )
    date = models.DateField()
    # A plan may be deleted later; its sessions stay in the log.
    plan = models.ForeignKey(
        WeeklyPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=2000, validators=NOTE_VALIDATORS)
    # The hidden token of the form that made it: the same submission again finds this one.
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = WorkoutSessionQuerySet.as_manager()

    class Meta:
        db_table = "routines_workoutsession"  # kept from the one routines app
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "plan", "date"],
                condition=Q(plan__isnull=False),
                name="routines_one_session_per_plan_and_day",
                violation_error_message="This plan already has a session on that day.",
            ),
            models.UniqueConstraint(
                fields=["owner", "client_token"], name="routines_session_made_once"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("started_at")),
                name="routines_session_finishes_after_start",
                violation_error_message="A session finishes after it starts.",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-date"], name="routines_session_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.owner_id}"

    def get_absolute_url(self) -> str:
        return reverse("log:detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def as_export(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "plan": self.plan.name if self.plan else None,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "notes": self.notes,
            "exercises": [log.as_export() for log in self.logs.all()],
        }


class ExerciseLog(models.Model):
    """What the runner did of one exercise in a session; its sets are `SetLog` rows.

    `sets_done` is kept equal to the number of its sets by `routines.training.services`, so that
    progress can count and average in the database without reading sets. Its fields map
    one to one onto `routines.progression.LoggedSession`, whose `is_complete` says what a
    complete session is.
    """

    session = models.ForeignKey(WorkoutSession, on_delete=models.CASCADE, related_name="logs")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    # The plan item it fulfils; when swapped for another rung today, `exercise` differs.
    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="logs"
    )
    position = models.PositiveSmallIntegerField(default=0)
    unit = models.CharField(max_length=7, choices=Unit.choices, default=Unit.REPS)
    per_side = models.BooleanField("each side", default=False)
    sets_planned = models.PositiveSmallIntegerField(default=1)
    sets_done = models.PositiveSmallIntegerField(default=0)
    load_note = models.CharField(
        "load", max_length=LOAD_NOTE_MAX, blank=True, validators=LINE_VALIDATORS
    )
    # The weight lifted (issue 24), in kilograms as on the plan item (`LOAD_LIMITS`): shown
    # in the runner's unit.
    load = models.DecimalField(
        "weight lifted",
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(LOAD_MIN), MaxValueValidator(LOAD_MAX)],
    )
    pain = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0 to 10")
    effort = models.PositiveSmallIntegerField(
        "effort (RPE)", null=True, blank=True, help_text="1 to 10"
    )
    skipped = models.BooleanField(default=False)
    # The hidden token of the form that added it by hand: that form posted twice adds once.
    request_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "routines_exerciselog"  # kept from the one routines app
        constraints = [
            *(
                models.CheckConstraint(
                    condition=(
                        (Q(**{f"{field}__isnull": True}) if field in ("pain", "effort") else Q())
                        | Q(**{f"{field}__gte": low, f"{field}__lte": high})
                    ),
                    name=f"routines_exerciselog_{field}_range",
                    violation_error_message=LOG_MESSAGES[field],
                )
                for field, (low, high) in LOG_RANGES.items()
            ),
            models.UniqueConstraint(
                fields=["session", "plan_item"],
                condition=Q(plan_item__isnull=False),
                name="routines_one_log_per_plan_item",
            ),
            models.UniqueConstraint(
                fields=["session", "request_token"], name="routines_log_added_once"
            ),
        ]
        indexes = [
            models.Index(fields=["exercise", "session"], name="routines_log_exercise_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.exercise_id}"

    def clean(self) -> None:
        errors = {}
        for field, (low, high) in LOG_RANGES.items():
            value = getattr(self, field)
            if value is not None and not low <= value <= high:
                errors[field] = LOG_MESSAGES[field]
        if errors:
            raise ValidationError(errors)

    def summary_text(self, weight_unit: str = "kg") -> str:
        """“3 × 15 each side at 20 kg, pain 2”: what was done, for the log and “last time”,
        the weight lifted in the runner's `weight_unit` (`{{ log|summary:unit }}` in a template)."""
        if self.skipped:
            return "skipped"
        sets = list(self.sets.all())
        if not sets:
            text = "no sets"
        else:
            amounts = {s.amount for s in sets} | {
                s.amount_right for s in sets if s.amount_right is not None
            }
            unit = " s" if self.unit == Unit.SECONDS else ""
            each = " each side" if self.per_side else ""
            if len(amounts) == 1:
                text = f"{len(sets)} × {amounts.pop()}{unit}{each}"
            else:
                text = ", ".join(s.text(unit) for s in sets)
        if self.load is not None:
            text += f" at {load_text(self.load, weight_unit)}"
        if self.load_note:
            text += f", {self.load_note}"
        if self.pain is not None:
            text += f", pain {self.pain}"
        if self.effort is not None:
            text += f", effort {self.effort}"
        return text

    def as_export(self) -> dict:
        return {
            "position": self.position,
            "exercise": self.exercise.slug,
            "exercise_name": self.exercise.name,
            "unit": self.unit,
            "per_side": self.per_side,
            "sets_planned": self.sets_planned,
            "sets_done": self.sets_done,
            "sets": [s.as_export() for s in self.sets.all()],
            "load_note": self.load_note,
            # The weight lifted, kept in kilograms whatever the profile shows.
            "load": None if self.load is None else f"{self.load:f}",
            "load_unit": "kg",
            "pain": self.pain,
            "effort": self.effort,
            "skipped": self.skipped,
        }


class SetLog(models.Model):
    """One set done: reps or seconds (the log's unit); one-sided work has both sides."""

    log = models.ForeignKey(ExerciseLog, on_delete=models.CASCADE, related_name="sets")
    number = models.PositiveSmallIntegerField()
    # Both sides together, or the left side of one-sided work.
    amount = models.PositiveSmallIntegerField()
    amount_right = models.PositiveSmallIntegerField(null=True, blank=True)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "routines_setlog"  # kept from the one routines app
        constraints = [
            # Ticking the same set again (a double tap, a retry) changes it, never adds one.
            models.UniqueConstraint(fields=["log", "number"], name="routines_set_once"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=RANGES["sets"][1]),
                name="routines_setlog_number_range",
                violation_error_message="A session counts sets 1 to 10.",
            ),
            models.CheckConstraint(
                condition=Q(amount__lte=SET_AMOUNT_RANGE["seconds"][1])
                & (
                    Q(amount_right__isnull=True)
                    | Q(amount_right__lte=SET_AMOUNT_RANGE["seconds"][1])
                ),
                name="routines_setlog_amount_range",
                violation_error_message=SET_AMOUNT_MESSAGE,
            ),
        ]

    def text(self, unit: str = "") -> str:
        if self.amount_right is None:
            return f"{self.amount}{unit}"
        return f"{self.amount}{unit} left, {self.amount_right}{unit} right"

    def as_export(self) -> dict:
        return {"number": self.number, "amount": self.amount, "amount_right": self.amount_right}


# Progress: the next-morning check-in and the suggestions a runner applied ---------------

CHECK_IN_RANGE = (0, 10)
CHECK_IN_MESSAGES = {
    "pain": "Morning pain runs from 0 (none) to 10 (the worst).",
    "stiffness": "Stiffness runs from 0 (none) to 10 (could hardly walk).",
}
CHECK_IN_PAIN_FIRST = "Tap how much your feet hurt first, then how stiff they were."


class MorningCheckInQuerySet(models.QuerySet["MorningCheckIn"]):
    def between(self, first: date, last: date) -> MorningCheckInQuerySet:
        return self.filter(date__gte=first, date__lte=last)

    def record(self, *, owner: User, day: date, **answers: int) -> MorningCheckIn:
        """Save the answers given (pain, stiffness or both) into the morning's one row.

        Only the columns given change, so a pain tap keeps the stiffness a second tab
        saved. A double tap or two tabs at once make one row: the unique constraint picks
        the one insert that lands, and the other request updates it instead.
        """
        mine = self.filter(owner=owner, date=day)
        # update() passes over auto_now: set it here.
        if mine.update(**answers, updated_at=timezone.now()):
            return mine.get()
        if "pain" not in answers:
            raise ValidationError({"pain": CHECK_IN_PAIN_FIRST})
        try:
            with transaction.atomic():
                return self.create(owner=owner, date=day, **answers)
        except IntegrityError:
            # A twin request made the row between our update and our insert.
            if not mine.update(**answers, updated_at=timezone.now()):
                raise
        return mine.get()


class MorningCheckIn(models.Model):
    """How the feet felt on the first steps out of bed: one per runner and morning.

    `date` is the morning's own date. The progression engine reads the morning after a
    session against the runner's usual (`routines.progression.CheckIn`).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    date = models.DateField()
    pain = models.PositiveSmallIntegerField("pain on the first steps", help_text="0 to 10")
    # Each answer is its own tap and pain comes first: stiffness is empty until tapped.
    # The range constraint below lets NULL through, as SQL CHECK constraints do.
    stiffness = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0 to 10")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MorningCheckInQuerySet.as_manager()

    class Meta:
        db_table = "routines_morningcheckin"  # kept from the one routines app
        constraints = [
            # Answering twice (a double tap, a second tab) changes the morning's answer.
            models.UniqueConstraint(fields=["owner", "date"], name="routines_one_check_in_a_day"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": CHECK_IN_RANGE[0]})
                    & Q(**{f"{field}__lte": CHECK_IN_RANGE[1]}),
                    name=f"routines_checkin_{field}_range",
                    violation_error_message=message,
                )
                for field, message in CHECK_IN_MESSAGES.items()
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.owner_id}"

    def clean(self) -> None:
        low, high = CHECK_IN_RANGE
        errors = {
            field: message
            for field, message in CHECK_IN_MESSAGES.items()
            if getattr(self, field) is not None and not low <= getattr(self, field) <= high
        }
        if errors:
            raise ValidationError(errors)

    def as_export(self) -> dict:
        # Stiffness is null while only pain has been answered.
        return {"date": self.date.isoformat(), "pain": self.pain, "stiffness": self.stiffness}

    def answer_text(self) -> str:
        """“Pain 2/10, stiffness 3/10 this morning”, or only the pain until stiffness is in."""
        parts = [f"Pain {self.pain}/10"]
        if self.stiffness is not None:
            parts.append(f"stiffness {self.stiffness}/10")
        return ", ".join(parts) + " this morning"
