"""Suggestions as the demo runner: check in, see a 'progress' suggestion with its reason,
apply it, see the plan changed and why, undo it."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from footcare.accounts.models import User
from routines.plans.models import PlanItem
from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.browser.conftest import demo_runner_on, log_in, settled

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def demo_awaiting_check_in(live_server, monkeypatch) -> User:
    """The demo runner on MONDAY: toe yoga's last two sessions were easy and complete, the
    last one yesterday, so this morning's check-in is all a 'progress' suggestion waits for."""
    return demo_runner_on(MONDAY, monkeypatch)


def check_in(page: Page, *, pain: int) -> None:
    """This morning's check-in, tapped as a runner would: pain, then stiffness."""
    card = page.locator("#check-in")
    card.get_by_role("button", name=f"Morning pain {pain}", exact=True).click()
    expect(card.get_by_role("button", name=f"Morning pain {pain}", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    card.get_by_role("button", name=f"Stiffness {pain}", exact=True).click()
    expect(card.get_by_role("button", name=f"Stiffness {pain}", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def test_check_in_apply_a_progress_suggestion_see_why_on_the_board_and_undo_it(
    live_server, page: Page, demo_awaiting_check_in: User, assert_accessible
):
    user = demo_awaiting_check_in
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + "/today/")
    suggestions = page.locator("#suggestions")
    expect(suggestions.get_by_role("heading", name="Suggestions")).to_be_visible()
    expect(suggestions).to_contain_text("no check-in the morning after your last session")

    check_in(page, pain=0)
    card = suggestions.locator("article").filter(has_text="Toe yoga (Mon, Fri, Sun)")
    expect(card.get_by_role("heading")).to_contain_text("Make it harder")
    expect(card).to_contain_text("→ Toe yoga with hand resistance")
    expect(card).to_contain_text("Your last two sessions were complete, with pain 0 and 1")
    # Something holds too, with its reason, folded away.
    expect(suggestions.get_by_text(re.compile(r"^Keep as they are"))).to_be_visible()
    assert_accessible(page)

    card.get_by_role("button", name=re.compile(r"^Apply\W+Toe yoga")).click()
    # Toe yoga is on today's cards, so the page comes back whole with the message.
    message = "Made harder: Toe yoga with hand resistance in place of Toe yoga, at 2 × 10"
    expect(page.get_by_role("status").filter(has_text=message).first).to_be_visible()
    expect(
        page.locator(".today-item").get_by_role(
            "heading", name="Toe yoga with hand resistance", exact=True
        )
    ).to_have_count(1)
    toe_yoga_days = PlanItem.objects.filter(
        plan__owner=user, plan__is_active=True, exercise__slug__startswith="toe-yoga"
    )
    assert set(toe_yoga_days.values_list("exercise__slug", flat=True)) == {"toe-yoga-resisted"}
    assert_accessible(page)

    page.get_by_role("link", name="Plans", exact=True).click()
    page.get_by_role("link", name=re.compile("Plantar heel care")).first.click()
    monday = page.locator("#day-0")
    expect(monday).to_contain_text("Toe yoga with hand resistance")
    expect(monday).to_contain_text("Why this dose: Your last two sessions were complete")
    expect(monday).to_contain_text("(applied")
    expect(monday).to_contain_text("made harder)")
    assert_accessible(page)

    page.goto(live_server.url + "/today/")
    page.locator("#suggestions").get_by_role("button", name=re.compile(r"^Undo")).click()
    settled(page)
    expect(
        page.get_by_role("status").filter(has_text="Undone: Toe yoga is back in place of").first
    ).to_be_visible()
    assert set(toe_yoga_days.values_list("exercise__slug", flat=True)) == {"toe-yoga"}
    expect(
        page.locator(".today-item").get_by_role(
            "heading", name="Toe yoga with hand resistance", exact=True
        )
    ).to_have_count(0)
    assert_accessible(page)


WEDNESDAY = MONDAY + datetime.timedelta(days=2)


@pytest.fixture
def demo_on_wednesday(live_server, monkeypatch) -> User:
    """The demo runner on a Wednesday: toe yoga is not on today's cards, so Apply and Undo
    swap the suggestions block in place instead of reloading the page."""
    return demo_runner_on(WEDNESDAY, monkeypatch)


def tab_to(page: Page, selector: str, *, limit: int = 400) -> None:
    """Tab forward, as a keyboard user does, until `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_by_keyboard_alone_apply_and_undo_keep_the_focus_and_say_what_happened(
    live_server, page: Page, demo_on_wednesday: User
):
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + "/today/")
    tab_to(page, "#check-in button[name=pain][value='0']")
    page.keyboard.press("Enter")
    expect(page.locator("#check-in button[name=pain][value='0']")).to_be_focused()
    # The answer is said: the card was swapped whole, so its own words would not be.
    expect(page.locator("#swap-status")).to_have_text(
        "Pain 0/10 this morning. How stiff were they?"
    )
    tab_to(page, "#check-in button[name=stiffness][value='0']")
    page.keyboard.press("Enter")
    settled(page)

    toe_yoga = page.locator("#suggestions article").filter(has_text="Toe yoga (Mon, Fri, Sun)")
    toe_yoga.locator("button").evaluate("(button) => button.setAttribute('data-tab-here', '')")
    tab_to(page, "[data-tab-here]")
    page.keyboard.press("Enter")
    settled(page)
    message = "Made harder: Toe yoga with hand resistance in place of Toe yoga"
    # The button pressed went with the swap: the focus is on the Undo beside what changed,
    # and the page's live region, there before the swap, says it.
    undo = page.locator("#suggestions").get_by_role("button", name=re.compile(r"^Undo"))
    expect(undo).to_be_focused()
    expect(page.locator("#swap-status")).to_contain_text(message)

    page.keyboard.press("Enter")
    settled(page)
    said = "Undone: Toe yoga is back in place of Toe yoga with hand resistance"
    expect(page.locator("#suggestions [data-announce]")).to_be_focused()
    expect(page.locator("#swap-status")).to_contain_text(said)
