"""A logged exercise changed afterwards on a phone: one set, the rest as they were."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from routines.demo import DEMO_EMAIL, DEMO_PASSWORD
from routines.models import ExerciseLog
from tests.browser.conftest import demo_runner_on, log_in

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
    assert_accessible(page)

    second = page.get_by_role("spinbutton", name="Set 2, Left")
    expect(second).to_have_value(str(before[1][0]))
    second.fill(str(before[1][0] - 1))
    page.get_by_role("button", name="Save").tap()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Session of")
    after = list(log.sets.order_by("number").values_list("amount", "amount_right"))
    assert after == [before[0], (before[1][0] - 1, before[1][1]), *before[2:]]
    assert_accessible(page)
