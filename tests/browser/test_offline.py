"""Today without signal, in Chromium: installable, the page kept by the service worker and
shown offline with its banner, three sets, pain and Finish kept on the phone and sent once
when the connection returns (and again when it drops mid-way: still once), and nothing
kept after logging out."""

import datetime
import json
import os
import re
import time

import pytest
from playwright.sync_api import Error, Page, expect

from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD
from routines.training.models import ExerciseLog, SetLog, WorkoutSession
from tests.browser.conftest import demo_runner_on, log_in

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2026, 11, 23)
SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
# Where to keep a screenshot of /today/ offline on a small phone, to look at; none if unset.
SCREENSHOT = os.environ.get("OFFLINE_SCREENSHOT")
# What the browser logs for requests that never left: expected in these tests only.
OFFLINE_ERRORS = ["Failed to load resource", "htmx:sendError", "htmx:afterRequest"]

KEPT_TODAY = """async () => {
  const cache = await caches.open("footcare-runner-pages");
  return Boolean(await cache.match("/today/"));
}"""
CONTROLLED = """async () => {
  await navigator.serviceWorker.ready;
  return Boolean(navigator.serviceWorker.controller);
}"""
PENDING = "async () => (await window.FootcareQueue.pending()).length"
# The demo plan's first exercise on Mondays (plantar-heel-care, issue 24): Rathleff's raise,
# 3 x 12 each side.
RAISE = "Single-leg heel raise on a step, towel under the toes"
RAISE_SLUG = "plantar-heel-raise"


def pending_is(count: int) -> str:
    # False until the page's queue script has run: offline.js reloads the page once it has
    # sent the queue, and a poll can land in the new page before its deferred scripts.
    return (
        "async () => Boolean(window.FootcareQueue)"
        f" && (await window.FootcareQueue.pending()).length === {count}"
    )


def until(page: Page, script: str, *, timeout: float = 10_000) -> None:
    """Until the async `script` is truthy in the page."""
    # wait_for_function does not wait for a promise: poll page.evaluate, which does.
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(script):
                return
        except Error as error:
            # The page reloaded under the script (after sending its queue, say): try again.
            if "context was destroyed" not in str(error):
                raise
        assert time.monotonic() < deadline, f"Still false after {timeout} ms: {script}"
        page.wait_for_timeout(100)


def kept_today(page: Page, base: str) -> None:
    """/today/ opened under the worker's control, so that it keeps it."""
    page.goto(base + "/today/")
    until(page, CONTROLLED)
    page.reload()
    until(page, KEPT_TODAY)


@pytest.fixture
def offline_runner_page(live_server, page: Page, monkeypatch, expected_console_errors) -> Page:
    demo_runner_on(MONDAY, monkeypatch)
    expected_console_errors.extend(OFFLINE_ERRORS)
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    return page


def raise_sets() -> list[tuple[int, int, int | None]]:
    return list(
        SetLog.objects.filter(log__session__date=MONDAY, log__exercise__slug=RAISE_SLUG)
        .order_by("number")
        .values_list("number", "amount", "amount_right")
    )


def test_chromium_finds_footcare_installable_on_today(
    live_server, playwright, browser_type_launch_args, monkeypatch, tmp_path
):
    demo_runner_on(MONDAY, monkeypatch)
    # A profile on disk: Chromium offers no install in an incognito context, which is what
    # the tests' usual contexts are.
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", **browser_type_launch_args
    )
    try:
        page = context.new_page()
        log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
        kept_today(page, live_server.url)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"].endswith("/manifest.webmanifest")
        assert not manifest["errors"], manifest["errors"]
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


