"""Fixtures shared by every test. Test-only settings tweaks live here, not in settings.py."""

import copy
from collections.abc import Callable
from importlib import import_module
from itertools import count
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader
from django.test import Client

from exercises.content.file import read_library
from exercises.content.seed import library_seed
from exercises.models import (
    Condition,
    Equipment,
    Exercise,
    ExerciseCondition,
    ExerciseMuscle,
    Muscle,
    Position,
    Region,
    Status,
)
from footcare.accounts.models import RunnerProfile, User
from routines.plans.models import PlanItem, WeeklyPlan

PASSWORD = "steady-calf-raises-41"
SUPERUSER_PASSWORD = "a-long-admin-password-3"

# The running week of `runner`: every kind of run, Tuesday hard and Saturday long.
WEEK = {
    "monday": "rest",
    "tuesday": "hard",
    "wednesday": "easy",
    "thursday": "rest",
    "friday": "easy",
    "saturday": "long",
    "sunday": "rest",
}


def make_runner(email: str, password: str = PASSWORD) -> User:
    """A runner as signup leaves them: a verified email, a profile with every day a rest day."""
    user = User.objects.create_user(email, password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(request: pytest.FixtureRequest):
    # The cache lives in a database table (or Redis) that transactional tests do not
    # flush, so login throttling counters would leak from one test into the next.
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def content_file_data() -> dict[str, Any]:
    """The committed content file (exercises/content/library.yaml), parsed once."""
    return read_library()


@pytest.fixture
def seeded_library(db, content_file_data) -> dict[str, Any]:
    """The library seeded from the content file, as `make run` loads it; returns its data.

    In a test that uses live_server or transactional_db it is seeded the same way, for real.
    """
    data = copy.deepcopy(content_file_data)
    library_seed(data=copy.deepcopy(data))
    return data


@pytest.fixture
def exercise(seeded_library) -> Callable[[str], Exercise]:
    """The seeded library's exercise with this slug."""

    def get(slug: str) -> Exercise:
        return Exercise.objects.get(slug=slug)

    return get


# Library builders: each returns a saved, valid object; keywords override. --------------------

_serial = count(1)


def builder[M: models.Model](
    model: type[M], defaults: Callable[[int], dict[str, Any]]
) -> Callable[..., M]:
    """Saves a `model` from `defaults(n)`, n new each time (names and slugs stay unique),
    overridden by the keywords given."""

    def make(**fields: Any) -> M:
        return model.objects.create(**{**defaults(next(_serial)), **fields})

    return make


@pytest.fixture
def make_muscle() -> Callable[..., Muscle]:
    return builder(
        Muscle,
        lambda n: {
            "name": f"Muscle {n}",
            "slug": f"muscle-{n}",
            "region": Region.CALF,
            "description": "Points the foot down.",
        },
    )


@pytest.fixture
def make_condition() -> Callable[..., Condition]:
    return builder(
        Condition,
        lambda n: {
            "name": f"Condition {n}",
            "slug": f"condition-{n}",
            "summary": "A sore spot.",
            "how_strengthening_helps": "Strong tissue copes better.",
        },
    )


@pytest.fixture
def make_equipment() -> Callable[..., Equipment]:
    return builder(Equipment, lambda n: {"name": f"Thing {n}", "slug": f"thing-{n}"})


@pytest.fixture
def make_exercise() -> Callable[..., Exercise]:
    return builder(
        Exercise,
        lambda n: {
            "name": f"Exercise {n}",
            "slug": f"exercise-{n}",
            "status": Status.PUBLISHED,
            "summary": "Do the thing.",
            "why_it_matters": "It helps.",
            "position": Position.STANDING,
            "laterality": "both",
            "level": 1,
            "dose_sets": 2,
            "dose_reps": 10,
        },
    )


@pytest.fixture
def link() -> Callable[..., None]:
    """Join an exercise to muscles (primary) and conditions, the way the pages read them."""

    def join(
        exercise: Exercise,
        *,
        muscles: tuple[Muscle, ...] = (),
        conditions: tuple[Condition, ...] = (),
        secondary: tuple[Muscle, ...] = (),
    ) -> None:
        for muscle in muscles:
            ExerciseMuscle.objects.create(exercise=exercise, muscle=muscle, role="primary")
        for muscle in secondary:
            ExerciseMuscle.objects.create(exercise=exercise, muscle=muscle, role="secondary")
        for condition in conditions:
            ExerciseCondition.objects.create(
                exercise=exercise, condition=condition, note="Why it helps."
            )

    return join


# Runners ------------------------------------------------------------------------------------


@pytest.fixture
def runner(db) -> User:
    """Ada, the runner every test signs in as: signed up (PASSWORD), her week set to WEEK."""
    user = make_runner("ada@example.com")
    RunnerProfile.objects.filter(user=user).update(**WEEK)
    return user


@pytest.fixture
def other_runner(db) -> User:
    """Grace, a second runner as signup leaves her: what is Ada's must stay out of her reach."""
    return make_runner("grace@example.com")


@pytest.fixture
def runner_client(client: Client, runner: User) -> Client:
    """The test client, signed in as `runner`."""
    client.force_login(runner)
    return client


@pytest.fixture
def other_client(other_runner: User) -> Client:
    """A second client, signed in as `other_runner`."""
    client = Client()
    client.force_login(other_runner)
    return client


@pytest.fixture
def superuser(db) -> User:
    """The site's administrator: a superuser, who may open every page of the admin."""
    return User.objects.create_superuser("admin@example.com", SUPERUSER_PASSWORD)


@pytest.fixture
def superuser_client(client: Client, superuser: User) -> Client:
    """The test client, signed in as `superuser`."""
    client.force_login(superuser)
    return client


# Staff and plans -------------------------------------------------------------------------


def make_staff(email: str, group: str | None = None) -> User:
    """A staff account, in the named group (Content editors, Content reviewers) if any."""
    from django.contrib.auth.models import Group

    user = User.objects.create_user(email, "pw", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db) -> User:
    return make_staff("editor@example.com", "Content editors")


@pytest.fixture
def editor_client(client: Client, editor: User) -> Client:
    client.force_login(editor)
    return client


def add_item(plan: WeeklyPlan, exercise: Exercise, weekday: int, **dose: Any) -> PlanItem:
    item = PlanItem(
        plan=plan,
        exercise=exercise,
        weekday=weekday,
        position=plan.items.filter(weekday=weekday).count(),
    )
    item.copy_dose_from(exercise)
    for field, value in dose.items():
        setattr(item, field, value)
    item.save()
    return item


@pytest.fixture
def runner_with_plan(runner: User, exercise) -> WeeklyPlan:
    """Ada's plan: calf raises on Monday and Thursday, toe yoga on Monday."""
    plan = WeeklyPlan.objects.create(owner=runner, name="Strong feet", is_active=True)
    add_item(plan, exercise("calf-raise"), 0)
    add_item(plan, exercise("toe-yoga"), 0)
    add_item(plan, exercise("calf-raise"), 3)
    return plan


STAFF_GROUP_MIGRATIONS = [
    ("exercises.migrations.0003_content_editors", "create_group"),
    ("exercises.migrations.0009_pictures", "grant_editors"),
    ("exercises.migrations.0011_content_reviewers", "create_group"),
]


@pytest.fixture
def staff_groups(transactional_db) -> None:
    """The staff groups as migrate leaves them. A transactional test that ran before this one
    flushed every table, the migrated rows too, so run those data migrations again."""
    if Group.objects.filter(name__in=["Content editors", "Content reviewers"]).count() == 2:
        return
    state_apps = MigrationLoader(connection).project_state().apps
    with connection.schema_editor() as schema_editor:
        for module, function in STAFF_GROUP_MIGRATIONS:
            getattr(import_module(module), function)(state_apps, schema_editor)
