"""A runner's journey through their account, in Chromium, with axe on every page visited."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import Page, expect

from exercises.models import Condition, Equipment
from footcare.accounts.models import RunnerProfile, User

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "journey@example.com"
PASSWORD = "tempo-tuesdays-and-hills-7"


def verification_code() -> str:
    body = mail.outbox[-1].body
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", body, re.MULTILINE).group(1)


def focus_ring(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return {style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }"""
    )


def test_sign_up_keep_a_profile_log_out_and_back_shows_nothing_private_log_in_again(
    live_server, page: Page, assert_accessible
):
    plantar = Condition.objects.create(
        slug="plantar-fasciitis",
        name="Plantar fasciitis",
        summary="Pain under the heel.",
        how_strengthening_helps="A stronger arch takes load off the fascia.",
    )
    Equipment.objects.create(slug="towel", name="Towel")
    page.goto(live_server.url + "/")
    assert_accessible(page)

    # Sign up, then confirm the address with the code from the email.
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your Footcare account")
    assert_accessible(page)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password again").fill("short")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("This password is too short.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(live_server.url + "/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)
    page.get_by_label("Code").fill(verification_code())
    page.get_by_role("button", name="Confirm").click()

    # The profile: a day saved in place by htmx, then the rest by the form.
    expect(page).to_have_url(live_server.url + "/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your runner profile")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(EMAIL)
    assert_accessible(page)
    page.evaluate("window.stayedOnThisPage = true")
    page.get_by_label("Sunday").select_option("long")
    expect(page.locator("#day-sunday")).to_contain_text("Saved")
    expect(page.locator("#week-status")).to_have_text("Sunday saved: Long run.")
    assert page.evaluate("window.stayedOnThisPage") is True, "saved without a page load"
    page.get_by_label("Tuesday").select_option("hard")
    expect(page.locator("#day-tuesday")).to_contain_text("Saved")
    assert_accessible(page)

    page.get_by_label("Display name").fill("!!!")
    page.get_by_role("button", name="Save profile").click()
    # The errors are listed at the top of the form, and the runner starts there.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Your profile was not saved")
    expect(page.locator("#id_display_name_error")).to_have_text(
        "Use at least one letter or number in your name."
    )
    assert_accessible(page)
    summary.get_by_role(
        "link", name="Display name: Use at least one letter or number in your name."
    ).click()
    expect(page.get_by_label("Display name")).to_be_focused()
    page.get_by_label("Display name").fill("Journey Runner")
    page.get_by_label("Some strength work").check()
    # The profile also asks which conditions hurt now; this one is only guarded against.
    page.get_by_role("group", name="Conditions to guard against").get_by_label(
        "Plantar fasciitis"
    ).check()
    page.get_by_label("Towel").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    assert_accessible(page)
    profile = RunnerProfile.objects.get(user__email=EMAIL)
    assert (profile.display_name, profile.experience) == ("Journey Runner", "some")
    assert (profile.tuesday, profile.sunday) == ("hard", "long")
    assert list(profile.conditions.all()) == [plantar]
    assert [item.slug for item in profile.equipment.all()] == ["towel"]

    # Log out, then Back: the browser must fetch again, and the server sends it to log in.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert_accessible(page)
    # A page restored from the back/forward cache fires no load event: wait for the commit.
    page.go_back(wait_until="commit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert EMAIL not in page.content()
    assert "Journey Runner" not in page.content()
    # Nor did htmx keep a snapshot of a private page to restore from its history cache.
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    assert_accessible(page)

    # Log in again, from the page Back landed on, and come back to the profile.
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/accounts/profile/")
    expect(page.get_by_label("Display name")).to_have_value("Journey Runner")
    expect(page.get_by_label("Sunday")).to_have_value("long")
    guarded = page.get_by_role("group", name="Conditions to guard against")
    expect(guarded.get_by_label("Plantar fasciitis")).to_be_checked()
    hurting = page.get_by_role("group", name="Which of them hurt now")
    expect(hurting.get_by_label("Plantar fasciitis")).not_to_be_checked()
    assert_accessible(page)


@pytest.fixture
def signed_in_page(live_server, page: Page, client: Client) -> Page:
    """A runner signed in by a session cookie: logging in through the form has its own test
    (the journey above), and here it would only cost a second a test."""
    user = User.objects.create_user(EMAIL, PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return page


def test_the_profile_fits_a_phone_and_shows_keyboard_focus(
    live_server, signed_in_page: Page, assert_accessible
):
    page = signed_in_page
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/accounts/profile/")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the profile scrolls sideways on a phone ({width}px wide)"
    assert_accessible(page)

    page.get_by_label("Monday").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Monday")).to_be_focused()
    ring = focus_ring(page)
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    page.get_by_role("button", name="Save profile").focus()
    ring = focus_ring(page)
    assert ring["style"] != "none" and ring["width"] >= 2, ring


def test_a_day_is_saved_with_the_keyboard_alone(live_server, signed_in_page: Page):
    page = signed_in_page
    page.goto(live_server.url + "/accounts/profile/")

    page.get_by_label("Wednesday").focus()
    page.keyboard.press("ArrowDown")

    expect(page.locator("#day-wednesday")).to_contain_text("Saved")
    expect(page.get_by_label("Wednesday")).to_be_focused()
    assert RunnerProfile.objects.get(user__email=EMAIL).wednesday == "easy"


def test_the_other_account_pages_pass_axe(live_server, signed_in_page: Page, assert_accessible):
    page = signed_in_page
    for url, heading in [
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/email/", "Your email address"),
        ("/accounts/delete/", "Delete your account"),
    ]:
        page.goto(live_server.url + url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
    page.get_by_role("button", name="Log out").click()
    for url, heading in [
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/login/", "Log in"),
    ]:
        page.goto(live_server.url + url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)


def test_deleting_the_account_from_the_browser(
    live_server, signed_in_page: Page, assert_accessible
):
    page = signed_in_page
    page.goto(live_server.url + "/accounts/profile/")
    page.get_by_role("link", name="Delete your account").click()
    page.get_by_label("Your password").fill("a-wrong-guess")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password. Nothing was deleted.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_text("Your account is deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert not User.objects.filter(email=EMAIL).exists()
    assert_accessible(page)


def test_a_day_saved_after_the_session_ended_goes_to_log_in_not_into_the_card(
    live_server, signed_in_page: Page, assert_accessible
):
    page = signed_in_page
    page.goto(live_server.url + "/accounts/profile/")
    # The session ends while the page stays open (it expired, or another tab logged out).
    page.context.clear_cookies(name="sessionid")

    page.get_by_label("Sunday").select_option("long")

    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_text("that change was not saved")).to_be_visible()
    assert RunnerProfile.objects.get(user__email=EMAIL).sunday == "rest"
    assert_accessible(page)


def test_a_long_display_name_is_cut_short_in_the_nav_on_a_phone(
    live_server, signed_in_page: Page, assert_accessible
):
    page = signed_in_page
    profile = RunnerProfile.objects.get(user__email=EMAIL)
    profile.display_name = "W" * 60
    profile.save()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/")

    name = page.locator(".nav-account-name")
    expect(name).to_have_text("W" * 60)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"
    box = name.bounding_box()
    assert box["x"] + box["width"] <= 375 and box["height"] < 40, box
    assert name.evaluate("element => element.scrollWidth > element.clientWidth"), "cut short"
    assert_accessible(page)


def test_the_login_form_tabs_from_email_to_password_to_log_in_then_the_reset_link(
    live_server, page: Page, assert_accessible
):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").focus()

    visited = []
    for _ in range(4):
        page.keyboard.press("Tab")
        visited.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )

    assert visited == ["id_password", "id_remember", "Log in", "Forgot your password?"]
    # The tick box reads first and its label after, with no colon.
    box = page.get_by_label("Keep me logged in", exact=True).bounding_box()
    label = page.locator("label[for=id_remember]").bounding_box()
    assert box["x"] < label["x"], (box, label)
    assert_accessible(page)


def test_an_error_summary_link_leads_to_a_group_of_choices_on_a_phone(
    live_server, signed_in_page: Page, assert_accessible
):
    page = signed_in_page
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/accounts/profile/")
    # No choice made: a browser only sends that when something strips the radios' state.
    page.evaluate(
        "document.querySelectorAll('input[name=experience]').forEach(r => { r.checked = false; })"
    )
    page.get_by_role("button", name="Save profile").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert_accessible(page)
    summary.get_by_role(
        "link", name="Experience with strength work: Choose how much strength work you have done."
    ).click()

    expect(page.get_by_label("New to strength work")).to_be_focused()
    legend = page.locator("legend", has_text="Experience with strength work").bounding_box()
    assert 0 <= legend["y"] <= 740, "the group's question is in view above the choice"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"
