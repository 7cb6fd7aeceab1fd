"""The ten findings of the production-mode probe (issue 21), each as the probe sent it.

Rows 1 and 2 are also sent 10 at once, which only PostgreSQL really runs together.
"""

import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from routines.plans.models import CHANGED_DOSE_FIELDS, DoseChange, PlanItem, StarterPlan, WeeklyPlan
from routines.plans.starter_content import read_starter_plans, starter_plans_seed
from routines.training.models import LOG_RANGES, ExerciseLog, WorkoutSession
from tests.concurrency import double_submit, needs_parallel_database

from .conftest import add_item
from .test_suggestions import changed

RLO = "\u202e"  # right-to-left override


def entry_add_data(client: Client, session: WorkoutSession, exercise) -> dict:
    """The log's add form for `exercise`, with the values and token the page drew."""
    page = client.get(f"/log/{session.pk}/", {"q": exercise.name}).text
    prefix = f"add-{exercise.pk}"
    token = re.search(rf'name="{prefix}-token" value="([^"]+)"', page).group(1)
    return {
        "prefix": prefix,
        f"{prefix}-exercise": exercise.pk,
        f"{prefix}-unit": "reps",
        f"{prefix}-sets": "2",
        f"{prefix}-amount": "10",
        f"{prefix}-token": token,
    }


def copy_day_data(client: Client, plan: WeeklyPlan) -> dict:
    """The board's copy-a-day form, Tuesday onto Monday, with the token the page drew."""
    page = client.get(f"/plans/{plan.pk}/").text
    form = page[page.index('id="copy-day"') :]
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)
    return {"from_weekday": "1", "to_weekday": "0", "token": token}


# 1. Adding an exercise to a session by hand, twice --------------------------------------------


def test_1_the_same_entry_added_twice_makes_one_row(runner, runner_client, exercise, on_monday):
    session = WorkoutSession.objects.create(owner=runner, date=on_monday)
    data = entry_add_data(runner_client, session, exercise("toe-yoga"))

    answers = [runner_client.post(f"/log/{session.pk}/add/", data) for _ in range(2)]

    assert [a.status_code for a in answers] == [302, 302]
    assert session.logs.count() == 1


# 2. Copying a day, twice ------------------------------------------------------------------------


def test_2_the_same_day_copied_twice_copies_once(runner_client, runner_with_plan, exercise):
    add_item(runner_with_plan, exercise("toe-yoga"), 1)
    data = copy_day_data(runner_client, runner_with_plan)

    answers = [runner_client.post(f"/plans/{runner_with_plan.pk}/days/copy/", data) for _ in "12"]

    assert [a.status_code for a in answers] == [302, 302]
    assert runner_with_plan.items.filter(weekday=0).count() == 3  # two before, one copied
    assert runner_with_plan.items.filter(weekday=1).count() == 1


def test_2_a_fresh_form_copies_again(runner_client, runner_with_plan, exercise):
    add_item(runner_with_plan, exercise("toe-yoga"), 1)
    for _ in range(2):
        data = copy_day_data(runner_client, runner_with_plan)
        runner_client.post(f"/plans/{runner_with_plan.pk}/days/copy/", data)
    assert runner_with_plan.items.filter(weekday=0).count() == 4


# 3. A new line in a plan's name -----------------------------------------------------------------


def test_3_a_plan_name_of_two_lines_is_refused_at_the_form(runner, runner_client, runner_with_plan):
    made = runner_client.post("/plans/new/", {"name": "Two\nlines", "notes": ""})
    edited = runner_client.post(
        f"/plans/{runner_with_plan.pk}/edit/", {"name": "Two\nlines", "notes": ""}
    )

    assert made.status_code == edited.status_code == 400
    assert "Keep this to one line." in made.text and "Keep this to one line." in edited.text
    assert list(runner.weekly_plans.values_list("name", flat=True)) == ["Strong feet"]


def test_3_the_feed_of_a_name_saved_with_a_new_line_before_the_rule(client, runner_with_plan):
    WeeklyPlan.objects.filter(pk=runner_with_plan.pk).update(name="Two\nlines")

    feed = client.get(f"/plans/calendar/{runner_with_plan.calendar_token}.ics")

    assert feed.status_code == 200
    assert b"X-WR-CALNAME:Footcare: Two lines\r\n" in feed.content


# 4. A board move with no place and no day ----------------------------------------------------


@pytest.mark.parametrize("data", [{}, {"direction": "day"}], ids=["empty", "direction-day"])
def test_4_a_move_with_no_place_and_no_day_is_a_400_that_moves_nothing(
    runner_client, runner_with_plan, data
):
    item = runner_with_plan.items.order_by("weekday", "position").first()
    before = list(runner_with_plan.items.values_list("pk", "weekday", "position"))

    answer = runner_client.post(f"/plans/{runner_with_plan.pk}/items/{item.pk}/move/", data)

    assert answer.status_code == 400
    assert "Choose a day to move it to." in answer.text
    assert list(runner_with_plan.items.values_list("pk", "weekday", "position")) == before


