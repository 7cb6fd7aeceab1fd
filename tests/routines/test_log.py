"""Today's session set by set, and the log: history, detail, by hand, CSV, export."""

import csv
import datetime
import io
import json

import pytest
from django.db import IntegrityError

from routines.plans.models import WeeklyPlan
from routines.training.models import ExerciseLog, SetLog, WorkoutSession
from tests.conftest import add_item

from .conftest import MONDAY, monday_items

HTMX = {"HX-Request": "true"}


def htmx_item(item) -> dict:
    return {**HTMX, "HX-Target": f"item-{item.pk}"}


# The models' constraints -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("pain", 11), ("effort", 0), ("effort", 11), ("sets_done", 11), ("sets_planned", 0)],
)
def test_a_log_out_of_range_is_refused_by_the_database(runner, exercise, field, value):
    session = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    with pytest.raises(IntegrityError):
        ExerciseLog.objects.create(session=session, exercise=exercise("toe-yoga"), **{field: value})


def test_one_session_per_runner_plan_and_day(runner, runner_with_plan):
    WorkoutSession.objects.create(owner=runner, plan=runner_with_plan, date=MONDAY)
    with pytest.raises(IntegrityError):
        WorkoutSession.objects.create(owner=runner, plan=runner_with_plan, date=MONDAY)


def test_sessions_by_hand_on_one_day_may_be_several(runner):
    WorkoutSession.objects.create(owner=runner, date=MONDAY)
    WorkoutSession.objects.create(owner=runner, date=MONDAY)
    assert runner.workout_sessions.count() == 2


def test_a_set_counts_once(runner, exercise):
    session = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    log = ExerciseLog.objects.create(session=session, exercise=exercise("toe-yoga"))
    SetLog.objects.create(log=log, number=1, amount=10)
    with pytest.raises(IntegrityError):
        SetLog.objects.create(log=log, number=1, amount=10)


# Today -----------------------------------------------------------------------------------


def test_today_without_an_active_plan_shows_the_way_to_make_one(runner_client, on_monday):
    response = runner_client.get("/today/")
    assert response.status_code == 200
    assert "No active plan yet" in response.text
    assert 'href="/plans/"' in response.text


def test_a_day_without_foot_work_shows_its_run_and_is_no_rest_day(
    runner_client, runner_with_plan, monkeypatch
):
    # Ada's Tuesday: a hard run, no foot work.
    monkeypatch.setattr("footcare.clock.today", lambda: MONDAY + datetime.timedelta(days=1))
    response = runner_client.get("/today/")
    assert "No foot work today in Strong feet" in response.text
    assert "Hard workout" in response.text
    assert "rest day" not in response.text.lower()


def test_a_day_without_a_run_or_foot_work_is_a_rest_day(
    runner_client, runner_with_plan, monkeypatch
):
    # Ada's Sunday: no run, no foot work.
    monkeypatch.setattr("footcare.clock.today", lambda: MONDAY + datetime.timedelta(days=6))
    response = runner_client.get("/today/")
    assert "A rest day in Strong feet" in response.text


def test_today_lists_the_days_items_in_order_with_dose_and_steps(
    runner_client, runner_with_plan, on_monday
):
    response = runner_client.get("/today/")
    text = response.text
    assert response.status_code == 200
    assert text.index("Single-leg calf raise") < text.index("Toe yoga")
    assert "2 × 10 each side, hold 2 s" in text
    assert "How to do it" in text
    assert "First time in your log." in text
    assert WorkoutSession.objects.count() == 0  # a GET never writes


def test_ticking_a_set_saves_it_and_the_same_tick_again_changes_it(
    runner, runner_client, runner_with_plan, on_monday
):
    calf, _ = monday_items(runner_with_plan)
    url = f"/today/items/{calf.pk}/sets/1/"

    first = runner_client.post(url, {"amount": "10", "amount_right": "9", "action": "done"})
    again = runner_client.post(url, {"amount": "10", "amount_right": "9", "action": "done"})

    assert first.status_code == again.status_code == 302
    assert first["Location"] == f"/today/#item-{calf.pk}"
    session = runner.workout_sessions.get()
    assert session.plan == runner_with_plan and session.date == MONDAY
    log = session.logs.get()
    assert (log.plan_item, log.sets_done, log.sets_planned, log.per_side) == (calf, 1, 2, True)
    assert list(log.sets.values_list("number", "amount", "amount_right")) == [(1, 10, 9)]


