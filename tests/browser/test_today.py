"""Today on a phone, as the demo runner: tick sets, a hold timer, pain and effort, a swap,
a tick sent offline and retried, reload, finish, then the log and the CSV."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from routines.plans.models import LOWER_SECONDS, RISE_SECONDS, PlanItem
from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD
from routines.training.models import ExerciseLog, SetLog
from tests.browser.conftest import demo_runner_on, log_in, settled

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2026, 11, 23)
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
# Counts the vibrations the timer asks for; the real API does nothing in a headless browser.
VIBRATE_SPY = """
  window.__vibrations = 0;
  navigator.vibrate = () => { window.__vibrations += 1; return true; };
"""


@pytest.fixture
def demo_page(live_server, page: Page, monkeypatch) -> Page:
    demo_runner_on(MONDAY, monkeypatch)
    page.add_init_script(VIBRATE_SPY)
    page.clock.install()
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    return page


@pytest.mark.browser_context_args(**PHONE)
def test_follow_today_on_a_phone_and_find_it_in_the_log(
    live_server, demo_page: Page, assert_accessible, expected_console_errors
):
    page = demo_page
    expect(page.get_by_role("heading", name="Today, Monday")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Start today's session").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    assert_accessible(page)

    calf = page.locator(".today-item").filter(has_text="Single-leg calf raise").first
    toes = page.locator(".today-item").filter(has_text="Toe yoga").first
    toes_item = PlanItem.objects.get(plan__is_active=True, weekday=0, exercise__slug="toe-yoga")
    expect(calf).to_contain_text("3 × 12 each side, hold 2 s")
    expect(calf).to_contain_text("Last time (")

    # Two sets, the second one rep short on the left (the stepper).
    calf.get_by_role("button", name="Tick set 1 done").tap()
    expect(calf).to_contain_text("1 of 3 sets done")
    calf.get_by_role("button", name="Fewer: Left side, set 2").tap()
    expect(calf.get_by_role("spinbutton", name="Left side, set 2")).to_have_value("11")
    calf.get_by_role("button", name="Tick set 2 done").tap()
    expect(calf).to_contain_text("2 of 3 sets done")
    settled(page)
    log = ExerciseLog.objects.get(session__date=MONDAY, exercise__slug="calf-raise")
    assert list(log.sets.order_by("number").values_list("amount", "amount_right")) == [
        (12, 12),
        (11, 12),
    ]

    # The hold timer, on Playwright's clock: a rep is its rise, its hold and its lowering,
    # then the next rep.
    rep = RISE_SECONDS + toes_item.hold_seconds + LOWER_SECONDS
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
    expect(toes.locator(".timer-display")).to_have_text(f"0:0{RISE_SECONDS}")

    # Pain and effort, one tap each.
    calf.get_by_role("button", name="Pain 2", exact=True).tap()
    expect(calf.get_by_role("button", name="Pain 2", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    calf.get_by_role("button", name="Effort 6", exact=True).tap()
    expect(calf.get_by_role("button", name="Effort 6", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    # The easier rung, for today only.
    calf.get_by_role("button", name="Easier today: Calf raise, both feet").tap()
    calf = page.locator(".today-item").filter(has_text="in place of Single-leg calf raise")
    expect(calf).to_contain_text("Calf raise, both feet")
    assert_accessible(page)

    # Offline: the tick fails visibly; back online, the retry lands it once.
    # What the browser and htmx log for a request that never left: expected here only.
    expected_console_errors.extend(
        ["Failed to load resource", "htmx:sendError", "htmx:afterRequest"]
    )
    page.context.set_offline(True)
    calf.get_by_role("button", name="Tick set 3 done").tap()
    expect(calf.locator(".set-form.is-failed .save-failed")).to_be_visible()
    expect(calf).to_contain_text("2 of 3 sets done")
    page.context.set_offline(False)
    calf.get_by_role("button", name="Tick set 3 done").tap()
    expect(calf).to_contain_text("3 of 3 sets done")
    settled(page)
    log.refresh_from_db()
    assert (log.sets_done, log.sets.count(), log.pain, log.effort) == (3, 3, 2, 6)
    assert log.exercise.slug == "calf-raise-both-feet"

    # Reload: everything the server acknowledged is there.
    page.reload()
    calf = page.locator(".today-item").filter(has_text="in place of Single-leg calf raise")
    expect(calf).to_contain_text("3 of 3 sets done")
    expect(calf.get_by_role("button", name="Pain 2", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert_accessible(page)

    page.get_by_label("Notes for this session").fill("Calves tired after Sunday's long run")
    page.get_by_role("button", name="Finish session").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session of Monday 23 November 2026")
    expect(page.locator(".log-table")).to_contain_text("Calf raise, both feet")
    assert_accessible(page)

    page.get_by_role("link", name="Log", exact=True).tap()
    expect(page.get_by_role("link", name="Monday 23 November 2026")).to_be_visible()
    assert_accessible(page)

    csv = page.request.get(live_server.url + "/log/export.csv").text()
    row = next(line for line in csv.splitlines() if "Calf raise, both feet" in line)
    assert row.startswith("2026-11-23,Plantar heel care,yes,")
    assert "12 left, 12 right / 11 left, 12 right / 12 left, 12 right" in row
    assert row.endswith(",2,6,no,Calves tired after Sunday's long run")


SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}


def phase_and_seconds(card) -> tuple[str, int]:
    minutes, seconds = card.locator(".timer-display").text_content().split(":")
    return card.locator(".timer-phase").text_content(), int(minutes) * 60 + int(seconds)


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_ticking_a_set_starts_its_rest_and_a_held_rep_counts_its_rise_and_lowering(
    live_server, demo_page: Page, assert_accessible
):
    page = demo_page
    page.goto(live_server.url + "/today/")
    toes_item = PlanItem.objects.get(plan__is_active=True, weekday=0, exercise__slug="toe-yoga")
    calf_item = PlanItem.objects.get(plan__is_active=True, weekday=0, exercise__slug="calf-raise")
    toes = page.locator(f"#item-{toes_item.pk}")
    calf = page.locator(f"#item-{calf_item.pk}")

    # A held rep: the rise, the hold, the lowering, each counted down, then the next rep.
    toes.get_by_role("button", name="Start timer").tap()
    expect(toes.locator(".timer-phase")).to_have_text("Rise: rep 1 of 10")
    assert phase_and_seconds(toes) == ("Rise: rep 1 of 10", RISE_SECONDS)
    page.clock.run_for(RISE_SECONDS * 1000 + 100)
    expect(toes.locator(".timer-phase")).to_have_text("Hold: rep 1 of 10")
    page.clock.run_for(toes_item.hold_seconds * 1000)
    expect(toes.locator(".timer-phase")).to_have_text("Lower: rep 1 of 10")
    assert phase_and_seconds(toes)[1] == LOWER_SECONDS
    page.clock.run_for(LOWER_SECONDS * 1000)
    expect(toes.locator(".timer-phase")).to_have_text("Rise: rep 2 of 10")
    toes.get_by_role("button", name="Pause").tap()

    # Ticking a set starts the rest, counted down from the item's rest, without a tap on Start.
    calf.get_by_role("button", name="Tick set 1 done").tap()
    expect(calf).to_contain_text("1 of 3 sets done")
    expect(calf.locator(".timer-phase")).to_have_text("Rest")
    page.clock.run_for(2_000)
    phase, left = phase_and_seconds(calf)
    assert phase == "Rest" and left < calf_item.rest_seconds
    assert_accessible(page)
    page.clock.run_for(calf_item.rest_seconds * 1000)
    expect(calf.locator(".timer-phase")).to_have_text("Rest over: start the next set")
    # The rest does not stop the other card's timer where it was.
    expect(toes.locator(".timer-phase")).to_have_text("Rise: rep 2 of 10")


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_a_skipped_card_hides_its_timer(live_server, demo_page: Page, assert_accessible):
    page = demo_page
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
    live_server, demo_page: Page, assert_accessible, expected_console_errors
):
    # The browser logs the refusal's status; the refusal is the answer expected here.
    expected_console_errors.append(
        "Failed to load resource: the server responded with a status of 400"
    )
    page = demo_page
    sets_before = SetLog.objects.filter(log__session__date=MONDAY).count()
    page.goto(live_server.url + "/today/")
    calf = page.locator(".today-item").filter(has_text="Single-leg calf raise").first
    left = calf.get_by_role("spinbutton", name="Left side, set 1")
    # The same bounds the server holds to, on the input.
    assert (left.get_attribute("min"), left.get_attribute("max")) == ("0", "100")

    left.fill("150")
    calf.get_by_role("button", name="Tick set 1 done").tap()
    settled(page)

    # The card, swapped in place with the message beside the field and the value as typed;
    # the page around it is still the page, styled, with no error banner.
    calf = page.locator(".today-item").filter(has_text="Single-leg calf raise").first
    left = calf.get_by_role("spinbutton", name="Left side, set 1")
    expect(left).to_have_value("150")
    expect(left).to_have_attribute("aria-invalid", "true")
    message = calf.locator(".set-form .errorlist").first
    expect(message).to_have_text("A set is 0 to 100 reps.")
    expect(calf).to_contain_text("0 of 3 sets done")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(page.locator("#request-status")).to_be_hidden()
    assert message.evaluate("e => getComputedStyle(e).color") == calf.locator(
        ".save-failed"
    ).first.evaluate("e => getComputedStyle(e).color")
    assert left.evaluate("e => getComputedStyle(e).width") == calf.get_by_role(
        "spinbutton", name="Right side, set 1"
    ).evaluate("e => getComputedStyle(e).width")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    assert SetLog.objects.filter(log__session__date=MONDAY).count() == sets_before


@pytest.mark.browser_context_args(**PHONE)
def test_swap_and_skip_as_under_make_run_raise_no_csp_error(
    live_server, demo_page: Page, settings, csp_violations: list[str]
):
    """With DEBUG on, as `make run` serves it, django-htmx's script joins the page: every
    swap and skip leaves the console and the CSP quiet."""
    settings.DEBUG = True
    page = demo_page
    page.goto(live_server.url + "/today/")
    calf = page.locator(".today-item").filter(has_text="Single-leg calf raise").first
    calf.get_by_role("button", name="Easier today: Calf raise, both feet").tap()
    calf = page.locator(".today-item").filter(has_text="in place of Single-leg calf raise")
    calf.get_by_role("button", name="Back to Single-leg calf raise").tap()
    calf = page.locator(".today-item").filter(has_text="Single-leg calf raise").first
    expect(calf.get_by_role("button", name="Easier today: Calf raise, both feet")).to_be_visible()
    calf.get_by_role("button", name="Skip today").tap()
    expect(calf).to_contain_text("Skipped today")
    calf.get_by_role("button", name="Do it after all").tap()
    expect(calf).to_contain_text("0 of 3 sets done")
    assert not csp_violations


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_a_refused_set_under_make_run_stays_in_its_card_without_a_csp_error(
    live_server, demo_page: Page, settings, csp_violations: list[str], expected_console_errors
):
    """With DEBUG on, django-htmx's debug script wrote any 400 over the whole page and ran
    its scripts with eval: the refused card replaced /today/, unstyled, and the CSP blocked
    the eval. Our 400s are forms to correct, so the page keeps its own handling of them."""
    expected_console_errors.append(
        "Failed to load resource: the server responded with a status of 400"
    )
    settings.DEBUG = True
    page = demo_page
    page.goto(live_server.url + "/today/")
    calf = page.locator(".today-item").filter(has_text="Single-leg calf raise").first
    calf.get_by_role("spinbutton", name="Left side, set 1").fill("150")
    calf.get_by_role("button", name="Tick set 1 done").tap()
    settled(page)

    calf = page.locator(".today-item").filter(has_text="Single-leg calf raise").first
    expect(calf.locator(".set-form .errorlist").first).to_have_text("A set is 0 to 100 reps.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(page.locator(".site-header")).to_be_visible()
    assert not csp_violations


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_the_keyboard_stays_on_the_control_it_used_when_a_card_is_swapped(
    live_server, demo_page: Page, expected_console_errors
):
    """Each save swaps the whole card: focus went to the page's top, and a keyboard or
    screen-reader user had to find their way back from "Skip to content" after every set."""
    expected_console_errors.append(
        "Failed to load resource: the server responded with a status of 400"
    )
    page = demo_page
    page.goto(live_server.url + "/today/")
    calf = page.locator(".today-item").filter(has_text="Single-leg calf raise").first

    calf.get_by_role("button", name="Tick set 1 done").focus()
    page.keyboard.press("Enter")
    expect(calf).to_contain_text("1 of 3 sets done")
    settled(page)
    expect(calf.get_by_role("button", name="Set 1 done. Undo")).to_be_focused()

    # A refused value: on its field, to correct it.
    calf.get_by_role("spinbutton", name="Left side, set 2").fill("150")
    calf.get_by_role("button", name="Tick set 2 done").focus()
    page.keyboard.press("Enter")
    expect(calf.locator(".set-form .errorlist")).to_have_text("A set is 0 to 100 reps.")
    settled(page)
    expect(calf.get_by_role("spinbutton", name="Left side, set 2")).to_be_focused()

    calf.get_by_role("button", name="Pain 2").focus()
    page.keyboard.press("Enter")
    expect(calf.get_by_role("button", name="Pain 2")).to_have_attribute("aria-pressed", "true")
    settled(page)
    expect(calf.get_by_role("button", name="Pain 2")).to_be_focused()

    calf.get_by_role("button", name="Skip today").focus()
    page.keyboard.press("Enter")
    expect(calf).to_contain_text("Skipped today")
    settled(page)
    expect(calf.get_by_role("button", name="Do it after all")).to_be_focused()

    page.keyboard.press("Enter")
    expect(calf).to_contain_text("1 of 3 sets done")
    settled(page)
    expect(calf.get_by_role("button", name="Skip today")).to_be_focused()
