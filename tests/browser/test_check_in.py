"""The next-morning check-in on a small phone, as the demo runner the morning after a
session: pain then stiffness, one tap each, by touch and by keyboard, a tap sent offline
and retried; then on a morning without a session, folded away."""

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD
from routines.training.models import MorningCheckIn, WorkoutSession
from tests.browser.conftest import demo_runner_on, log_in, settled

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2026, 11, 23)
SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
QUESTION = "How did your feet feel on your first steps this morning?"
# Where a screenshot of the check-in goes, for a person to look at; unset, none is taken.
SCREENSHOT = os.environ.get("CHECK_IN_SCREENSHOT")


@pytest.fixture
def demo_page(live_server, page: Page, monkeypatch) -> Page:
    demo_runner_on(MONDAY, monkeypatch)
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    return page


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_the_morning_after_a_session_check_in_with_two_taps(
    live_server, demo_page: Page, assert_accessible, expected_console_errors
):
    page = demo_page
    page.goto(live_server.url + "/today/")
    card = page.locator("#check-in")
    expect(card.get_by_role("heading", name=QUESTION)).to_be_visible()
    assert_accessible(page)

    card.get_by_role("button", name="Morning pain 2", exact=True).tap()
    expect(card).to_contain_text("Pain 2/10 this morning. How stiff were they?")
    expect(card.get_by_role("button", name="Morning pain 2", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    card.get_by_role("button", name="Stiffness 3", exact=True).tap()
    expect(card).to_contain_text("Pain 2/10, stiffness 3/10 this morning")
    expect(card.get_by_role("button", name="Stiffness 3", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    settled(page)
    assert list(MorningCheckIn.objects.filter(date=MONDAY).values_list("pain", "stiffness")) == [
        (2, 3)
    ]
    if SCREENSHOT:
        card.scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOT)
    assert_accessible(page)

    # Offline: the tap fails visibly; back online, the retry lands it.
    expected_console_errors.extend(
        ["Failed to load resource", "htmx:sendError", "htmx:afterRequest"]
    )
    page.context.set_offline(True)
    card.get_by_role("button", name="Stiffness 4", exact=True).tap()
    expect(card.locator(".check-in-form.is-failed .save-failed")).to_be_visible()
    page.context.set_offline(False)
    card.get_by_role("button", name="Stiffness 4", exact=True).tap()
    expect(card).to_contain_text("Pain 2/10, stiffness 4/10 this morning")
    expect(card.locator(".save-failed")).to_be_hidden()

    page.reload()
    expect(card).to_contain_text("Pain 2/10, stiffness 4/10 this morning")
    expect(card.get_by_role("button", name="Morning pain 2", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def test_the_check_in_by_keyboard_keeps_focus_on_the_key_pressed(
    live_server, demo_page: Page, assert_accessible
):
    page = demo_page
    page.goto(live_server.url + "/today/")
    # Reached with Tab from the top of the page, like any other control.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "check-in-pain-0":
            break
    else:
        pytest.fail("Tab never reached the check-in's first button")
    for _ in range(4):
        page.keyboard.press("Tab")
    pain = page.get_by_role("button", name="Morning pain 4", exact=True)
    expect(pain).to_be_focused()
    page.keyboard.press("Enter")
    expect(pain).to_have_attribute("aria-pressed", "true")
    settled(page)
    # The swap put the pressed button back in focus: the next Tab goes on from it.
    expect(pain).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Morning pain 5", exact=True)).to_be_focused()
    assert_accessible(page)


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_on_other_mornings_the_check_in_is_folded_away(
    live_server, demo_page: Page, assert_accessible
):
    WorkoutSession.objects.filter(date=MONDAY - datetime.timedelta(days=1)).delete()
    page = demo_page
    page.goto(live_server.url + "/today/")
    card = page.locator("#check-in")
    expect(card.get_by_role("heading", name=QUESTION)).to_have_count(0)
    pain = card.get_by_role("button", name="Morning pain 1", exact=True)
    expect(pain).to_be_hidden()
    card.get_by_text("Check in this morning").tap()
    expect(card).to_contain_text(QUESTION)
    pain.tap()
    card.get_by_role("button", name="Stiffness 1", exact=True).tap()
    expect(card.locator("summary")).to_have_text("Pain 1/10, stiffness 1/10 this morning")
    assert_accessible(page)
    page.reload()
    expect(card.locator("summary")).to_have_text("Pain 1/10, stiffness 1/10 this morning")
    expect(pain).to_be_hidden()
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT.replace(".png", "-folded.png"))
