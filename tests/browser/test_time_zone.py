"""The runner's time zone comes from their browser at signup and is theirs to change."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from footcare.accounts.models import RunnerProfile

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "kiwi@example.com"
PASSWORD = "hills-before-breakfast-9"


@pytest.mark.browser_context_args(timezone_id="Pacific/Auckland")
def test_signup_keeps_the_browsers_zone_and_the_profile_changes_it(
    live_server, page: Page, assert_accessible
):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(live_server.url + "/accounts/confirm-email/")
    expect(page.get_by_text("We could not tell your time zone")).to_have_count(0)
    assert RunnerProfile.objects.get(user__email=EMAIL).time_zone == "Pacific/Auckland"

    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.MULTILINE)
    page.get_by_label("Code").fill(code.group(1))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(live_server.url + "/accounts/profile/")
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("Pacific/Auckland")
    assert_accessible(page)

    zone.select_option("America/Los_Angeles")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("America/Los_Angeles")
    assert RunnerProfile.objects.get(user__email=EMAIL).time_zone == "America/Los_Angeles"