def test_ticking_with_htmx_answers_with_the_items_card(runner_client, runner_with_plan, on_monday):
    calf, _ = monday_items(runner_with_plan)
    response = runner_client.post(
        f"/today/items/{calf.pk}/sets/2/",
        {"amount": "8", "amount_right": "8", "action": "done"},
        headers=htmx_item(calf),
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<article class="today-item')
    assert "1 of 2 sets done" in response.text
    assert '<span id="today-progress" hx-swap-oob="true">1 of ' in response.text
    assert "<html" not in response.text


def test_untick_removes_the_set(runner, runner_client, runner_with_plan, on_monday):
    calf, _ = monday_items(runner_with_plan)
    url = f"/today/items/{calf.pk}/sets/1/"
    runner_client.post(url, {"amount": "10", "amount_right": "10", "action": "done"})
    runner_client.post(url, {"action": "undo"})
    log = ExerciseLog.objects.get()
    assert (log.sets_done, log.sets.count()) == (0, 0)


@pytest.mark.parametrize("amount", ["101", "-1", "lots", ""])
def test_an_out_of_range_set_shows_its_message_and_saves_nothing(
    runner_client, runner_with_plan, on_monday, amount
):
    calf, _ = monday_items(runner_with_plan)
    response = runner_client.post(
        f"/today/items/{calf.pk}/sets/1/",
        {"amount": amount, "amount_right": "10", "action": "done"},
        headers=htmx_item(calf),
    )
    assert response.status_code == 400
    assert "A set is 0 to" in response.text
    assert 'aria-invalid="true"' in response.text
    assert SetLog.objects.count() == 0


def test_a_set_number_beyond_ten_is_refused(runner_client, runner_with_plan, on_monday):
    calf, _ = monday_items(runner_with_plan)
    response = runner_client.post(f"/today/items/{calf.pk}/sets/11/", {"amount": "5"})
    assert response.status_code == 400
    assert SetLog.objects.count() == 0


def test_pain_and_effort_are_one_tap_each(runner_client, runner_with_plan, on_monday):
    calf, _ = monday_items(runner_with_plan)
    url = f"/today/items/{calf.pk}/"
    runner_client.post(url, {"pain": "2"})
    response = runner_client.post(url, {"effort": "7"}, headers=htmx_item(calf))
    log = ExerciseLog.objects.get()
    assert (log.pain, log.effort) == (2, 7)
    assert 'value="7" class="scale-button is-chosen"' in response.text


def test_pain_above_five_says_to_stop_or_ease_off(runner_client, runner_with_plan, on_monday):
    calf, _ = monday_items(runner_with_plan)
    url = f"/today/items/{calf.pk}/"
    calm = runner_client.post(url, {"pain": "5"}, headers=htmx_item(calf))
    assert "pain-warning" not in calm.text
    sore = runner_client.post(url, {"pain": "6"}, headers=htmx_item(calf))
    assert "Pain above 5 is more than this work should cost" in sore.text
    assert "or swap it for the easier rung" in sore.text


@pytest.mark.parametrize("data", [{"pain": "11"}, {"effort": "0"}, {"pain": "x"}])
def test_a_rating_out_of_range_is_refused(runner_client, runner_with_plan, on_monday, data):
    calf, _ = monday_items(runner_with_plan)
    response = runner_client.post(f"/today/items/{calf.pk}/", data, headers=htmx_item(calf))
    assert response.status_code == 400
    assert "runs from" in response.text
    assert ExerciseLog.objects.count() == 0


def test_skip_and_unskip(runner_client, runner_with_plan, on_monday):
    _, toes = monday_items(runner_with_plan)
    runner_client.post(f"/today/items/{toes.pk}/", {"skip": "1"})
    assert ExerciseLog.objects.get().skipped
    runner_client.post(f"/today/items/{toes.pk}/", {"skip": "0"})
    assert not ExerciseLog.objects.get().skipped


def test_swap_for_the_easier_rung_today_only(runner_client, runner_with_plan, on_monday, exercise):
    calf, _ = monday_items(runner_with_plan)
    easier = exercise("calf-raise-both-feet")
    page = runner_client.get("/today/").text
    assert f"Easier today: {easier.name}" in page

    response = runner_client.post(f"/today/items/{calf.pk}/", {"swap": str(easier.pk)})

    assert response.status_code == 302
    assert ExerciseLog.objects.get().exercise == easier
    calf.refresh_from_db()
    assert calf.exercise.slug == "calf-raise"  # the plan is unchanged
    assert f"in place of {calf.exercise.name}" in runner_client.get("/today/").text


def test_a_swap_to_an_exercise_off_the_ladder_is_refused(
    runner_client, runner_with_plan, on_monday, exercise
):
    calf, _ = monday_items(runner_with_plan)
    response = runner_client.post(
        f"/today/items/{calf.pk}/", {"swap": str(exercise("toe-yoga").pk)}
    )
    assert response.status_code == 400
    assert ExerciseLog.objects.count() == 0


def test_an_item_of_another_day_cannot_be_ticked_today(runner_client, runner_with_plan, on_monday):
    thursday = runner_with_plan.items.get(weekday=3)
    response = runner_client.post(f"/today/items/{thursday.pk}/sets/1/", {"amount": "5"})
    assert response.status_code == 404
    assert SetLog.objects.count() == 0


def test_finish_closes_the_session_and_shows_it_in_the_log(
    runner, runner_client, runner_with_plan, on_monday
):
    calf, _ = monday_items(runner_with_plan)
    runner_client.post(f"/today/items/{calf.pk}/sets/1/", {"amount": "10", "amount_right": "10"})
    response = runner_client.post("/today/finish/", {"notes": "Felt good"})
    session = runner.workout_sessions.get()
    assert response["Location"] == f"/log/{session.pk}/"
    assert session.finished_at is not None and session.notes == "Felt good"
    detail = runner_client.get(response["Location"]).text
    assert "Single-leg calf raise" in detail and "10 left, 10 right" in detail


def test_last_time_shows_what_was_done_before(runner, runner_client, runner_with_plan, monkeypatch):
    calf, _ = monday_items(runner_with_plan)
    week_before = MONDAY - datetime.timedelta(days=7)
    monkeypatch.setattr("footcare.clock.today", lambda: week_before)
    for number in (1, 2, 3):
        runner_client.post(
            f"/today/items/{calf.pk}/sets/{number}/", {"amount": "12", "amount_right": "12"}
        )
    runner_client.post(f"/today/items/{calf.pk}/", {"pain": "2"})
    monkeypatch.setattr("footcare.clock.today", lambda: MONDAY)

    page = runner_client.get("/today/").text

    assert "Last time (Mon 16 Nov): 3 × 12 each side, pain 2" in page


# The log -----------------------------------------------------------------------------------


def _session(runner, day, **extra) -> WorkoutSession:
    return WorkoutSession.objects.create(owner=runner, date=day, **extra)


def test_the_log_lists_sessions_newest_first_with_a_calendar(runner, runner_client, on_monday):
    _session(runner, MONDAY - datetime.timedelta(days=3), notes="older")
    _session(runner, MONDAY - datetime.timedelta(days=1), notes="newer")
    response = runner_client.get("/log/?month=2026-11")
    text = response.text
    assert text.index("Sunday 22 November 2026") < text.index("Friday 20 November 2026")
    assert text.count('class="day is-logged"') == 2


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "soon", "2026"])
def test_a_month_out_of_reach_shows_this_month(runner_client, on_monday, month):
    response = runner_client.get(f"/log/?month={month}")
    assert response.status_code == 200
    assert "November 2026" in response.text


