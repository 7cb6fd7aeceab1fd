"""Issue 24 point 15 in a browser on a phone (360 × 740): the profile's optional sex and year
of birth, the calf test placed against the published norms, a generated plan whose weaker
left side gets an extra set, that set on /today/, and the retest on /progress/. axe on each."""

import copy
import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from routines.plans.models import PlanItem
from tests.browser.conftest import log_in, settled
from tests.conftest import make_runner

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
# CALF_SCREENSHOTS=<folder> keeps the pages' pictures, to look at them as a runner would.
SHOTS = os.environ.get("CALF_SCREENSHOTS", "")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def calf_runner_page(page: Page, live_server):
    from exercises.content.file import read_library
    from exercises.content.seed import library_seed
    from exercises.models import Condition, Equipment

    library_seed(data=copy.deepcopy(read_library()))
    user = make_runner("ada@example.com", "correct horse battery")
    profile = user.runner_profile
    profile.experience = "regular"
    profile.save(update_fields=["experience"])
    profile.conditions.set(Condition.objects.filter(slug="achilles-tendinopathy"))
    profile.equipment.set(Equipment.objects.all())
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "ada@example.com", "correct horse battery")
    page.user = user
    return page


def test_the_calf_test_against_the_norms_and_the_extra_set_on_a_phone(
    calf_runner_page: Page, live_server, assert_accessible, monkeypatch
):
    page = calf_runner_page
    page.goto(live_server.url + "/accounts/calf-test/")
    page.get_by_label("On a step edge").check()
    page.get_by_label("Left leg: raises").fill("12")
    page.get_by_label("Right leg: raises").fill("20")
    page.get_by_role("button", name="Save the test").click()
    expect(
        page.get_by_text("We cannot compare your test with people of your age and sex")
    ).to_be_visible()
    fits(page)
    assert_accessible(page)

    page.get_by_role("link", name="Add them to your profile").click()
    page.get_by_label("Female").check()
    page.get_by_label("Year of birth").fill(str(timezone.localdate().year - 42))
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()

    page.goto(live_server.url + "/accounts/calf-test/")
    expect(page.get_by_text("Your left calf: 12, 9 below the median")).to_be_visible()
    expect(page.get_by_text("Your right calf: 20, 1 below the median")).to_be_visible()
    fits(page)
    shot(page, "calf-test-norms-phone")
    if SHOTS:
        page.locator(".calf-norms").screenshot(path=f"{SHOTS}/calf-norms.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        shot(page, "calf-test-norms-desktop")
        page.set_viewport_size(PHONE)
    assert_accessible(page)

    page.goto(live_server.url + "/plans/generate/?sessions=3&minutes=30")
    expect(page.get_by_text("and 1 more set on the left").first).to_be_visible()
    page.get_by_role("button", name="Save this plan").click()
    expect(page.get_by_text("and 1 more set on the left").first).to_be_visible()
    fits(page)
    shot(page, "board-extra-set-phone")
    assert_accessible(page)

    item = PlanItem.objects.filter(plan__owner=page.user).exclude(extra_set_side="").first()
    plan = item.plan
    plan.is_active = True
    plan.save(update_fields=["is_active"])
    today = timezone.localdate()
    day = today - datetime.timedelta(days=(today.weekday() - item.weekday) % 7)
    monkeypatch.setattr("footcare.clock.today", lambda: day)
    page.goto(live_server.url + "/today/")
    card = page.locator(f"#item-{item.pk}")
    extra = item.sets + 1
    expect(card.get_by_text(f"0 of {extra} sets done")).to_be_visible()
    expect(card.get_by_text("left only")).to_be_visible()
    expect(card.get_by_label(f"Right side, set {extra}")).to_have_count(0)
    card.get_by_role("button", name=f"Tick set {extra} done").click()
    settled(page)
    expect(page.locator(f"#item-{item.pk}").get_by_text(f"1 of {extra} sets done")).to_be_visible()
    fits(page)
    shot(page, "today-extra-set-phone")
    if SHOTS:
        page.locator(f"#item-{item.pk}").screenshot(path=f"{SHOTS}/today-extra-set-card.png")
    assert_accessible(page)

    page.goto(live_server.url + "/progress/")
    expect(page.get_by_role("heading", name="Your next calf test")).to_be_visible()
    expect(page.get_by_text("Test again from")).to_be_visible()
    fits(page)
    shot(page, "progress-calf-phone")
    if SHOTS:
        page.locator(".progress-calf").screenshot(path=f"{SHOTS}/progress-calf-card.png")
    assert_accessible(page)