# 5. A malformed one-off token -----------------------------------------------------------------


@pytest.mark.parametrize("token", ["x", "0", "'", "{}", "1" * 200])
def test_5_a_malformed_token_is_a_400_that_copies_nothing(
    runner, runner_client, runner_with_plan, seeded_library, token
):
    starter_plans_seed(data=read_starter_plans())
    starter = StarterPlan.objects.filter(published=True).first()

    duplicated = runner_client.post(f"/plans/{runner_with_plan.pk}/duplicate/", {"token": token})
    copied = runner_client.post(f"/plans/starters/{starter.slug}/copy/", {"token": token})

    assert duplicated.status_code == copied.status_code == 400
    assert "Nothing was copied." in duplicated.text and "Nothing was copied." in copied.text
    assert runner.weekly_plans.count() == 1


# 6. A `next` without "/" ------------------------------------------------------------------------


def applied_change(runner, plan: WeeklyPlan) -> DoseChange:
    item = plan.items.first()
    dose = {name: getattr(item, name) for name in CHANGED_DOSE_FIELDS}
    reason = "Three complete sessions without pain."
    return changed(runner, item, timezone.now(), reason=reason, dose_before=dose, dose_after=dose)


@pytest.mark.parametrize("next_url", ["today", "log/", "javascript:alert(1)", "//evil.example/"])
def test_6_a_next_not_of_this_site_falls_back_to_today(
    runner, runner_client, runner_with_plan, on_monday, next_url
):
    change = applied_change(runner, runner_with_plan)

    undone = runner_client.post(f"/suggestions/{change.pk}/undo/", {"next": next_url})
    applied = runner_client.post(
        "/suggestions/apply/",
        {
            "item": change.plan_item_id,
            "fingerprint": "x",
            "token": str(uuid.uuid4()),
            "next": next_url,
        },
    )

    assert undone.status_code == applied.status_code == 302
    assert undone["Location"] == applied["Location"] == "/today/#suggestions"


# 7. Bad input answered as an outage -----------------------------------------------------------


def test_7_a_nul_in_the_finish_notes_is_a_400_that_saves_nothing(
    runner, runner_client, runner_with_plan, on_monday
):
    answer = runner_client.post("/today/finish/", {"notes": "sore\x00"})

    assert answer.status_code == 400
    assert "Null characters are not allowed." in answer.text
    assert not runner.workout_sessions.exists()


def test_7_the_finish_notes_keep_to_the_session_notes_rule(
    runner, runner_client, runner_with_plan, on_monday
):
    answer = runner_client.post("/today/finish/", {"notes": f"calf {RLO}gnivah"})

    assert answer.status_code == 400
    assert "turns the text around it" in answer.text
    assert f"calf {RLO}gnivah" in answer.text  # the typed note, shown again to correct
    assert not runner.workout_sessions.exists()


def test_7_a_nul_as_the_log_filter_is_a_400_with_a_message(runner_client):
    answer = runner_client.get("/log/?exercise=%00")

    assert answer.status_code == 400
    assert "There is no such exercise in your log" in answer.text


def test_7_an_entry_past_the_sessions_last_place_is_a_400(
    runner, runner_client, exercise, on_monday
):
    session = WorkoutSession.objects.create(owner=runner, date=on_monday)
    toes = exercise("toe-yoga")
    low, high = LOG_RANGES["position"]
    ExerciseLog.objects.bulk_create(
        ExerciseLog(session=session, exercise=toes, position=n) for n in range(low, high + 1)
    )
    data = entry_add_data(runner_client, session, toes)

    answer = runner_client.post(f"/log/{session.pk}/add/", data)

    assert answer.status_code == 400
    assert "A session holds at most 100 exercises." in answer.text
    assert session.logs.count() == high - low + 1


# 8. Item ids cannot be probed: tests/routines/test_security.py (the board's remove) and
# tests/routines/test_suggestions.py (apply) send another runner's id and a missing one.


def test_8_removing_another_runners_item_answers_as_a_missing_one(
    runner_client, runner_with_plan, other_runner, exercise
):
    theirs = WeeklyPlan.objects.create(owner=other_runner, name="Grace's")
    item = add_item(theirs, exercise("calf-raise"), 0)
    missing = PlanItem.objects.order_by("-pk").first().pk + 1
    url = f"/plans/{runner_with_plan.pk}/items/%s/remove/"

    answers = [runner_client.post(url % pk) for pk in (item.pk, missing)]

    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert PlanItem.objects.filter(pk=item.pk).exists()


