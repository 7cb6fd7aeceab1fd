"""Today on a phone, as the demo runner: tick sets, a hold timer, pain and effort, a swap,
a tick sent offline and retried, reload, finish, then the log and the CSV."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from routines.plans.models import PlanItem
from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD
from routines.training.models import ExerciseLog, SetLog
from tests.browser.conftest import demo_runner_on, log_in, settled

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2026, 11, 23)
# The demo plan's Monday heel raise: Rathleff's raise, per side, resting 2 minutes.
HEEL_RAISE = "Single-leg heel raise on a step"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
# Counts the vibrations the timer asks for; the real API does nothing in a headless browser.
VIBRATE_SPY = """
  window.__vibrations = 0;
  navigator.vibrate = () => { window.__vibrations += 1; return true; };
"""


@pytest.fixture
def demo_page_with_timer(live_server, page: Page, monkeypatch) -> Page:
    demo_runner_on(MONDAY, monkeypatch)
    page.add_init_script(VIBRATE_SPY)
    page.clock.install()
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    return page


@pytest.mark.browser_context_args(**PHONE)
def test_follow_today_on_a_phone_and_find_it_in_the_log(
    live_server, demo_page_with_timer: Page, assert_accessible, expected_console_errors
):
    page = demo_page_with_timer
    expect(page.get_by_role("heading", name="Today, Monday")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Start today's session").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    assert_accessible(page)

    heel = page.locator(".today-item").filter(has_text=HEEL_RAISE).first
    toes = page.locator(".today-item").filter(has_text="Toe yoga").first
    toes_item = PlanItem.objects.get(plan__is_active=True, weekday=0, exercise__slug="toe-yoga")
    expect(heel).to_contain_text("3 × 12 each side, hold 2 seconds")
    expect(heel).to_contain_text("Last time (")

    # Two sets, the second one rep short on the left (the stepper).
    heel.get_by_role("button", name="Tick set 1 done").tap()
    expect(heel).to_contain_text("1 of 3 sets done")
    heel.get_by_role("button", name="Fewer: Left side, set 2").tap()
    expect(heel.get_by_role("spinbutton", name="Left side, set 2")).to_have_value("11")
    heel.get_by_role("button", name="Tick set 2 done").tap()
    expect(heel).to_contain_text("2 of 3 sets done")
    settled(page)
    log = ExerciseLog.objects.get(session__date=MONDAY, exercise__slug="plantar-heel-raise")
    assert list(log.sets.order_by("number").values_list("amount", "amount_right")) == [
        (12, 12),
        (11, 12),
    ]

    # The hold timer, on Playwright's clock: a rep is its rise, its hold and its lowering,
    # then the next rep.
    rise, lower = toes_item.exercise.rise_seconds, toes_item.exercise.lower_seconds
    rep = rise + toes_item.hold_seconds + lower
    toes.get_by_role("button", name="Start timer").tap()
    expect(toes.locator(".timer-phase")).to_have_text("Rise: rep 1 of 10")
    page.clock.run_for(rep * 1000 + 500)
    expect(toes.locator(".timer-phase")).to_have_text("Rise: rep 2 of 10")
    assert page.evaluate("window.__vibrations") >= 1
    toes.get_by_role("button", name="Pause").tap()
    paused = toes.locator(".timer-display").text_content()
    page.clock.run_for(5_000)
    expect(toes.locator(".timer-display")).to_have_text(paused)
    toes.get_by_role("button", name="Reset").tap()
    expect(toes.locator(".timer-display")).to_have_text(f"0:0{rise}")

    # Pain and effort, one tap each.
    heel.get_by_role("button", name="Pain 2", exact=True).tap()
    expect(heel.get_by_role("button", name="Pain 2", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    heel.get_by_role("button", name="Effort 6", exact=True).tap()
    expect(heel.get_by_role("button", name="Effort 6", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    # Another rung, for today only. The heel raise is a side branch that grows by the weight
    # lifted, so it offers none; toe yoga offers its harder rung.
    toes.get_by_role("button", name="Harder today: Toe yoga with hand resistance").tap()
    toes = page.locator(".today-item").filter(has_text="in place of Toe yoga")
    expect(toes).to_contain_text("Toe yoga with hand resistance")
    assert_accessible(page)

    # Offline: the tick is kept on the phone, marked not sent yet (static/js/offline.js);
    # back online, it is sent once and the page shows what the server holds.
    page.context.set_offline(True)
    heel.get_by_role("button", name="Tick set 3 done").tap()
    expect(heel).to_contain_text("3 of 3 sets done")
    expect(heel.locator(".set-form .pending-note")).to_have_text("Not sent yet")
    expect(page.locator("#offline-banner")).to_contain_text("You are offline.")
    page.context.set_offline(False)
    page.wait_for_load_state()
    heel = page.locator(".today-item").filter(has_text=HEEL_RAISE).first
    expect(heel).to_contain_text("3 of 3 sets done")
    expect(heel.locator(".pending-note")).to_have_count(0)
    expect(page.locator("#offline-banner")).to_be_hidden()
    settled(page)
    log.refresh_from_db()
    assert (log.sets_done, log.sets.count(), log.pain, log.effort) == (3, 3, 2, 6)

    # Reload: everything the server acknowledged is there, the swap included.
    page.reload()
    heel = page.locator(".today-item").filter(has_text=HEEL_RAISE).first
    expect(heel).to_contain_text("3 of 3 sets done")
    expect(heel.get_by_role("button", name="Pain 2", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    toes = page.locator(".today-item").filter(has_text="in place of Toe yoga")
    expect(toes).to_contain_text("Toe yoga with hand resistance")
    assert_accessible(page)

    page.get_by_label("Notes for this session").fill("Calves tired after Sunday's long run")
    page.get_by_role("button", name="Finish session").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session of Monday 23 November 2026")
    expect(page.locator(".log-table")).to_contain_text(HEEL_RAISE)
    assert_accessible(page)

    page.get_by_role("link", name="Log", exact=True).tap()
    expect(page.get_by_role("link", name="Monday 23 November 2026")).to_be_visible()
    assert_accessible(page)

    csv = page.request.get(live_server.url + "/log/export.csv").text()
    # The raise is in the history too: today's row, the one the runner just logged.
    row = next(
        line for line in csv.splitlines() if line.startswith("2026-11-23,") and HEEL_RAISE in line
    )
    assert row.startswith("2026-11-23,Plantar heel care,yes,")
    assert "12 left, 12 right / 11 left, 12 right / 12 left, 12 right" in row
    assert row.endswith(",2,6,no,Calves tired after Sunday's long run")


SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}


def phase_and_seconds(card) -> tuple[str, int]:
    minutes, seconds = card.locator(".timer-display").text_content().split(":")
    return card.locator(".timer-phase").text_content(), int(minutes) * 60 + int(seconds)


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_ticking_a_set_starts_its_rest_and_a_held_rep_counts_its_rise_and_lowering(
    live_server, demo_page_with_timer: Page, assert_accessible
):
    page = demo_page_with_timer
    page.goto(live_server.url + "/today/")
    toes_item = PlanItem.objects.get(plan__is_active=True, weekday=0, exercise__slug="toe-yoga")
    heel_item = PlanItem.objects.get(
        plan__is_active=True, weekday=0, exercise__slug="plantar-heel-raise"
    )
    toes = page.locator(f"#item-{toes_item.pk}")
    heel = page.locator(f"#item-{heel_item.pk}")

    # A held rep: the rise, the hold, the lowering, each counted down, then the next rep,
    # at the pace the exercise's steps tell.
    rise, lower = toes_item.exercise.rise_seconds, toes_item.exercise.lower_seconds
    toes.get_by_role("button", name="Start timer").tap()
    expect(toes.locator(".timer-phase")).to_have_text("Rise: rep 1 of 10")
    assert phase_and_seconds(toes) == ("Rise: rep 1 of 10", rise)
    page.clock.run_for(rise * 1000 + 100)
    expect(toes.locator(".timer-phase")).to_have_text("Hold: rep 1 of 10")
    page.clock.run_for(toes_item.hold_seconds * 1000)
    expect(toes.locator(".timer-phase")).to_have_text("Lower: rep 1 of 10")
    assert phase_and_seconds(toes)[1] == lower
    page.clock.run_for(lower * 1000)
    expect(toes.locator(".timer-phase")).to_have_text("Rise: rep 2 of 10")
    toes.get_by_role("button", name="Pause").tap()

    # Ticking a set starts the rest, counted down from the item's rest, without a tap on Start.
    heel.get_by_role("button", name="Tick set 1 done").tap()
    expect(heel).to_contain_text("1 of 3 sets done")
    expect(heel.locator(".timer-phase")).to_have_text("Rest")
    page.clock.run_for(2_000)
    phase, left = phase_and_seconds(heel)
    assert phase == "Rest" and left < heel_item.rest_seconds
    assert_accessible(page)
    page.clock.run_for(heel_item.rest_seconds * 1000)
    expect(heel.locator(".timer-phase")).to_have_text("Rest over: start the next set")
    # The rest does not stop the other card's timer where it was.
    expect(toes.locator(".timer-phase")).to_have_text("Rise: rep 2 of 10")


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_a_skipped_card_hides_its_timer(live_server, demo_page_with_timer: Page, assert_accessible):
    page = demo_page_with_timer
    page.goto(live_server.url + "/today/")
    toes_item = PlanItem.objects.get(plan__is_active=True, weekday=0, exercise__slug="toe-yoga")
    toes = page.locator(f"#item-{toes_item.pk}")
    toes.get_by_role("button", name="Start timer").tap()
    expect(toes.locator(".timer")).to_be_visible()

    toes.get_by_role("button", name="Skip today").tap()

    expect(toes).to_contain_text("Skipped today")
    expect(toes.locator(".timer")).to_have_count(0)
    assert_accessible(page)
    toes.get_by_role("button", name="Do it after all").tap()
    expect(toes.get_by_role("button", name="Start timer")).to_be_visible()


@pytest.mark.browser_context_args(
    viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True
)
def test_a_refused_set_shows_inline_in_the_card_on_a_phone(
    live_server, demo_page_with_timer: Page, assert_accessible, expected_console_errors
):
    # The browser logs the refusal's status; the refusal is the answer expected here.
    expected_console_errors.append(
        "Failed to load resource: the server responded with a status of 400"
    )
    page = demo_page_with_timer
    sets_before = SetLog.objects.filter(log__session__date=MONDAY).count()
    page.goto(live_server.url + "/today/")
    heel = page.locator(".today-item").filter(has_text=HEEL_RAISE).first
    left = heel.get_by_role("spinbutton", name="Left side, set 1")
    # The same bounds the server holds to, on the input.
    assert (left.get_attribute("min"), left.get_attribute("max")) == ("0", "100")

    left.fill("150")
    heel.get_by_role("button", name="Tick set 1 done").tap()
    settled(page)

    # The card, swapped in place with the message beside the field and the value as typed;
    # the page around it is still the page, styled, with no error banner.
    heel = page.locator(".today-item").filter(has_text=HEEL_RAISE).first
    left = heel.get_by_role("spinbutton", name="Left side, set 1")
    expect(left).to_have_value("150")
    expect(left).to_have_attribute("aria-invalid", "true")
    message = heel.locator(".set-form .errorlist").first
    expect(message).to_have_text("A set is 0 to 100 reps.")
    expect(heel).to_contain_text("0 of 3 sets done")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(page.locator("#request-status")).to_be_hidden()
    assert message.evaluate("e => getComputedStyle(e).color") == heel.locator(
        ".save-failed"
    ).first.evaluate("e => getComputedStyle(e).color")
    assert left.evaluate("e => getComputedStyle(e).width") == heel.get_by_role(
        "spinbutton", name="Right side, set 1"
    ).evaluate("e => getComputedStyle(e).width")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    assert SetLog.objects.filter(log__session__date=MONDAY).count() == sets_before


@pytest.mark.browser_context_args(**PHONE)
def test_swap_and_skip_as_under_make_run_raise_no_csp_error(
    live_server, demo_page_with_timer: Page, settings, csp_violations: list[str]
):
    """With DEBUG on, as `make run` serves it, django-htmx's script joins the page: every
    swap and skip leaves the console and the CSP quiet."""
    settings.DEBUG = True
    page = demo_page_with_timer
    page.goto(live_server.url + "/today/")
    toes = page.locator(".today-item").filter(has_text="Toe yoga").first
    toes.get_by_role("button", name="Harder today: Toe yoga with hand resistance").tap()
    toes = page.locator(".today-item").filter(has_text="in place of Toe yoga")
    toes.get_by_role("button", name="Back to Toe yoga").tap()
    toes = page.locator(".today-item").filter(has_text="Toe yoga").first
    expect(
        toes.get_by_role("button", name="Harder today: Toe yoga with hand resistance")
    ).to_be_visible()
    toes.get_by_role("button", name="Skip today").tap()
    expect(toes).to_contain_text("Skipped today")
    toes.get_by_role("button", name="Do it after all").tap()
    expect(toes).to_contain_text("0 of 2 sets done")
    assert not csp_violations


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_a_refused_set_under_make_run_stays_in_its_card_without_a_csp_error(
    live_server,
    demo_page_with_timer: Page,
    settings,
    csp_violations: list[str],
    expected_console_errors,
):
    """With DEBUG on, django-htmx's debug script wrote any 400 over the whole page and ran
    its scripts with eval: the refused card replaced /today/, unstyled, and the CSP blocked
    the eval. Our 400s are forms to correct, so the page keeps its own handling of them."""
    expected_console_errors.append(
        "Failed to load resource: the server responded with a status of 400"
    )
    settings.DEBUG = True
    page = demo_page_with_timer
    page.goto(live_server.url + "/today/")
    heel = page.locator(".today-item").filter(has_text=HEEL_RAISE).first
    heel.get_by_role("spinbutton", name="Left side, set 1").fill("150")
    heel.get_by_role("button", name="Tick set 1 done").tap()
    settled(page)

    heel = page.locator(".today-item").filter(has_text=HEEL_RAISE).first
    expect(heel.locator(".set-form .errorlist").first).to_have_text("A set is 0 to 100 reps.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(page.locator(".site-header")).to_be_visible()
    assert not csp_violations


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_the_keyboard_stays_on_the_control_it_used_when_a_card_is_swapped(
    live_server, demo_page_with_timer: Page, expected_console_errors
):
    """Each save swaps the whole card: focus went to the page's top, and a keyboard or
    screen-reader user had to find their way back from "Skip to content" after every set."""
    expected_console_errors.append(
        "Failed to load resource: the server responded with a status of 400"
    )
    page = demo_page_with_timer
    page.goto(live_server.url + "/today/")
    heel = page.locator(".today-item").filter(has_text=HEEL_RAISE).first

    heel.get_by_role("button", name="Tick set 1 done").focus()
    page.keyboard.press("Enter")
    expect(heel).to_contain_text("1 of 3 sets done")
    settled(page)
    expect(heel.get_by_role("button", name="Set 1 done. Undo")).to_be_focused()

    # A refused value: on its field, to correct it.
    heel.get_by_role("spinbutton", name="Left side, set 2").fill("150")
    heel.get_by_role("button", name="Tick set 2 done").focus()
    page.keyboard.press("Enter")
    expect(heel.locator(".set-form .errorlist")).to_have_text("A set is 0 to 100 reps.")
    settled(page)
    expect(heel.get_by_role("spinbutton", name="Left side, set 2")).to_be_focused()

    heel.get_by_role("button", name="Pain 2").focus()
    page.keyboard.press("Enter")
    expect(heel.get_by_role("button", name="Pain 2")).to_have_attribute("aria-pressed", "true")
    settled(page)
    expect(heel.get_by_role("button", name="Pain 2")).to_be_focused()

    heel.get_by_role("button", name="Skip today").focus()
    page.keyboard.press("Enter")
    expect(heel).to_contain_text("Skipped today")
    settled(page)
    expect(heel.get_by_role("button", name="Do it after all")).to_be_focused()

    page.keyboard.press("Enter")
    expect(heel).to_contain_text("1 of 3 sets done")
    settled(page)
    expect(heel.get_by_role("button", name="Skip today")).to_be_focused()
