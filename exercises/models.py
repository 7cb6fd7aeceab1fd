"""The exercise library: exercises, what they work and help prevent, and how they progress.

Everything a page filters on is indexed, and every rule a row must keep is a database
constraint as well as form validation, so content loaded by `seed_library`, typed into
the admin or written by a later feature cannot break the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.urls import reverse

from . import ladders

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

LEVEL_MIN, LEVEL_MAX = 1, 5
# The pace of one rep on today's timer, as the steps tell it: seconds to rise and to lower
# (a hold at the top is the dose's). Most steps say "two up, three down"; an exercise whose
# steps say otherwise (Rathleff's three up, three down) sets its own.
RISE_SECONDS, LOWER_SECONDS = 2, 3
TEMPO_MIN, TEMPO_MAX = 1, 10


class Region(models.TextChoices):
    CALF = "calf", "Calf"
    FOOT = "foot", "Foot"
    SHIN = "shin", "Shin"
    HIP_THIGH = "hip_thigh", "Hip and thigh"


class Position(models.TextChoices):
    STANDING = "standing", "Standing"
    SEATED = "seated", "Seated"
    WALKING = "walking", "Walking"


class Laterality(models.TextChoices):
    BOTH = "both", "Both feet together"
    SINGLE = "single", "One foot at a time"
    ALTERNATING = "alternating", "Alternating feet"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class TipKind(models.TextChoices):
    CUE = "cue", "Coaching cue"
    EASIER = "easier", "Make it easier"
    HARDER = "harder", "Make it harder"
    SAFETY = "safety", "Safety"


class Branch(models.TextChoices):
    """Which way a ladder goes by default (`exercises.ladders.Ladders.next_rung`)."""

    MAIN = "main", "Main branch (stepping back and the default “harder” follow it)"
    SIDE = "side", "Side branch (reached only on purpose)"


class MuscleRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


def seconds_in_words(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


# What a published exercise needs: one rule for the model, the admin and the content file.
# Each part is checked on the values it lists: steps, tip kinds, muscle roles, sources.
NEEDED_TO_PUBLISH: dict[str, tuple[str, Callable[[Collection[str]], bool]]] = {
    "steps": ("its steps", bool),
    "tips": ("a safety tip", lambda kinds: TipKind.SAFETY in kinds),
    "muscles": ("a primary muscle", lambda roles: MuscleRole.PRIMARY in roles),
    "sources": ("a cited source", bool),
    "pictures": ("a picture with alt text", bool),
}


def publication_gaps(**parts: Collection[str]) -> list[str]:
    """What a published exercise still needs, in words ("a safety tip"); [] when nothing.

    Give the parts to check by name: `steps` (their texts), `tips` (their kinds), `muscles`
    (their roles), `sources` (their keys), `pictures` (their alt texts). A part not given
    is not checked, so an admin inline checks only its own rows.
    """
    unknown = parts.keys() - NEEDED_TO_PUBLISH.keys()
    if unknown:
        raise TypeError(f"no publication rule for {', '.join(sorted(unknown))}")
    return [
        needed
        for part, (needed, satisfied) in NEEDED_TO_PUBLISH.items()
        if part in parts and not satisfied(parts[part])
    ]


def _one_of(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Muscle(Timestamped):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.CharField(max_length=20, choices=Region.choices, db_index=True)
    description = models.TextField(help_text="What it does in running, in plain words.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=_one_of("region", Region), name="exercises_muscle_region_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exercises:muscle", kwargs={"slug": self.slug})


class Condition(Timestamped):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(help_text="What it is, in plain words.")
    how_strengthening_helps = models.TextField()
    with_symptoms = models.TextField(
        "if you have it now",
        help_text="Plainly: whether to do the exercises with symptoms now, within the pain "
        "rule, and when to get it assessed instead.",
    )
    plan_while_it_hurts = models.BooleanField(
        "a plan while it hurts",
        default=True,
        help_text="Untick when the advice above says not to train with it now (a stress "
        "fracture, a fresh sprain): a runner who says it hurts now gets this advice and no "
        "generated plan, only the way to get assessed.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exercises:condition", kwargs={"slug": self.slug})


class Equipment(Timestamped):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "equipment"

    def __str__(self) -> str:
        return self.name


class Source(Timestamped):
    key = models.SlugField(
        max_length=100, unique=True, help_text="How the content file refers to this source."
    )
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=100)
    url = models.URLField("URL", max_length=500, blank=True)
    published = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["publisher", "title"]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"


class ExerciseQuerySet(models.QuerySet["Exercise"]):
    def published(self) -> ExerciseQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ExerciseQuerySet:
        # Staff preview drafts on the site; everyone else sees published content only.
        return self if user.is_staff else self.published()

    def for_muscle(self, muscle: Muscle) -> ExerciseQuerySet:
        return self.filter(muscle_links__muscle=muscle)

    def for_condition(self, condition: Condition) -> ExerciseQuerySet:
        return self.filter(condition_links__condition=condition)

    def with_equipment(self, equipment: Equipment | None) -> ExerciseQuerySet:
        """Exercises that use this equipment; None means those that need none at all."""
        if equipment is None:
            return self.filter(equipment__isnull=True)
        return self.filter(equipment=equipment)

    def needing_only(self, equipment: models.QuerySet | Iterable[int]) -> ExerciseQuerySet:
        """Exercises whose every piece of equipment is among these (equipment or their ids):
        what a runner with that equipment at hand can do."""
        return self.exclude(equipment__in=Equipment.objects.exclude(pk__in=equipment))

    def for_cards(self) -> ExerciseQuerySet:
        """What an exercise card shows, in a fixed number of queries however many cards."""
        return self.only(*CARD_FIELDS).prefetch_related(
            models.Prefetch("equipment", queryset=Equipment.objects.only("name", "slug")),
            "pictures",
        )

    def for_detail(self) -> ExerciseQuerySet:
        """Everything the exercise page shows about the exercise, one query per kind of row.

        Its ladder neighbours come from `Progression.objects.rungs_around`.
        """
        return self.prefetch_related(
            "equipment",
            "steps",
            "tips",
            "pictures",
            models.Prefetch(
                "muscle_links",
                queryset=ExerciseMuscle.objects.select_related("muscle").order_by("muscle__name"),
            ),
            models.Prefetch(
                "condition_links",
                queryset=ExerciseCondition.objects.select_related("condition").order_by(
                    "condition__name"
                ),
            ),
            models.Prefetch(
                "source_links",
                queryset=ExerciseSource.objects.select_related("source").order_by(
                    "source__publisher", "source__title"
                ),
            ),
        )


class DoseRow(NamedTuple):
    term: str
    value: str
    from_source: bool


CARD_FIELDS = ("name", "slug", "summary", "position", "laterality", "level", "status")


class ExerciseLinkQuerySet(models.QuerySet):
    """Rows joining exercises to a muscle or condition, as its page lists them."""

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ExerciseLinkQuerySet:
        return self if user.is_staff else self.filter(exercise__status=Status.PUBLISHED)

    def for_cards(self) -> ExerciseLinkQuerySet:
        return self.select_related("exercise").prefetch_related(
            models.Prefetch("exercise__equipment", queryset=Equipment.objects.only("name", "slug")),
            "exercise__pictures",
        )


class Exercise(Timestamped):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.CharField(max_length=200, help_text="One line: what you do.")
    why_it_matters = models.TextField("why it matters for runners")
    our_own = models.BooleanField(
        "our own exercise",
        default=False,
        help_text="Tick when no cited article describes this exercise (we built it from what "
        "they do describe): the page says it is ours.",
    )
    position = models.CharField(max_length=10, choices=Position.choices)
    laterality = models.CharField(max_length=12, choices=Laterality.choices)
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(LEVEL_MIN), MaxValueValidator(LEVEL_MAX)],
        help_text="1 is the gentlest, 5 the hardest.",
    )
    calf_heavy = models.BooleanField(
        "calf-heavy",
        default=False,
        help_text="Tick for work that loads the calf and Achilles tendon hard (one-leg, "
        "weighted or below-the-step raises, long walks on the toes): plans keep a day "
        "between such days and none the day before a long run or hard workout.",
    )
    progress_by_load = models.BooleanField(
        "progresses by load",
        default=False,
        help_text="Tick for heavy slow work dosed by the weight lifted (a weighted calf raise): "
        "its suggestions add weight, not repetitions or a harder exercise.",
    )
    rise_seconds = models.PositiveSmallIntegerField(
        "seconds to rise",
        default=RISE_SECONDS,
        validators=[MinValueValidator(TEMPO_MIN), MaxValueValidator(TEMPO_MAX)],
        help_text="The pace of one rep on today's timer: match what the steps say.",
    )
    lower_seconds = models.PositiveSmallIntegerField(
        "seconds to lower",
        default=LOWER_SECONDS,
        validators=[MinValueValidator(TEMPO_MIN), MaxValueValidator(TEMPO_MAX)],
        help_text="The pace of one rep on today's timer: match what the steps say.",
    )
    equipment = models.ManyToManyField(Equipment, blank=True, related_name="exercises")
    muscles = models.ManyToManyField(
        Muscle, through="ExerciseMuscle", related_name="exercises", blank=True
    )
    conditions = models.ManyToManyField(
        Condition, through="ExerciseCondition", related_name="exercises", blank=True
    )
    sources = models.ManyToManyField(
        Source, through="ExerciseSource", related_name="exercises", blank=True
    )

    # The suggested starting dose: sets of reps (each optionally held) or of a duration.
    dose_sets = models.PositiveSmallIntegerField(
        "sets", default=1, validators=[MinValueValidator(1)]
    )
    dose_reps = models.PositiveSmallIntegerField(
        "reps", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    dose_hold_seconds = models.PositiveSmallIntegerField(
        "hold (seconds)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How long each rep is held.",
    )
    dose_duration_seconds = models.PositiveSmallIntegerField(
        "duration (seconds)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="For timed sets, instead of reps.",
    )
    dose_per_side = models.BooleanField("per side", default=False)
    dose_sessions_per_week = models.PositiveSmallIntegerField(
        "sessions a week", default=3, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    # Which numbers a cited article gives; the page marks every other one as ours.
    dose_sets_from_source = models.BooleanField("sets from the article", default=False)
    dose_reps_from_source = models.BooleanField("reps from the article", default=False)
    dose_hold_from_source = models.BooleanField("hold from the article", default=False)
    dose_duration_from_source = models.BooleanField("duration from the article", default=False)
    dose_note = models.CharField("dose note", max_length=300, blank=True)
    # Who approved its last change and when: the page's "Reviewed by … on …".
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    search_related = models.TextField(
        blank=True,
        default="",
        editable=False,
        help_text="The names of its conditions and muscles, kept current for search.",
    )

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("publish_exercise", "Can approve and publish a change to an exercise")]
        indexes = [
            # The library lists published exercises by name; level and position are filters.
            models.Index(fields=["status", "name"], name="exercises_status_name_idx"),
            models.Index(fields=["level"], name="exercises_level_idx"),
            models.Index(fields=["position"], name="exercises_position_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_one_of("status", Status), name="exercises_exercise_status_valid"
            ),
            models.CheckConstraint(
                condition=_one_of("position", Position), name="exercises_exercise_position_valid"
            ),
            models.CheckConstraint(
                condition=_one_of("laterality", Laterality),
                name="exercises_exercise_laterality_valid",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=LEVEL_MIN, level__lte=LEVEL_MAX),
                name="exercises_exercise_level_1_to_5",
                violation_error_message="The level runs from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=Q(dose_sets__gte=1),
                name="exercises_exercise_sets_positive",
                violation_error_message="A dose has at least one set.",
            ),
            models.CheckConstraint(
                condition=Q(dose_reps__isnull=True) | Q(dose_reps__gte=1),
                name="exercises_exercise_reps_positive",
                violation_error_message="Reps must be at least 1.",
            ),
            models.CheckConstraint(
                condition=Q(dose_hold_seconds__isnull=True) | Q(dose_hold_seconds__gte=1),
                name="exercises_exercise_hold_positive",
                violation_error_message="A hold lasts at least one second.",
            ),
            models.CheckConstraint(
                condition=Q(dose_duration_seconds__isnull=True) | Q(dose_duration_seconds__gte=1),
                name="exercises_exercise_duration_positive",
                violation_error_message="A duration is at least one second.",
            ),
            models.CheckConstraint(
                condition=Q(dose_sessions_per_week__gte=1, dose_sessions_per_week__lte=7),
                name="exercises_exercise_sessions_1_to_7",
                violation_error_message="Sessions a week run from 1 to 7.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(dose_reps__isnull=False, dose_duration_seconds__isnull=True)
                    | Q(dose_reps__isnull=True, dose_duration_seconds__isnull=False)
                ),
                name="exercises_exercise_reps_xor_duration",
                violation_error_message="Give reps or a duration for the dose, not both.",
            ),
            models.CheckConstraint(
                condition=Q(dose_hold_seconds__isnull=True) | Q(dose_reps__isnull=False),
                name="exercises_exercise_hold_needs_reps",
                violation_error_message="A hold belongs to a rep: give reps with a hold.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exercises:detail", kwargs={"slug": self.slug})

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def publication_gaps(self) -> list[str]:
        """What this exercise still needs before runners may see it (`publication_gaps`)."""
        return publication_gaps(
            steps=self.steps.values_list("text", flat=True),
            tips=set(self.tips.values_list("kind", flat=True)),
            muscles=set(self.muscle_links.values_list("role", flat=True)),
            sources=self.source_links.values_list("source_id", flat=True),
            pictures=self.pictures.exclude(alt="").values_list("alt", flat=True),
        )

    @property
    def dose_suggested_by_us(self) -> bool:
        """No number of the dose comes from a cited article."""
        return not any(row.from_source for row in self.dose_rows())

    def dose_rows(self) -> list[DoseRow]:
        """The suggested dose the way a runner would do it, each number with where it is from.

        One set is left unsaid ("3 reps, holding each 20 seconds" rather than "1 set of 3
        reps"); timed sets are rounds.
        """
        each_side = " on each side" if self.dose_per_side else ""
        timed = self.dose_duration_seconds is not None
        rows = []
        if self.dose_sets > 1 or timed:
            term = "Rounds" if timed else "Sets"
            rows.append(DoseRow(term, str(self.dose_sets), self.dose_sets_from_source))
        if self.dose_reps is not None:
            rows.append(DoseRow("Reps", f"{self.dose_reps}{each_side}", self.dose_reps_from_source))
        if self.dose_hold_seconds:
            rows.append(
                DoseRow(
                    "Hold",
                    f"{seconds_in_words(self.dose_hold_seconds)} each rep",
                    self.dose_hold_from_source,
                )
            )
        if timed:
            rows.append(
                DoseRow(
                    "Each round",
                    f"{seconds_in_words(self.dose_duration_seconds)}{each_side}",
                    self.dose_duration_from_source,
                )
            )
        return rows

    def clean(self) -> None:
        # The dose constraints again, in Python, so an editor sees the error beside the
        # field that needs changing (the database constraints stay as the backstop).
        errors = {}
        if self.dose_reps is not None and self.dose_duration_seconds is not None:
            errors["dose_duration_seconds"] = "Give reps or a duration, not both."
        if self.dose_reps is None and self.dose_duration_seconds is None:
            errors["dose_reps"] = "Give reps, or a duration for a timed exercise."
        if self.dose_hold_seconds is not None and self.dose_reps is None:
            errors["dose_hold_seconds"] = "A hold belongs to a rep: give reps with a hold."
        if errors:
            raise ValidationError(errors)


class ExerciseStep(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        # No unique (exercise, number): the admin saves inline rows one at a time, so
        # swapping two steps' numbers would trip it midway. The admin formset and the
        # seed keep numbers distinct instead; ties would still order stably by id.
        ordering = ["number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1), name="exercises_step_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Step {self.number}"


class ExerciseTip(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="tips")
    kind = models.CharField(max_length=10, choices=TipKind.choices)
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_one_of("kind", TipKind), name="exercises_tip_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class ExerciseMuscle(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="muscle_links")
    muscle = models.ForeignKey(Muscle, on_delete=models.PROTECT, related_name="exercise_links")
    role = models.CharField(max_length=10, choices=MuscleRole.choices, default=MuscleRole.PRIMARY)

    objects = ExerciseLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "target muscle"
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "muscle"],
                name="exercises_exercisemuscle_unique",
                violation_error_message="This muscle is already listed for the exercise.",
            ),
            models.CheckConstraint(
                condition=_one_of("role", MuscleRole), name="exercises_exercisemuscle_role_valid"
            ),
        ]
        indexes = [
            # Muscle pages list an exercise's primary work before its secondary work.
            models.Index(fields=["muscle", "role"], name="exercises_muscle_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.muscle} ({self.get_role_display().lower()})"


class ExerciseCondition(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="condition_links")
    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, related_name="exercise_links"
    )
    note = models.CharField(max_length=300, help_text="Why this exercise helps, in one line.")

    objects = ExerciseLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "condition it helps prevent"
        verbose_name_plural = "conditions it helps prevent"
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "condition"],
                name="exercises_exercisecondition_unique",
                violation_error_message="This condition is already listed for the exercise.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.condition)


class ExerciseSource(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="exercise_links")

    class Meta:
        verbose_name = "cited source"
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "source"],
                name="exercises_exercisesource_unique",
                violation_error_message="This source is already cited for the exercise.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.source)


class ProgressionQuerySet(models.QuerySet["Progression"]):
    def edges(self) -> list[tuple[int, int]]:
        """These progressions as (easier_id, harder_id) pairs, for `exercises.ladders`."""
        return list(self.values_list("easier_id", "harder_id"))

    def ladder_edges(self, exercise: Exercise | int) -> list[tuple[int, int]]:
        """The edges of the exercise's ladder, in one query (of ids only, however long).

        Chain a filter first to leave exercises out: `.between(visible).ladder_edges(...)`.
        """
        exercise_id = getattr(exercise, "pk", exercise)
        edges = self.edges()
        ladder = ladders.ladder_of(exercise_id, edges)
        return [edge for edge in edges if edge[0] in ladder]

    def between(self, exercises: models.QuerySet[Exercise]) -> ProgressionQuerySet:
        """The progressions whose both ends are among these exercises."""
        return self.filter(easier__in=exercises, harder__in=exercises)

    def graph(self) -> ladders.Ladders:
        """These progressions as `ladders.Ladders`, the neighbour rule's input: edges, the
        side-branch ones, and each end's level and name, in one query."""
        return self.graph_within(None)[0]

    def graph_within(
        self, usable: models.QuerySet[Exercise] | None
    ) -> tuple[ladders.Ladders, set[int]]:
        """`graph`, and which of its exercises are among `usable` (all when None), in the
        same one query."""
        edges, side, levels, names, within = [], set(), {}, {}, set()
        if usable is None:
            marked = self.annotate(easier_ok=Value(True), harder_ok=Value(True))
        else:
            marked = self.annotate(
                easier_ok=Exists(usable.filter(pk=OuterRef("easier_id"))),
                harder_ok=Exists(usable.filter(pk=OuterRef("harder_id"))),
            )
        for easier, harder, branch, *ends in marked.values_list(
            "easier_id",
            "harder_id",
            "branch",
            "easier__level",
            "easier__name",
            "easier_ok",
            "harder__level",
            "harder__name",
            "harder_ok",
        ):
            edges.append((easier, harder))
            if branch == Branch.SIDE:
                side.add((easier, harder))
            for id_, level, name, ok in ((easier, *ends[:3]), (harder, *ends[3:])):
                levels[id_], names[id_] = level, name
                if ok:
                    within.add(id_)
        return ladders.Ladders(tuple(edges), frozenset(side), levels, names), within

    def rungs_around(
        self, exercise: Exercise, user: AbstractBaseUser | AnonymousUser
    ) -> tuple[list[Progression], list[Progression]]:
        """The edges one rung down and one rung up from the exercise, in one query.

        Limited to what this visitor may open, so a draft never appears as a link that
        would answer 404. In `ladders.Ladders.neighbours`' order, the one the swaps and the
        suggestions follow: the main branch first (the rung a step back or "make it harder"
        goes to), side branches after.
        """
        visible = Exercise.objects.visible_to(user)
        rungs = {
            (edge.easier_id, edge.harder_id): edge
            for edge in self.filter(Q(easier=exercise) | Q(harder=exercise))
            .between(visible)
            .select_related("easier", "harder")
        }
        ends = [end for edge in rungs.values() for end in (edge.easier, edge.harder)]
        graph = ladders.Ladders(
            tuple(rungs),
            frozenset(pair for pair, edge in rungs.items() if edge.branch == Branch.SIDE),
            levels={end.pk: end.level for end in ends},
            names={end.pk: end.name for end in ends},
        )
        return (
            [rungs[pk, exercise.pk] for pk in graph.neighbours(exercise.pk, harder=False)],
            [rungs[exercise.pk, pk] for pk in graph.neighbours(exercise.pk, harder=True)],
        )


class Progression(Timestamped):
    """An edge of a ladder: from an easier exercise up to a harder one (`exercises.ladders`)."""

    easier = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="to_harder")
    harder = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="to_easier")
    note = models.CharField(max_length=300, help_text="What changes on the way up.")
    branch = models.CharField(
        max_length=4,
        choices=Branch.choices,
        default=Branch.MAIN,
        help_text=(
            "Main: a step back or a default “make it harder” may follow this edge. Side: a "
            "variant reached only on purpose (for example a heel-below-step position that a "
            "sore Achilles should not be sent to by a step back)."
        ),
    )

    objects = ProgressionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["easier", "harder"],
                name="exercises_progression_unique",
                violation_error_message="These two exercises are already joined.",
            ),
            models.CheckConstraint(
                condition=~Q(easier=F("harder")),
                name="exercises_progression_not_to_itself",
                violation_error_message="An exercise cannot progress to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.easier} → {self.harder}"

    def clean(self) -> None:
        # A ladder only goes up: refuse an edge that would close a loop, which the
        # database cannot see (it only checks one row at a time).
        if not (self.easier_id and self.harder_id) or self.easier_id == self.harder_id:
            return
        others = Progression.objects.exclude(pk=self.pk).edges()
        if ladders.reaches(self.harder_id, self.easier_id, others):
            raise ValidationError(
                "This would make a loop: the easier exercise is already reachable "
                "by going up from the harder one."
            )


class ChangeState(models.TextChoices):
    DRAFT = "draft", "Draft, not yet submitted"
    SUBMITTED = "submitted", "Waiting for review"
    SENT_BACK = "sent_back", "Sent back to its editor"
    APPROVED = "approved", "Approved and published"


OPEN_STATES = (ChangeState.DRAFT, ChangeState.SUBMITTED, ChangeState.SENT_BACK)


class ExerciseChange(models.Model):
    """A change to an exercise on its way through review (`exercises.workflow`).

    `proposal` is the exercise with its parts as the change leaves it (a graph of
    `exercises.history`), kept aside while runners go on seeing the published rows; it is
    empty when the exercise is a draft that runners cannot see, whose rows are the change.
    An exercise has at most one open change.
    """

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="changes")
    # SET_NULL: deleting an account (tests/accounts/test_delete.py) must never be blocked.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="exercise_changes",
        help_text="Who last edited the change: never its reviewer.",
    )
    proposal = models.JSONField(null=True, blank=True, editable=False)
    note = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=ChangeState.choices, default=ChangeState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_exercise_changes",
    )
    review_comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise"],
                condition=Q(state__in=OPEN_STATES),
                name="exercises_one_open_change",
                violation_error_message="This exercise already has a change under way.",
            ),
            models.CheckConstraint(
                condition=_one_of("state", ChangeState), name="exercises_change_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Change to {self.exercise} ({self.get_state_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class StaffProfile(models.Model):
    """What the site says about a reviewer: "Reviewed by Jo Bloggs, PT, DPT on …"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    public_name = models.CharField(max_length=100)
    credentials = models.CharField(
        max_length=100, blank=True, help_text='As the page shows them, e.g. "PT, DPT".'
    )

    def __str__(self) -> str:
        return f"{self.public_name}, {self.credentials}" if self.credentials else self.public_name


class PictureKind(models.TextChoices):
    START = "start", "Start position"
    END = "end", "End position"
    STEP = "step", "A step"


class StoredIn(models.TextChoices):
    """Where a picture's file lives: shipped with the site, or uploaded by an editor."""

    STATIC = "static", "Static files (a drawing shipped with the site)"
    MEDIA = "media", "Media storage (uploaded in the admin)"


def picture_upload_to(picture: ExercisePicture, filename: str) -> str:
    """A fresh random name per upload: a file never changes under its address, so every
    cache may keep it for a year (and a runner's phone never shows a stale picture)."""
    import uuid
    from pathlib import PurePath

    return f"exercises/pictures/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ExercisePicture(models.Model):
    """A picture of an exercise: a start or end position, or a step, with what it shows.

    The file is either a drawing shipped with the site (`static_path`, served by
    whitenoise) or an upload (`image`, in media storage, checked and resized by
    `exercises.pictures` before it is saved). `renditions` are the upload's smaller WebP
    copies, [{"width", "height", "name"}, ...] narrowest first, for `srcset`.
    """

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="pictures")
    order = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=5, choices=PictureKind.choices, default=PictureKind.START)
    stored_in = models.CharField(
        max_length=6, choices=StoredIn.choices, default=StoredIn.MEDIA, editable=False
    )
    static_path = models.CharField(max_length=200, blank=True, editable=False)
    image = models.FileField(
        "picture",
        upload_to=picture_upload_to,
        blank=True,
        max_length=200,
        help_text="JPEG, PNG, WebP or SVG, at most 10 MB. Photos lose their metadata "
        "(GPS included) and get smaller WebP copies; SVGs must carry no scripts or links.",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    renditions = models.JSONField(default=list, blank=True, editable=False)
    alt = models.CharField(
        "alt text",
        max_length=300,
        help_text="What the body does in the picture, for someone who cannot see it: "
        "“Standing on the balls of both feet, heels lifted high”.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, help_text="Who made it: “Footcare”, a name.")
    licence = models.CharField(max_length=100, help_text="For example “CC BY 4.0”.")

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_one_of("kind", PictureKind), name="exercises_picture_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(stored_in=StoredIn.STATIC, image="") & ~Q(static_path="")
                    | Q(stored_in=StoredIn.MEDIA, static_path="") & ~Q(image="")
                ),
                name="exercises_picture_one_file",
                violation_error_message="A picture is a static drawing or an upload, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(alt=""),
                name="exercises_picture_alt_given",
                violation_error_message="Say what the body does in the picture (alt text).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.alt[:40]}"

    @property
    def file_name(self) -> str:
        """The file as the content file names it: a static path or a media storage name."""
        return self.static_path if self.stored_in == StoredIn.STATIC else self.image.name

    @property
    def url(self) -> str:
        from django.templatetags.static import static

        return static(self.static_path) if self.stored_in == StoredIn.STATIC else self.image.url

    @property
    def srcset(self) -> str:
        """The WebP copies and the original, each with its width; "" for a drawing."""
        if not self.renditions:
            return ""
        from django.core.files.storage import default_storage

        sizes = [f"{default_storage.url(r['name'])} {r['width']}w" for r in self.renditions]
        return ", ".join([*sizes, f"{self.url} {self.width}w"])

    def smallest_url(self, at_least: int = 0) -> str:
        """The narrowest file at least this wide (the original when none is), for cards."""
        from django.core.files.storage import default_storage

        for rendition in self.renditions:
            if rendition["width"] >= at_least:
                return default_storage.url(rendition["name"])
        return self.url