# 9. Text-direction overrides -------------------------------------------------------------------


def test_9_an_override_is_refused_in_every_field_a_runner_types(
    runner, runner_client, runner_with_plan, exercise, on_monday
):
    plan = runner_with_plan
    item = plan.items.first()
    session = WorkoutSession.objects.create(owner=runner, date=on_monday)
    log_data = entry_add_data(runner_client, session, exercise("toe-yoga"))
    posts = [
        ("/plans/new/", {"name": f"Feet{RLO}", "notes": ""}),
        ("/plans/new/", {"name": "Feet", "notes": f"easy {RLO}"}),
        (f"/plans/{plan.pk}/edit/", {"name": f"Feet{RLO}", "notes": ""}),
        (f"/plans/{plan.pk}/edit/", {"name": "Feet", "notes": f"easy {RLO}"}),
        ("/plans/generate/", {"sessions": "3", "minutes": "15", "name": f"Feet{RLO}"}),
        (
            f"/plans/{plan.pk}/items/{item.pk}/",
            {
                f"item-{item.pk}-sets": "2",
                f"item-{item.pk}-reps": "10",
                f"item-{item.pk}-rest_seconds": "60",
                f"item-{item.pk}-load_note": f"5 kg{RLO}",
            },
        ),
        ("/log/new/", {"date": on_monday.isoformat(), "notes": f"easy {RLO}"}),
        (f"/log/{session.pk}/", {"date": on_monday.isoformat(), "notes": f"easy {RLO}"}),
        (f"/log/{session.pk}/add/", {**log_data, log_data["prefix"] + "-load_note": f"5{RLO}"}),
        ("/today/finish/", {"notes": f"easy {RLO}"}),
        ("/accounts/profile/", {"display_name": f"Ada{RLO}", "units": "km", "experience": "new"}),
    ]
    before = (
        list(WeeklyPlan.objects.values()),
        list(PlanItem.objects.values()),
        list(WorkoutSession.objects.values()),
        ExerciseLog.objects.count(),
        runner.runner_profile.display_name,
    )

    for url, data in posts:
        answer = runner_client.post(url, data)
        assert answer.status_code == 400, url
        assert "turns the text around it" in answer.text, url

    runner.runner_profile.refresh_from_db()
    after = (
        list(WeeklyPlan.objects.values()),
        list(PlanItem.objects.values()),
        list(WorkoutSession.objects.values()),
        ExerciseLog.objects.count(),
        runner.runner_profile.display_name,
    )
    assert after == before


def test_9_one_validator_on_every_text_column_a_runner_types():
    from footcare.accounts.models import RunnerProfile
    from footcare.text import LINE_VALIDATORS, NOTE_VALIDATORS

    typed = {
        (WeeklyPlan, "name"): LINE_VALIDATORS,
        (WeeklyPlan, "notes"): NOTE_VALIDATORS,
        (PlanItem, "load_note"): LINE_VALIDATORS,
        (WorkoutSession, "notes"): NOTE_VALIDATORS,
        (ExerciseLog, "load_note"): LINE_VALIDATORS,
        (RunnerProfile, "display_name"): LINE_VALIDATORS,
    }
    for (model, name), validators in typed.items():
        field = model._meta.get_field(name)
        assert all(v in field.validators for v in validators), (model, name)


# 10. The bad-Host page --------------------------------------------------------------------------


def test_10_the_bad_host_page_has_no_script_without_a_nonce(settings, db):
    settings.DEBUG = False

    answer = Client(HTTP_HOST="evil.example").get("/")

    assert answer.status_code == 400
    assert "We couldn’t understand that request" in answer.text
    assert "<script" not in answer.text and 'nonce="None"' not in answer.text


# Rows 1 and 2, 10 at once (PostgreSQL) -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@needs_parallel_database
def test_1_the_same_entry_added_10_times_at_once_makes_one_row(
    runner, runner_client, exercise, on_monday
):
    session = WorkoutSession.objects.create(owner=runner, date=on_monday)
    data = entry_add_data(runner_client, session, exercise("toe-yoga"))

    answers = double_submit(runner_client, f"/log/{session.pk}/add/", data, times=10)

    assert [a.status_code for a in answers] == [302] * 10
    assert session.logs.count() == 1


@pytest.mark.django_db(transaction=True)
@needs_parallel_database
def test_2_the_same_day_copied_10_times_at_once_copies_once(
    runner_client, runner_with_plan, exercise
):
    add_item(runner_with_plan, exercise("toe-yoga"), 1)
    data = copy_day_data(runner_client, runner_with_plan)

    answers = double_submit(
        runner_client, f"/plans/{runner_with_plan.pk}/days/copy/", data, times=10
    )

    assert [a.status_code for a in answers] == [302] * 10
    assert runner_with_plan.items.filter(weekday=0).count() == 3
