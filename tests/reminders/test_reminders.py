"""Reminders on plan days: exactly one email on each plan day at the runner's own time,
none on a day done or a day off, a mail outage only delays, and one-click unsubscribe."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from footcare.accounts.models import RunnerProfile
from footcare.reminders import services
from footcare.reminders.models import Reminder, Status
from routines.plans.models import WeeklyPlan
from routines.training.models import ExerciseLog, WorkoutSession
from tests.concurrency import at_once, double_submit, needs_parallel_database
from tests.routines.conftest import add_item

UTC = datetime.UTC
LONDON = ZoneInfo("Europe/London")


def remind(user, *, at=datetime.time(7, 0), channel="email", zone="Europe/London") -> None:
    RunnerProfile.objects.filter(user=user).update(
        reminders_on=True, reminder_time=at, reminder_channel=channel, time_zone=zone
    )


def walk(start: datetime.datetime, days: int, step_minutes: int = 15) -> list[datetime.datetime]:
    """Run the worker's pass every `step_minutes` from `start`; when each email went."""
    sent_at = []
    now = start
    while now < start + datetime.timedelta(days=days):
        before = len(mail.outbox)
        services.send_due(now)
        sent_at += [now] * (len(mail.outbox) - before)
        now += datetime.timedelta(minutes=step_minutes)
    return sent_at


def test_off_by_default(runner_with_plan) -> None:
    profile = RunnerProfile.objects.get(user=runner_with_plan.owner)
    assert not profile.reminders_on
    walk(datetime.datetime(2026, 10, 22, tzinfo=UTC), days=7, step_minutes=60)
    assert mail.outbox == []


def test_one_email_on_each_plan_day_at_local_time_across_a_clock_change(runner_with_plan):
    """Thursdays and Mondays at 07:00 in London, from Wednesday 21 to Friday 30 October 2026;
    the clocks go back on Sunday 25th (07:00 is 06:00 UTC before, 07:00 UTC after)."""
    remind(runner_with_plan.owner)
    sent_at = walk(datetime.datetime(2026, 10, 21, 12, 0, tzinfo=UTC), days=9)
    local = [moment.astimezone(LONDON) for moment in sent_at]
    assert [moment.date() for moment in local] == [
        datetime.date(2026, 10, 22),
        datetime.date(2026, 10, 26),
        datetime.date(2026, 10, 29),
    ]
    assert all(moment.hour == 7 and moment.minute < 15 for moment in local)
    assert [moment.astimezone(UTC).hour for moment in sent_at] == [6, 7, 7]
    assert Reminder.objects.filter(status=Status.SENT).count() == 3


def test_a_clock_going_forward_past_the_time_sends_once_after_the_gap(runner, exercise):
    """01:30 does not exist in London on Sunday 29 March 2026 (01:00 becomes 02:00): the
    email comes at 02:00."""

    plan = WeeklyPlan.objects.create(owner=runner, name="Sundays", is_active=True)
    add_item(plan, exercise("calf-raise"), 6)
    remind(runner, at=datetime.time(1, 30))
    sent_at = walk(datetime.datetime(2026, 3, 28, 12, 0, tzinfo=UTC), days=2, step_minutes=10)
    assert [moment.astimezone(LONDON).strftime("%a %H:%M") for moment in sent_at] == ["Sun 02:00"]


def test_the_email_names_the_exercises_and_links_to_today(runner_with_plan, settings) -> None:
    settings.SITE_URL = "https://footcare.example"
    remind(runner_with_plan.owner)
    services.send_due(datetime.datetime(2026, 11, 23, 7, 5, tzinfo=UTC))  # a Monday
    (email,) = mail.outbox
    assert email.to == ["ada@example.com"]
    names = [item.exercise.name for item in runner_with_plan.items.filter(weekday=0)]
    for name in names:
        assert name in email.body
        assert name in email.alternatives[0].content
    assert "https://footcare.example/today/" in email.body
    unsubscribe = email.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://footcare.example/reminders/unsubscribe/")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in email.body


@pytest.mark.parametrize("finished", [True, False])
def test_no_email_on_a_day_already_done(runner_with_plan, finished) -> None:
    runner = runner_with_plan.owner
    remind(runner)
    monday = datetime.date(2026, 11, 23)
    moment = timezone.now()
    session = WorkoutSession.objects.create(
        owner=runner,
        date=monday,
        plan=runner_with_plan,
        started_at=moment,
        finished_at=moment if finished else None,
    )
    if not finished:  # a set done, the session still open
        item = runner_with_plan.items.filter(weekday=0).first()
        ExerciseLog.objects.create(session=session, exercise=item.exercise, sets_done=1)
    assert services.send_due(datetime.datetime(2026, 11, 23, 8, 0, tzinfo=UTC)) == 0
    assert mail.outbox == []


def test_no_email_by_calendar_alarm_only_or_without_an_active_plan(runner_with_plan) -> None:
    remind(runner_with_plan.owner, channel="calendar")
    assert services.send_due(datetime.datetime(2026, 11, 23, 8, 0, tzinfo=UTC)) == 0
    remind(runner_with_plan.owner, channel="both")
    runner_with_plan.is_active = False
    runner_with_plan.save()
    assert services.send_due(datetime.datetime(2026, 11, 23, 8, 0, tzinfo=UTC)) == 0
    assert mail.outbox == []


