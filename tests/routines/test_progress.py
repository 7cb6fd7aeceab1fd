"""/progress/'s figures against a small history counted by hand, the streak's edges, owner
isolation, and a query count that is the same with no history and with three years."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exercises.models import Region
from routines.plans.models import WeeklyPlan
from routines.progress.figures import Week, runner_progress, streak_of
from routines.training.demo import daily_history
from routines.training.models import ExerciseLog, MorningCheckIn, SetLog, WorkoutSession

from .conftest import add_item

pytestmark = pytest.mark.django_db

# A Wednesday: the current week began on Monday 23 November.
TODAY = datetime.date(2026, 11, 25)
# The plan was made on Wednesday 4 November, so Monday 2 November planned nothing.
PLAN_MADE = datetime.datetime(2026, 11, 4, 12, 0, tzinfo=datetime.UTC)
# The runner's request to /progress/: session, user with profile (the greeting; one query,
# footcare.accounts.backends.RunnerBackend), then the five
# queries of routines.progress.figures (plan, days, check-ins, exercises, their last days), then the
# suggestions' four (routines/suggestions.py: the plan's items with their latest applied
# changes and the runner's equipment, the logs, the published ladders with the published
# exercises' safety tips (a cache read), and today's changes for Undo; the check-ins are
# figures'), issue 24's
# two charts (the weight lifted, the calf tests) and the calf test's four-weekly retest (its
# latest test).
# The tests' cache is the database's table: its read of the exercises' regions with the
# content version (routines.progress.figures.exercise_regions, one read) is a query too.
PROGRESS_QUERIES = 15


def day(month: int, number: int) -> datetime.date:
    return datetime.date(2026, month, number)


@pytest.fixture
def plan(runner, exercise) -> WeeklyPlan:
    """Monday: calf raise 3 sets and toe yoga 2; Thursday: calf raise 3. A week plans 8."""
    plan = WeeklyPlan.objects.create(owner=runner, name="Strong feet", is_active=True)
    add_item(plan, exercise("calf-raise"), 0, sets=3)
    add_item(plan, exercise("toe-yoga"), 0, sets=2)
    add_item(plan, exercise("calf-raise"), 3, sets=3)
    WeeklyPlan.objects.filter(pk=plan.pk).update(created_at=PLAN_MADE)
    return plan


def log(runner, date, exercise, sets_done, pain=None, *, plan=None, skipped=False, amounts=()):
    session, _ = WorkoutSession.objects.get_or_create(owner=runner, date=date, plan=plan)
    entry = ExerciseLog.objects.create(
        session=session,
        exercise=exercise,
        sets_planned=3,
        sets_done=sets_done,
        pain=pain,
        skipped=skipped,
    )
    SetLog.objects.bulk_create(
        SetLog(log=entry, number=n, amount=amount) for n, amount in enumerate(amounts, 1)
    )
    return entry


@pytest.fixture
def history(runner, plan, exercise):
    calf, toes, towel = exercise("calf-raise"), exercise("toe-yoga"), exercise("towel-scrunch")
    # Week of 26 October: nothing planned; a session by hand, towel scrunches (foot and calf).
    log(runner, day(10, 31), towel, 2, pain=3)
    # Week of 2 November: only Thursday was planned (3 sets): 3 done, met.
    log(runner, day(11, 5), calf, 3, pain=2, plan=plan)
    # Week of 9 November: 3 + 2 + 1 = 6 of 8 (75 %), not met.
    log(runner, day(11, 9), calf, 3, pain=4, plan=plan)
    log(runner, day(11, 9), toes, 2, plan=plan)  # no pain rating
    log(runner, day(11, 12), calf, 1, pain=6, plan=plan)
    # Week of 16 November: 3 + 2 + 2 = 7 of 8 (87.5 %), met.
    log(runner, day(11, 16), calf, 3, pain=1, plan=plan)
    log(runner, day(11, 16), toes, 2, pain=1, plan=plan, amounts=(8, 8))
    log(runner, day(11, 19), calf, 2, pain=0, plan=plan)
    # This week: Monday's calf raises (3), toe yoga skipped; Thursday is still to come.
    log(runner, day(11, 23), calf, 3, pain=0, plan=plan, amounts=(10, 12, 11))
    log(runner, day(11, 23), toes, 0, plan=plan, skipped=True)
    for date, pain in [
        (day(10, 20), 4),  # the 28 days before the last 28
        (day(11, 10), 5),
        (day(11, 13), 7),
        (day(11, 17), 2),
        (day(11, 20), 1),
        (day(11, 24), 0),
    ]:
        MorningCheckIn.objects.create(owner=runner, date=date, pain=pain, stiffness=pain)


@pytest.fixture
def others_history(other_runner, exercise):
    """Grace trains hard on the same days, with an active plan: none of it is Ada's."""
    plan = WeeklyPlan.objects.create(owner=other_runner, name="Grace's", is_active=True)
    add_item(plan, exercise("toe-yoga"), 1, sets=10)
    WeeklyPlan.objects.filter(pk=plan.pk).update(created_at=PLAN_MADE)
    for date in (day(11, 9), day(11, 16), day(11, 23)):
        log(other_runner, date, exercise("towel-scrunch"), 10, pain=9, plan=plan)
        MorningCheckIn.objects.create(owner=other_runner, date=date, pain=9, stiffness=9)