@pytest.mark.browser_context_args(**SMALL_PHONE)
def test_today_offline_then_back_online_logs_each_set_once(
    live_server, offline_runner_page: Page, assert_accessible
):
    page = offline_runner_page
    kept_today(page, live_server.url)
    assert raise_sets() == []

    page.context.set_offline(True)
    page.reload()
    banner = page.locator("#offline-banner")
    expect(banner).to_contain_text("You are offline.")
    expect(banner).to_contain_text("This page was kept on this phone on")
    raise_item = page.locator(".today-item").filter(has_text=RAISE).first
    raise_item.get_by_role("button", name="Tick set 1 done").tap()
    expect(raise_item).to_contain_text("1 of 3 sets done")
    raise_item.get_by_role("button", name="Fewer: Left side, set 2").tap()
    raise_item.get_by_role("button", name="Tick set 2 done").tap()
    raise_item.get_by_role("button", name="Tick set 3 done").tap()
    expect(raise_item).to_contain_text("3 of 3 sets done")
    expect(raise_item.locator(".set-form .pending-note:visible")).to_have_count(3)
    raise_item.get_by_role("button", name="Pain 2", exact=True).tap()
    expect(raise_item.get_by_role("button", name="Pain 2", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_label("Notes for this session").fill("In the garage, no signal")
    page.get_by_role("button", name="Finish session").tap()
    expect(page.locator(".today-finish .pending-note")).to_have_text(
        "Finished on this phone: not sent yet"
    )
    expect(banner).to_contain_text("Not sent yet: 5 changes kept on this phone.")
    # An exercise's page was kept with today's, for its words.
    raise_item.get_by_role("link", name=RAISE).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(RAISE)
    page.get_by_role("link", name="Today", exact=True).tap()
    raise_item = page.locator(".today-item").filter(has_text=RAISE).first
    expect(raise_item).to_contain_text("3 of 3 sets done")
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT)
        raise_item.scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOT.replace(".png", "-card.png"))
    assert_accessible(page)
    assert raise_sets() == []

    page.context.set_offline(False)
    page.wait_for_function("() => !document.documentElement.dataset.offlineCopy", timeout=15_000)
    until(page, pending_is(0))
    assert raise_sets() == [(1, 12, 12), (2, 11, 12), (3, 12, 12)]
    log = ExerciseLog.objects.get(session__date=MONDAY, exercise__slug=RAISE_SLUG)
    assert (log.sets_done, log.pain) == (3, 2)
    session = WorkoutSession.objects.get(date=MONDAY)
    assert session.is_finished and session.notes == "In the garage, no signal"
    expect(page.locator("#offline-banner")).to_be_hidden()
    raise_item = page.locator(".today-item").filter(has_text=RAISE).first
    expect(raise_item).to_contain_text("3 of 3 sets done")
    expect(raise_item.locator(".pending-note:visible")).to_have_count(0)

    # Logging out forgets everything kept for the runner: pages and queue.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    until(page, "async () => !(await caches.keys()).includes('footcare-runner-pages')")
    assert page.evaluate(PENDING) == 0
    assert page.evaluate("async () => (await window.FootcareQueue.refused()).length") == 0
    # The worker comes back for the next runner, with nothing of this one's to show.
    until(page, CONTROLLED)
    page.context.set_offline(True)
    page.goto(live_server.url + "/today/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    expect(page.get_by_role("link", name="Open today's session")).to_have_count(0)
    page.context.set_offline(False)


# Without the worker, page.route sees every request the page makes.
@pytest.mark.browser_context_args(service_workers="block")
def test_the_connection_dropping_mid_replay_still_logs_each_set_once(
    live_server, offline_runner_page: Page
):
    page = offline_runner_page
    page.goto(live_server.url + "/today/")
    raise_item = page.locator(".today-item").filter(has_text=RAISE).first
    page.context.set_offline(True)
    for number in (1, 2, 3):
        raise_item.get_by_role("button", name=f"Tick set {number} done").click()
        expect(raise_item).to_contain_text(f"{number} of 3 sets done")
    until(page, pending_is(3))

    # Set 2 reaches the server, but its answer is lost on the way back.
    item = raise_item.get_attribute("id").removeprefix("item-")
    second = re.compile(rf"/today/items/{item}/sets/2/$")
    lost = []

    def answer_lost(route):
        if not lost:
            lost.append(route.fetch().status)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(second, answer_lost)
    page.context.set_offline(False)
    # The sending stops there: set 2 and 3 stay, though set 2 reached the server.
    expect(page.locator("#offline-banner")).to_contain_text(
        "Not sent yet: 2 changes kept on this phone."
    )
    assert page.evaluate(PENDING) == 2
    assert lost == [200]
    assert [n for n, *_ in raise_sets()] == [1, 2]

    # The next page sends the rest, set 2 again among them: still one row each.
    page.reload()
    until(page, pending_is(0))
    assert raise_sets() == [(1, 12, 12), (2, 12, 12), (3, 12, 12)]
    raise_item = page.locator(".today-item").filter(has_text=RAISE).first
    expect(raise_item).to_contain_text("3 of 3 sets done")


@pytest.mark.browser_context_args(service_workers="block")
def test_a_change_the_server_refuses_is_shown_with_what_was_entered(
    live_server, offline_runner_page: Page, assert_accessible
):
    page = offline_runner_page
    page.goto(live_server.url + "/today/")
    raise_item = page.locator(".today-item").filter(has_text=RAISE).first
    page.context.set_offline(True)
    raise_item.get_by_role("spinbutton", name="Left side, set 1").fill("500")
    raise_item.get_by_role("button", name="Tick set 1 done").click()
    expect(raise_item.locator(".pending-note:visible")).to_have_count(1)
    page.context.set_offline(False)
    banner = page.locator("#offline-banner")
    expect(banner).to_contain_text("Not saved.")
    expect(banner).to_contain_text(f"Set 1 of {RAISE}: 500 left, 12 right")
    assert raise_sets() == []
    assert_accessible(page)
    banner.get_by_role("button", name=f"Dismiss: Set 1 of {RAISE}").click()
    expect(banner).to_be_hidden()


STATIC_CACHES = """async () =>
  (await caches.keys()).filter((name) => name.startsWith("footcare-static-")).sort()"""


def test_a_new_worker_takes_over_and_drops_what_the_old_one_kept(
    live_server, offline_runner_page: Page, monkeypatch
):
    from footcare import offline

    page = offline_runner_page
    kept_today(page, live_server.url)
    script = offline._cached_worker_script()
    version = json.loads(script.split("const FOOTCARE = ", 1)[1].split(";\n", 1)[0])["version"]
    assert page.evaluate(STATIC_CACHES) == [f"footcare-static-{version}"]

    # A deploy: any kept file changed makes a new version of the worker.
    monkeypatch.setattr(
        offline, "_cached_worker_script", lambda: script.replace(version, "next-version")
    )
    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    until(
        page,
        f"async () => JSON.stringify(await ({STATIC_CACHES})()) === "
        "'[\"footcare-static-next-version\"]'",
    )
    until(
        page,
        """async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return !registration.waiting && !registration.installing
            && registration.active.state === "activated";
        }""",
    )
    # The runner's kept today survives the update, and the new worker shows it offline.
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#offline-banner")).to_contain_text("You are offline.")
    raise_item = page.locator(".today-item").filter(has_text=RAISE).first
    raise_item.get_by_role("button", name="Tick set 1 done").click()
    expect(raise_item).to_contain_text("1 of 3 sets done")
    page.context.set_offline(False)
    until(page, pending_is(0))
    assert [n for n, *_ in raise_sets()] == [1]


def test_deleting_the_account_forgets_what_was_kept(live_server, offline_runner_page: Page):
    page = offline_runner_page
    kept_today(page, live_server.url)
    page.goto(live_server.url + "/accounts/delete/")
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    until(page, "async () => !(await caches.keys()).includes('footcare-runner-pages')")
    until(page, pending_is(0))
    # The worker comes back for the next runner, with nothing of this one's to show.
    until(page, CONTROLLED)
    page.context.set_offline(True)
    page.goto(live_server.url + "/today/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    page.context.set_offline(False)


@pytest.mark.browser_context_args(service_workers="block")
def test_a_session_that_ran_out_keeps_the_queue_until_the_runner_logs_in_again(
    live_server, offline_runner_page: Page
):
    page = offline_runner_page
    page.goto(live_server.url + "/today/")
    raise_item = page.locator(".today-item").filter(has_text=RAISE).first
    page.context.set_offline(True)
    raise_item.get_by_role("button", name="Tick set 1 done").click()
    until(page, pending_is(1))
    # The session runs out while offline; logging in again renews the CSRF token too.
    page.context.clear_cookies(name="sessionid")
    page.context.set_offline(False)
    banner = page.locator("#offline-banner")
    expect(banner).to_contain_text("log in again to send them")
    assert raise_sets() == []
    page.goto(live_server.url + "/accounts/login/")
    expect(banner).to_contain_text("Not sent yet: 1 change to today's session kept on this phone")
    expect(banner).not_to_contain_text("heel raise")
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    until(page, pending_is(0))
    assert raise_sets() == [(1, 12, 12)]


def test_a_page_that_loaded_while_the_worker_installed_is_taken_once_it_is_ready(
    live_server, page: Page, monkeypatch
):
    """The claim on activation misses a page still loading then: it asks, and is taken."""
    from footcare import offline

    script = offline._cached_worker_script()
    # A worker that takes a second to install, and a page that takes three to draw: the
    # worker activates (and claims) while the page is still on its way.
    slow_install = script.replace(
        "caches\n      .open(STATIC)",
        "new Promise((wait) => setTimeout(wait, 1000))\n      .then(() => caches.open(STATIC))",
    )
    assert slow_install != script
    monkeypatch.setattr(offline, "_cached_worker_script", lambda: slow_install)
    runner_of = offline.offline_runner
    slow = []

    def slow_page(user):
        if slow:
            time.sleep(3)
        return runner_of(user)

    monkeypatch.setattr(offline, "offline_runner", slow_page)
    page.goto(live_server.url + "/accounts/login/")
    slow.append(True)
    page.goto(live_server.url + "/exercises/")
    slow.clear()
    until(page, CONTROLLED, timeout=5_000)
