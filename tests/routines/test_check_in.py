"""The next-morning check-in on /today/: pain and stiffness on the first steps, one tap each,
one row per runner and morning, only this morning's."""

import datetime
import re

import pytest
from django.db import IntegrityError
from django.forms.models import model_to_dict

from routines.training.models import ExerciseLog, MorningCheckIn, WorkoutSession
from tests.concurrency import at_once, copy_of, double_submit, needs_parallel_database

from .conftest import MONDAY

URL = "/today/check-in/"
HTMX = {"HX-Request": "true", "HX-Target": "check-in"}
YESTERDAY = MONDAY - datetime.timedelta(days=1)
QUESTION = "How did your feet feel on your first steps this morning?"


def session_on(runner, day, exercise, **log) -> WorkoutSession:
    session = WorkoutSession.objects.create(owner=runner, date=day)
    ExerciseLog.objects.create(
        session=session, exercise=exercise, **{"sets_planned": 2, "sets_done": 2, **log}
    )
    return session


def pressed(text: str, name: str, value: int) -> bool:
    button = rf'id="check-in-{name}-{value}" class="scale-button is-chosen[^"]*"'
    return re.search(button + ' aria-pressed="true"', text) is not None


# The model ---------------------------------------------------------------------------------


def test_stiffness_may_wait_for_its_tap_but_pain_may_not(runner):
    check_in = MorningCheckIn.objects.create(owner=runner, date=MONDAY, pain=2)
    check_in.full_clean()
    assert check_in.as_export() == {"date": "2026-11-23", "pain": 2, "stiffness": None}
    assert check_in.answer_text() == "Pain 2/10 this morning"
    check_in.stiffness = 3
    assert check_in.answer_text() == "Pain 2/10, stiffness 3/10 this morning"
    with pytest.raises(IntegrityError):
        MorningCheckIn.objects.create(owner=runner, date=YESTERDAY, pain=None)


@pytest.mark.parametrize("field", ["pain", "stiffness"])
def test_an_answer_out_of_range_is_refused_by_the_database(runner, field):
    with pytest.raises(IntegrityError):
        MorningCheckIn.objects.create(owner=runner, date=MONDAY, **{"pain": 1, field: 11})


# When it asks --------------------------------------------------------------------------------


def test_the_morning_after_a_session_today_asks_first(runner, runner_client, exercise, on_monday):
    session_on(runner, YESTERDAY, exercise("toe-yoga"))
    page = runner_client.get("/today/").text
    assert f'<h2 id="check-in-title">{QUESTION}</h2>' in page
    assert "check-in-fold" not in page
    # At the top, before the day's plan (here: the way to make one).
    assert page.index(QUESTION) < page.index("No active plan yet")
    assert 'aria-pressed="true"' not in page


@pytest.mark.parametrize(
    "yesterday",
    ["none", "all skipped", "no set done", "two days back", "another runner's"],
)
def test_other_mornings_keep_the_check_in_folded_away(
    runner, other_runner, runner_client, exercise, on_monday, yesterday
):
    toes = exercise("toe-yoga")
    if yesterday == "all skipped":
        session_on(runner, YESTERDAY, toes, skipped=True, sets_done=0)
    elif yesterday == "no set done":
        session_on(runner, YESTERDAY, toes, sets_done=0, pain=2)
    elif yesterday == "two days back":
        session_on(runner, MONDAY - datetime.timedelta(days=2), toes)
    elif yesterday == "another runner's":
        session_on(other_runner, YESTERDAY, toes)
    page = runner_client.get("/today/").text
    assert '<details class="check-in-fold">' in page
    assert '<summary id="check-in-title">Check in this morning</summary>' in page
    assert f'<h2 id="check-in-title">{QUESTION}' not in page


@pytest.mark.parametrize(
    ("yesterday", "asks"),
    [
        ("this plan's", True),
        ("by hand", True),
        ("another plan's", True),
        ("all skipped", False),
        ("none", False),
        ("two days back", False),
    ],
)
def test_with_a_plan_the_question_follows_yesterday_and_the_cards_today(
    runner, runner_with_plan, runner_client, exercise, on_monday, yesterday, asks
):
    # With a plan, today's session and yesterday's are read in one query for the cards and
    # the question: yesterday's counts whatever plan (or none) it was for; today's cards
    # still show only today's session of the active plan.
    toes = exercise("toe-yoga")
    other = runner.weekly_plans.create(name="Old plan")
    plans = {"this plan's": runner_with_plan, "another plan's": other, "by hand": None}
    if yesterday in plans:
        WorkoutSession.objects.filter(pk=session_on(runner, YESTERDAY, toes).pk).update(
            plan=plans[yesterday]
        )
    elif yesterday == "all skipped":
        session_on(runner, YESTERDAY, toes, skipped=True, sets_done=0)
    elif yesterday == "two days back":
        session_on(runner, MONDAY - datetime.timedelta(days=2), toes)
    # Today: one by hand (not the cards'), then the plan's with a set ticked.
    session_on(runner, MONDAY, toes, sets_done=1)
    item = runner_with_plan.items.get(weekday=0, exercise=toes)
    runner_client.post(f"/today/items/{item.pk}/sets/1/", {"amount": "13"})

    page = runner_client.get("/today/").text
    assert (f'<h2 id="check-in-title">{QUESTION}</h2>' in page) is asks
    assert ('<details class="check-in-fold">' in page) is not asks
    todays = runner.workout_sessions.get(date=MONDAY, plan=runner_with_plan)
    assert todays.logs.get(plan_item=item).sets.get(number=1).amount == 13
    assert 'name="amount" value="13"' in page


