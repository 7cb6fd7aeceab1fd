"""Issue 24 point 15: the calf capacity test, recorded per side with its date, compared left
against right and with the runner's own history, and read by the plan generator."""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.utils import timezone

from footcare.accounts.models import CalfRaiseTest, User
from footcare.accounts.services import calf_raise_test_save
from tests.concurrency import double_submit, needs_parallel_database

pytestmark = pytest.mark.django_db

URL = "/accounts/calf-test/"


@pytest.fixture
def calf_tester_client(client, django_user_model):
    user = User.objects.create_user(email="ada@example.com", password="x" * 20)
    client.force_login(user)
    client.user = user
    return client


def post(client, **fields):
    data = {
        "tested_on": timezone.localdate().isoformat(),
        "surface": "step",
        "left": 20,
        "right": 25,
        "token": str(uuid4()),
    } | fields
    return client.post(URL, data)


def test_the_page_has_the_metronome_the_form_and_the_cited_norm_gap(calf_tester_client):
    html = calf_tester_client.get(URL).content.decode()

    assert "data-metronome" in html and "js/calf_test.js" in html
    assert "60 a minute" in html
    assert 'name="left"' in html and 'name="right"' in html and 'name="surface"' in html
    # The source is cited by title and address; with no test there is nothing to compare yet.
    assert "https://doi.org/10.1016/j.physio.2017.03.002" in html
    assert "Updated reliability and normative values" in html
    assert "your profile does not give" not in html


def test_a_test_is_saved_per_side_with_its_date_once_however_often_it_is_posted(calf_tester_client):
    token = str(uuid4())
    first = post(calf_tester_client, token=token)
    second = post(calf_tester_client, token=token)  # a double click

    assert first.status_code == second.status_code == 302
    test = CalfRaiseTest.objects.get(user=calf_tester_client.user)
    assert (test.left, test.right, test.surface) == (20, 25, "step")
    assert test.tested_on == timezone.localdate()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("left", "-1", "Count the left leg&#x27;s raises"),
        ("right", "151", "Count the right leg&#x27;s raises"),
        ("right", "many", "Count the right leg&#x27;s raises"),
        ("surface", "ladder", "Choose a step edge or flat ground."),
        ("tested_on", "2999-01-01", "The test cannot be in the future."),
    ],
)
def test_bad_input_is_refused_with_its_message_and_the_typed_values_kept(
    calf_tester_client, field, value, message
):
    response = post(calf_tester_client, **{field: value, "left": 17} | {field: value})

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert not CalfRaiseTest.objects.exists()
    if field != "left":
        assert 'value="17"' in html


def test_left_against_right_over_ten_percent_is_flagged_and_within_it_is_not(calf_tester_client):
    post(calf_tester_client, left=20, right=25)  # 20 % fewer on the left
    html = calf_tester_client.get(URL).content.decode()
    assert "Your left calf did 20 % fewer raises than the other" in html

    test = CalfRaiseTest.objects.get()
    assert test.flagged and test.weaker_side == "left"
    test.left = 23  # 8 % fewer
    assert not test.flagged
    test.left, test.right = 18, 20  # exactly 10 %: not over it
    assert not test.flagged


def test_own_history_shows_the_change_and_a_retest_after_four_weeks(calf_tester_client):
    today = timezone.localdate()
    post(calf_tester_client, tested_on=(today - timedelta(days=30)).isoformat(), left=15, right=16)
    html = calf_tester_client.get(URL).content.decode()
    assert "time to test again" in html

    post(calf_tester_client, left=19, right=18)
    html = calf_tester_client.get(URL).content.decode()
    assert "left +4, right +2" in html
    assert "time to test again" not in html
    assert html.count("<tr><td>") == 2  # the history table


def test_someone_elses_tests_are_never_shown(calf_tester_client):
    other = User.objects.create_user(email="grace@example.com", password="y" * 20)
    calf_raise_test_save(
        user=other, tested_on=timezone.localdate(), surface="flat", left=41, right=42, token=None
    )
    html = calf_tester_client.get(URL).content.decode()
    assert "<td>41</td>" not in html and "Your tests" not in html
    assert "Your latest test" not in html


def test_the_tests_are_in_the_data_export_and_go_with_the_profile_s_hurting_now(calf_tester_client):
    import json

    post(calf_tester_client, left=12, right=14)
    document = json.loads(calf_tester_client.get("/accounts/export/").content)
    assert [(t["left"], t["right"], t["surface"]) for t in document["calf_tests"]] == [
        (12, 14, "step")
    ]
    assert document["profile"]["hurting_now"] == []


@needs_parallel_database
@pytest.mark.django_db(transaction=True)
def test_the_same_test_posted_twice_at_once_is_saved_once(calf_tester_client):
    token = str(uuid4())
    data = {
        "tested_on": timezone.localdate().isoformat(),
        "surface": "flat",
        "left": 21,
        "right": 22,
        "token": token,
    }

    responses = double_submit(calf_tester_client, URL, data)

    assert all(response.status_code == 302 for response in responses)
    assert CalfRaiseTest.objects.filter(user=calf_tester_client.user).count() == 1
