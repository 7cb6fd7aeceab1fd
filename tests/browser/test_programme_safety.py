"""Issue 24 in a browser on a phone: the calf capacity test (metronome, record, the side
flag) and the generator's answer to a condition that hurts now."""

import copy

import pytest
from playwright.sync_api import Page, expect

from exercises.models import Condition
from tests.browser.conftest import log_in
from tests.conftest import make_runner

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
SHOTS = "/tmp/safety-shots"


@pytest.fixture
def safety_runner_page(page: Page, live_server):
    from exercises.content.file import read_library
    from exercises.content.seed import library_seed

    library_seed(data=copy.deepcopy(read_library()))
    make_runner("ada@example.com", "correct horse battery")
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "ada@example.com", "correct horse battery")
    return page


def test_the_calf_test_on_a_phone(safety_runner_page: Page, live_server, assert_accessible):
    page = safety_runner_page
    page.goto(live_server.url + "/accounts/calf-test/")
    start = page.get_by_role("button", name="Start the beat (60 a minute)")
    start.click()
    expect(page.locator("[data-beat]")).to_have_text("Up")
    expect(page.locator("[data-beat]")).to_have_text("Down", timeout=2500)
    page.get_by_role("button", name="Stop the beat").click()
    expect(page.locator("[data-beat]")).to_have_text("Stopped")

    page.get_by_label("On a step edge").check()
    page.get_by_label("Left leg: raises").fill("18")
    page.get_by_label("Right leg: raises").fill("24")
    page.get_by_role("button", name="Save the test").click()

    expect(page.get_by_text("Your left calf did 25 % fewer raises")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    page.screenshot(path=f"{SHOTS}/calf-test-phone.png", full_page=True)
    page.locator('[aria-labelledby="history-title"]').screenshot(path=f"{SHOTS}/calf-history.png")
    page.locator('[aria-labelledby="latest-title"]').screenshot(path=f"{SHOTS}/calf-latest.png")
    assert_accessible(page)


def test_a_stress_fracture_that_hurts_now_gets_advice_not_a_plan(
    safety_runner_page: Page, live_server, assert_accessible
):
    page = safety_runner_page
    fracture = Condition.objects.get(slug="lateral-foot-stress-fracture")
    page.goto(live_server.url + "/accounts/profile/")
    page.locator(f'input[name="hurting_now"][value="{fracture.pk}"]').check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()

    page.goto(live_server.url + "/plans/generate/")
    expect(page.get_by_role("heading", name="No plan while it hurts")).to_be_visible()
    expect(page.get_by_role("button", name="Save this plan")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    page.screenshot(path=f"{SHOTS}/generate-hurting-phone.png", full_page=True)
    assert_accessible(page)


def test_the_balance_ladder_and_the_starter_plans_read_on_a_phone(
    safety_runner_page: Page, live_server, assert_accessible
):
    from routines.plans.starter_content import read_starter_plans, starter_plans_seed

    starter_plans_seed(data=read_starter_plans())
    page = safety_runner_page
    page.goto(live_server.url + "/exercises/single-leg-balance-eyes-closed/")
    expect(page.get_by_role("heading", name="Single-leg balance, eyes closed")).to_be_visible()
    expect(page.get_by_text("Effect of unsupervised home based proprioceptive")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/balance-phone.png", full_page=True)
    assert_accessible(page)
    page.goto(live_server.url + "/plans/")
    expect(page.get_by_text("4 sets of 10").first).to_be_attached()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/starters-phone.png", full_page=True)
    page.get_by_text("Plantar heel care").first.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/starters-viewport.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_weight_and_calf_charts_on_progress_at_phone_and_desktop(
    safety_runner_page: Page, live_server, assert_accessible
):
    from decimal import Decimal

    from django.utils import timezone

    from exercises.models import Exercise
    from footcare.accounts.models import CalfRaiseTest, User
    from routines.plans.models import PlanItem, WeeklyPlan
    from routines.training.models import ExerciseLog, WorkoutSession

    user = User.objects.get(email="ada@example.com")
    raise_ = Exercise.objects.get(slug="calf-raise-weighted")
    plan = WeeklyPlan.objects.create(owner=user, name="Calves", is_active=True)
    item = PlanItem.objects.create(
        plan=plan, weekday=0, exercise=raise_, sets=3, reps=15, per_side=True, load=Decimal("10")
    )
    today = timezone.localdate()
    for ago, load in ((9, "8"), (5, "9"), (2, "10")):
        session = WorkoutSession.objects.create(owner=user, date=today - timezone.timedelta(ago))
        ExerciseLog.objects.create(
            session=session,
            exercise=raise_,
            plan_item=item,
            sets_planned=3,
            sets_done=3,
            load=Decimal(load),
            pain=1,
            effort=5,
        )
    for ago, left, right in ((30, 15, 19), (1, 18, 20)):
        CalfRaiseTest.objects.create(
            user=user,
            tested_on=today - timezone.timedelta(ago),
            surface="flat",
            left=left,
            right=right,
        )
    page = safety_runner_page
    page.goto(live_server.url + "/progress/")
    expect(page.locator("#weight")).to_be_visible()
    expect(page.locator("#calf-tests")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#weight").screenshot(path=f"{SHOTS}/progress-weight-phone.png")
    page.locator("#calf-tests").screenshot(path=f"{SHOTS}/progress-calf-phone.png")
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + f"/plans/{plan.pk}/")
    expect(page.get_by_text("weight 10 kg")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/board-desktop.png")
    assert_accessible(page)
