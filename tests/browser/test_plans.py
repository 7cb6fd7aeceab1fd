"""Weekly plans in a real browser: copy a starter, edit the board in place, generate, subscribe."""

import copy
import re

import pytest
from playwright.sync_api import Page, expect

from exercises.content.file import read_library
from exercises.content.seed import library_seed
from footcare.accounts.models import RunnerProfile
from routines.plans.models import UNDO_REMOVE_SECONDS, PlanItem
from routines.plans.starter_content import read_starter_plans, starter_plans_seed
from tests.accounts.conftest import PASSWORD, make_runner
from tests.browser.conftest import log_in, settled

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "runner@example.com"
WEEK = {
    "monday": "rest",
    "tuesday": "easy",
    "wednesday": "hard",
    "thursday": "rest",
    "friday": "easy",
    "saturday": "long",
    "sunday": "rest",
}


@pytest.fixture
def runner_page(live_server, page: Page) -> Page:
    library_seed(data=copy.deepcopy(read_library()))
    starter_plans_seed(data=read_starter_plans())
    user = make_runner(EMAIL)
    RunnerProfile.objects.filter(user=user).update(**WEEK)
    log_in(page, live_server.url, EMAIL, PASSWORD)
    return page


def test_copy_a_starter_edit_it_in_place_generate_a_plan_and_subscribe(
    live_server, runner_page: Page, assert_accessible
):
    page = runner_page
    page.get_by_role("link", name="Plans").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your weekly plans")
    assert_accessible(page)

    page.get_by_role("button", name="Copy Foot-core foundations into my plans").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Foot-core foundations")
    tuesday = page.locator("#day-1")
    expect(tuesday).to_contain_text("Easy run")
    expect(tuesday).to_contain_text("No strength work")
    assert_accessible(page)

    # Add an exercise to Tuesday through the picker: the library's search, in place.
    page.evaluate("window.__marker = 1")
    tuesday.get_by_text("Add exercise").click()
    tuesday.get_by_label("Search the library").fill("heel")
    add = tuesday.get_by_role("button", name="Add Heel walk to Tuesday")
    expect(add).to_be_visible()
    assert_accessible(page)
    add.click()
    expect(tuesday.locator(".plan-item")).to_have_count(1)
    expect(tuesday).to_contain_text("Heel walk")
    expect(page.locator("#board-status")).to_have_text("Heel walk added to Tuesday.")
    item = PlanItem.objects.get(weekday=1)
    before = (item.sets, item.reps, item.duration_seconds)

    # An invalid dose: the error beside the field, nothing saved.
    tuesday.get_by_role("link", name="Change Heel walk on Tuesday").click()
    sets = tuesday.get_by_label("Sets")
    expect(sets).to_be_focused()
    sets.fill("12")
    tuesday.get_by_role("button", name="Save dose").click()
    settled(page)
    expect(tuesday.locator(".errorlist").first).to_be_visible()
    expect(tuesday).to_contain_text("Sets run from 1 to 10.")
    expect(tuesday.get_by_label("Sets")).to_have_attribute("aria-invalid", "true")
    item.refresh_from_db()
    assert (item.sets, item.reps, item.duration_seconds) == before
    assert_accessible(page)

    tuesday.get_by_label("Sets").fill("3")
    tuesday.get_by_role("button", name="Save dose").click()
    expect(tuesday.locator(".plan-item-dose")).to_contain_text("3 ×")
    # htmx readies the swapped-in links as the swap settles; a key pressed before that
    # lands on a link htmx does not know yet (no person types that fast).
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    item.refresh_from_db()
    assert item.sets == 3

    # Move it to Thursday with the keyboard alone.
    change = tuesday.get_by_role("link", name="Change Heel walk on Tuesday")
    change.focus()
    page.keyboard.press("Enter")
    expect(tuesday.get_by_label("Sets")).to_be_focused()
    day = tuesday.get_by_label("Move to another day")
    day.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(day).to_have_value("3")
    page.keyboard.press("Tab")
    expect(page.locator(f"#item-{item.pk}-move")).to_be_focused()
    page.keyboard.press("Enter")
    thursday = page.locator("#day-3")
    expect(thursday).to_contain_text("Heel walk")
    expect(page.locator("#day-1")).not_to_contain_text("Heel walk")
    expect(page.locator("#board-status")).to_have_text("Heel walk moved to Thursday.")
    assert page.evaluate("window.__marker") == 1, "all of it happened in place"
    settled(page)
    # The keyboard follows the item to its new day, not to the week's first heading.
    expect(thursday.get_by_role("link", name="Change Heel walk on Thursday")).to_be_focused()
    assert_accessible(page)

    page.reload()
    expect(page.locator("#day-3")).to_contain_text("Heel walk")
    expect(page.locator("#day-3")).to_contain_text("3 × 1 minute")
    expect(page.locator("#day-1")).to_contain_text("No strength work")

    # The pages the board falls back to without JavaScript: the picker and one item.
    board = page.url
    page.goto(f"{board}add/?day=1&q=toe")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an exercise to Tuesday")
    assert_accessible(page)
    page.goto(f"{board}items/{item.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Heel walk on Thursday")
    page.get_by_label("Sets").fill("0")
    page.get_by_role("button", name="Save dose").click()
    expect(page.locator("main")).to_contain_text("Sets run from 1 to 10.")
    assert_accessible(page)

    # A plan generated from the profile, saved.
    page.goto(live_server.url + "/plans/generate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("A plan from your running week")
    assert_accessible(page)
    page.get_by_label("Sessions a week").select_option("2")
    page.get_by_role("button", name="Propose again").click()
    expect(
        page.get_by_role("heading", name="The proposal: 2 sessions", exact=False)
    ).to_be_visible()
    page.get_by_label("Plan name").fill("From my running week")
    page.get_by_role("button", name="Save this plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("From my running week")
    assert page.locator(".plan-item").count() > 0
    # Nothing calf-heavy before Wednesday's workout or Saturday's long run.
    for weekday in (1, 4):
        assert page.locator(f"#day-{weekday} .plan-warning-calf-before-run").count() == 0

    # The calendar address, and what it serves.
    address = page.get_by_label("Calendar address").input_value()
    assert "/plans/calendar/" in address and address.endswith(".ics")
    feed = page.request.get(address)
    assert feed.status == 200
    assert "BEGIN:VCALENDAR" in feed.text() and "RRULE:FREQ=WEEKLY" in feed.text()

    # The board on a phone: days stacked, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the board scrolls sideways on a phone ({width}px wide)"
    boxes = [page.locator(f"#day-{d}").bounding_box() for d in (0, 1)]
    assert boxes[1]["y"] > boxes[0]["y"] + boxes[0]["height"] - 1, "days stack on a phone"
    assert_accessible(page)


def test_up_down_and_remove_work_in_place_and_keep_the_keyboard_where_it_was(
    live_server, runner_page: Page, assert_accessible
):
    # The item's buttons have no form of their own: they submit their day's one form to
    # their own address (formaction), which htmx must follow as the browser does.
    page = runner_page
    page.get_by_role("link", name="Plans").click()
    page.get_by_role("button", name="Copy Plantar heel care into my plans").click()
    monday = page.locator("#day-0")
    names = monday.locator(".plan-item h4").all_inner_texts()
    assert len(names) >= 2, names
    first, second = names[0], names[1]
    page.evaluate("window.__marker = 1")

    moved = monday.locator(".plan-item").first.get_attribute("id")
    down = monday.get_by_role("button", name=f"Move {first} down")
    down.focus()
    page.keyboard.press("Enter")
    expect(monday.locator(".plan-item h4").nth(1)).to_have_text(first)
    expect(page.locator("#board-status")).to_contain_text(f"{first} moved down")
    settled(page)
    # The keyboard stays on the item in the day drawn afresh: on Move down, or, if the
    # item is now last, on Move up.
    expect(page.locator(":focus")).to_have_id(re.compile(f"^{moved}-(up|down)$"))

    up = monday.get_by_role("button", name=f"Move {first} up")
    up.focus()
    page.keyboard.press("Enter")
    expect(monday.locator(".plan-item h4").first).to_have_text(first)
    settled(page)
    # First again, its Move up is disabled: the focus is on its Move down.
    expect(monday.get_by_role("button", name=f"Move {first} down")).to_be_focused()

    remove = monday.get_by_role("button", name=f"Remove {second} from Monday")
    remove.focus()
    page.keyboard.press("Enter")
    expect(monday.locator(".plan-item h4")).to_have_count(len(names) - 1)
    expect(monday.locator(".plan-item h4", has_text=second)).to_have_count(0)
    expect(page.locator("#board-status")).to_contain_text(second)
    # Said in its day, with an Undo.
    expect(monday.locator(".plan-notice")).to_contain_text(f"{second} removed from Monday.")
    settled(page)
    # The item left with its button: the day's heading takes the focus.
    expect(monday.get_by_role("heading", name="Monday")).to_be_focused()
    assert page.evaluate("window.__marker") == 1, "all of it happened in place"
    assert_accessible(page)

    # Undo, twice over as a double click sends it: back in its place, once.
    undo = monday.get_by_role("button", name=f"Undo: put {second} back on Monday")
    undo.dblclick()
    expect(page.locator("#board-status")).to_have_text(f"{second} is back on Monday.")
    settled(page)
    assert monday.locator(".plan-item h4").all_inner_texts() == names
    assert page.evaluate("window.__marker") == 1, "all of it happened in place"
    page.reload()
    assert page.locator("#day-0 .plan-item h4").all_inner_texts() == names


def test_the_board_works_without_javascript(live_server, runner_page: Page, browser):
    # axe needs JavaScript: these pages pass it in the journey above, with it on.
    runner_page.get_by_role("link", name="Plans").click()
    runner_page.get_by_role("button", name="Copy Plantar heel care into my plans").click()
    board_url = runner_page.url
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies(runner_page.context.cookies())
    page = context.new_page()
    try:
        page.goto(board_url)
        monday = page.locator("#day-0")
        first = monday.locator(".plan-item").first.locator("h4").inner_text()
        monday.get_by_role("button", name=f"Move {first} down").click()
        expect(page.locator("#day-0 .plan-item").nth(1)).to_contain_text(first)
        expect(page.locator(".messages")).to_contain_text(f"{first} moved down on Monday.")

        page.locator("#day-6").get_by_text("Add exercise").click()
        page.locator("#day-6").get_by_label("Search the library").fill("toe walk")
        page.locator("#day-6").get_by_role("button", name="Search").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add an exercise to Sunday")
        page.get_by_role("button", name="Add Toe walk to Sunday").click()
        expect(page.locator("#day-6")).to_contain_text("Toe walk")

        page.get_by_role("link", name="Change Toe walk on Sunday").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Toe walk on Sunday")
        page.get_by_label("Rest (s)").fill("900")
        page.get_by_role("button", name="Save dose").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Toe walk on Sunday")
        expect(page.locator("main")).to_contain_text("Rest is 0 to 600 seconds.")
        page.get_by_label("Rest (s)").fill("45")
        page.get_by_role("button", name="Save dose").click()
        expect(page.locator("#day-6")).to_contain_text("rest 45 seconds")

        page.get_by_role("button", name="Remove Toe walk from Sunday").click()
        expect(page.locator("#day-6 .plan-notice")).to_contain_text("Toe walk removed from Sunday.")
        expect(page.locator("#day-6 .plan-item")).to_have_count(0)
        page.get_by_role("button", name="Undo: put Toe walk back on Sunday").click()
        expect(page.locator(".messages")).to_contain_text("Toe walk is back on Sunday.")
        expect(page.locator("#day-6 .plan-item")).to_contain_text("Toe walk")
    finally:
        context.close()


def test_a_full_week_prints_on_one_a4_or_letter_page(live_server, runner_page: Page):
    page = runner_page
    page.get_by_role("link", name="Plans").click()
    page.get_by_role("button", name="Copy Foot-core foundations into my plans").click()
    # Twice as much work as the starter: its days copied onto the empty ones.
    for source, target in ((0, 1), (2, 3), (4, 5), (0, 6)):
        page.get_by_label("Copy a day").select_option(str(source))
        page.get_by_label("onto").select_option(str(target))
        page.get_by_role("button", name="Copy day").click()
        settled(page)
    assert PlanItem.objects.count() == 28

    page.get_by_role("link", name="Print").click()
    expect(page.locator(".print-day")).to_have_count(7)
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=False)
        pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
        assert pages == 1, f"the week takes {pages} {paper} pages"


@pytest.mark.browser_context_args(
    viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True
)
def test_on_a_phone_remove_is_apart_from_down_and_its_undo_lasts_a_minute(
    live_server, runner_page: Page, assert_accessible
):
    page = runner_page
    page.clock.install()
    page.get_by_role("link", name="Plans").tap()
    page.get_by_role("button", name="Copy Plantar heel care into my plans").tap()
    monday = page.locator("#day-0")
    first = monday.locator(".plan-item h4").first.inner_text()
    down = monday.get_by_role("button", name=f"Move {first} down").bounding_box()
    remove = monday.get_by_role("button", name=f"Remove {first} from Monday").bounding_box()
    change = monday.get_by_role("link", name=f"Change {first} on Monday").bounding_box()
    # Change stands between them: a finger that misses ↓ lands on Change, not on Remove.
    assert down["x"] + down["width"] <= change["x"]
    assert change["x"] + change["width"] <= remove["x"]

    monday.get_by_role("button", name=f"Remove {first} from Monday").tap()
    undo = monday.get_by_role("button", name=f"Undo: put {first} back on Monday")
    expect(undo).to_be_visible()
    settled(page)
    assert undo.bounding_box()["height"] >= 44
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.clock.run_for(UNDO_REMOVE_SECONDS * 1000 + 1000)
    expect(undo).to_have_count(0)
    expect(monday.locator(".plan-notice")).to_contain_text(f"{first} removed from Monday.")
