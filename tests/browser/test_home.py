import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.browser.conftest import demo_runner_on, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_loads_htmx_without_errors_and_passes_axe(
    live_server, page: Page, assert_accessible
):
    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Strong feet for the miles ahead")
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    expect(page.get_by_role("contentinfo")).to_contain_text("not medical advice")
    assert_accessible(page)


def test_skip_link_is_first_on_the_keyboard_and_moves_focus_to_main(live_server, page: Page):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_home_page_fits_a_phone_screen(live_server, page: Page, assert_accessible):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, f"the page scrolls sideways on a phone ({scroll_width}px wide)"
    assert_accessible(page)


def test_missing_page_is_styled_and_accessible(live_server, page: Page, assert_accessible):
    response = page.goto(live_server.url + "/no-such-page/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


HOME_SCREENSHOTS = os.environ.get("HOME_SCREENSHOTS")


@pytest.mark.parametrize("size", [(360, 740), (1280, 900)])
def test_a_runners_home_shows_the_week_from_the_log_and_keeps_today_in_reach(
    live_server, page: Page, monkeypatch, assert_accessible, size
):
    """The week is the training app's card, drawn with the page (its tag)."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    demo_runner_on(datetime.date(2026, 11, 23), monkeypatch)
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Today, Monday")).to_be_visible()
    expect(page.locator(".week-glance li")).to_have_count(7)
    expect(page.locator(".week-glance [aria-current=date]")).to_contain_text("Mon")
    assert page.locator("#today-title").count() == 1
    assert_accessible(page)
    if HOME_SCREENSHOTS:
        page.screenshot(path=f"{HOME_SCREENSHOTS}/home-{size[0]}.png", full_page=True)