def test_the_log_filters_by_exercise(runner, runner_client, exercise, on_monday):
    with_toes = _session(runner, MONDAY)
    ExerciseLog.objects.create(session=with_toes, exercise=exercise("toe-yoga"))
    _session(runner, MONDAY - datetime.timedelta(days=1))
    response = runner_client.get("/log/?exercise=toe-yoga")
    assert "Monday 23 November 2026" in response.text
    assert "Sunday 22 November 2026" not in response.text


def test_the_log_paginates(runner, runner_client, on_monday):
    WorkoutSession.objects.bulk_create(
        WorkoutSession(owner=runner, date=MONDAY - datetime.timedelta(days=n)) for n in range(25)
    )
    assert "Page 1 of 2" in runner_client.get("/log/").text
    assert "Page 2 of 2" in runner_client.get("/log/?page=2").text


def test_a_session_by_hand_is_made_once_and_gets_exercises_from_the_library_search(
    runner, runner_client, exercise, on_monday
):
    form = runner_client.get("/log/new/")
    token = form.context["form"].initial["token"]
    data = {"date": "2026-11-20", "notes": "Hotel room", "token": str(token)}

    first = runner_client.post("/log/new/", data)
    second = runner_client.post("/log/new/", data)

    session = runner.workout_sessions.get()
    assert first["Location"] == second["Location"] == f"/log/{session.pk}/#add"
    search = runner_client.get(f"/log/{session.pk}/?q=toe+yoga")
    toes = exercise("toe-yoga")
    assert f"Add {toes.name}" in search.text
    prefix = f"add-{toes.pk}"
    added = runner_client.post(
        f"/log/{session.pk}/add/",
        {
            "prefix": prefix,
            f"{prefix}-exercise": toes.pk,
            f"{prefix}-unit": "reps",
            f"{prefix}-sets": "3",
            f"{prefix}-amount": "10",
            f"{prefix}-pain": "1",
            f"{prefix}-effort": "4",
        },
    )
    assert added.status_code == 302
    log = session.logs.get()
    assert (log.exercise, log.sets_done, log.pain, log.effort) == (toes, 3, 1, 4)


