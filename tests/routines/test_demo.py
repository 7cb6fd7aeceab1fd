"""The demo runner: a profile, an active plan and eight weeks of plausible sessions."""

import datetime

import pytest
from django.core.management import call_command

from routines.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_runner_seed
from routines.models import ExerciseLog

TODAY = datetime.date(2026, 11, 29)


def test_the_demo_runner_has_a_plan_and_eight_weeks_with_gaps_and_a_flare(seeded_library):
    user, made = demo_runner_seed(today=TODAY)
    assert made
    assert user.check_password(DEMO_PASSWORD)
    assert user.weekly_plans.get(is_active=True).items.count() >= 6
    sessions = user.workout_sessions.order_by("date")
    first, last = sessions.first().date, sessions.last().date
    assert TODAY - first <= datetime.timedelta(weeks=8) and last < TODAY
    planned_days = {item.weekday for item in user.weekly_plans.get().items.all()}
    possible = sum(
        1
        for n in range(1, 8 * 7 + 1)
        if (TODAY - datetime.timedelta(days=n)).weekday() in planned_days
    )
    assert 0 < sessions.count() < possible  # a few missed days
    logs = ExerciseLog.objects.filter(session__owner=user)
    assert logs.filter(pain__gte=5).exists()  # the flare
    assert logs.filter(pain__lte=1).count() > logs.filter(pain__gte=4).count()


def test_seed_demo_keeps_the_demo_and_prints_the_login(seeded_library, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Kept the demo runner" in out
    assert f"Log in as {DEMO_EMAIL} with the password {DEMO_PASSWORD}" in out


@pytest.mark.parametrize("reset", [True])
def test_seed_demo_reset_makes_it_afresh(seeded_library, reset):
    first, _ = demo_runner_seed(today=TODAY)
    second, made = demo_runner_seed(today=TODAY, reset=reset)
    assert made and first.pk != second.pk


def test_the_demo_leaves_this_mornings_check_in_to_the_newcomer(seeded_library):
    user, _ = demo_runner_seed(today=TODAY)
    yesterday = TODAY - datetime.timedelta(days=1)
    assert user.workout_sessions.trained().filter(date=yesterday).exists()
    assert not user.check_ins.filter(date=TODAY).exists()
    # The usual mornings before it are there to compare against.
    assert user.check_ins.filter(date__lt=TODAY).count() > 30


@pytest.mark.parametrize("days_on", range(7))
def test_the_demo_earns_progress_once_today_is_checked_in_and_holds_one(seeded_library, days_on):
    from routines.models import MorningCheckIn
    from routines.progression import Verdict
    from routines.suggestions import plan_suggestions

    today = TODAY + datetime.timedelta(days=days_on)  # every weekday
    user, _ = demo_runner_seed(today=today)
    verdicts = {s.exercise.slug: s for s in plan_suggestions(user, today=today)}
    assert verdicts["toe-yoga"].verdict == Verdict.NOT_ENOUGH_DATA
    assert "no check-in the morning after your last session" in verdicts["toe-yoga"].reason
    assert verdicts["calf-raise"].verdict == Verdict.HOLD

    MorningCheckIn.objects.create(owner=user, date=today, pain=0, stiffness=0)
    verdicts = {s.exercise.slug: s for s in plan_suggestions(user, today=today)}
    assert verdicts["toe-yoga"].verdict == Verdict.PROGRESS and verdicts["toe-yoga"].changes
    assert "Your last two sessions were complete" in verdicts["toe-yoga"].reason
    assert verdicts["calf-raise"].verdict == Verdict.HOLD


def test_checking_in_with_htmx_brings_the_suggestion_it_was_waiting_for(
    seeded_library, client, monkeypatch
):
    monkeypatch.setattr("footcare.clock.today", lambda: TODAY)
    user, _ = demo_runner_seed(today=TODAY)
    client.force_login(user)
    htmx = {"HX-Request": "true", "HX-Target": "check-in"}

    response = client.post("/today/check-in/", {"pain": "0"}, headers=htmx)

    page = response.content.decode()
    assert response.status_code == 200 and 'id="check-in"' in page
    # The suggestions block comes with it, out of band, now saying "progress" for toe yoga.
    assert 'id="suggestions"' in page and 'hx-swap-oob="true"' in page
    assert "Your last two sessions were complete" in page


def test_a_refused_check_in_leaves_the_suggestions_alone(seeded_library, client, monkeypatch):
    monkeypatch.setattr("footcare.clock.today", lambda: TODAY)
    user, _ = demo_runner_seed(today=TODAY)
    client.force_login(user)
    htmx = {"HX-Request": "true", "HX-Target": "check-in"}

    response = client.post("/today/check-in/", {"pain": "11"}, headers=htmx)

    assert response.status_code == 400 and 'id="suggestions"' not in response.content.decode()
    assert not user.check_ins.filter(date=TODAY).exists()


def test_the_demo_runner_shows_a_streak_after_the_flare_on_progress(seeded_library):
    from routines.progress import runner_progress

    user, _ = demo_runner_seed(today=TODAY)
    progress = runner_progress(user, today=TODAY)
    # The plan dates from before the history, so each of its eight weeks was planned.
    assert sum(1 for week in progress.weeks if week.planned) >= 8
    assert progress.streak >= 2
    assert any(not week.met for week in progress.weeks if week.planned and week.complete)
    assert progress.morning_pain.direction in {"down", "steady"}


def test_progress_shows_the_suggestions_after_the_trend_and_apply_comes_back_to_it(
    seeded_library, client, monkeypatch
):
    from routines.models import MorningCheckIn

    monkeypatch.setattr("footcare.clock.today", lambda: TODAY)
    user, _ = demo_runner_seed(today=TODAY)
    MorningCheckIn.objects.create(owner=user, date=TODAY, pain=0, stiffness=0)
    client.force_login(user)

    page = client.get("/progress/").content.decode()

    assert page.index("At a glance") < page.index('id="suggestions"') < page.index("Each exercise")
    assert "Make it harder" in page and 'name="next" value="/progress/"' in page
