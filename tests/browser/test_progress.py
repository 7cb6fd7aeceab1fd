"""/progress/ as the demo runner: axe-clean in light and dark, fits a 360 px phone without
sideways scrolling, thumb-sized targets, tables that open; screenshots on request.

    PROGRESS_SCREENSHOTS=var/screenshots .venv/bin/python -m pytest tests/browser/test_progress.py
"""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.accounts.conftest import make_runner
from tests.browser.conftest import demo_runner_on, log_in
from tests.browser.test_phone import MIN_TARGET, TARGETS_SCRIPT

pytestmark = pytest.mark.django_db(transaction=True)

# A Wednesday, so the current week is under way.
TODAY = datetime.date(2026, 11, 25)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
SHOTS = os.environ.get("PROGRESS_SCREENSHOTS", "")


@pytest.fixture
def demo_progress(live_server, page: Page, monkeypatch) -> Page:
    demo_runner_on(TODAY, monkeypatch)
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + "/progress/")
    return page


def screenshot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(Path(SHOTS) / f"progress-{name}-{scheme}.png"), full_page=True)
        # What the runner sees first, without scrolling.
        page.screenshot(path=str(Path(SHOTS) / f"progress-{name}-{scheme}-first-screen.png"))
    page.emulate_media(color_scheme="light")


def no_sideways_scroll(page: Page) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{scheme}: the page is {width} px wide"


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_progress_on_a_desktop(demo_progress: Page, assert_accessible):
    page = demo_progress
    expect(page.get_by_role("heading", name="Your progress", level=1)).to_be_visible()
    expect(page.get_by_text("Streak")).to_be_visible()
    expect(page.get_by_text("Morning pain:")).to_be_visible()
    for name in ("Adherence by week", "Average pain per week", "Sets done per day"):
        expect(page.get_by_role("img", name=name)).to_be_visible()
    # The same figures as a table, one press away.
    page.get_by_text("Adherence by week as a table").click()
    table = page.get_by_role("table", name="Adherence by week")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(13)
    expect(page.get_by_role("link", name="Progress")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    screenshot(page, "desktop")


@pytest.mark.browser_context_args(viewport=PHONE, has_touch=True, is_mobile=True)
def test_progress_on_a_phone(demo_progress: Page, assert_accessible):
    page = demo_progress
    expect(page.get_by_role("img", name="Sets done per day")).to_be_visible()
    no_sideways_scroll(page)
    for details in page.locator("details.chart-table").all():
        details.locator("summary").tap()
    no_sideways_scroll(page)
    assert page.evaluate(TARGETS_SCRIPT, MIN_TARGET) == []
    assert_accessible(page)
    page.reload()
    screenshot(page, "phone")


@pytest.mark.browser_context_args(viewport=PHONE, has_touch=True, is_mobile=True)
def test_an_empty_progress_page_says_what_to_do(live_server, page: Page, assert_accessible):
    make_runner("new@example.com", "tempo-tuesdays-and-hills-7")
    log_in(page, live_server.url, "new@example.com", "tempo-tuesdays-and-hills-7")
    page.goto(live_server.url + "/progress/")
    expect(page.get_by_role("heading", name="Nothing logged yet")).to_be_visible()
    expect(page.get_by_role("link", name="Build your week")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
