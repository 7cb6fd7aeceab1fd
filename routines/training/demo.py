"""A demo runner with a lived-in history, so that a newcomer sees the app at work.

`python manage.py seed_demo` (and `make run` with DEBUG on) calls `demo_runner_seed`.
"""

from __future__ import annotations

import datetime
import random

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from exercises.models import Condition, Equipment, Exercise
from footcare.accounts.models import RunnerProfile, User
from routines.plans.models import PlanItem, StarterPlan, WeeklyPlan
from routines.plans.services import plan_activate, starter_plan_copy
from routines.plans.starter_content import read_starter_plans, starter_plans_seed

from .models import ExerciseLog, MorningCheckIn, SetLog, Unit, WorkoutSession

DEMO_EMAIL = "demo@footcare.example"
# A development convenience, printed by `make run`: never seed a demo on a public server.
DEMO_PASSWORD = "demo-strong-feet-8"
WEEKS = 8
WEEK = {
    "monday": "rest",
    "tuesday": "easy",
    "wednesday": "hard",
    "thursday": "rest",
    "friday": "easy",
    "saturday": "rest",
    "sunday": "long",
}


def _plan(user: User) -> WeeklyPlan:
    starter = StarterPlan.objects.filter(slug="plantar-heel-care", published=True).first()
    if starter is not None:
        plan, _ = starter_plan_copy(starter=starter, owner=user)
    else:
        plan = WeeklyPlan.objects.create(owner=user, name="Strong feet")
    # Foot work on the weekend too, with a timed set, so that every kind of dose shows.
    extra = [
        (5, "toe-spread", {}),
        (5, "heel-walk", {"reps": None, "hold_seconds": None, "duration_seconds": 30}),
        (6, "toe-yoga", {}),
        (6, "arch-lift", {}),
        # Midweek foot work beside the heel raises, so that on any day one exercise done
        # before yesterday can show "make it harder".
        (2, "towel-scrunch", {}),
    ]
    for weekday, slug, dose in extra:
        exercise = Exercise.objects.published().filter(slug=slug).first()
        if exercise is None:
            continue
        item = PlanItem(
            plan=plan,
            weekday=weekday,
            position=plan.items.filter(weekday=weekday).count(),
            exercise=exercise,
        )
        item.copy_dose_from(exercise)
        for field, value in dose.items():
            setattr(item, field, value)
        item.rest_seconds = 30
        item.full_clean()
        item.save()
    plan_activate(plan=plan)
    return plan


