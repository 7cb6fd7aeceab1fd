"""Issue 28 in a browser: an editor changes a published exercise in the admin, runners keep
seeing the published page, a second staff account reviews the difference and approves it,
and the page then shows the change with "Reviewed by … on …"."""

import os
from pathlib import Path

import pytest
import reversion
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from exercises.management.commands.seed_library import record_seed_run
from exercises.models import Exercise, StaffProfile
from footcare.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

NEW_SUMMARY = "Lift only the big toe, then the other four: slowly, ten times each."
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/footcare-shots"))


# The data migrations that make the two staff groups and grant them their permissions.
def staff_page(browser: Browser, live_server, email: str, group: str) -> Page:
    user = User.objects.create_user(email, "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def test_a_change_stays_invisible_until_a_second_account_approves_it(
    live_server, staff_groups, seeded_library, page: Page, browser: Browser, assert_accessible
):
    exercise = Exercise.objects.get(slug="toe-yoga")
    published = exercise.summary
    editor = staff_page(browser, live_server, "editor@example.com", "Content editors")
    reviewer = staff_page(browser, live_server, "reviewer@example.com", "Content reviewers")
    StaffProfile.objects.create(
        user=User.objects.get(email="reviewer@example.com"),
        public_name="Sam Okafor",
        credentials="PT, DPT",
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    with reversion.create_revision():  # the history starts with a seed run, as on a server
        reversion.set_comment("Seed run from library.yaml.")
        record_seed_run()

    editor.goto(f"{live_server.url}/admin/exercises/exercise/{exercise.pk}/change/")
    expect(editor.get_by_text("Saving keeps your change as a draft for review")).to_be_visible()
    editor.get_by_label("Summary").fill(NEW_SUMMARY)
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.get_by_text("is kept as a draft")).to_be_visible()

    page.goto(f"{live_server.url}/exercises/toe-yoga/")
    expect(page.get_by_text(published)).to_be_visible()
    expect(page.get_by_text(NEW_SUMMARY)).to_have_count(0)

    editor.get_by_role("button", name="Submit for review").click()
    expect(editor.get_by_text("Submitted the change")).to_be_visible()
    page.reload()
    expect(page.get_by_text(NEW_SUMMARY)).to_have_count(0)

    reviewer.goto(f"{live_server.url}/admin/exercises/exercisechange/")
    reviewer.get_by_role("link", name="Toe yoga").click()
    expect(reviewer.locator("del", has_text=published)).to_be_visible()
    expect(reviewer.locator("ins", has_text=NEW_SUMMARY)).to_be_visible()
    reviewer.screenshot(path=SHOTS / "review-page.png", full_page=True)
    reviewer.set_viewport_size({"width": 360, "height": 740})
    reviewer.screenshot(path=SHOTS / "review-page-phone.png", full_page=True)
    reviewer.set_viewport_size({"width": 1280, "height": 900})
    reviewer.get_by_role("button", name="Approve and publish").click()
    expect(reviewer.get_by_text("Approved: runners now see the change")).to_be_visible()

    page.reload()
    expect(page.get_by_text(NEW_SUMMARY)).to_be_visible()
    expect(page.get_by_text("Reviewed by Sam Okafor, PT, DPT on")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=SHOTS / "reviewed-by-phone.png")

    reviewer.goto(f"{live_server.url}/admin/exercises/exercise/{exercise.pk}/history/")
    expect(reviewer.locator("del", has_text=published).first).to_be_visible()
    expect(reviewer.locator("ins", has_text=NEW_SUMMARY).first).to_be_visible()
    expect(reviewer.get_by_text("seed_library (operator)")).to_be_visible()
    reviewer.screenshot(path=SHOTS / "history-diff.png")
    assert_accessible(reviewer)
