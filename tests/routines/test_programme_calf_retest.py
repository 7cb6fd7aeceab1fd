"""Issue 24 point 15: the calf test is offered again every four weeks on /progress/, and its
results are charted there with a table, with or without sessions logged."""

import datetime

import pytest
from django.utils import timezone

from footcare.accounts.models import CalfRaiseTest

pytestmark = pytest.mark.django_db


def calf_test_on(runner, days_ago, left=12, right=20):
    return CalfRaiseTest.objects.create(
        user=runner,
        tested_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        surface="flat",
        left=left,
        right=right,
    )


def test_without_a_test_progress_offers_one(runner_client):
    html = runner_client.get("/progress/").content.decode()
    assert "No calf test yet" in html and 'href="/accounts/calf-test/"' in html
    assert "Calf capacity tests (raises) as a table" not in html


def test_before_four_weeks_it_says_when_to_test_again(runner_client, runner):
    test = calf_test_on(runner, days_ago=10)
    html = runner_client.get("/progress/").content.decode()
    assert f"Test again from {test.retest_on:%-d %B}, 4 weeks on" in html
    assert "time to test again" not in html
    assert test.retest_on == test.tested_on + datetime.timedelta(days=28)


def test_after_four_weeks_it_offers_the_retest(runner_client, runner):
    calf_test_on(runner, days_ago=28)
    html = runner_client.get("/progress/").content.decode()
    assert "4 weeks or more ago: time to test again" in html
    assert ">Do the calf test</a>" in html


def test_the_tests_are_charted_with_a_table_even_with_no_session_logged(runner_client, runner):
    calf_test_on(runner, days_ago=40, left=10, right=18)
    calf_test_on(runner, days_ago=5, left=14, right=19)
    html = runner_client.get("/progress/").content.decode()
    assert "Nothing logged yet" in html
    assert "Calf capacity tests (raises) as a table" in html
    table = html[html.index("Calf capacity tests (raises) as a table") :]
    assert ">14<" in table and ">19<" in table and ">10<" in table and ">18<" in table