def _history(user: User, plan: WeeklyPlan, today: datetime.date) -> int:
    """Eight weeks of the plan, a few days missed before a pain flare in week five."""
    rng = random.Random(8)
    items = list(plan.items.order_by("weekday", "position", "pk"))
    made = 0
    for back in range(WEEKS * 7, 0, -1):
        day = today - datetime.timedelta(days=back)
        todays = [item for item in items if item.weekday == day.weekday()]
        week = (WEEKS * 7 - back) // 7
        # A day missed now and then, half the days in the flare (week five), none since:
        # /progress/ shows a streak of the weeks after the flare. Never yesterday, so a
        # newcomer meets this morning's check-in question.
        miss = 0.5 if week == 4 else 0.12 if week < 4 else 0.0
        if not todays or (rng.random() < miss and back != 1):
            continue
        flare = week == 4
        started = timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 10)))
        session = WorkoutSession.objects.create(
            owner=user,
            plan=plan,
            date=day,
            started_at=started,
            finished_at=started + datetime.timedelta(minutes=18),
            notes="Heel sore on the first steps this morning." if flare and back % 7 == 0 else "",
        )
        for item in todays:
            pain = (
                rng.choice((4, 5, 6)) if flare else max(0, rng.choice((0, 1, 1, 2, 3)) - week // 3)
            )
            sets = item.sets - (1 if flare and rng.random() < 0.5 else 0)
            planned = item.amount
            # A rep more every fortnight, as a runner who progresses honestly would; a raise
            # dosed by the weight lifted (the Rathleff raise, 12 that you can only just lift)
            # keeps its reps and grows by load, so it does not drift to 3 x 15.
            by_reps = item.unit == Unit.REPS and not item.exercise.progress_by_load
            amount = min(planned + week // 2, 100) if by_reps else planned
            log = ExerciseLog.objects.create(
                session=session,
                exercise=item.exercise,
                plan_item=item,
                position=item.position,
                unit=item.unit,
                per_side=item.per_side,
                sets_planned=item.sets,
                sets_done=sets,
                load_note=item.load_note,
                pain=pain,
                effort=min(10, 5 + week // 3 + (2 if flare else 0)),
            )
            SetLog.objects.bulk_create(
                SetLog(
                    log=log,
                    number=n,
                    amount=amount,
                    amount_right=amount if item.per_side else None,
                    done_at=started + datetime.timedelta(minutes=2 * n),
                )
                for n in range(1, sets + 1)
            )
        made += 1
    return made


def _check_ins(user: User, today: datetime.date) -> int:
    """Most mornings' first steps: heel pain easing over the weeks, worse in the flare.

    Never this morning's: /today/ asks it, the morning after yesterday's session.
    """
    rng = random.Random(9)
    rows = []
    for back in range(WEEKS * 7, 0, -1):
        if rng.random() < 0.15:
            continue
        week = (WEEKS * 7 - back) // 7
        # The flare's sessions are in week five; the mornings after them hurt too.
        pain = (
            rng.choice((4, 5, 6))
            if week == 4
            else max(0, 3 - week // 2 + rng.choice((-1, 0, 0, 1)))
        )
        stiffness = min(10, pain + rng.choice((0, 1, 1, 2)))
        rows.append(
            MorningCheckIn(
                owner=user,
                date=today - datetime.timedelta(days=back),
                pain=pain,
                stiffness=stiffness,
            )
        )
    MorningCheckIn.objects.bulk_create(rows)
    return len(rows)


# The exercise whose last two sessions earn "progress" once today's check-in is answered.
READY_TO_PROGRESS = "toe-yoga"
# Of the plan's other exercises, in order of preference: one whose last session hurt (6/10,
# and 5/10 the next morning) so that it steps back, one whose last two were easy with quiet
# mornings so that it progresses, and one whose last session hurt a little (4/10) so that it
# holds; each chosen, whatever day today is, among those not done yesterday (this morning's
# check-in is the newcomer's to answer) and on days whose mornings fit its story.
STEPS_BACK = ("calf-raise", "heel-walk", "arch-lift", "toe-spread", "towel-scrunch")
PROGRESSES = ("heel-walk", "toe-spread", "towel-scrunch", "arch-lift", "calf-raise")
# The heel-care plan's raise is the Rathleff raise (issue 24), which grows by the weight
# lifted: it holds.
HOLDS = ("plantar-heel-raise", "calf-raise", "arch-lift", "toe-spread", "heel-walk")
# Within the progression rules with a margin (issue 24 makes them stricter): a step back's
# session pain above 5; a progress's pain at most 3, effort at most 7, mornings at most 3.
SORE_PAIN, SORE_MORNING, EASY_PAIN, EASY_EFFORT, HOLD_PAIN = 6, 5, 1, 5, 4


def _log_for(session: WorkoutSession, item: PlanItem) -> ExerciseLog:
    log = session.logs.filter(exercise=item.exercise).first()
    if log is None:
        log = ExerciseLog.objects.create(
            session=session,
            exercise=item.exercise,
            plan_item=item if session.plan_id and item.weekday == session.date.weekday() else None,
            position=session.logs.count(),
            unit=item.unit,
            per_side=item.per_side,
            sets_planned=item.sets,
        )
    return log


def _complete(log: ExerciseLog, item: PlanItem, *, pain: int, effort: int) -> None:
    planned = item.amount
    log.sets.all().delete()
    SetLog.objects.bulk_create(
        SetLog(log=log, number=n, amount=planned, amount_right=planned if item.per_side else None)
        for n in range(1, item.sets + 1)
    )
    log.sets_planned, log.sets_done, log.pain, log.effort, log.skipped = (
        item.sets,
        item.sets,
        pain,
        effort,
        False,
    )
    log.save()


def _suggestions_ready(user: User, plan: WeeklyPlan, today: datetime.date) -> None:
    """The last weeks' ending, the same whatever today is, for the suggestions (issue 12).

    Toe yoga: two easy, complete sessions, the last one yesterday (on the plan when it has
    toe yoga then, else logged by hand), and a quiet morning after the one before; only
    today's check-in is missing, so it says "not enough data" until the runner answers it
    and "progress" once they answer with no more pain than usual. Beside it, live now
    (`_live_suggestions`): one exercise to step back, one to make harder, one that holds.
    """
    item = plan.items.filter(exercise__slug=READY_TO_PROGRESS).order_by("weekday").first()
    if item is None:
        return
    yesterday = today - datetime.timedelta(days=1)
    on_plan = plan.items.filter(weekday=yesterday.weekday()).exists()
    started = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(7, 10)))
    session = WorkoutSession.objects.filter(owner=user, date=yesterday).first()
    if session is None:
        session = WorkoutSession.objects.create(
            owner=user,
            plan=plan if on_plan else None,
            date=yesterday,
            started_at=started,
            finished_at=started + datetime.timedelta(minutes=18),
        )
    _complete(_log_for(session, item), item, pain=1, effort=4)
    before = (
        ExerciseLog.objects.filter(
            session__owner=user, exercise=item.exercise, session__date__lt=yesterday
        )
        .select_related("session")
        .order_by("-session__date")
        .first()
    )
    if before is not None:
        _complete(before, item, pain=0, effort=4)
        MorningCheckIn.objects.update_or_create(
            owner=user,
            date=before.session.date + datetime.timedelta(days=1),
            defaults={"pain": 0, "stiffness": 1},
        )
    MorningCheckIn.objects.filter(owner=user, date=today).delete()
    calm = {yesterday} | ({before.session.date} if before is not None else set())
    _live_suggestions(user, plan, today, calm_days=calm)


def _live_suggestions(
    user: User, plan: WeeklyPlan, today: datetime.date, *, calm_days: set[datetime.date]
) -> None:
    """A step back, a progress and a hold that need no check-in today (issue 20 point 18).

    `calm_days` are days whose next mornings must stay quiet (toe yoga's story). The sore
    session is the step back's last one, on a day whose other exercises the runner left
    (a morning of 5/10 after them would step them back too).
    """
    yesterday = today - datetime.timedelta(days=1)
    items = {item.exercise.slug: item for item in plan.items.select_related("exercise")}
    logs: dict[str, list[ExerciseLog]] = {}
    for log in (
        ExerciseLog.objects.filter(
            session__owner=user,
            session__date__gte=today - datetime.timedelta(days=28),
            skipped=False,
            exercise__slug__in=set(items) - {READY_TO_PROGRESS},
        )
        .select_related("session", "exercise")
        .order_by("-session__date", "-session__started_at", "-pk")
    ):
        logs.setdefault(log.exercise.slug, []).append(log)

    def last_day(slug: str) -> datetime.date:
        return logs[slug][0].session.date

    # Not done yesterday: the morning after its last session is already checked in.
    ready = [slug for slug in logs if logs[slug] and last_day(slug) < yesterday]
    sore = next(
        (slug for slug in STEPS_BACK if slug in ready and last_day(slug) not in calm_days), None
    )
    sore_day = None
    if sore is not None:
        sore_log = logs[sore][0]
        sore_day = sore_log.session.date
        left = sore_log.session.logs.exclude(pk=sore_log.pk)
        for slug in logs:
            logs[slug] = [
                log
                for log in logs[slug]
                if log.session_id != sore_log.session_id or log == sore_log
            ]
        left.delete()
        _complete(sore_log, items[sore], pain=SORE_PAIN, effort=EASY_EFFORT + 2)
        MorningCheckIn.objects.update_or_create(
            owner=user,
            date=sore_day + datetime.timedelta(days=1),
            defaults={"pain": SORE_MORNING, "stiffness": SORE_MORNING + 1},
        )
    easy = next(
        (slug for slug in PROGRESSES if slug in ready and slug != sore and len(logs[slug]) > 1),
        None,
    )
    if easy is not None:
        last, previous = logs[easy][:2]
        for log in logs[easy][2:]:
            # No painful session in the two weeks up to its last one either.
            if (last.session.date - log.session.date).days < 14 and (log.pain or 0) > EASY_PAIN:
                log.pain = EASY_PAIN
                log.save(update_fields=["pain"])
        for log, pain in ((last, EASY_PAIN), (previous, 0)):
            _complete(log, items[easy], pain=pain, effort=EASY_EFFORT)
            MorningCheckIn.objects.update_or_create(
                owner=user,
                date=log.session.date + datetime.timedelta(days=1),
                defaults={"pain": 0, "stiffness": 1},
            )
    held = next((slug for slug in HOLDS if logs.get(slug) and slug not in {sore, easy}), None)
    if held is not None:
        # Pain 4 in its last session holds, whatever else it did.
        logs[held][0].pain = HOLD_PAIN
        logs[held][0].save(update_fields=["pain"])


def daily_history(
    user: User,
    plan: WeeklyPlan,
    *,
    today: datetime.date,
    days: int = 3 * 365,
    start: int = 1,
    items: list[PlanItem] | None = None,
) -> None:
    """A session every day for `days` days going back from `start` days before `today`.

    Each session logs `items` (today's weekday's items of the plan when not given) with two
    sets of 10 and pain 0, 1, 2, 3 in turn: the large history of the cost tests and of
    `make bench-client`. Bulk inserts, so three years take a second.
    """
    if items is None:
        items = list(plan.items.filter(weekday=today.weekday()).order_by("position", "pk"))
    sessions = WorkoutSession.objects.bulk_create(
        WorkoutSession(owner=user, plan=plan, date=today - datetime.timedelta(days=n))
        for n in range(start, start + days)
    )
    logs = ExerciseLog.objects.bulk_create(
        ExerciseLog(
            session=session,
            exercise_id=item.exercise_id,
            plan_item=item,
            position=item.position,
            unit=item.unit,
            per_side=item.per_side,
            sets_planned=item.sets,
            sets_done=2,
            pain=n % 4,
            effort=5,
        )
        for n, session in enumerate(sessions)
        for item in items
    )
    SetLog.objects.bulk_create(
        SetLog(log=log, number=number, amount=10, amount_right=10 if log.per_side else None)
        for log in logs
        for number in (1, 2)
    )


@transaction.atomic
def demo_runner_seed(
    *, today: datetime.date | None = None, reset: bool = False
) -> tuple[User, bool]:
    """The demo runner; made afresh with `reset`, else kept as it is when it exists."""
    existing = User.objects.filter(email=DEMO_EMAIL).first()
    if existing is not None and not reset:
        return existing, False
    if existing is not None:
        existing.delete()
    today = today or timezone.localdate()
    starter_plans_seed(data=read_starter_plans(), only_new=True)
    user = User.objects.create_user(DEMO_EMAIL, DEMO_PASSWORD)
    EmailAddress.objects.create(user=user, email=DEMO_EMAIL, verified=True, primary=True)
    profile = RunnerProfile.objects.get(user=user)
    for day, run in WEEK.items():
        setattr(profile, day, run)
    profile.display_name = "Demo runner"
    profile.experience = "some"
    profile.save()
    profile.conditions.set(Condition.objects.filter(slug__in=["plantar-fasciitis"]))
    profile.equipment.set(
        Equipment.objects.filter(slug__in=["step", "towel", "wall-or-chair", "small-object"])
    )
    plan = _plan(user)
    # The plan was made the day before the history starts, so every week of it was planned.
    made_on = today - datetime.timedelta(days=WEEKS * 7 + 1)
    WeeklyPlan.objects.filter(pk=plan.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(made_on, datetime.time(20)))
    )
    _history(user, plan, today)
    _check_ins(user, today)
    _suggestions_ready(user, plan, today)
    return user, True
