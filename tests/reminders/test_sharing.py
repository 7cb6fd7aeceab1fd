"""A read-only link for a physio or coach: the plan, log and pain without a login, never the
email address, nothing of another runner, dead at once when stopped or expired."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from footcare.accounts.models import RunnerProfile, User
from footcare.sharing import services
from footcare.sharing.models import ShareLink
from routines.plans.models import WeeklyPlan
from routines.training.models import ExerciseLog, MorningCheckIn, WorkoutSession
from tests.concurrency import double_submit, needs_parallel_database
from tests.conftest import PASSWORD
from tests.routines.conftest import add_item

LINKS = reverse("sharing:links")


def make_link(owner: User, **fields) -> ShareLink:
    fields = {"label": "Dr Okafor, physio", **fields}
    return services.link_create(owner=owner, token=None, expires_in_days=30, **fields)


def shared_page(link: ShareLink, client: Client | None = None):
    return (client or Client()).get(reverse("sharing:shared", kwargs={"token": link.token}))


@pytest.fixture
def lived_in(runner_with_plan, exercise):
    """Ada's plan, a session this week with pain, and a morning check-in."""
    runner = runner_with_plan.owner
    RunnerProfile.objects.filter(user=runner).update(display_name="Ada L")
    today = timezone.localdate()
    session = WorkoutSession.objects.create(
        owner=runner, date=today, plan=runner_with_plan, notes="Felt strong"
    )
    ExerciseLog.objects.create(
        session=session, exercise=exercise("calf-raise"), sets_done=3, sets_planned=3, pain=2
    )
    MorningCheckIn.objects.create(owner=runner, date=today, pain=3, stiffness=1)
    return runner_with_plan