def test_an_answered_check_in_shows_the_answer_and_can_change(
    runner, runner_client, exercise, on_monday
):
    session_on(runner, YESTERDAY, exercise("toe-yoga"))
    MorningCheckIn.objects.create(owner=runner, date=MONDAY, pain=2, stiffness=3)
    page = runner_client.get("/today/").text
    assert "Pain 2/10, stiffness 3/10 this morning" in page
    assert pressed(page, "pain", 2) and pressed(page, "stiffness", 3)
    assert not pressed(page, "pain", 3)
    assert page.count('name="pain"') == 11 and page.count('name="stiffness"') == 11


def test_on_other_mornings_the_answer_is_the_folded_summary(runner, runner_client, on_monday):
    MorningCheckIn.objects.create(owner=runner, date=MONDAY, pain=1, stiffness=1)
    page = runner_client.get("/today/").text
    assert (
        '<details class="check-in-fold">\n    <summary id="check-in-title">'
        "Pain 1/10, stiffness 1/10 this morning</summary>"
    ) in page


# Answering --------------------------------------------------------------------------------


def test_one_tap_saves_pain_and_a_second_adds_stiffness_to_the_same_row(
    runner, runner_client, exercise, on_monday
):
    session_on(runner, YESTERDAY, exercise("toe-yoga"))
    response = runner_client.post(URL, {"pain": "2"})
    assert response.status_code == 302
    assert response.url == "/today/#check-in"
    check_in = MorningCheckIn.objects.get()
    assert (check_in.owner, check_in.date, check_in.pain, check_in.stiffness) == (
        runner,
        MONDAY,
        2,
        None,
    )
    half = runner_client.get("/today/").text
    assert "Pain 2/10 this morning. How stiff were they?" in half

    response = runner_client.post(URL, {"stiffness": "3"}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="check-in is-asking" id="check-in"')
    assert "<html" not in response.text
    assert "Pain 2/10, stiffness 3/10 this morning" in response.text
    assert pressed(response.text, "pain", 2) and pressed(response.text, "stiffness", 3)
    assert response["Vary"] and "HX-Target" in response["Vary"]
    assert MorningCheckIn.objects.get().pk == check_in.pk

    # A pain tap changes the pain and leaves the stiffness as it was.
    runner_client.post(URL, {"pain": "4"}, headers=HTMX)
    check_in.refresh_from_db()
    assert (check_in.pain, check_in.stiffness) == (4, 3)
    assert MorningCheckIn.objects.count() == 1


def test_a_tap_on_a_folded_check_in_keeps_it_open(runner, runner_client, on_monday):
    response = runner_client.post(URL, {"pain": "0", "stiffness": "1"}, headers=HTMX)
    assert response.status_code == 200
    assert '<details class="check-in-fold" open>' in response.text
    assert "Pain 0/10, stiffness 1/10 this morning</summary>" in response.text


def test_the_same_tap_twice_makes_one_row(runner, runner_client, on_monday):
    for _ in range(2):
        assert runner_client.post(URL, {"pain": "3"}).status_code == 302
    assert list(MorningCheckIn.objects.values_list("pain", "stiffness")) == [(3, None)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Tap a number for pain or for stiffness."),
        ({"pain": ""}, "Tap a number for pain or for stiffness."),
        ({"pain": "11"}, "Morning pain runs from 0 (none) to 10 (the worst)."),
        ({"pain": "-1"}, "Morning pain runs from 0 (none) to 10 (the worst)."),
        ({"pain": "two"}, "Morning pain runs from 0 (none) to 10 (the worst)."),
        ({"pain": "2.5"}, "Morning pain runs from 0 (none) to 10 (the worst)."),
        ({"stiffness": "11"}, "Stiffness runs from 0 (none) to 10 (could hardly walk)."),
        ({"pain": "2", "stiffness": "x"}, "Stiffness runs from 0 (none) to 10"),
    ],
)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_bad_answer_says_why_and_changes_nothing(
    runner, runner_client, on_monday, data, message, htmx
):
    check_in = MorningCheckIn.objects.create(owner=runner, date=MONDAY, pain=1, stiffness=1)
    before = model_to_dict(check_in)
    response = runner_client.post(URL, data, headers=HTMX if htmx else {})
    assert response.status_code == 400
    assert message in response.text
    assert '<ul class="errorlist" role="alert">' in response.text
    assert ("<html" in response.text) is not htmx
    check_in.refresh_from_db()
    assert model_to_dict(check_in) == before
    assert MorningCheckIn.objects.count() == 1


