"""A session logged by hand: finished like /today/'s, and never left behind empty unseen."""

import pytest

from routines.models import ExerciseLog, WorkoutSession

from .conftest import MONDAY


@pytest.fixture
def by_hand(runner, exercise, on_monday) -> WorkoutSession:
    session = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    ExerciseLog.objects.create(session=session, exercise=exercise("toe-yoga"), sets_done=0)
    return session


def test_a_session_by_hand_can_be_finished_once(runner_client, by_hand):
    page = runner_client.get(f"/log/{by_hand.pk}/")
    assert "not finished" in page.text
    assert f'action="/log/{by_hand.pk}/finish/"' in page.text

    first = runner_client.post(f"/log/{by_hand.pk}/finish/")
    by_hand.refresh_from_db()
    finished_at = by_hand.finished_at
    second = runner_client.post(f"/log/{by_hand.pk}/finish/")

    assert first.status_code == second.status_code == 302
    by_hand.refresh_from_db()
    assert finished_at is not None and by_hand.finished_at == finished_at
    page = runner_client.get(f"/log/{by_hand.pk}/")
    assert "· finished" in page.text
    assert f'action="/log/{by_hand.pk}/finish/"' not in page.text


def test_an_empty_session_is_not_finished_but_named_in_the_log(runner, runner_client, on_monday):
    empty = WorkoutSession.objects.create(owner=runner, date=MONDAY)

    response = runner_client.post(f"/log/{empty.pk}/finish/", follow=True)

    assert "Add what you did before finishing" in response.text
    empty.refresh_from_db()
    assert empty.finished_at is None
    log = runner_client.get("/log/")
    assert "Nothing logged in it." in log.text
    assert f'href="/log/{empty.pk}/delete/"' in log.text


def test_another_runners_session_cannot_be_finished(other_client, by_hand):
    assert other_client.post(f"/log/{by_hand.pk}/finish/").status_code == 404
    by_hand.refresh_from_db()
    assert by_hand.finished_at is None