@pytest.mark.parametrize(
    ("day", "message"),
    [("2026-11-24", "in the future"), ("2026-09-23", "the last 60 days")],
)
def test_a_session_by_hand_stays_within_sixty_days_and_never_in_the_future(
    runner, runner_client, on_monday, day, message
):
    response = runner_client.post("/log/new/", {"date": day})
    assert response.status_code == 400
    assert message in response.text
    assert not runner.workout_sessions.exists()


def test_sixty_days_back_is_allowed(runner, runner_client, on_monday):
    runner_client.post("/log/new/", {"date": "2026-09-24"})
    assert runner.workout_sessions.get().date == datetime.date(2026, 9, 24)


def test_an_exercise_log_edited_with_a_bad_value_saves_nothing(
    runner, runner_client, exercise, on_monday
):
    session = _session(runner, MONDAY)
    log = ExerciseLog.objects.create(session=session, exercise=exercise("toe-yoga"), pain=1)
    url = f"/log/{session.pk}/entries/{log.pk}/"
    # A first set, in the blank row the page offers for a new set.
    data = {
        "exercise": log.exercise_id,
        "unit": "reps",
        "sets-TOTAL_FORMS": "1",
        "sets-INITIAL_FORMS": "0",
        "sets-0-number": "1",
        "sets-0-amount": "10",
    }
    response = runner_client.post(url, {**data, "pain": "12"})
    assert response.status_code == 400
    assert "Pain runs from 0" in response.text
    log.refresh_from_db()
    assert log.pain == 1
    ok = runner_client.post(url, {**data, "pain": "3"})
    assert ok.status_code == 302
    log.refresh_from_db()
    assert (log.pain, log.sets_done) == (3, 1)


def test_delete_asks_first_then_deletes(runner, runner_client, on_monday):
    session = _session(runner, MONDAY)
    confirm = runner_client.get(f"/log/{session.pk}/delete/")
    assert "Delete the session of Monday 23 November 2026?" in confirm.text
    assert runner.workout_sessions.exists()
    response = runner_client.post(f"/log/{session.pk}/delete/")
    assert response["Location"] == "/log/"
    assert not runner.workout_sessions.exists()


