"""Reminders and shared links as a runner and their physio use them, on a phone: the
settings saved through the form, a link made, opened without an account, printed on one
A4 page and stopped. Screenshots go to $SCREENSHOT_DIR when it is set."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from footcare.accounts.models import RunnerProfile
from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.browser.conftest import demo_runner_on, log_in

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
DEMO_DAY = datetime.date(2026, 11, 25)


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_reminder_settings_on_a_phone(live_server, page: Page, monkeypatch, assert_accessible):
    user = demo_runner_on(DEMO_DAY, monkeypatch)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + "/accounts/profile/")
    page.get_by_role("link", name="Change your reminders").click()
    expect(page.get_by_role("heading", name="Reminders", exact=True)).to_be_visible()
    page.get_by_role("checkbox", name="Remind me on plan days").check()
    page.get_by_label("Time of day").fill("18:30")
    page.get_by_label("Email and calendar alarm").check()
    shot(page, "reminders-settings-360")
    fits(page, PHONE["width"])
    assert_accessible(page)
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Reminders are on: email and calendar alarm at 18:30")).to_be_visible()
    profile = RunnerProfile.objects.get(user=user)
    assert (profile.reminders_on, profile.reminder_time) == (True, datetime.time(18, 30))
    page.set_viewport_size(DESKTOP)
    shot(page, "reminders-settings-desktop")


def test_a_shared_link_opened_printed_and_stopped(
    live_server, page: Page, browser: Browser, monkeypatch, assert_accessible
):
    demo_runner_on(DEMO_DAY, monkeypatch)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + "/accounts/sharing/")
    page.get_by_label("Who it is for").fill("Dr Okafor, physio")
    page.get_by_label("Stops working after").select_option(label="3 months")
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_text("Your link for Dr Okafor, physio is made")).to_be_visible()
    address = page.get_by_label("Address to share").input_value()
    assert "/shared/" in address
    fits(page, PHONE["width"])
    assert_accessible(page)
    shot(page, "sharing-links-360")

    physio = browser.new_context(viewport=PHONE).new_page()
    response = physio.goto(address)
    assert response.status == 200
    expect(
        physio.get_by_role("heading", name="Demo runner's foot and calf strength")
    ).to_be_visible()
    assert DEMO_EMAIL not in physio.content()
    fits(physio, PHONE["width"])
    assert_accessible(physio)
    shot(physio, "shared-view-360")
    physio.set_viewport_size(DESKTOP)
    shot(physio, "shared-view-desktop")
    # The print layout: four weeks of log, the plan and pain on one A4 page.
    physio.emulate_media(media="print")
    pdf = physio.pdf(format="A4", print_background=False)
    if os.environ.get("SCREENSHOT_DIR"):
        (Path(os.environ["SCREENSHOT_DIR"]) / "shared-view.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf)) == 1

    page.reload()
    page.get_by_role("button", name="Stop this link").click()
    expect(page.get_by_text("The link for Dr Okafor, physio no longer works")).to_be_visible()
    assert physio.goto(address).status == 404
    assert "Demo runner" not in physio.content()