def test_the_figures_match_the_hand_count(runner, history, others_history):
    progress = runner_progress(runner, today=TODAY)
    weeks = {week.start: week for week in progress.weeks}
    assert len(progress.weeks) == 12
    assert progress.weeks[0].start == day(9, 7) and progress.weeks[-1].start == day(11, 23)

    # Planned: nothing before the plan, then Thursday only, then 8 a week.
    assert [weeks[day(m, d)].planned for m, d in [(10, 26), (11, 2), (11, 9), (11, 16)]] == [
        0,
        3,
        8,
        8,
    ]
    assert [weeks[day(m, d)].done for m, d in [(10, 26), (11, 2), (11, 9), (11, 16)]] == [
        2,
        3,
        6,
        7,
    ]
    assert weeks[day(10, 26)].adherence is None  # nothing planned, not 0 %
    assert weeks[day(11, 2)].adherence == 1.0
    assert weeks[day(11, 9)].adherence == 0.75 and not weeks[day(11, 9)].met
    assert weeks[day(11, 16)].adherence == 0.875 and weeks[day(11, 16)].met

    # This week: 3 done of 8 planned, of the 5 planned up to Wednesday (Monday's).
    this_week = progress.this_week
    assert (this_week.done, this_week.planned, this_week.planned_so_far) == (3, 8, 5)
    assert this_week.adherence_so_far == 0.6 and not this_week.complete

    # Met last week, not the week before: a streak of 1; this week is not met yet.
    assert progress.streak == 1

    # Regions: a set counts in full in each region of a primary muscle, as half a set in a
    # region of secondary muscles only. Calf raise: calf, and shin at a half (the
    # peroneals); toe yoga: foot and shin, and calf at a half (the long toe flexors); towel
    # scrunch: foot and calf.
    regions = {start: week.regions for start, week in weeks.items()}
    assert regions[day(10, 26)] == {
        Region.FOOT: 2,
        Region.CALF: 2,
        Region.SHIN: 0,
        Region.HIP_THIGH: 0,
    }
    # Calf raises 3 + 1, toe yoga 2.
    assert regions[day(11, 9)] == {
        Region.FOOT: 2,
        Region.CALF: 4 + 2 / 2,
        Region.SHIN: 4 / 2 + 2,
        Region.HIP_THIGH: 0,
    }
    # Calf raises 3 + 2, toe yoga 2.
    assert regions[day(11, 16)][Region.CALF] == 5 + 2 / 2
    assert regions[day(11, 16)][Region.SHIN] == 5 / 2 + 2
    # Calf raises 3, toe yoga skipped.
    assert regions[day(11, 23)] == {
        Region.FOOT: 0,
        Region.CALF: 3,
        Region.SHIN: 3 / 2,
        Region.HIP_THIGH: 0,
    }

    # Session pain, the week's mean of the ratings given: (4 + 6) / 2; (1 + 1 + 0) / 3.
    assert weeks[day(10, 26)].session_pain == 3
    assert weeks[day(11, 9)].session_pain == 5
    assert weeks[day(11, 16)].session_pain == pytest.approx(2 / 3)
    assert weeks[day(11, 23)].session_pain == 0
    assert weeks[day(11, 2)].session_pain == 2
    assert weeks[day(9, 7)].session_pain is None
    # Morning pain: (5 + 7) / 2, (2 + 1) / 2, 0; 4 in the week of 19 October.
    assert [weeks[day(m, d)].morning_pain for m, d in [(10, 19), (11, 9), (11, 16), (11, 23)]] == [
        4,
        6,
        1.5,
        0,
    ]

    # Trends over 28 days (29 October to today) against the 28 before.
    assert progress.morning_pain.recent == 3  # (5 + 7 + 2 + 1 + 0) / 5
    assert progress.morning_pain.before == 4
    assert progress.morning_pain.direction == "down"
    assert progress.session_pain.recent == pytest.approx(17 / 8)  # 3+2+4+6+1+1+0+0
    assert progress.session_pain.direction == "unknown"  # nothing rated before

    # The heat map: 26 weeks from Monday 1 June; sets per day; the rest of the week to come.
    assert len(progress.days) == 182 and progress.days[0].date == day(6, 1)
    busy = {d.date: d.sets for d in progress.days if d.sets}
    assert busy == {
        day(10, 31): 2,
        day(11, 5): 3,
        day(11, 9): 5,
        day(11, 12): 1,
        day(11, 16): 5,
        day(11, 19): 2,
        day(11, 23): 3,
    }
    assert [d.date for d in progress.days if d.future] == [day(11, n) for n in (26, 27, 28, 29)]

    # Each exercise, the most recent first; a skipped one is not a session.
    calf, toes, towel = progress.exercises
    assert (calf.slug, calf.sessions, calf.first_done, calf.last_done) == (
        "calf-raise",
        6,
        day(11, 5),
        day(11, 23),
    )
    assert (calf.last_sets, calf.last_amount) == (3, 12)
    assert calf.pain.recent == pytest.approx(13 / 6)  # 2 + 4 + 6 + 1 + 0 + 0
    assert (toes.slug, toes.sessions, toes.last_done, toes.last_sets, toes.last_amount) == (
        "toe-yoga",
        2,
        day(11, 16),
        2,
        8,
    )
    assert toes.pain.recent == 1
    assert (towel.slug, towel.sessions, towel.last_amount) == ("towel-scrunch", 1, None)