def test_stiffness_before_any_pain_asks_for_the_pain_first(runner_client, on_monday):
    response = runner_client.post(URL, {"stiffness": "4"}, headers=HTMX)
    assert response.status_code == 400
    assert "Tap how much your feet hurt first, then how stiff they were." in response.text
    assert '<details class="check-in-fold" open>' in response.text
    assert not MorningCheckIn.objects.exists()


# Who and when -------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in_and_nothing_is_saved(client, db, on_monday):
    response = client.post(URL, {"pain": "2"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/today/")
    assert not MorningCheckIn.objects.exists()


def test_a_get_is_refused(runner_client, on_monday):
    assert runner_client.get(URL).status_code == 405
    assert not MorningCheckIn.objects.exists()


def test_another_runners_check_in_is_untouched(runner, other_runner, runner_client, on_monday):
    theirs = MorningCheckIn.objects.create(owner=other_runner, date=MONDAY, pain=5, stiffness=6)
    before = model_to_dict(theirs)
    runner_client.post(URL, {"pain": "1", "owner": other_runner.pk}, headers=HTMX)
    runner_client.post(URL, {"stiffness": "0", "owner": other_runner.pk})
    theirs.refresh_from_db()
    assert model_to_dict(theirs) == before
    mine = runner.check_ins.get()
    assert (mine.date, mine.pain, mine.stiffness) == (MONDAY, 1, 0)


def test_only_this_mornings_check_in_can_be_written(runner, runner_client, on_monday):
    yesterdays = MorningCheckIn.objects.create(owner=runner, date=YESTERDAY, pain=3, stiffness=3)
    before = model_to_dict(yesterdays)
    # A date in the form is not read: the server's today is the only day written.
    response = runner_client.post(URL, {"pain": "7", "date": YESTERDAY.isoformat()})
    assert response.status_code == 302
    yesterdays.refresh_from_db()
    assert model_to_dict(yesterdays) == before
    assert runner.check_ins.get(date=MONDAY).pain == 7
    # Yesterday's answer is not offered for change either.
    assert "Pain 3/10" not in runner_client.get("/today/").text


def test_the_page_with_a_check_in_costs_the_same_as_without(
    runner, runner_client, runner_with_plan, exercise, on_monday, django_assert_max_num_queries
):
    from .test_log_security_and_cost import TODAY, count

    session_on(runner, YESTERDAY, exercise("toe-yoga"))
    runner_client.get("/today/")  # the published ladders kept in the cache, as after any page
    without = count(runner_client, "/today/")
    MorningCheckIn.objects.create(owner=runner, date=MONDAY, pain=2, stiffness=3)
    with django_assert_max_num_queries(TODAY):
        page = runner_client.get("/today/")
    assert "Pain 2/10, stiffness 3/10 this morning" in page.text
    assert count(runner_client, "/today/") == without


# At once, on PostgreSQL ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@needs_parallel_database
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_the_same_tap_three_times_at_once_makes_one_row(runner, runner_client, on_monday, headers):
    responses = double_submit(runner_client, URL, {"pain": "2"}, times=3, headers=headers)
    assert [r.status_code for r in responses] == [302 if not headers else 200] * 3
    assert list(MorningCheckIn.objects.values_list("pain", "stiffness")) == [(2, None)]


@pytest.mark.django_db(transaction=True)
@needs_parallel_database
def test_pain_and_stiffness_from_two_tabs_at_once_both_land(runner, runner_client, on_monday):
    MorningCheckIn.objects.create(owner=runner, date=MONDAY, pain=1)
    tabs = [copy_of(runner_client) for _ in range(4)]
    posts = [{"pain": "4"}, {"stiffness": "5"}, {"pain": "4"}, {"stiffness": "5"}]
    responses = at_once(
        *(lambda t=t, d=d: t.post(URL, d) for t, d in zip(tabs, posts, strict=True))
    )
    assert [r.status_code for r in responses] == [302] * 4
    assert list(MorningCheckIn.objects.values_list("pain", "stiffness")) == [(4, 5)]


@pytest.mark.django_db(transaction=True)
@needs_parallel_database
def test_a_first_pain_and_stiffness_at_once_never_answer_500(runner, runner_client, on_monday):
    tabs = [copy_of(runner_client) for _ in range(2)]
    responses = at_once(
        lambda: tabs[0].post(URL, {"pain": "3"}, headers=HTMX),
        lambda: tabs[1].post(URL, {"pain": "3", "stiffness": "2"}, headers=HTMX),
    )
    assert sorted(r.status_code for r in responses) == [200, 200]
    # Whichever landed first, a pain tap never clears a stiffness.
    assert list(MorningCheckIn.objects.values_list("pain", "stiffness")) == [(3, 2)]