def test_a_mail_outage_delays_the_email_and_it_goes_once(runner_with_plan, settings) -> None:
    remind(runner_with_plan.owner)
    now = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    settings.MAILERS = {"default": {"BACKEND": "tests.reminders.backends.DownBackend"}}
    assert services.send_due(now) == 0
    reminder = Reminder.objects.get()
    assert reminder.status == Status.WAITING
    assert "SMTPConnectError" in reminder.last_error
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    # Not before its retry time, then once, then never again that day.
    assert services.send_due(now + datetime.timedelta(seconds=30)) == 0
    assert services.send_due(now + datetime.timedelta(minutes=2)) == 1
    assert services.send_due(now + datetime.timedelta(minutes=3)) == 0
    walk(now + datetime.timedelta(minutes=4), days=0.5)
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Status.SENT, 2)


def test_a_claimed_reminder_is_never_sent_again(runner_with_plan) -> None:
    """What a worker killed mid-send leaves: the row says SENDING, so nothing resends it."""
    remind(runner_with_plan.owner)
    Reminder.objects.create(
        owner=runner_with_plan.owner,
        day=datetime.date(2026, 11, 23),
        claimed_at=datetime.datetime(2026, 11, 23, 7, 0, tzinfo=UTC),
    )
    walk(datetime.datetime(2026, 11, 23, 7, 0, tzinfo=UTC), days=0.6)
    assert mail.outbox == []
    assert services.stuck(datetime.datetime(2026, 11, 23, 8, 0, tzinfo=UTC)) == 1


@needs_parallel_database
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_email(runner_with_plan) -> None:
    remind(runner_with_plan.owner)
    now = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    results = at_once(*[lambda: services.send_due(now)] * 3)
    assert sorted(results) == [0, 0, 1]
    assert len(mail.outbox) == 1


# Unsubscribing ------------------------------------------------------------------------------


def unsubscribe_url(user) -> str:
    return reverse("reminders:unsubscribe", kwargs={"token": services.unsubscribe_token(user)})


def test_one_click_unsubscribe_works_without_login_or_csrf(runner_with_plan) -> None:
    runner = runner_with_plan.owner
    remind(runner)
    client = Client(enforce_csrf_checks=True)
    url = unsubscribe_url(runner)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Stop reminders" in page.content
    assert RunnerProfile.objects.get(user=runner).reminders_on  # a GET changes nothing
    for _ in range(2):  # a second click is as good as the first
        response = client.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
    assert not RunnerProfile.objects.get(user=runner).reminders_on
    assert b"Reminders are off" in client.get(url).content
    assert services.send_due(datetime.datetime(2026, 11, 23, 8, 0, tzinfo=UTC)) == 0


def test_the_unsubscribe_page_button_turns_reminders_off(runner_with_plan) -> None:
    remind(runner_with_plan.owner)
    response = Client().post(unsubscribe_url(runner_with_plan.owner))
    assert response.status_code == 302
    assert not RunnerProfile.objects.get(user=runner_with_plan.owner).reminders_on


def test_a_changed_or_foreign_token_is_refused(runner_with_plan, other_runner) -> None:
    remind(runner_with_plan.owner)
    remind(other_runner)
    good = services.unsubscribe_token(runner_with_plan.owner)
    foreign = signing.dumps(other_runner.pk, salt="something.else", compress=True)
    for token in (good[:-2] + "xx", foreign, "nonsense", str(other_runner.pk)):
        url = reverse("reminders:unsubscribe", kwargs={"token": token})
        assert Client().post(url, {"List-Unsubscribe": "One-Click"}).status_code == 404
    assert RunnerProfile.objects.filter(reminders_on=True).count() == 2


# The settings page --------------------------------------------------------------------------

SETTINGS = reverse("reminders:settings")


def test_settings_are_saved_and_shown_on_the_profile(runner_client, runner) -> None:
    page = runner_client.get(SETTINGS)
    assert page.status_code == 200
    assert b'type="time"' in page.content
    response = runner_client.post(
        SETTINGS, {"reminders_on": "on", "reminder_time": "18:45", "reminder_channel": "both"}
    )
    assert response.status_code == 302
    profile = RunnerProfile.objects.get(user=runner)
    assert (profile.reminders_on, profile.reminder_time, profile.reminder_channel) == (
        True,
        datetime.time(18, 45),
        "both",
    )
    assert (
        "On: email and calendar alarm at 18:45"
        in runner_client.get(reverse("accounts:profile")).content.decode()
    )


@pytest.mark.parametrize(
    ("time", "channel", "message"),
    [("25:99", "email", "Enter a time of day"), ("07:30", "pigeon", "Choose email")],
)
def test_bad_settings_change_nothing_and_keep_what_was_typed(
    runner_client, runner, time, channel, message
) -> None:
    response = runner_client.post(
        SETTINGS, {"reminders_on": "on", "reminder_time": time, "reminder_channel": channel}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'value="{time}"' in response.content.decode()
    assert not RunnerProfile.objects.get(user=runner).reminders_on


def test_settings_need_a_login() -> None:
    response = Client().get(SETTINGS)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@needs_parallel_database
@pytest.mark.django_db(transaction=True)
def test_settings_posted_twice_at_once(runner_client, runner) -> None:
    data = {"reminders_on": "on", "reminder_time": "06:15", "reminder_channel": "email"}
    responses = double_submit(runner_client, SETTINGS, data)
    assert [r.status_code for r in responses] == [302, 302]
    assert RunnerProfile.objects.get(user=runner).reminder_time == datetime.time(6, 15)


def test_a_pass_costs_a_few_queries_whatever_the_number_of_runners_off_plan_today(
    runner_with_plan, other_runner, django_assert_max_num_queries
) -> None:
    """Wednesday: Ada's plan has nothing, Grace has no plan; neither costs a query of their
    own (the profiles, the planned weekdays: two queries)."""
    remind(runner_with_plan.owner)
    remind(other_runner)
    with django_assert_max_num_queries(2):
        assert services.send_due(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)) == 0