def met(planned: int = 10, done: int = 8, complete: bool = True) -> Week:
    return Week(start=day(1, 5), planned=planned, done=done, complete=complete)


def missed(complete: bool = True) -> Week:
    return Week(start=day(1, 5), planned=10, done=7, complete=complete)


def unplanned() -> Week:
    return Week(start=day(1, 5), planned=0, done=5, complete=True)


@pytest.mark.parametrize(
    ("weeks", "streak"),
    [
        ([], 0),
        ([missed(complete=False)], 0),
        # The current week, not met yet, neither counts nor breaks the streak.
        ([met(), met(), missed(complete=False)], 2),
        # The current week never counts, met or not: a streak needs a week that has ended
        # (one session on day one is no streak).
        ([met(), met(), met(complete=False)], 2),
        ([met(complete=False)], 0),
        # A miss last week ends it, whatever came before.
        ([met(), met(), missed(), met(complete=False)], 0),
        ([met(), met(), missed()], 0),
        # Exactly 80 % meets the plan; just under does not.
        ([met(planned=10, done=8)], 1),
        ([met(planned=100, done=79)], 0),
        # More than planned counts as 100 %.
        ([met(planned=5, done=9)], 1),
        # A week that planned nothing ends a streak.
        ([met(), unplanned(), met()], 1),
        ([met()] * 26, 26),
    ],
)
def test_streak(weeks, streak):
    assert streak_of(weeks) == streak


def test_a_runner_with_no_history_has_an_empty_state(runner, runner_client, plan):
    progress = runner_progress(runner, today=TODAY)
    assert not progress.has_history and progress.streak == 0 and progress.exercises == []
    page = runner_client.get("/progress/")
    assert page.status_code == 200
    assert "Nothing logged yet" in page.text
    assert "Start today&#x27;s session" in page.text or "Start today's session" in page.text
    assert "<svg" not in page.text


def test_without_a_plan_the_empty_state_says_to_make_one(runner_client):
    page = runner_client.get("/progress/")
    assert "Nothing logged yet" in page.text and "Build your week" in page.text


def test_another_runners_logs_never_count(runner, other_runner, history, others_history):
    mine = runner_progress(runner, today=TODAY)
    alone = runner_progress(other_runner, today=TODAY)
    # Grace's 10-set sessions and pain 9 mornings are not in Ada's figures...
    assert max(d.sets for d in mine.days) == 5
    assert all(w.morning_pain != 9 for w in mine.weeks)
    assert {e.slug for e in mine.exercises} == {"calf-raise", "toe-yoga", "towel-scrunch"}
    # ...and none of Ada's are in Grace's.
    assert {e.slug for e in alone.exercises} == {"towel-scrunch"}
    assert alone.exercises[0].sessions == 3
    # Each plans from their own plan: Grace 10 sets on Tuesdays, Ada 8 a week.
    assert [w.planned for w in alone.weeks if w.start == day(11, 9)] == [10]
    assert [w.planned for w in mine.weeks if w.start == day(11, 9)] == [8]


