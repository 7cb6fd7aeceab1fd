from __future__ import annotations

import datetime
import zoneinfo
from importlib import import_module
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models.functions import Lower

from footcare import clock
from footcare.text import LINE_VALIDATORS


class UserManager(DjangoUserManager["User"]):
    """Users are known by their email address; there is no username."""

    def _create_user_object(
        self, username: str | None, email: str | None, password: str | None, **extra_fields: Any
    ) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.password = make_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        return super().create_user(None, email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        """A superuser whose address counts as verified, so they can log in straight away.

        Verification is mandatory at login, and a superuser is made by an operator at the
        command line (`createsuperuser`), who is trusted with the address they type: without
        this, their first login would wait for an emailed code.
        """
        from allauth.account.models import EmailAddress

        with transaction.atomic(using=self._db):
            user = super().create_superuser(None, email, password, **extra_fields)
            EmailAddress.objects.db_manager(self._db).create(
                user=user, email=user.email.lower(), verified=True, primary=True
            )
        return user


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        constraints = [
            # Two accounts must never differ only in the case of their email.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def greeting_name(self) -> str:
        """What Footcare calls the runner: their display name, else their email address.

        One query the first time in a request (Django then keeps the profile on the user).
        """
        try:
            name = self.runner_profile.display_name
        except RunnerProfile.DoesNotExist:
            # Every user gets a profile when made (signals.py); this only guards a row
            # deleted by hand in the database.
            name = ""
        return name or self.email


class RunType(models.TextChoices):
    """What a runner does on one day of their usual week."""

    REST = "rest", "Rest"
    EASY = "easy", "Easy run"
    LONG = "long", "Long run"
    HARD = "hard", "Hard workout"


class Experience(models.TextChoices):
    NEW = "new", "New to strength work"
    SOME = "some", "Some strength work"
    REGULAR = "regular", "Regular strength work"


class ReminderChannel(models.TextChoices):
    """How a runner with reminders on is reminded of a plan day."""

    EMAIL = "email", "Email"
    CALENDAR = "calendar", "Calendar alarm"
    BOTH = "both", "Email and calendar alarm"


def validate_time_zone(name: str) -> None:
    if name not in clock.time_zone_names():
        raise ValidationError(clock.BAD_TIME_ZONE, code="invalid_choice")


# Monday first, so that WEEKDAYS[date.weekday()] is that date's day.
WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


class WeightUnit(models.TextChoices):
    KG = "kg", "Kilograms (kg)"
    LB = "lb", "Pounds (lb)"


class Sex(models.TextChoices):
    """As the calf test's published norms report it (men and women), and only for them."""

    NOT_GIVEN = "", "Rather not say"
    FEMALE = "female", "Female"
    MALE = "male", "Male"


BIRTH_YEAR_FIRST = 1900
BIRTH_YEAR_MESSAGE = "Give the year you were born, like 1985, or leave it empty."


def validate_birth_year(year: int) -> None:
    if not BIRTH_YEAR_FIRST <= year <= clock.today().year:
        raise ValidationError(BIRTH_YEAR_MESSAGE, code="invalid")


def _run_type_field(day: str) -> models.CharField:
    return models.CharField(
        f"{day.capitalize()}'s running", max_length=4, choices=RunType, default=RunType.REST
    )


class RunnerProfile(models.Model):
    """What Footcare knows about a runner to fit strength work around their running.

    The weekly pattern is seven plain columns, one per weekday: the plan generator reads
    it as `profile.weekly_pattern` (Monday first) without a join, and each column is held
    to the RunType choices by a database constraint.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="runner_profile")
    display_name = models.CharField(
        max_length=60,
        blank=True,
        validators=LINE_VALIDATORS,
        help_text="How Footcare greets you. Leave it empty to be greeted by your email address.",
    )
    experience = models.CharField(
        "experience with strength work", max_length=7, choices=Experience, default=Experience.NEW
    )
    weight_unit = models.CharField(
        "weights in",
        max_length=2,
        choices=WeightUnit,
        default=WeightUnit.KG,
        help_text="For the load you lift in heavy calf work: plans, the log and its charts.",
    )
    # Only to compare the calf capacity test with published norms by age and sex
    # (footcare/accounts/norms.py); both optional, and nothing else reads them.
    sex = models.CharField(
        "sex",
        max_length=6,
        choices=Sex,
        default=Sex.NOT_GIVEN,
        blank=True,
        help_text="Optional: only to compare your calf test with healthy men or women in a "
        "published study. Left empty, we say we cannot compare.",
    )
    birth_year = models.PositiveSmallIntegerField(
        "year of birth",
        null=True,
        blank=True,
        validators=[validate_birth_year],
        help_text="Optional: only to compare your calf test with people of your age "
        "(the study tested adults aged 20 to 81). Left empty, we say we cannot compare.",
    )
    # Not `choices`: the system's list of zones changes with its tzdata, and a migration
    # with each would follow. The form offers the list; the validator holds a save to it.
    time_zone = models.CharField(
        max_length=64,
        default=clock.site_time_zone,
        validators=[validate_time_zone],
        help_text="Your days start at midnight here: today's session, the log and check-ins.",
    )
    monday = _run_type_field("monday")
    tuesday = _run_type_field("tuesday")
    wednesday = _run_type_field("wednesday")
    thursday = _run_type_field("thursday")
    friday = _run_type_field("friday")
    saturday = _run_type_field("saturday")
    sunday = _run_type_field("sunday")
    conditions = models.ManyToManyField(
        "exercises.Condition",
        blank=True,
        related_name="+",
        verbose_name="conditions to guard against",
        help_text="Injuries you have had or want to avoid; your plan leans on exercises for them.",
    )
    hurting_now = models.ManyToManyField(
        "exercises.Condition",
        blank=True,
        related_name="+",
        verbose_name="which of them hurt now",
        help_text="Tick any that hurt now: you get its advice first, and no plan where the "
        "advice is to get assessed before training.",
    )
    equipment = models.ManyToManyField(
        "exercises.Equipment",
        blank=True,
        related_name="+",
        verbose_name="equipment at hand",
        help_text="Leave all unticked if you have nothing: many exercises need no equipment.",
    )
    # Reminders on plan days (footcare/reminders): off until the runner turns them on. The
    # time is a wall-clock time in `time_zone`; the calendar feed (routines) reads these too,
    # so they live here rather than in the reminders app, which nothing else may import.
    reminders_on = models.BooleanField("remind me on plan days", default=False)
    reminder_time = models.TimeField(
        "time of day",
        default=datetime.time(7, 0),
        help_text="In your own time zone. The email comes within a few minutes of it.",
    )
    reminder_channel = models.CharField(
        "remind me by", max_length=8, choices=ReminderChannel, default=ReminderChannel.EMAIL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reminder_channel__in=ReminderChannel.values),
                name="accounts_runnerprofile_reminder_channel_valid",
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{day}__in": RunType.values}),
                    name=f"accounts_runnerprofile_{day}_valid",
                )
                for day in WEEKDAYS
            ),
            models.CheckConstraint(
                condition=models.Q(experience__in=Experience.values),
                name="accounts_runnerprofile_experience_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(weight_unit__in=WeightUnit.values),
                name="accounts_runnerprofile_weight_unit_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=Sex.values),
                name="accounts_runnerprofile_sex_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=BIRTH_YEAR_FIRST),
                name="accounts_runnerprofile_birth_year_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Runner profile of {self.user}"

    @property
    def weekly_pattern(self) -> tuple[RunType, ...]:
        """The week's run types, Monday first: `weekly_pattern[date.weekday()]`."""
        return tuple(RunType(getattr(self, day)) for day in WEEKDAYS)

    @property
    def emails_reminders(self) -> bool:
        return self.reminders_on and self.reminder_channel != ReminderChannel.CALENDAR

    @property
    def calendar_alarm(self) -> bool:
        return self.reminders_on and self.reminder_channel != ReminderChannel.EMAIL

    def run_type_on(self, day: str) -> RunType:
        return RunType(getattr(self, day))

    def set_run_type(self, day: str, run_type: RunType | str) -> None:
        if day not in WEEKDAYS:
            raise ValueError(f"{day!r} is not a weekday")
        setattr(self, day, RunType(run_type))
        self.save(update_fields=[day, "updated_at"])


class RunnerSession(AbstractBaseSession):
    """Django's database session, knowing whose it is (footcare/accounts/sessions.py).

    Deleting an account deletes its sessions with it: on every device, at once, with
    whatever they hold. Django's own sessions name nobody a query could find them by, so
    they stayed behind for two weeks. No database constraint: a request still running on
    another device may save its session just after the account is gone; that row names a
    user that no longer exists and logs nobody in.
    """

    user = models.ForeignKey(
        User, null=True, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_runner_session"

    @classmethod
    def get_session_store_class(cls) -> type:
        # The engine names this model (footcare.accounts.sessions): found by the setting,
        # not imported, so the model and its engine do not import each other.
        return import_module(settings.SESSION_ENGINE).SessionStore


def zone_of(user: User) -> zoneinfo.ZoneInfo:
    """The runner's own time zone (one query the first time in a request, as for the
    greeting: Django then keeps the profile on the user); the site's without a profile."""
    try:
        name = user.runner_profile.time_zone
    except RunnerProfile.DoesNotExist:
        name = ""
    return clock.zone_named(name)


# The calf capacity test ------------------------------------------------------------------

CALF_RAISES_MAX = 150
# A side this much weaker than the other is flagged (the 10 %).
SIDE_DIFFERENCE_FLAG = 10
RETEST_DAYS = 28


class Surface(models.TextChoices):
    STEP = "step", "On a step edge"
    FLAT = "flat", "On flat ground"


class CalfRaiseTest(models.Model):
    """One single-leg heel-raise test to fatigue, both sides, beside the runner profile.

    The plan generator reads the latest (it already reads the profile), so nothing here
    imports from the apps above it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calf_raise_tests")
    tested_on = models.DateField("date of the test")
    surface = models.CharField(max_length=4, choices=Surface, default=Surface.FLAT)
    left = models.PositiveSmallIntegerField(
        "left leg: raises", validators=[MaxValueValidator(CALF_RAISES_MAX)]
    )
    right = models.PositiveSmallIntegerField(
        "right leg: raises", validators=[MaxValueValidator(CALF_RAISES_MAX)]
    )
    creation_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tested_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "creation_token"], name="accounts_calftest_once"
            ),
            models.CheckConstraint(
                condition=models.Q(left__lte=CALF_RAISES_MAX, right__lte=CALF_RAISES_MAX),
                name="accounts_calftest_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(surface__in=Surface.values),
                name="accounts_calftest_surface_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Calf test of {self.user} on {self.tested_on}"

    @property
    def weaker(self) -> int:
        return min(self.left, self.right)

    @property
    def retest_on(self) -> datetime.date:
        """The day a retest is offered: four weeks on (`RETEST_DAYS`), on the calf test page
        and on /progress/."""
        return self.tested_on + datetime.timedelta(days=RETEST_DAYS)

    def retest_due(self, today: datetime.date) -> bool:
        return self.retest_on <= today

    @property
    def weaker_side(self) -> str | None:
        if self.left == self.right:
            return None
        return "left" if self.left < self.right else "right"

    @property
    def difference_percent(self) -> int:
        """How many per cent fewer raises the weaker side did than the stronger, rounded."""
        stronger = max(self.left, self.right)
        if stronger == 0:
            return 0
        return round(100 * (stronger - self.weaker) / stronger)

    @property
    def flagged(self) -> bool:
        """The weaker side more than 10 % below the stronger (exactly, not rounded)."""
        stronger = max(self.left, self.right)
        return (stronger - self.weaker) * 100 > SIDE_DIFFERENCE_FLAG * stronger
