"""A logged exercise changed afterwards on a phone: one set, the rest as they were."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD
from routines.training.models import ExerciseLog
from tests.browser.conftest import demo_runner_on, log_in
from tests.browser.test_phone import MIN_TARGET, TARGETS_SCRIPT

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2026, 11, 23)


@pytest.mark.browser_context_args(
    viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True
)
def test_change_one_set_of_a_logged_exercise_on_a_phone(
    live_server, page: Page, monkeypatch, assert_accessible
):
    user = demo_runner_on(MONDAY, monkeypatch)
    log = (
        ExerciseLog.objects.filter(session__owner=user, per_side=True, sets_done__gte=2)
        .select_related("session")
        .order_by("-session__date")
        .first()
    )
    before = list(log.sets.order_by("number").values_list("amount", "amount_right"))
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/log/{log.session_id}/entries/{log.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(TARGETS_SCRIPT, MIN_TARGET) == []
    assert_accessible(page)

    second = page.get_by_role("spinbutton", name="Set 2, Left")
    expect(second).to_have_value(str(before[1][0]))
    second.fill(str(before[1][0] - 1))
    page.get_by_role("button", name="Save").tap()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Session of")
    after = list(log.sets.order_by("number").values_list("amount", "amount_right"))
    assert after == [before[0], (before[1][0] - 1, before[1][1]), *before[2:]]
    assert_accessible(page)


@pytest.mark.browser_context_args(
    viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True
)
def test_log_a_plan_day_in_one_step_on_a_phone(
    live_server, page: Page, monkeypatch, assert_accessible
):
    user = demo_runner_on(MONDAY, monkeypatch)
    sessions_before = user.workout_sessions.count()
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + "/log/")
    page.get_by_role("link", name="Log a session by hand").tap()
    assert_accessible(page)
    page.get_by_role("link", name="I did Monday's plan").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("I did Monday's plan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(TARGETS_SCRIPT, MIN_TARGET) == []
    assert_accessible(page)
    # Nothing is made until the one Save.
    assert user.workout_sessions.count() == sessions_before

    first = page.locator(".plan-day-item").first
    name = first.locator("legend").evaluate("e => e.firstChild.textContent.trim()")
    first.get_by_label("Pain").fill("2")
    page.get_by_role("button", name="Save the session").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Session of Monday 23 November 2026")
    expect(page.locator(".lede")).to_contain_text("finished")
    expect(page.locator("#logs")).to_contain_text(name)
    assert user.workout_sessions.count() == sessions_before + 1
    assert_accessible(page)
