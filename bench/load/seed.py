"""The load test's population: the library, then runners with profiles, verified addresses
and an active plan each, some of them with a year of history.

Bulk inserts throughout, so 2,000 runners take seconds rather than the half hour their
password hashes would: every runner has the same password, hashed once. The history is
`routines.training.demo.daily_history` (the cost tests' and `make bench-client`'s), with a
morning check-in on each of its days.

Returns what the load script needs to act as each runner (`population()`), written as
JSON beside the journal.
"""

from __future__ import annotations

import datetime
import itertools
import random

PASSWORD = "load-test-feet-29"
EMAIL = "runner{n:05d}@load.example"
ITEMS_A_DAY = 3
HISTORY_DAYS = 365


def seed_runners(*, runners: int, with_history: int, today: datetime.date) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from exercises.models import Exercise
    from footcare.accounts.models import RunnerProfile, User
    from routines.plans.models import PlanItem, WeeklyPlan
    from routines.training.demo import daily_history
    from routines.training.models import MorningCheckIn

    password = make_password(PASSWORD)
    rng = random.Random(29)
    # Exercises with a rung up or down, so that /today/ offers a swap; then the rest.
    exercises = list(Exercise.objects.published().order_by("pk"))
    graph = ladders()
    laddered = [e for e in exercises if any(graph[e.pk])]
    pool = laddered + [e for e in exercises if e not in laddered]
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(email=EMAIL.format(n=n), password=password) for n in range(runners)
        )
        # The profile signal does not run for bulk inserts: made here as it would make them.
        RunnerProfile.objects.bulk_create(RunnerProfile(user=user) for user in users)
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
        )
        plans = WeeklyPlan.objects.bulk_create(
            WeeklyPlan(owner=user, name="My feet", is_active=True) for user in users
        )
        items = []
        for plan in plans:
            chosen = itertools.cycle(rng.sample(pool[:40], 12) + rng.sample(pool, 9))
            for weekday in range(7):
                for position in range(ITEMS_A_DAY):
                    item = PlanItem(
                        plan=plan, weekday=weekday, position=position, exercise=next(chosen)
                    )
                    item.copy_dose_from(item.exercise)
                    items.append(item)
        PlanItem.objects.bulk_create(items, batch_size=2000)
    for user, plan in zip(users[:with_history], plans[:with_history], strict=True):
        with transaction.atomic():
            daily_history(user, plan, today=today, days=HISTORY_DAYS)
            MorningCheckIn.objects.bulk_create(
                MorningCheckIn(
                    owner=user,
                    date=today - datetime.timedelta(days=back),
                    pain=back % 4,
                    stiffness=(back + 1) % 4,
                )
                for back in range(1, HISTORY_DAYS + 1)
            )


def ladders() -> dict[int, tuple[int | None, int | None]]:
    """Each published exercise's easier and harder rung, as /today/'s swap buttons offer."""
    from exercises.models import Exercise, Progression

    published = Exercise.objects.published()
    graph = Progression.objects.between(published).graph()
    return {
        pk: (graph.next_rung(pk, harder=False), graph.next_rung(pk, harder=True))
        for pk in published.values_list("pk", flat=True)
    }


def population(today: datetime.date) -> dict:
    """Each runner as the load script acts them: address, plan, today's items (with their
    sets, amount and swaps), the day after's order on the board."""
    from exercises.models import Exercise
    from footcare.accounts.models import User
    from routines.plans.models import PlanItem

    graph = ladders()
    slugs = list(Exercise.objects.published().order_by("pk").values_list("slug", flat=True))
    runners = []
    items = PlanItem.objects.filter(
        plan__is_active=True, plan__owner__email__endswith="load.example"
    )
    by_plan: dict[int, list[PlanItem]] = {}
    for item in items.order_by("plan_id", "weekday", "position", "pk"):
        by_plan.setdefault(item.plan_id, []).append(item)
    history = set(
        User.objects.filter(workout_sessions__isnull=False).values_list("pk", flat=True).distinct()
    )
    for user in User.objects.filter(email__endswith="load.example").order_by("pk"):
        plan_id = user.weekly_plans.get(is_active=True).pk
        plan_items = by_plan[plan_id]
        runners.append(
            {
                "id": user.pk,
                "email": user.email,
                "plan": plan_id,
                "history": user.pk in history,
                "today": [
                    {
                        "id": item.pk,
                        "sets": item.sets,
                        "amount": item.amount or 10,
                        "per_side": item.per_side,
                        "exercise": item.exercise_id,
                        "swaps": [pk for pk in graph.get(item.exercise_id, ()) if pk],
                    }
                    for item in plan_items
                    if item.weekday == today.weekday()
                ],
                "board_day": (today.weekday() + 1) % 7,
                "board": [
                    item.pk for item in plan_items if item.weekday == (today.weekday() + 1) % 7
                ],
                "add_day": (today.weekday() + 2) % 7,
            }
        )
    return {
        "today": today.isoformat(),
        "password": PASSWORD,
        "slugs": slugs,
        "exercises": list(Exercise.objects.published().order_by("pk").values_list("pk", flat=True)),
        "runners": runners,
    }
