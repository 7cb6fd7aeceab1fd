"""Issue 24 point 4 in a browser: the weight and calf-test charts of /progress/ name their
dates under the points, and their legends (long exercise names) fit a 360 px phone.

With LOAD_SCREENSHOTS=<folder> the two charts are saved at 360x740 and 1280 wide.
"""

import copy
import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.conftest import make_runner

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 25)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("LOAD_SCREENSHOTS", "")
EMAIL, PASSWORD = "ada@example.com", "tempo-tuesdays-and-hills-7"


@pytest.fixture
def weight_history(live_server, page: Page, monkeypatch) -> Page:
    """A runner in pounds with eight weeks of two weighted raises and three calf tests."""
    from exercises.content.file import read_library
    from exercises.content.seed import library_seed
    from exercises.models import Exercise
    from footcare.accounts.models import CalfRaiseTest
    from routines.training.models import ExerciseLog, WorkoutSession

    monkeypatch.setattr("footcare.clock.today", lambda: TODAY)
    library_seed(data=copy.deepcopy(read_library()))
    runner = make_runner(EMAIL, PASSWORD)
    runner.runner_profile.weight_unit = "lb"
    runner.runner_profile.save(update_fields=["weight_unit"])
    raises = [
        Exercise.objects.get(slug=slug)
        # The longest name of a weighted exercise: Rathleff's raise.
        for slug in ("calf-raise-weighted", "plantar-heel-raise")
    ]
    for week in range(8):
        day = TODAY - datetime.timedelta(days=7 * (7 - week))
        session = WorkoutSession.objects.create(owner=runner, date=day)
        for n, exercise in enumerate(raises):
            ExerciseLog.objects.create(
                session=session,
                exercise=exercise,
                position=n,
                sets_planned=3,
                sets_done=3,
                load=Decimal(8 + week + 2 * n),
            )
    for ago, left, right in ((60, 14, 18), (30, 16, 19), (2, 18, 20)):
        CalfRaiseTest.objects.create(
            user=runner,
            tested_on=TODAY - datetime.timedelta(days=ago),
            surface="flat",
            left=left,
            right=right,
        )
    log_in(page, live_server.url, EMAIL, PASSWORD)
    page.goto(live_server.url + "/progress/")
    return page


def check_charts(page: Page, width: int, name: str) -> None:
    for slug, last_day in (("weight", "25 Nov"), ("calf-tests", "23 Nov")):
        chart = page.locator(f"#{slug}")
        chart.scroll_into_view_if_needed()
        # The newest entry's date is written under its point.
        expect(chart.locator("svg text.chart-tick", has_text=last_day)).to_have_count(1)
        for item in chart.locator(".legend-item").all():
            box = item.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (
                slug,
                box,
            )
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            chart.screenshot(path=str(Path(SHOTS) / f"{slug}-{name}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.browser_context_args(viewport=PHONE, has_touch=True, is_mobile=True)
def test_the_weight_charts_on_a_phone(weight_history: Page, assert_accessible):
    page = weight_history
    expect(page.get_by_role("img", name="Weight lifted")).to_be_visible()
    expect(page.locator("#weight")).to_contain_text("in lb")
    check_charts(page, PHONE["width"], "phone")
    assert_accessible(page)


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_the_weight_charts_on_a_desktop(weight_history: Page):
    check_charts(weight_history, DESKTOP["width"], "desktop")