def test_the_shared_page_shows_plan_log_and_pain_without_a_login(lived_in) -> None:
    link = make_link(lived_in.owner)
    response = shared_page(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada L" in page
    assert "ada@example.com" not in page
    assert "Strong feet" in page
    for item in lived_in.items.all():
        assert item.exercise.name in page
    assert "Felt strong" in page
    assert "pain 2" in page
    assert "Pain 3/10, stiffness 1/10" in page
    assert "Dr Okafor" not in page  # the label is the runner's own note
    assert 'name="robots" content="noindex' in page
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "<form" not in page.split('id="main"')[1]  # nothing to change


def test_without_a_display_name_the_page_never_shows_the_email(runner_with_plan) -> None:
    page = shared_page(make_link(runner_with_plan.owner)).content.decode()
    assert "A Footcare runner" in page
    assert "ada@example.com" not in page


def test_a_link_shows_only_what_was_chosen(lived_in) -> None:
    page = shared_page(make_link(lived_in.owner, show_log=False, show_pain=False)).content
    assert b"Strong feet" in page
    assert b"Felt strong" not in page
    assert b"Morning check-ins" not in page


def test_the_capacity_tests_are_shown_with_the_pain_where_there_are_any(lived_in) -> None:
    from footcare.accounts.models import CalfRaiseTest

    runner = lived_in.owner
    assert b"Calf capacity tests" not in shared_page(make_link(runner)).content
    CalfRaiseTest.objects.create(
        user=runner, tested_on=timezone.localdate(), left=18, right=25, surface="flat"
    )
    page = shared_page(make_link(runner)).content.decode()
    assert "Calf capacity tests" in page
    assert "left 18, right 25 single-leg heel raises (on flat ground)" in page
    assert "the left side 28 % weaker" in page
    assert b"Calf capacity tests" not in shared_page(make_link(runner, show_pain=False)).content


def test_the_log_is_cut_at_the_chosen_weeks(lived_in) -> None:
    old = timezone.localdate() - datetime.timedelta(weeks=3)
    WorkoutSession.objects.create(owner=lived_in.owner, date=old, notes="Three weeks back")
    assert b"Three weeks back" not in shared_page(make_link(lived_in.owner, weeks=2)).content
    assert b"Three weeks back" in shared_page(make_link(lived_in.owner, weeks=4)).content


def test_nothing_of_another_runner(lived_in, other_runner, exercise) -> None:
    theirs = WeeklyPlan.objects.create(
        owner=other_runner, name="Grace's secret plan", is_active=True
    )
    add_item(theirs, exercise("toe-yoga"), 2)
    WorkoutSession.objects.create(
        owner=other_runner, date=timezone.localdate(), notes="Grace's day"
    )
    page = shared_page(make_link(lived_in.owner)).content.decode()
    assert "Grace" not in page and "grace@example.com" not in page


def test_a_revoked_link_is_dead_at_once(lived_in, runner_client) -> None:
    link = make_link(lived_in.owner)
    assert shared_page(link).status_code == 200
    response = runner_client.post(reverse("sharing:revoke", kwargs={"pk": link.pk}))
    assert response.status_code == 302
    gone = shared_page(link)
    assert gone.status_code == 404
    page = gone.content.decode()
    for secret in ("Ada L", "Strong feet", "Felt strong", "ada@example.com"):
        assert secret not in page
    # Revoking twice is as good as once, and keeps the first time.
    revoked_at = ShareLink.objects.get(pk=link.pk).revoked_at
    assert runner_client.post(reverse("sharing:revoke", kwargs={"pk": link.pk})).status_code == 302
    assert ShareLink.objects.get(pk=link.pk).revoked_at == revoked_at


def test_an_expired_or_made_up_link_answers_404(lived_in) -> None:
    link = make_link(lived_in.owner)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    assert shared_page(link).status_code == 404
    url = reverse("sharing:shared", kwargs={"token": "x" * 43})
    assert Client().get(url).status_code == 404


def test_the_runner_sees_when_it_was_last_opened(lived_in, runner_client) -> None:
    link = make_link(lived_in.owner)
    assert b"Not opened yet" in runner_client.get(LINKS).content
    shared_page(link)
    link.refresh_from_db()
    assert link.last_opened_at is not None
    assert b"Last opened" in runner_client.get(LINKS).content


def test_only_the_owner_can_revoke(lived_in, other_client) -> None:
    link = make_link(lived_in.owner)
    url = reverse("sharing:revoke", kwargs={"pk": link.pk})
    assert other_client.post(url).status_code == 404
    assert Client().post(url).status_code == 302  # to the login
    assert shared_page(link).status_code == 200
    assert other_client.get(url).status_code == 405


def test_revoking_needs_the_csrf_token(lived_in) -> None:
    link = make_link(lived_in.owner)
    client = Client(enforce_csrf_checks=True)
    client.force_login(lived_in.owner)
    assert client.post(reverse("sharing:revoke", kwargs={"pk": link.pk})).status_code == 403
    assert shared_page(link).status_code == 200


def form_data(runner_client: Client, **changes) -> dict:
    page = runner_client.get(LINKS).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    return {
        "label": "Coach Sam",
        "show_plan": "on",
        "show_log": "on",
        "show_pain": "on",
        "weeks": "4",
        "expires_in": "7",
        "token": token,
        **changes,
    }


def test_making_a_link_twice_with_one_form_makes_one(runner_client, runner) -> None:
    data = form_data(runner_client)
    for _ in range(2):
        assert runner_client.post(LINKS, data).status_code == 302
    link = ShareLink.objects.get(owner=runner)
    assert link.label == "Coach Sam"
    assert link.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)
    assert link.expires_at - timezone.now() <= datetime.timedelta(days=7)
    assert len(link.token) >= 43


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"label": ""}, "Say whom the link is for"),
        ({"expires_in": "999"}, "Choose when the link stops working"),
        ({"weeks": "52"}, "Choose how many weeks"),
        ({"show_plan": "", "show_log": "", "show_pain": ""}, "Choose at least one thing"),
    ],
)
def test_bad_input_makes_nothing_and_keeps_what_was_typed(runner_client, changes, message):
    data = form_data(runner_client, **{"label": "Dr Okafor", **changes})
    data = {key: value for key, value in data.items() if value}
    data.setdefault("label", "")
    response = runner_client.post(LINKS, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if data["label"]:
        assert 'value="Dr Okafor"' in page
    assert not ShareLink.objects.exists()


@needs_parallel_database
@pytest.mark.django_db(transaction=True)
def test_one_form_posted_twice_at_once_makes_one_link(runner_client, runner) -> None:
    responses = double_submit(runner_client, LINKS, form_data(runner_client))
    assert [r.status_code for r in responses] == [302, 302]
    assert ShareLink.objects.filter(owner=runner).count() == 1


@needs_parallel_database
@pytest.mark.django_db(transaction=True)
def test_revoked_while_opened_at_once_stays_revoked(lived_in, runner_client) -> None:
    from tests.concurrency import at_once

    link = make_link(lived_in.owner)
    url = reverse("sharing:revoke", kwargs={"pk": link.pk})
    at_once(lambda: runner_client.post(url), lambda: shared_page(link))
    assert shared_page(link).status_code == 404
    assert ShareLink.objects.get(pk=link.pk).revoked_at is not None


def test_links_are_in_the_export_and_go_with_the_account(lived_in, runner_client) -> None:
    link = make_link(lived_in.owner)
    services.link_revoke(link)
    document = json.loads(runner_client.get(reverse("accounts:export")).content)
    (exported,) = document["shared_links"]
    assert exported["label"] == "Dr Okafor, physio"
    assert exported["revoked_at"] is not None
    assert link.token not in json.dumps(document)
    response = runner_client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not ShareLink.objects.filter(pk=link.pk).exists()