def test_the_csv_has_a_row_per_exercise_and_neutralises_formulas(
    runner, runner_client, exercise, on_monday
):
    session = _session(runner, MONDAY, notes='=HYPERLINK("http://evil")')
    ExerciseLog.objects.create(
        session=session, exercise=exercise("toe-yoga"), load_note="+5 kg", pain=2
    )
    ExerciseLog.objects.create(
        session=session, exercise=exercise("calf-raise"), load_note="@home", position=1
    )
    response = runner_client.get("/log/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["exercise"] for row in rows] == ["Toe yoga", "Single-leg calf raise"]
    assert rows[0]["load"] == "'+5 kg" and rows[1]["load"] == "'@home"
    assert rows[0]["session_notes"].startswith("'=")
    assert rows[0]["pain"] == "2"


@pytest.mark.parametrize("text", ["-1", "\tx", "\rx", "@x", "=1", "+1"])
def test_every_formula_start_is_neutralised(text):
    from routines.training.views import csv_cell

    assert csv_cell(text) == "'" + text
    assert csv_cell("plain") == "plain"


def test_sessions_are_in_the_account_export(runner, runner_client, exercise, on_monday):
    session = _session(runner, MONDAY, notes="Good")
    log = ExerciseLog.objects.create(session=session, exercise=exercise("toe-yoga"), pain=2)
    SetLog.objects.create(log=log, number=1, amount=10)
    response = runner_client.get("/accounts/export/")
    data = json.loads(response.content)
    [exported] = data["workout_sessions"]
    assert exported["date"] == "2026-11-23" and exported["notes"] == "Good"
    assert exported["exercises"][0]["sets"] == [{"number": 1, "amount": 10, "amount_right": None}]


def test_sessions_go_with_the_account(runner, exercise):
    session = _session(runner, MONDAY)
    ExerciseLog.objects.create(session=session, exercise=exercise("toe-yoga"))
    runner.delete()
    assert not WorkoutSession.objects.exists() and not ExerciseLog.objects.exists()


# The signed-in home page -------------------------------------------------------------------


def test_home_shows_today_and_the_week_at_a_glance(
    runner, runner_client, runner_with_plan, on_monday
):
    calf, _ = monday_items(runner_with_plan)
    runner_client.post(f"/today/items/{calf.pk}/sets/1/", {"amount": "10", "amount_right": "10"})
    # The training app's card, drawn in the home page's own request (its tag).
    text = runner_client.get("/").text
    assert 'hx-trigger="load"' not in text and 'href="/today/"' in text
    assert "Today, Monday" in text
    assert "Single-leg calf raise, Toe yoga" in text
    assert "Carry on with today" in text
    assert "✓ 1 set" in text
    assert text.count('class="week-glance"') == 1


def test_home_without_a_plan_points_to_plans(runner_client, on_monday):
    text = runner_client.get("/").text
    assert "No active plan yet" in text


def test_a_visitors_home_page_has_no_week(client, db):
    text = client.get("/").text
    assert "week-glance" not in text and "home-today" not in text


def test_home_for_a_visitor_has_no_glance(client, db):
    assert "week-glance" not in client.get("/").text


def test_rathleff_s_raise_steps_back_to_the_raise_it_branched_from(
    runner, runner_client, on_monday, exercise
):
    # Rathleff's raise is a side branch off the single-leg raise: never offered as "harder"
    # by default, but a sore heel can step back from it to the plainer raise on the flat.
    plan = WeeklyPlan.objects.create(owner=runner, name="Heel", is_active=True)
    rathleff = add_item(plan, exercise("plantar-heel-raise"), 0)
    flat = exercise("calf-raise")

    page = runner_client.get("/today/").text
    assert f"Easier today: {flat.name}" in page

    runner_client.post(f"/today/items/{rathleff.pk}/", {"swap": str(flat.pk)})
    assert ExerciseLog.objects.get().exercise == flat


def test_a_clash_with_no_twin_row_is_raised_as_itself(runner, runner_with_plan):
    """Only a twin request's row explains an IntegrityError when making today's session
    (the twin races are tests/routines/test_log_races.py): a clash of another kind, here a
    key already taken, is raised as the IntegrityError it is, not as a missing row, and
    nothing is made."""
    from routines.training.services import _get_or_make

    first, second = datetime.date(2026, 3, 1), datetime.date(2026, 3, 2)
    taken = WorkoutSession.objects.create(owner=runner, plan=runner_with_plan, date=first)
    lookup = {"owner": runner, "plan": runner_with_plan, "date": second}
    with pytest.raises(IntegrityError):
        _get_or_make(WorkoutSession.objects, lookup, {"pk": taken.pk})
    assert list(runner.workout_sessions.values_list("date", flat=True)) == [first]