def test_the_page_shows_the_runners_own_figures(
    runner_client, history, others_history, monkeypatch
):
    monkeypatch.setattr("footcare.clock.today", lambda: TODAY)
    page = runner_client.get("/progress/")
    assert page.status_code == 200
    text = page.text
    assert "60 %" in text and "3 of 5 sets planned so far; 8 in the week" in text
    assert '1 <span class="headline-unit">week</span>' in text  # the streak
    assert "Morning pain: 3/10 on average this month, down from 4" in text
    assert '<th scope="row">16 Nov</th>' in text
    assert 'role="img"' in text and "<title" in text and "<desc" in text
    assert "Mon 23 Nov: 3 sets" in text  # a heat-map cell's own text
    assert "Towel scrunch" in text or "towel" in text.lower()
    assert "pain 9" not in text and ">10<" not in text.split("Each exercise")[-1]


def test_day_one_shows_extra_sets_as_extra_no_streak_and_toe_yoga_as_foot_work(
    runner, runner_client, exercise, monkeypatch
):
    # Issue 20 point 13: "100 % — 8 of 6 sets planned so far", a 1-week streak after one
    # session, "No foot work" after toe yoga, and a paragraph per exercise short of data.
    monkeypatch.setattr("footcare.clock.today", lambda: TODAY)
    plan = WeeklyPlan.objects.create(owner=runner, name="Day one", is_active=True)
    wednesday = TODAY.weekday()
    calf = add_item(plan, exercise("calf-raise"), wednesday, sets=3)
    toes = add_item(plan, exercise("toe-yoga"), wednesday, sets=3)
    for slug in ("heel-walk", "arch-lift"):
        add_item(plan, exercise(slug), wednesday + 1, sets=2)
    made = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(7)))
    WeeklyPlan.objects.filter(pk=plan.pk).update(created_at=made)
    log(runner, TODAY, calf.exercise, 3, pain=1, plan=plan)
    log(runner, TODAY, toes.exercise, 5, pain=1, plan=plan)  # two sets more than planned

    week = runner_progress(runner, today=TODAY).this_week
    planned = calf.sets + toes.sets
    assert (week.done_of_planned_so_far, week.planned_so_far, week.extra_so_far) == (
        planned,
        planned,
        week.done - planned,
    )
    assert week.regions[Region.FOOT] > 0
    text = runner_client.get("/progress/").text

    assert f"{planned} of {planned} sets planned so far, and {week.done - planned} extra" in text
    assert f"{week.done} of {planned}" not in text
    assert '0 <span class="headline-unit">weeks</span>' in text
    assert "No foot" not in text
    # The four exercises short of data are one line, each one's reason folded under it.
    assert text.count("No suggestion yet for") == 1
    assert "the 4 exercises of your plan" in text
    assert "not enough data yet" not in text


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/progress/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/progress/")


def test_progress_answers_get_only_and_is_private(runner_client):
    assert runner_client.post("/progress/").status_code == 405
    response = runner_client.get("/progress/")
    assert "no-store" in response["Cache-Control"]


def count(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/progress/")
    assert response.status_code == 200
    return len(captured)


def test_the_same_queries_with_no_history_and_with_three_years(
    runner, runner_client, plan, django_assert_num_queries
):
    runner_client.get("/progress/")  # the library's regions and ladders are kept from here on
    with django_assert_num_queries(PROGRESS_QUERIES):
        runner_client.get("/progress/")
    empty = runner_client.get("/progress/").text
    daily_history(
        runner, plan, today=timezone.localdate(), days=3 * 365, items=list(plan.items.all())
    )
    MorningCheckIn.objects.bulk_create(
        MorningCheckIn(
            owner=runner,
            date=timezone.localdate() - datetime.timedelta(days=n),
            pain=n % 5,
            stiffness=1,
        )
        for n in range(1, 3 * 365)
    )
    with django_assert_num_queries(PROGRESS_QUERIES):
        full = runner_client.get("/progress/").text
    assert count(runner_client) == PROGRESS_QUERIES
    # The page grows by bounded pieces only: the four charts' tables (12 weeks, 26 weeks of
    # days, 12 weeks, 12 weeks, each with a header row) and a row per exercise in the plan.
    assert full.count("<tr") - empty.count("<tr") == (13 + 27 + 13 + 13) + (1 + 2)
    assert full.count('<rect class="heat') == 182
    assert len(full) < len(empty) + 80_000
